// Events: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // The filters of the event list and the catalogue apply when a select changes (the Apply
  // button stays for keyboard users).
  document.querySelectorAll("form.portal-filters select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    });
  });
})();
