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

  // This page follows the round by itself: its waiting words say so (the page as served
  // says to press "Check for the next question", which is what works without this file).
  function liveWords(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-waiting-hint]"), function (hint) {
      hint.textContent = hint.dataset.live;
    });
  }
  liveWords(document);

  function answerFields(container) {
    return container.querySelectorAll("input:not([type=hidden]), textarea, select");
  }

  // A list's first option is chosen when none is marked: that is not a change.
  function selectChanged(select) {
    var initial = 0;
    Array.prototype.forEach.call(select.options, function (option, index) {
      if (option.defaultSelected) { initial = index; }
    });
    return select.selectedIndex !== initial;
  }

  function isDirty(container) {
    return Array.prototype.some.call(answerFields(container), function (f) {
      if (f.tagName === "SELECT") { return selectChanged(f); }
      return (f.type === "radio" || f.type === "checkbox") ? f.checked !== f.defaultChecked : f.value !== f.defaultValue;
    });
  }

  // When the same question is still open (the round was paused or resumed, say), keep
  // whatever the person has typed or chosen in the fresh copy. Returns false otherwise.
  function carryOver(oldNow, freshNow) {
    var oldForm = oldNow.querySelector("form[data-answer-form]");
    var newForm = freshNow.querySelector("form[data-answer-form]");
    if (!oldForm || !newForm || oldForm.getAttribute("action") !== newForm.getAttribute("action")) {
      return false;
    }
    Array.prototype.forEach.call(answerFields(oldForm), function (field) {
      var twin = field.id && newForm.querySelector("#" + field.id);
      if (!twin) { return; }
      if (field.type === "radio" || field.type === "checkbox") { twin.checked = field.checked; } else { twin.value = field.value; }
    });
    return true;
  }

  function updateTranscript(doc) {
    var fresh = doc.querySelector(".transcript");
    var current = document.querySelector(".transcript");
    if (!fresh) { if (current && !R.hasFocusWithin(current)) { current.remove(); } return; }
    if (!current) {
      document.getElementById("conversation").appendChild(document.importNode(fresh, true));
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

  var latestNow = null;

  // Unsaved words in a question the group has left: keep them, and say how to go on.
  // Placed after the form, so Tab from the answer reaches it.
  function showMovedOn(now) {
    var notice = document.getElementById("moved-on");
    if (notice) { return; }
    notice = document.createElement("div");
    notice.id = "moved-on";
    notice.className = "notice";
    var text = document.createElement("p");
    text.textContent = words.movedOn;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = words.show;
    button.addEventListener("click", function () {
      var fresh = latestNow;
      liveWords(fresh);
      document.getElementById("now").replaceWith(fresh);
      document.title = fresh.dataset.title;
      var heading = fresh.querySelector("h1") || fresh;
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    });
    notice.appendChild(text);
    notice.appendChild(button);
    now.appendChild(notice);
  }

  function apply(doc) {
    updateTranscript(doc);
    var source = doc.getElementById("now");
    var now = document.getElementById("now");
    if (!source || !now || source.dataset.version === now.dataset.version) { return; }
    var freshNow = document.importNode(source, true);
    latestNow = freshNow;
    var sameQuestion = carryOver(now, freshNow);
    if (!sameQuestion && isDirty(now) && main.dataset.status !== "ended") {
      showMovedOn(now);
      return;
    }
    var active = document.activeElement;
    var hadFocus = now.contains(active);
    var caret = hadFocus && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    liveWords(freshNow);
    now.replaceWith(freshNow);
    document.title = freshNow.dataset.title;
    if (announceTitle) {
      // A step that is no question is announced by its title, as this person's page
      // shows it (in their language): the socket's copy is the questionnaire's own.
      var heading = freshNow.querySelector("h1");
      if (heading) { R.announce(R.fill(words.infoOpen, { title: heading.textContent.trim() })); }
      announceTitle = false;
    }
    // Messages from the last page load are out of date now.
    Array.prototype.forEach.call(document.querySelectorAll("main > .notice"), function (n) { n.remove(); });
    if (hadFocus) {
      // Focus stays where it was: on the same control if this question is still open,
      // otherwise on the region that replaced it (never thrown back to the page top).
      var target = (sameQuestion && active.id && freshNow.querySelector("#" + active.id)) || freshNow;
      target.focus({ preventScroll: true });
      if (caret && target.setSelectionRange) { target.setSelectionRange(caret[0], caret[1]); }
    }
  }

  var refresh = R.refresher(window.location.pathname + "?part=conversation", apply, 0);

  // Names others give while this page is open: fetched again as the name field is used,
  // so the suggestions are never only those there were when the page was drawn.
  var refreshNames = R.refresher(window.location.pathname + "?part=conversation", function (doc) {
    var fresh = doc.querySelector("[data-names-since]");
    var current = document.querySelector("[data-names-since]");
    if (!fresh || !current || fresh.id !== current.id) { return; }
    current.replaceChildren.apply(current, Array.prototype.map.call(fresh.children, function (option) {
      return document.importNode(option, true);
    }));
  }, 5000);
  document.addEventListener("focusin", function (event) {
    var list = event.target.getAttribute && event.target.getAttribute("list");
    if (list && document.getElementById(list) && document.getElementById(list).hasAttribute("data-names-since")) {
      refreshNames();
    }
  });

  var announceTitle = false;
  function opened(state) {
    if (state.question_number) {
      return R.fill(words.questionOpen, { n: state.question_number, total: state.question_count });
    }
    announceTitle = true; // said once the page part with its heading has arrived
    return "";
  }

  function describe(state) {
    if (state.status === "ended") { return words.ended; }
    if (state.status === "paused") { return words.paused; }
    if (state.status === "running") { return opened(state); }
    return "";
  }

  var socket = R.connect("/participant", { auth: { token: token } });
  socket.on("round_state", function (state) {
    var step = String(state.step_number);
    if (state.status === known.status && step === known.step) { return; }
    var stepChanged = step !== known.step || (known.status === "lobby");
    known = { status: state.status, step: step };
    main.dataset.status = state.status;
    main.dataset.step = step;
    R.announce(stepChanged && state.status !== "ended" ? opened(state) : describe(state));
    refresh();
  });
  // The time guide's minutes, kept current without a word to screen readers (they hear it
  // when they read the question; an announcement every minute would only interrupt).
  window.setInterval(function () {
    var guide = document.querySelector("[data-time-guide]");
    if (!guide) { return; }
    var left = Math.max(0, Math.ceil((Date.parse(guide.dataset.endsAt) - Date.now()) / 60000));
    guide.textContent = left ? R.plural(guide.dataset.left, left) : guide.dataset.over;
  }, 20000);
  // The lead took this person out of the round: the page says so (from the server).
  socket.on("removed", function () { window.location.reload(); });
  // The facilitator showed (or hid) the group's answers to a step, or hid an answer.
  socket.on("results_changed", function () { refresh(); });
  // A facilitator has seen this person's help request: say so where they asked, and
  // offer the button again (focus stays where it is).
  socket.on("help_handled", function () {
    var box = document.getElementById("help-box");
    if (!box) { return; }
    var status = document.getElementById("help-status");
    if (status) { status.textContent = box.dataset.handled; }
    var withdraw = document.getElementById("help-withdraw");
    if (withdraw && !withdraw.contains(document.activeElement)) { withdraw.hidden = true; }
    var ask = document.getElementById("help-ask");
    if (ask) { ask.hidden = false; }
    R.announce(box.dataset.handled);
  });
})();
