// Small enhancements for every page. Everything works without this file.
(function () {
  "use strict";
  // Move focus to the error summary, as the GOV.UK pattern does, so it is read first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // A link to pass on (an invitation): a button copies it. Without JavaScript, or where the
  // browser refuses, the text box still holds it to select and copy by hand.
  var announcer = document.getElementById("announcer");
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (box) {
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = box.getAttribute("data-copy-label");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(box.value).then(function () {
        if (announcer) { announcer.textContent = box.getAttribute("data-copied"); }
      }, function () { box.select(); });
    });
    box.parentNode.appendChild(button);
  });
})();
