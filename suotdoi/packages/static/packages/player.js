/* The SCORM player on the content host: scorm-again's runtime API (window.API for SCORM 1.2,
   window.API_1484_11 for SCORM 2004) loaded with what the learner did before, committing to
   the platform as the content goes; then the content itself in the frame below. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("player-config").textContent);
  var settings = {
    lmsCommitUrl: cfg.commit,
    autocommit: true,
    autocommitSeconds: 5,
    dataCommitFormat: "json",
    sendFullCommit: true,
    mastery_override: cfg.mastery,
    logLevel: 5,
    xhrResponseHandler: function (xhr) {
      var body = {};
      try { body = JSON.parse(xhr.responseText || "{}"); } catch (e) { body = {}; }
      return { result: xhr.status === 200 && body.result === true, errorCode: body.errorCode || (xhr.status === 200 ? 0 : 101) };
    }
  };
  var api;
  if (cfg.standard === "scorm12") {
    api = new window.Scorm12API(settings);
    api.loadFromJSON(cfg.cmi, "");
    window.API = api;
  } else {
    api = new window.Scorm2004API(settings);
    api.loadFromJSON(cfg.cmi, "");
    window.API_1484_11 = api;
  }
  window.addEventListener("pagehide", function () {
    // Content closed without finishing: keep what it set (scorm-again commits synchronously).
    try {
      if (cfg.standard === "scorm12" && api.isInitialized()) { api.LMSCommit(""); }
      if (cfg.standard !== "scorm12" && api.isInitialized()) { api.Commit(""); }
    } catch (e) { /* nothing more can be done while the page goes */ }
  });
  document.getElementById("content").src = cfg.launch;
})();
