// The designer without page loads: a form marked data-saves-as-you-go keeps each change as
// it is made, and what the checks find shows beside each field at once. Adding or removing
// an answer changes the form's own fields, so that page is loaded again. Everything works
// without this file: every form is a plain form that saves when sent.
(function () {
  "use strict";
  var form = document.querySelector("form[data-saves-as-you-go]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var announcer = document.getElementById("announcer");
  var timer = null;
  var sending = false;
  var again = false;

  function say(words) {
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = words; }, 50);
  }

  // Whether this change adds or removes fields: a new answer typed, or one ticked to go.
  function changesTheForm() {
    return Array.prototype.some.call(form.elements, function (control) {
      var name = control.name || "";
      if (/-remove$/.test(name)) { return control.checked; }
      if (/-new\./.test(name)) { return control.value.trim() !== ""; }
      return false;
    });
  }

  function paragraph(className, id, prefix, text) {
    var p = document.createElement("p");
    p.className = className;
    p.id = id;
    var strong = document.createElement(className === "suggestion" ? "strong" : "span");
    if (className !== "suggestion") { strong.className = "visually-hidden"; }
    strong.textContent = prefix + " ";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(text));
    return p;
  }

  // Put what the checks found beside each field, and point its control at the words.
  function show(reply) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-findings]"), function (slot) {
      var name = slot.getAttribute("data-findings");
      var found = reply.findings[name] || { errors: [], warnings: [] };
      while (slot.firstChild) { slot.removeChild(slot.firstChild); }
      var ids = [];
      found.errors.forEach(function (text, i) {
        var id = name + "-error-" + (i + 1);
        slot.appendChild(paragraph("error-message", id, form.getAttribute("data-error-word"), text));
        ids.push(id);
      });
      found.warnings.forEach(function (text, i) {
        var id = name + "-suggestion-" + (i + 1);
        slot.appendChild(paragraph("suggestion", id, form.getAttribute("data-suggestion-word"), text));
        ids.push(id);
      });
      var container = slot.closest(".field, .fieldset");
      if (container) { container.classList.toggle("field--error", found.errors.length > 0); }
      var control = document.getElementById(name);
      if (control) {
        var hint = document.getElementById(name + "-hint");
        var described = (hint ? [hint.id] : []).concat(ids);
        if (described.length) { control.setAttribute("aria-describedby", described.join(" ")); }
        else { control.removeAttribute("aria-describedby"); }
      }
    });
    var status = form.querySelector("[data-save-status]");
    if (status) { status.textContent = reply.message; }
    say(reply.message);
  }

  function save() {
    if (sending) { again = true; return; }
    sending = true;
    var reload = changesTheForm();
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (reply) {
      if (reload) { window.location.reload(); return; }
      show(reply);
    }).catch(function () {
      say(form.getAttribute("data-not-saved"));
      var status = form.querySelector("[data-save-status]");
      if (status) { status.textContent = form.getAttribute("data-not-saved"); }
    }).then(function () {
      sending = false;
      if (again) { again = false; save(); }
    });
  }

  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    save();
  });
})();
