// Live ENISA severity score on the assessment form; the server stores the same inputs.
(function () {
  "use strict";
  var form = document.getElementById("assessment");
  if (!form) { return; }
  var score = form.querySelector("[data-enisa=score]");
  var suggestion = form.querySelector("[data-enisa=suggestion]");
  var labels = document.getElementById("enisa-labels");
  function value(name) {
    var el = form.elements[name];
    if (!el) { return 0; }
    if (el.type === "checkbox") { return el.checked ? 0.5 : 0; }
    return el.value === "" ? NaN : parseFloat(el.value);
  }
  function band(total) {
    if (total >= 4) { return "very_high"; }
    if (total >= 3) { return "high"; }
    if (total >= 2) { return "medium"; }
    return "low";
  }
  function update() {
    var dpc = value("enisa_dpc"), ei = value("enisa_ei");
    if (isNaN(dpc) || isNaN(ei)) { score.textContent = "—"; suggestion.textContent = "—"; return; }
    var cb = value("cb_confidentiality") + value("cb_integrity") + value("cb_availability") +
      value("cb_malicious");
    var total = dpc * ei + cb;
    score.textContent = total.toFixed(2);
    var text = labels.content.querySelector("[data-band=" + band(total) + "]");
    suggestion.textContent = text ? text.textContent : band(total);
  }
  form.addEventListener("change", update);
  update();
}());
