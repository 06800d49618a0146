// For people who chose "read aloud": a button that reads the open question with the
// browser's own speech. Without speech (or JavaScript) the button never appears.
(function () {
  "use strict";
  var holder = document.getElementById("read-aloud");
  if (!holder || !window.speechSynthesis || !window.SpeechSynthesisUtterance) { return; }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button--secondary";
  button.textContent = holder.dataset.read;
  button.addEventListener("click", function () {
    var now = document.getElementById("now") || document.getElementById("main");
    var parts = now.querySelectorAll("h1, .lead, .hint, legend, label, .turn__answer");
    var text = Array.prototype.map.call(parts, function (el) { return el.textContent.trim(); }).join(". ");
    window.speechSynthesis.cancel();
    var speech = new SpeechSynthesisUtterance(text);
    speech.lang = document.documentElement.lang;
    window.speechSynthesis.speak(speech);
  });
  holder.appendChild(button);
  holder.hidden = false;
})();
