// A contest sitting on the phone: each answer is saved the moment it is given, to the
// sitting's own address (no page to load), and the questions change without a page. An
// answer that cannot be sent (no signal) is kept on the phone and sent when the connection
// comes back; handing in waits until every answer has arrived. Without this script the form
// saves and moves one page at a time, and the server keeps the deadline either way.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  var data = document.getElementById("sheet");
  if (!form || !data || !window.fetch || !window.URLSearchParams) return;
  var sheet = JSON.parse(data.textContent);
  var n = sheet.length;
  var url = form.getAttribute("data-save");
  var pos = parseInt(form.getAttribute("data-position"), 10);
  var status = form.querySelector(".save-status");
  var back = form.querySelector('button[value="back"]');
  var key = "suotdoi-contest:" + url;
  var pending = {};
  try {
    pending = JSON.parse(window.localStorage.getItem(key) || "{}") || {};
  } catch (e) {
    pending = {};
  }

  function keep() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(key, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (e) { /* a full or private store: the answers stay in this page */ }
  }

  function say(text) {
    status.textContent = text || "";
  }

  function send(p) {
    var body = new URLSearchParams();
    body.set("position", p);
    body.set("choice", pending[p]);
    // Cookies go along so that the save pins the phone to the primary database for a while
    // (the hand-in page counts the answers from it, not from a replica that may lag).
    return fetch(url, { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
      if (r.status === 409 || r.status === 404) {
        // Time is up or the sitting is closed: the server's page says what happened.
        pending = {};
        keep();
        window.location.reload();
        throw new Error("closed");
      }
      if (r.status !== 204 && r.status !== 400) throw new Error("status " + r.status);
      delete pending[p]; // saved (or not an answer of this sitting: nothing to keep)
      keep();
    });
  }

  function flush() {
    var waiting = Object.keys(pending);
    return Promise.all(waiting.map(send)).then(function () {
      if (waiting.length) say("");
    });
  }

  function answeredCount() {
    var a = 0;
    for (var i = 0; i < n; i++) if (sheet[i].chosen !== null) a++;
    return a;
  }

  function marks() {
    var label = form.getAttribute("data-answered");
    var counter = document.querySelector("#time-left .answered");
    if (counter && label) {
      counter.textContent = label.replace("%(a)s", answeredCount()).replace("%(n)s", n);
    }
    var links = document.querySelectorAll(".positions a");
    for (var i = 0; i < n && i < links.length; i++) {
      var a = links[i];
      if (sheet[i].chosen !== null && !a.classList.contains("done")) {
        a.classList.add("done");
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " " + form.getAttribute("data-done-word");
        a.appendChild(document.createTextNode(" ✓"));
        a.appendChild(hidden);
      }
      if (i === pos) a.setAttribute("aria-current", "step");
      else a.removeAttribute("aria-current");
    }
  }

  function show(p) {
    pos = p;
    var q = sheet[p];
    form.querySelector('input[name="position"]').value = p;
    form.querySelector(".q-label").textContent = q.label;
    form.querySelector(".q-text").textContent = q.text;
    var box = form.querySelector(".q-choices");
    box.textContent = "";
    q.choices.forEach(function (text, i) {
      var para = document.createElement("p");
      var label = document.createElement("label");
      label.className = "choice";
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "choice";
      input.value = i;
      input.checked = q.chosen === i;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + text));
      para.appendChild(label);
      box.appendChild(para);
    });
    back.hidden = p === 0;
    marks();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "?q=" + p);
    }
  }

  function handIn() {
    // The hand-in page counts what the server holds: every answer must be there first.
    say("");
    flush().then(
      function () { window.location.href = "?q=" + n; },
      function (e) { if (e.message !== "closed") say(form.getAttribute("data-handin-offline")); }
    );
  }

  function go(to) {
    if (to >= n) {
      handIn();
      return;
    }
    show(Math.max(0, to));
    // The new question is read out from its start, and the page shows it from the top.
    var box = form.querySelector("fieldset");
    box.focus();
    box.scrollIntoView();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = form.querySelector('input[name="choice"]:checked');
    var to = event.submitter && event.submitter.value === "back" ? pos - 1 : pos + 1;
    if (chosen) {
      var shown = parseInt(chosen.value, 10);
      sheet[pos].chosen = shown;
      pending[pos] = shown;
      keep();
      send(pos).then(
        function () { say(""); },
        function (e) { if (e.message !== "closed") say(form.getAttribute("data-offline")); }
      );
    }
    go(to);
  });

  document.querySelectorAll(".positions a").forEach(function (a, i) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      go(i);
    });
  });

  window.addEventListener("online", function () { flush().catch(function () {}); });
  if (Object.keys(pending).length) {
    // Answers kept from a page that lost its connection: show them, then send them.
    Object.keys(pending).forEach(function (p) {
      if (sheet[p]) sheet[p].chosen = pending[p];
    });
    show(pos);
    flush().catch(function () { say(form.getAttribute("data-offline")); });
  }
})();
