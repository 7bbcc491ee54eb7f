// The time left in a contest sitting, counted down from what the server said when the page
// was drawn. The server keeps the real deadline: this only shows it.
(function () {
  "use strict";
  var el = document.getElementById("time-left");
  if (!el) return;
  var left = parseInt(el.getAttribute("data-seconds"), 10);
  var label = el.getAttribute("data-label");
  var start = Date.now();
  var out = el.querySelector(".clock");
  function tick() {
    var s = Math.max(0, left - Math.floor((Date.now() - start) / 1000));
    out.textContent = label + " " + Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
    if (s > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
