// Forms, on top of what the server already renders (everything here works without it):
// after a refused submit the error summary takes focus, so a screen reader reads it first
// and a keyboard user starts there; its links move focus to their field; fields with a
// length limit count their characters as they are typed or pasted.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-field]");
      var target = link && document.getElementById(link.dataset.field);
      if (!target) { return; }
      event.preventDefault();
      var focusable = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      (focusable || target).focus();
      target.scrollIntoView({block: "center"});
    });
  }

  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.dataset.counterFor);
    var limit = Number(counter.dataset.limit);
    if (!field || !limit) { return; }
    // the server's sentence holds the count first; only that number changes here
    var words = counter.textContent.replace(/^\s*\d+/, "");
    function update() {
      var length = field.value.length;
      counter.textContent = String(length) + words;
      counter.classList.toggle("over", length > limit);
    }
    field.addEventListener("input", update);
    update();
  });
}());
