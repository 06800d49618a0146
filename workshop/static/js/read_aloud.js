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
    window.speechSynthesis.cancel();
    // One utterance per part, each in its own language: a question the session has no
    // translation for is marked lang="en" on an Arabic page, and is read in an English voice.
    Array.prototype.forEach.call(parts, function (el) {
      var text = el.textContent.trim();
      if (!text) { return; }
      var marked = el.querySelector("[lang]");
      var speech = new SpeechSynthesisUtterance(text);
      speech.lang = marked && marked.textContent.trim() === text ? marked.lang
        : el.closest("[lang]").lang;
      window.speechSynthesis.speak(speech);
    });
  });
  holder.appendChild(button);
  holder.hidden = false;
})();
