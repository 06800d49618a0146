// The designer without page loads: a form marked data-saves-as-you-go keeps each change as
// it is made, and what the checks find shows beside each field at once. Adding or removing
// an answer changes the form's own fields: that waits for the Save button, and the page is
// then loaded again. Everything works without this file: every form is a plain form that
// saves when sent.
(function () {
  "use strict";
  var form = document.querySelector("form[data-saves-as-you-go]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var announcer = document.getElementById("announcer");
  var timer = null;
  var sending = false;
  var again = false;
  var leaving = false;  // the page is loading again: nothing more is sent from this one

  function say(words) {
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = words; }, 50);
  }

  // Boxes that add or remove fields (a new answer, one ticked to go) wait for Save.
  function addsOrRemoves(control) {
    return /-remove$|-new[.-]/.test(control.name || "");
  }

  // Whether the form as it is now adds or removes fields.
  function changesTheForm() {
    return Array.prototype.some.call(form.elements, function (control) {
      if (!addsOrRemoves(control)) { return false; }
      return control.type === "checkbox" ? control.checked : control.value.trim() !== "";
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

  // The form as it is; without its additions and removals unless asked for.
  function send(keepalive, withAdditions) {
    var data = new FormData(form);
    if (!withAdditions) {
      Array.prototype.forEach.call(form.elements, function (control) {
        if (addsOrRemoves(control)) { data.delete(control.name); }
      });
    }
    return fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      keepalive: keepalive
    });
  }

  // A change of words or settings: saved as it is made. Words typed to add an answer, or a
  // box ticked to remove one, wait for the Save button, which sends them too.
  function save(withAdditions) {
    if (leaving) { return; }
    if (sending) { again = again || "plain"; if (withAdditions) { again = "all"; } return; }
    var reload = withAdditions && changesTheForm();
    sending = true;
    send(false, withAdditions).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (reply) {
      if (reload) {
        leaving = true;
        window.location.reload();
        return;
      }
      show(reply);
    }).catch(function () {
      say(form.getAttribute("data-not-saved"));
      var status = form.querySelector("[data-save-status]");
      if (status) { status.textContent = form.getAttribute("data-not-saved"); }
    }).then(function () {
      sending = false;
      if (again) {
        var all = again === "all";
        again = false;
        save(all);
      }
    });
  }

  form.addEventListener("change", function (event) {
    if (addsOrRemoves(event.target)) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; save(false); }, 300);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    timer = null;
    save(true);
  });
  // Leaving before a change waiting to be sent: it goes now, and outlives the page.
  window.addEventListener("pagehide", function () {
    if (timer === null || leaving) { return; }
    window.clearTimeout(timer);
    send(true, false);
  });
})();
