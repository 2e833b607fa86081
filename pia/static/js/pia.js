// PIA Rijk: small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // A page that comes back with form errors: move focus to the error summary,
  // so screen-reader and keyboard users start at the list of problems.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }

  // A link in the error summary: focus the field itself, not just scroll to it.
  // For a group (fieldset) focus its first option; keep the label in view.
  function linkErrorsToFields() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) {
        return;
      }
      var input = target.matches("input, select, textarea, button")
        ? target
        : target.querySelector("input, select, textarea");
      if (!input) {
        return;
      }
      event.preventDefault();
      var anchor = target.closest(".form-field") || target;
      anchor.scrollIntoView();
      input.focus({ preventScroll: true });
      if (history.replaceState) {
        history.replaceState(null, "", link.hash);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  function init() {
    linkErrorsToFields();
    focusErrorSummary();
  }
})();
