// Follows the round live: when the facilitator moves on, the page updates in place,
// is announced politely, and focus never moves. Without this file, the
// "Check for the next question" button does the same by reloading.
(function () {
  "use strict";
  var R = window.Roundtable;
  var main = document.getElementById("main");
  var token = main && main.getAttribute("data-participant");
  if (!token || !window.io || !R) { return; }
  var words = document.getElementById("live-words").dataset;
  var known = { status: main.dataset.status, step: main.dataset.step };
  var busy = false;
  var again = false;

  function isDirty(container) {
    var fields = container.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden") { continue; }
      if ((f.type === "radio" || f.type === "checkbox") ? f.checked !== f.defaultChecked : f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function updateTranscript(doc) {
    var fresh = doc.querySelector(".transcript");
    var current = document.querySelector(".transcript");
    if (!fresh) { if (current && !R.hasFocusWithin(current)) { current.remove(); } return; }
    if (!current) {
      document.getElementById("conversation").insertBefore(document.importNode(fresh, true), document.getElementById("now"));
      return;
    }
    var list = current.querySelector("ol");
    var wanted = {};
    Array.prototype.forEach.call(fresh.querySelectorAll("li.turn"), function (item) {
      wanted[item.id] = true;
      var old = document.getElementById(item.id);
      if (old && old.parentNode === list) {
        if (old.dataset.version !== item.dataset.version && !R.hasFocusWithin(old)) {
          old.replaceWith(document.importNode(item, true));
        }
      } else {
        list.appendChild(document.importNode(item, true));
      }
    });
    Array.prototype.forEach.call(list.querySelectorAll("li.turn"), function (item) {
      if (!wanted[item.id] && !R.hasFocusWithin(item)) { item.remove(); }
    });
  }

  function showMovedOn(freshNow) {
    var notice = document.getElementById("moved-on");
    if (!notice) {
      notice = document.createElement("div");
      notice.id = "moved-on";
      notice.className = "notice";
      var text = document.createElement("p");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary";
      button.textContent = words.show;
      notice.appendChild(text);
      notice.appendChild(button);
      document.getElementById("conversation").insertBefore(notice, document.getElementById("now"));
    }
    notice.querySelector("p").textContent = words.movedOn;
    notice.querySelector("button").onclick = function () {
      document.getElementById("now").replaceWith(document.importNode(freshNow, true));
      notice.remove();
      var heading = document.querySelector("#now h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    };
  }

  function apply(doc) {
    updateTranscript(doc);
    var freshNow = doc.getElementById("now");
    var now = document.getElementById("now");
    if (!freshNow || !now || freshNow.dataset.version === now.dataset.version) { return; }
    // Never throw away what someone is typing, and never pull focus from under them.
    if (R.hasFocusWithin(now) || isDirty(now)) {
      showMovedOn(freshNow);
      return;
    }
    now.replaceWith(document.importNode(freshNow, true));
    var notice = document.getElementById("moved-on");
    if (notice) { notice.remove(); }
    document.title = doc.title;
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    R.fetchPage(window.location.pathname).then(apply).catch(function () {
      // Offline for a moment: the next event or the button will catch up.
    }).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }

  function describe(state) {
    if (state.status === "ended") { return words.ended; }
    if (state.status === "paused") { return words.paused; }
    if (state.status === "running") {
      return R.fill(words.stepOpen, { n: state.step_number, total: state.step_count });
    }
    return "";
  }

  var socket = window.io("/participant", { auth: { token: token } });
  socket.on("round_state", function (state) {
    var step = String(state.step_number);
    if (state.status === known.status && step === known.step) { return; }
    var stepChanged = step !== known.step || (known.status === "lobby");
    known = { status: state.status, step: step };
    main.dataset.status = state.status;
    main.dataset.step = step;
    R.announce(stepChanged && state.status !== "ended" ? R.fill(words.stepOpen, { n: state.step_number, total: state.step_count }) : describe(state));
    refresh();
  });
})();
