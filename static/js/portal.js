/* What every page shares (loaded by base.html).
 *
 * A failed save: the form's error summary (core/_form_errors.html, [data-error-summary]) is
 * scrolled into view and focused, so a reader of a long form, with eyes or a screen reader, starts
 * at what went wrong instead of the top of the page; each of its links moves the focus to its
 * field (a fragment link alone only scrolls), with the field's label in view.
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
