/* What every page shares (loaded by base.html).
 *
 * A failed save: the form's error summary (core/_form_errors.html, [data-error-summary]) is
 * scrolled into view and focused, so a reader of a long form, with eyes or a screen reader, starts
 * at what went wrong instead of the top of the page; each of its links moves the focus to its
 * field (a fragment link alone only scrolls), with the field's label in view.
 *
 * A list's filters fold behind their summary on a small screen (see foldFilters).
 */
(function () {
  "use strict";

  function focusSummary() {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.scrollIntoView({ block: "nearest", behavior: "instant" });
    summary.focus({ preventScroll: true });
  }

  function labelOf(field) {
    const label = field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    if (label) return label;
    const fieldset = field.closest("fieldset");
    return (fieldset && fieldset.querySelector("legend")) || field;
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    labelOf(field).scrollIntoView({ block: "center", behavior: "instant" });
    field.focus({ preventScroll: true });
  });

  // A list's filters (core/_filters.html) fold on a small screen, so that the first result is
  // near the top; the summary names how many are active. On a wide screen they stay open.
  const smallScreen = window.matchMedia("(max-width: 991.98px)");

  function foldFilters() {
    document.querySelectorAll("details[data-fold-on-small]").forEach((fold) => {
      fold.open = !smallScreen.matches || Boolean(fold.querySelector(".is-invalid"));
    });
  }
  smallScreen.addEventListener("change", foldFilters);

  function ready() {
    foldFilters();
    focusSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
