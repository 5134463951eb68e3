// Live countdown to each AP deadline. Deadlines are absolute (UTC) instants, so the count is
// right in any browser time zone and across daylight-saving changes; the server's text stays
// as the fallback without JavaScript.
(function () {
  "use strict";
  var texts = document.getElementById("countdown-texts");
  var clocks = document.querySelectorAll("[data-deadline]");
  if (!texts || !clocks.length) { return; }
  var SOON = 12 * 3600;

  function fill(template, d, h, m) {
    // msgids are gettext-style: %(d)d, %(h)d, %(m)d
    return template.replace("%(d)d", d).replace("%(h)d", h).replace("%(m)d", m);
  }

  function render(seconds) {
    var s = Math.abs(seconds);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var key = (seconds < 0 ? "over" : "left") + (d ? "Days" : "");
    return fill(texts.dataset[key], d, h, m);
  }

  function tick() {
    var now = Date.now();
    clocks.forEach(function (el) {
      var seconds = Math.floor((Date.parse(el.dataset.deadline) - now) / 1000);
      el.textContent = render(seconds);
      el.dataset.secondsLeft = String(seconds);
      var urgency = seconds < 0 ? "overdue" : (seconds < SOON ? "soon" : "");
      el.classList.toggle("overdue", urgency === "overdue");
      el.classList.toggle("soon", urgency === "soon");
      var row = el.closest("tr");
      if (row) {
        row.classList.toggle("overdue", urgency === "overdue");
        row.classList.toggle("soon", urgency === "soon");
      }
    });
  }

  tick();
  setInterval(tick, 1000);
}());
