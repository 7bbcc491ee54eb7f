/* A four-question quiz that speaks SCORM 1.2, SCORM 2004 or cmi5, whichever its page was
   launched with. Answers are kept as the learner goes; the page resumes where it was left. */
(function () {
  "use strict";
  var QUESTIONS = [
    { q: "Một tín chỉ tương đương bao nhiêu giờ học?", a: ["15 giờ", "50 giờ", "100 giờ"], right: 1 },
    { q: "Ai được học tập suốt đời?", a: ["Chỉ học sinh", "Chỉ công nhân", "Mọi công dân"], right: 2 },
    { q: "Hồ sơ học tập suốt đời thuộc về ai?", a: ["Người học", "Doanh nghiệp", "Trường học"], right: 0 },
    { q: "Học trực tuyến có được ghi nhận không?", a: ["Không", "Có", "Chỉ khi thi viết"], right: 1 }
  ];
  var MASTERY = 0.75;
  var el = function (id) { return document.getElementById(id); };
  var state = { answers: [], at: 0 };
  var rt;

  function findApi(name) {
    var w = window;
    for (var i = 0; i < 8 && w; i++) {
      try { if (w[name]) { return w[name]; } } catch (e) { /* another origin */ }
      if (w === w.parent) { break; }
      w = w.parent;
    }
    return null;
  }

  function scorm12(api) {
    return {
      start: function () {
        api.LMSInitialize("");
        var s = api.LMSGetValue("cmi.suspend_data");
        var loc = api.LMSGetValue("cmi.core.lesson_location");
        if (s) { state = JSON.parse(s); }
        if (loc) { state.at = parseInt(loc, 10) || 0; }
        if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
          api.LMSSetValue("cmi.core.lesson_status", "incomplete");
        }
        return Promise.resolve();
      },
      save: function (i, choice, correct) {
        api.LMSSetValue("cmi.suspend_data", JSON.stringify(state));
        api.LMSSetValue("cmi.core.lesson_location", String(state.at));
        api.LMSSetValue("cmi.core.exit", "suspend");
        var n = api.LMSGetValue("cmi.interactions._count");
        api.LMSSetValue("cmi.interactions." + n + ".id", "q" + (i + 1));
        api.LMSSetValue("cmi.interactions." + n + ".type", "choice");
        api.LMSSetValue("cmi.interactions." + n + ".student_response", String(choice));
        api.LMSSetValue("cmi.interactions." + n + ".result", correct ? "correct" : "wrong");
        api.LMSCommit("");
        return Promise.resolve();
      },
      finish: function (scaled) {
        api.LMSSetValue("cmi.core.score.min", "0");
        api.LMSSetValue("cmi.core.score.max", "100");
        api.LMSSetValue("cmi.core.score.raw", String(Math.round(scaled * 100)));
        api.LMSSetValue("cmi.core.lesson_status", scaled >= MASTERY ? "passed" : "failed");
        api.LMSSetValue("cmi.core.exit", "");
        api.LMSCommit("");
        api.LMSFinish("");
        return Promise.resolve();
      }
    };
  }

  function scorm2004(api) {
    return {
      start: function () {
        api.Initialize("");
        var s = api.GetValue("cmi.suspend_data");
        var loc = api.GetValue("cmi.location");
        if (s) { state = JSON.parse(s); }
        if (loc) { state.at = parseInt(loc, 10) || 0; }
        api.SetValue("cmi.completion_status", "incomplete");
        return Promise.resolve();
      },
      save: function (i, choice, correct) {
        api.SetValue("cmi.suspend_data", JSON.stringify(state));
        api.SetValue("cmi.location", String(state.at));
        api.SetValue("cmi.exit", "suspend");
        api.SetValue("cmi.progress_measure", String(state.at / QUESTIONS.length));
        var n = api.GetValue("cmi.interactions._count");
        api.SetValue("cmi.interactions." + n + ".id", "q" + (i + 1));
        api.SetValue("cmi.interactions." + n + ".type", "choice");
        api.SetValue("cmi.interactions." + n + ".learner_response", "c" + choice);
        api.SetValue("cmi.interactions." + n + ".result", correct ? "correct" : "incorrect");
        api.Commit("");
        return Promise.resolve();
      },
      finish: function (scaled) {
        api.SetValue("cmi.score.scaled", String(scaled));
        api.SetValue("cmi.score.raw", String(Math.round(scaled * 100)));
        api.SetValue("cmi.success_status", scaled >= MASTERY ? "passed" : "failed");
        api.SetValue("cmi.completion_status", "completed");
        api.SetValue("cmi.exit", "normal");
        api.Commit("");
        api.Terminate("");
        return Promise.resolve();
      }
    };
  }

  function cmi5(params) {
    var endpoint = params.get("endpoint").replace(/\/?$/, "/");
    var actor = JSON.parse(params.get("actor"));
    var registration = params.get("registration");
    var activityId = params.get("activityId");
    var auth, template, mastery = MASTERY, started = Date.now();
    var CATEGORY = { id: "https://w3id.org/xapi/cmi5/context/categories/cmi5" };
    function call(method, path, body) {
      return fetch(endpoint + path, {
        method: method,
        headers: { "Authorization": auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body)
      }).then(function (r) {
        if (!r.ok && r.status !== 404) { throw new Error(method + " " + path + ": " + r.status); }
        return r.status === 200 ? r.json() : null;
      });
    }
    function stateUrl(id) {
      return "activities/state?" + new URLSearchParams({ activityId: activityId, agent: JSON.stringify(actor), registration: registration, stateId: id });
    }
    function send(verb, result, cmi5Defined) {
      var ctx = JSON.parse(JSON.stringify(template));
      ctx.registration = registration;
      if (cmi5Defined) {
        ctx.contextActivities = ctx.contextActivities || {};
        ctx.contextActivities.category = [CATEGORY];
      }
      var s = { actor: actor, verb: { id: "http://adlnet.gov/expapi/verbs/" + verb, display: { "en-US": verb } },
        object: { objectType: "Activity", id: activityId }, context: ctx, timestamp: new Date().toISOString() };
      if (result) { s.result = result; }
      return call("POST", "statements", s);
    }
    return {
      start: function () {
        return fetch(params.get("fetch"), { method: "POST" }).then(function (r) { return r.json(); }).then(function (t) {
          if (!t["auth-token"]) { throw new Error("no auth token"); }
          auth = "Basic " + t["auth-token"];
          return call("GET", stateUrl("LMS.LaunchData"));
        }).then(function (launchData) {
          template = launchData.contextTemplate;
          if (typeof launchData.masteryScore === "number") { mastery = launchData.masteryScore; }
          return send("initialized", null, true);
        }).then(function () { return call("GET", stateUrl("progress")); })
          .then(function (saved) { if (saved) { state = saved; } });
      },
      save: function (i, choice, correct) {
        return call("PUT", stateUrl("progress"), state).then(function () {
          return send("answered", { response: String(choice), success: correct }, false);
        });
      },
      finish: function (scaled) {
        var seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
        var duration = "PT" + seconds + "S";
        var passed = scaled >= mastery;
        return send(passed ? "passed" : "failed", { score: { scaled: scaled }, success: passed, duration: duration }, true)
          .then(function () { return passed ? send("completed", { completion: true, duration: duration }, true) : null; })
          .then(function () { return send("terminated", { duration: duration }, true); });
      }
    };
  }

  function show() {
    var box = el("question");
    box.innerHTML = "";
    if (state.at >= QUESTIONS.length) { el("status").textContent = "Bạn đã làm xong bài này."; return; }
    var item = QUESTIONS[state.at];
    el("status").textContent = "Câu " + (state.at + 1) + " / " + QUESTIONS.length;
    var h = document.createElement("h2");
    h.textContent = item.q;
    box.appendChild(h);
    item.a.forEach(function (text, choice) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.addEventListener("click", function () { answer(choice); });
      box.appendChild(b);
    });
  }

  function answer(choice) {
    var i = state.at;
    var correct = choice === QUESTIONS[i].right;
    state.answers[i] = choice;
    state.at = i + 1;
    el("question").innerHTML = "";
    rt.save(i, choice, correct).then(function () {
      if (state.at < QUESTIONS.length) { show(); return; }
      var right = state.answers.filter(function (c, k) { return c === QUESTIONS[k].right; }).length;
      var scaled = right / QUESTIONS.length;
      return rt.finish(scaled).then(function () {
        el("status").textContent = (scaled >= MASTERY ? "Đạt" : "Chưa đạt") + ": " + right + "/" + QUESTIONS.length + " câu đúng.";
      });
    }).catch(function (e) { el("status").textContent = "Lỗi: " + e.message; });
  }

  var params = new URLSearchParams(location.search);
  if (params.get("fetch")) {
    rt = cmi5(params);
  } else if (findApi("API_1484_11")) {
    rt = scorm2004(findApi("API_1484_11"));
  } else if (findApi("API")) {
    rt = scorm12(findApi("API"));
  } else {
    el("status").textContent = "Không tìm thấy hệ thống học tập (LMS).";
    return;
  }
  rt.start().then(show).catch(function (e) { el("status").textContent = "Lỗi: " + e.message; });
})();
