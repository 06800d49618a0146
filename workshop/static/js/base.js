// Small enhancements for every page. Everything works without this file.
(function () {
  "use strict";
  // Move focus to the error summary, as the GOV.UK pattern does, so it is read first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
