// Copy buttons of the AP form page: an answer's exact text, or a section as "question: answer"
// lines. Answers not known yet or not applicable have no text to copy and are left out. The
// buttons stay hidden without JavaScript; the text can then be selected as usual.
(function () {
  "use strict";
  var status = document.querySelector("[data-copy-status]");

  function answerText(answer) {
    var text = answer.querySelector("[data-copy-text]");
    return text ? text.textContent : "";
  }

  function sectionText(section) {
    var lines = [];
    section.querySelectorAll(".ap-answer[data-state='answered']").forEach(function (answer) {
      var text = answerText(answer);
      lines.push(answer.dataset.label + ":" + (text.indexOf("\n") >= 0 ? "\n" : " ") + text);
    });
    return lines.join("\n");
  }

  function fallback(text) {
    // where the Clipboard API is missing (an old browser, or a page not served over HTTPS)
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text, button) {
    var writing = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text) : fallback(text);
    writing.then(function () {
      button.classList.add("copied");
      if (status) { status.textContent = status.dataset.copied; }
    }, function () {
      if (status) { status.textContent = status.dataset.failed; }
    });
  }

  document.querySelectorAll("[data-copy], [data-copy-section]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (button.hasAttribute("data-copy")) {
        copy(answerText(button.closest(".ap-answer")), button);
      } else {
        copy(sectionText(button.closest(".ap-section")), button);
      }
    });
  });
}());
