/* The installable app (#27.1): the service worker that keeps pages for a weak connection,
   and the install offer — never on the first visits: only from the third day someone comes
   back, on the home page, and never again once they said no. */
(function () {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
  const KEY = "suotdoi-days";
  const today = new Date().toISOString().slice(0, 10);
  let days = [];
  try { days = JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { days = []; }
  if (!days.includes(today)) { days.push(today); days = days.slice(-10); }
  try { localStorage.setItem(KEY, JSON.stringify(days)); } catch (e) { /* private mode */ }
  const offer = document.getElementById("install-offer");
  if (!offer) return;
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    if (days.length < 3 || localStorage.getItem("suotdoi-install") === "no") return;
    offer.hidden = false;
    offer.querySelector("[data-install]").addEventListener("click", async () => {
      offer.hidden = true;
      event.prompt();
      const choice = await event.userChoice;
      if (choice.outcome !== "accepted") localStorage.setItem("suotdoi-install", "no");
    }, { once: true });
    offer.querySelector("[data-later]").addEventListener("click", () => {
      offer.hidden = true;
      localStorage.setItem("suotdoi-install", "no");
    }, { once: true });
  });
})();
