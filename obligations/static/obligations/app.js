/* Behaviour of our own pages, loaded on every page by templates/base.html. The
 * Content-Security-Policy allows scripts and styles only from our static files, so templates
 * carry no inline <script>, on… handler or style="": they mark elements with data- attributes
 * and this file acts on them (tests/test_security_headers.py keeps templates that way).
 *
 * - <input type="file" data-chosen="ID">: the element ID shows the chosen file names (the
 *   browser's own text is English in an English browser); its first text, "未选择文件", comes
 *   back when nothing is chosen.
 * - <form data-confirm="问题">: submitted only after the person confirms.
 * - <div data-progress="42">: its width is 42 % (the document-upload progress bar, replaced by
 *   htmx every second).
 */
(function () {
  "use strict";

  function showChosenFiles(input) {
    var target = document.getElementById(input.getAttribute("data-chosen"));
    if (!target) { return; }
    if (!target.hasAttribute("data-empty")) { target.setAttribute("data-empty", target.textContent); }
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    target.textContent = names.join("、") || target.getAttribute("data-empty");
  }

  function applyProgress(root) {
    (root || document).querySelectorAll("[data-progress]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, Number(el.getAttribute("data-progress")) || 0)) + "%";
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.hasAttribute("data-chosen")) {
      showChosenFiles(input);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")
        && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // htmx:load fires for the first page and for every piece htmx swaps in.
  document.addEventListener("htmx:load", function (event) { applyProgress(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { applyProgress(document); });
  } else {
    applyProgress(document);
  }
})();

// 过渡期收尾: the header box selects every task of the page.
document.addEventListener("change", (event) => {
  if (event.target.id !== "select-page") return;
  document.querySelectorAll("input.task-box").forEach((box) => { box.checked = event.target.checked; });
});
