// Events: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Filter forms submit when a select changes (the Filter button stays for keyboard users).
  document.querySelectorAll("form.events-filter select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    });
  });
})();
