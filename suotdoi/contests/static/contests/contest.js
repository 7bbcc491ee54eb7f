// Starting a round from the contest page: the start goes to the page's own signed address
// (no session needed, no page) and the phone opens the sitting it answers with. Cookies go
// along: the answer pins the phone to the primary database for a while (the replica may not
// have the new sitting yet when the sitting page is asked for). Whatever goes wrong
// (no signal, the round closed, an attempt used), the form is sent the ordinary way and the
// server's page says what happened.
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams) return;
  document.querySelectorAll("form[data-start]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      var body = new URLSearchParams();
      body.set("round", form.querySelector('input[name="round"]').value);
      fetch(form.getAttribute("data-start"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(r.status)); })
        .then(function (d) { window.location.href = d.sitting; })
        .catch(function () {
          button.disabled = false;
          form.submit(); // the ordinary post: its page shows the reason
        });
    });
  });
})();
