// Live update of the server-rendered deadline countdown ("closes in 3 days 4 hours").
(function () {
  "use strict";
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function text(deadline, passed) {
    var seconds = Math.floor((deadline - Date.now()) / 1000);
    if (seconds <= 0) { return passed; }
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var parts = [];
    if (days) { parts.push(plural(days, "day", "days")); }
    if (hours && parts.length < 2) { parts.push(plural(hours, "hour", "hours")); }
    if (!days && (minutes || !parts.length) && parts.length < 2) {
      parts.push(plural(minutes, "minute", "minutes"));
    }
    return "closes in " + parts.join(" ");
  }
  function tick() {
    document.querySelectorAll(".call-countdown[data-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.dataset.deadline);
      if (!isNaN(deadline) && document.documentElement.lang.indexOf("en") === 0) {
        el.textContent = text(deadline, el.dataset.labelPassed || "deadline passed");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 30000);
  });
})();
