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

  // A table wider than its scroll region: say so in words above it.
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap[role='region']").forEach(function (region) {
      var wide = region.scrollWidth > region.clientWidth + 1;
      var hint = region.previousElementSibling;
      var has = hint && hint.classList.contains("table-wrap__hint");
      if (wide && !has) {
        hint = document.createElement("p");
        hint.className = "table-wrap__hint";
        hint.textContent = "De tabel is breder dan het scherm: schuif opzij voor de andere kolommen.";
        region.parentNode.insertBefore(hint, region);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }

  // The list of sections: open beside the form on a wide screen, folded on a narrow one.
  function foldSideNav() {
    var nav = document.querySelector("[data-side-nav]");
    if (!nav || !window.matchMedia) {
      return;
    }
    var wide = window.matchMedia("(min-width: 60em)");
    nav.open = wide.matches;
    wide.addEventListener("change", function () {
      nav.open = wide.matches;
    });
  }

  // The full view's print button: printing needs the browser, so it shows only with JavaScript.
  function printButton() {
    var holder = document.querySelector("[data-print]");
    if (!holder) {
      return;
    }
    holder.hidden = false;
    holder.querySelector("[data-print-button]").addEventListener("click", function () {
      window.print();
    });
  }

  function init() {
    printButton();
    markScrollingTables();
    window.addEventListener("resize", markScrollingTables);
    foldSideNav();
    linkErrorsToFields();
    focusErrorSummary();
  }
})();
