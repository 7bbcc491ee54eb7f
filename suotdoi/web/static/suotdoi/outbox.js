/* What was done without signal, kept on the phone and sent later (#27): check-in scans,
   lessons finished, quiz answers. Sent once there is a connection — one at a time, in the
   order they were made; an item leaves the phone only when the server has answered it
   (accepted, already there, or refused with its reason), so a send cut off halfway is
   simply sent again, and the server counts it once (each item carries its own key).

   An item belongs to the person who was signed in on the phone when it was made; it is sent
   only while that person is signed in again (a shared phone sends nobody else's scans). */
(function () {
  const KEY = "suotdoi-outbox";
  const USER = "suotdoi-user";
  const RESULTS = "suotdoi-outbox-results";

  function load(name) {
    try { return JSON.parse(localStorage.getItem(name) || "[]"); } catch (e) { return []; }
  }
  function save(name, value) {
    try { localStorage.setItem(name, JSON.stringify(value)); } catch (e) { /* storage full or private */ }
  }
  function newKey() {
    const a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function currentUser() {
    return (document.body && document.body.dataset.user) || null;
  }
  function csrf() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // The person signed in now (pages say so); kept for pages that are opened without signal.
  const here = currentUser();
  if (here) { try { localStorage.setItem(USER, here); } catch (e) { /* */ } }

  function add(item) {
    const items = load(KEY);
    if (item.dedupe && items.some((x) => x.dedupe === item.dedupe)) return false;
    item.key = item.key || newKey();
    item.user = item.user || localStorage.getItem(USER) || null;
    item.made = Date.now();
    items.push(item);
    save(KEY, items);
    return true;
  }

  function show(results) {
    const box = document.getElementById("outbox-status");
    if (!box || !results.length) return;
    box.textContent = "";
    const title = document.createElement("p");
    title.className = "outbox-title";
    title.textContent = box.dataset.title || "";
    box.appendChild(title);
    const list = document.createElement("ul");
    for (const r of results) {
      const li = document.createElement("li");
      li.className = "outbox-" + r.status;
      li.textContent = r.message;
      list.appendChild(li);
    }
    box.appendChild(list);
    box.hidden = false;
  }

  let running = null;
  async function flush() {
    if (running) return running;
    running = (async () => {
      const me = currentUser();
      if (!me || !navigator.onLine) return [];
      const done = [];
      for (;;) {
        const items = load(KEY);
        const item = items.find((x) => !x.user || x.user === me);
        if (!item) break;
        let answer;
        try {
          const r = await fetch(item.url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
            body: JSON.stringify(Object.assign({ key: item.key }, item.body)),
          });
          const type = r.headers.get("Content-Type") || "";
          if (!type.startsWith("application/json")) break; // signed out, a proxy's page: later
          answer = await r.json();
          if (r.status >= 500) break;
        } catch (e) {
          break; // no connection after all: keep everything, in order
        }
        save(KEY, load(KEY).filter((x) => x.key !== item.key));
        const result = { status: answer.status, message: answer.message || "", kind: item.kind, ref: item.ref || null, at: Date.now() };
        done.push(result);
        document.dispatchEvent(new CustomEvent("suotdoi:sent", { detail: { item, answer } }));
      }
      if (done.length) {
        save(RESULTS, load(RESULTS).concat(done).slice(-20));
        show(done);
      }
      return done;
    })();
    try { return await running; } finally { running = null; }
  }

  window.SuotDoiOutbox = { add, flush, pending: () => load(KEY), newKey, csrf };
  window.addEventListener("online", flush);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush);
  else flush();
})();
