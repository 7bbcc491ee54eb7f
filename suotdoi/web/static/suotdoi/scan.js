/* A check-in code opened without a connection (ADR 0010): the service worker showed this
   page in place of the check-in page; keep the code and the moment it was scanned. */
(function () {
  const saved = document.getElementById("scan-saved");
  const none = document.getElementById("scan-none");
  const m = location.pathname.match(/^\/campaigns\/checkin\/([^/]+)\/$/);
  if (!m || !window.SuotDoiOutbox) { none.hidden = false; return; }
  const token = decodeURIComponent(m[1]);
  window.SuotDoiOutbox.add({
    kind: "checkin",
    url: saved.dataset.send,
    body: { token: token, scanned_at: Date.now() },
    dedupe: "checkin:" + token.split(".")[0], // one scan per session is enough
  });
  saved.hidden = false;
})();
