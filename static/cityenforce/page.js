// Every page: the language switcher submits itself when a language is chosen (a file, as the CSP allows no inline handler).
(function () {
  "use strict";
  document.querySelectorAll("form.lang select[name=language]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
