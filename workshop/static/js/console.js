// The facilitator's console, live: commands go over the socket, and the live panel
// refreshes in place when people join, answer or the round moves. Without this file,
// the same buttons post forms and the page reloads.
(function () {
  "use strict";
  var R = window.Roundtable;
  var main = document.getElementById("main");
  var roundId = main && parseInt(main.getAttribute("data-round"), 10);
  if (!roundId || !window.io || !R) { return; }
  var words = document.getElementById("live-words").dataset;
  var liveUrl = main.getAttribute("data-live-url");
  var newAnswers = 0;

  // Confirmations of the last action ("That answer is hidden from the group") describe
  // the console as it loaded. Once the live panel shows a change they go, but not before
  // they had time to be read (screen readers hear them as the page loads); one with focus
  // goes when focus leaves it.
  var loadedAt = Date.now();
  var READ_MS = 5000;
  var changed = false;
  function dropConfirmations() {
    var wait = loadedAt + READ_MS - Date.now();
    if (wait > 0) { window.setTimeout(dropConfirmations, wait); return; }
    Array.prototype.forEach.call(main.querySelectorAll(":scope > .notice"), function (notice) {
      if (R.hasFocusWithin(notice)) {
        notice.addEventListener("focusout", function () { notice.remove(); }, { once: true });
      } else {
        notice.remove();
      }
    });
  }

  // What a control is, in words that survive the panel being drawn again: a link by where
  // it goes, a button by its form's address and its value and words (ids are only on some).
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function identity(el) {
    var form = el.form;
    return [el.tagName, el.id, el.getAttribute("href") || "",
      form ? form.getAttribute("action") || "" : "", el.name || "",
      el.tagName === "BUTTON" ? el.value : "", el.textContent.trim()].join("\u0000");
  }
  function sameControl(root, wanted) {
    var all = root.querySelectorAll(FOCUSABLE);
    for (var i = 0; i < all.length; i += 1) {
      if (identity(all[i]) === wanted) { return all[i]; }
    }
    return null;
  }
  function waitingHelp(panel) {
    var section = panel.querySelector("[data-help-waiting]");
    return section ? parseInt(section.getAttribute("data-help-waiting"), 10) : 0;
  }

  function applyLive(doc) {
    var fresh = doc.getElementById("console-live");
    var current = document.getElementById("console-live");
    if (!fresh || !current) { return; }
    if (changed) { changed = false; dropConfirmations(); }
    var focused = R.hasFocusWithin(current) ? identity(document.activeElement) : null;
    var asking = waitingHelp(fresh) > waitingHelp(current);
    current.replaceWith(document.importNode(fresh, true));
    if (focused !== null) {
      // Keep the keyboard where it was: the same control, or the state heading if it is gone.
      var now = document.getElementById("console-live");
      (sameControl(now, focused) || document.getElementById("state-title")).focus();
    }
    // A new help request: said aloud, as the heading now says it (WCAG 4.1.3).
    if (asking) { R.announce(document.getElementById("help-title").textContent.trim()); }
  }
  // At most two refreshes a second: forty people joining at once must not be forty renders.
  // The newest change this console was told of: the server renders the panel once for every
  // console, and again only for one told of a change made after it.
  var since = null;
  function told(event) {
    if (event && typeof event.at === "number" && (since === null || event.at > since)) { since = event.at; }
  }
  var refresh = R.refresher(function () {
    return since === null ? liveUrl : liveUrl + (liveUrl.indexOf("?") < 0 ? "?" : "&") + "since=" + since;
  }, applyLive, 500);

  // People without JavaScript count as here for a while after each page they load;
  // refresh now and then so they are shown as away once that time has passed.
  window.setInterval(refresh, 30000);

  var socket = R.connect("/facilitator");
  socket.on("connect", function () {
    socket.emit("watch", { round: roundId }, function () { refresh(); });
  });
  socket.on("round_state", function (state) {
    told(state);
    changed = true;
    if (state.status === "running") {
      R.announce(R.fill(words.stepOpen, { n: state.step_number, total: state.step_count }));
    } else if (state.status === "paused") {
      R.announce(words.paused);
    } else if (state.status === "ended") {
      R.announce(words.ended);
    }
    refresh();
  });
  socket.on("console_changed", function (change) {
    told(change);
    changed = true;
    if (change && change.reason === "answer") {
      newAnswers += 1;
      R.announce(R.fill(words.answers, { count: newAnswers }));
      window.setTimeout(function () { newAnswers = 0; }, 3000);
    }
    refresh();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-commands") || !socket.connected) { return; }
    var button = event.submitter;
    if (!button || !button.value) { return; }
    event.preventDefault();
    socket.emit("command", { round: roundId, command: button.value }, function (reply) {
      var message = document.getElementById("command-message");
      var refused = reply && !reply.ok;
      message.textContent = refused ? reply.error : "";
      message.hidden = !refused;  // role=alert reads it out
      if (!refused) { changed = true; refresh(); }
    });
  });
})();
