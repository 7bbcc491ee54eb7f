/* The organiser's check-in screen when the hall has no signal (ADR 0010). Online, htmx
   fetches a new code from the server every 10 s. When that fails, this script goes on making
   the same codes here (HMAC-SHA-256 of the 30-second step with the session's display key,
   as the server does), draws them with the vendored qrcode-generator, and notes which steps
   it showed. When the connection is back it sends that list, and the scans members' phones
   kept offline for those codes count. */
(function () {
  const STEP = 30;
  const box = () => document.getElementById("qr");
  const first = box();
  if (!first || !first.dataset.key || !window.crypto || !crypto.subtle || !window.qrcode || !window.SuotDoiOutbox) return;
  const session = first.dataset.session;
  const LOG = "suotdoi-shown-" + session;
  const notice = document.getElementById("screen-offline");
  const sent = document.getElementById("screen-sent");
  const enc = new TextEncoder();
  // The server's clock, as the page said it; the screen's own clock may be minutes out.
  const skew = Number(first.dataset.now) - Date.now();
  const keyPromise = crypto.subtle.importKey(
    "raw", enc.encode(first.dataset.key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]
  );
  let timer = null;
  let lastStep = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(LOG) || "[]"); } catch (e) { return []; }
  }
  function note(step) {
    const b = box();
    if (step < Number(b.dataset.first) || step > Number(b.dataset.last)) return;
    const ranges = load();
    const end = ranges[ranges.length - 1];
    if (end && end[1] >= step - 2 && end[0] <= step) end[1] = Math.max(end[1], step);
    else ranges.push([step, step]);
    try { localStorage.setItem(LOG, JSON.stringify(ranges)); } catch (e) { /* */ }
  }
  async function code(step) {
    const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await keyPromise, enc.encode(String(step))));
    const hex = Array.from(sig, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 20);
    return session + "." + step + "." + hex;
  }
  async function draw() {
    const step = Math.floor((Date.now() + skew) / 1000 / STEP);
    if (step === lastStep) return;
    lastStep = step;
    const b = box();
    const url = b.dataset.checkinBase + (await code(step)) + "/";
    const q = window.qrcode(0, "M");
    q.addData(url);
    q.make();
    const img = b.querySelector("img");
    img.src = q.createDataURL(6, 4);
    b.dataset.offlineUrl = url; // what the code says (the same as the server's for this step)
    note(step);
  }
  function goOffline() {
    if (timer) return;
    notice.hidden = false;
    sent.hidden = true;
    draw();
    timer = setInterval(draw, 1000);
  }
  async function upload() {
    const ranges = load();
    if (!ranges.length) return;
    try {
      const r = await fetch(box().dataset.upload, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": window.SuotDoiOutbox.csrf() },
        body: JSON.stringify({ ranges }),
      });
      if (!(r.headers.get("Content-Type") || "").startsWith("application/json")) return;
      const answer = await r.json();
      if (r.status >= 500) return;
      localStorage.removeItem(LOG);
      if (answer.status === "ok") {
        sent.textContent = sent.dataset.text
          .replace("%(accepted)s", answer.accepted).replace("%(waiting)s", answer.waiting);
        sent.hidden = false;
      }
    } catch (e) { /* still offline: the next success tries again */ }
  }
  function backOnline() {
    if (timer) { clearInterval(timer); timer = null; lastStep = null; }
    notice.hidden = true;
    upload();
  }
  document.body.addEventListener("htmx:sendError", (e) => { if (e.target.id === "qr") goOffline(); });
  // a fresh code from the server (htmx puts in a new #qr): the connection is back
  document.body.addEventListener("htmx:load", (e) => { if (e.target.id === "qr") backOnline(); });
  window.addEventListener("offline", goOffline);
  if (!navigator.onLine) goOffline();
  upload(); // a list left from an earlier hall
})();
