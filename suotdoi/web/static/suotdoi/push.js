/* "Notify me on this phone" (people/delivery.html): ask the browser's permission, subscribe
   with the server's VAPID key, send the subscription to the server. Without push support
   the page says so and nothing else changes. */
(function () {
  const box = document.getElementById("push-setup");
  if (!box) return;
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) return;
  document.getElementById("push-unsupported").hidden = true;
  const button = document.getElementById("push-on");
  const status = document.getElementById("push-status");
  const words = document.getElementById("push-words").content;
  const say = (k) => { status.textContent = words.querySelector(`[data-k="${k}"]`).textContent; };
  button.hidden = false;
  const key = (b64) => {
    const raw = atob((b64 + "=".repeat((4 - (b64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };
  const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") { say("denied"); return; }
      const registration = await navigator.serviceWorker.register(box.dataset.sw, { scope: "/" });
      await navigator.serviceWorker.ready;
      const subscription = (await registration.pushManager.getSubscription()) ||
        (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(box.dataset.key) }));
      const answer = await fetch(box.dataset.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(subscription.toJSON()),
        credentials: "same-origin",
      });
      if (!answer.ok) throw new Error(String(answer.status));
      say("on");
    } catch (e) {
      say("failed");
    } finally {
      button.disabled = false;
    }
  });
})();
