// Shared helpers for live pages: polite, throttled announcements and in-place updates.
(function () {
  "use strict";
  var announcer = document.getElementById("announcer");
  var lastAt = 0;
  var queued = null;
  var timer = null;
  var GAP_MS = 3000; // at most one announcement every few seconds

  function say(text) {
    announcer.textContent = "";
    // A fresh text node after clearing makes screen readers read repeated messages too.
    window.setTimeout(function () { announcer.textContent = text; }, 50);
    lastAt = Date.now();
  }

  function announce(text) {
    if (!announcer || !text) { return; }
    var wait = lastAt + GAP_MS - Date.now();
    if (wait <= 0) { say(text); return; }
    queued = text; // the newest message wins; older ones are stale
    if (!timer) {
      timer = window.setTimeout(function () { timer = null; say(queued); queued = null; }, wait);
    }
  }

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  // Numbers and plural words for the page's language: `forms` is the JSON the server
  // wrote with every plural form by CLDR category ({"one": "{count} tie", ...}).
  var lang = document.documentElement.lang || "en";
  var numbers = new Intl.NumberFormat(lang, { numberingSystem: "latn" });
  var rules = new Intl.PluralRules(lang);
  function plural(forms, count) {
    var byCategory = JSON.parse(forms || "{}");
    var template = byCategory[rules.select(count)] || byCategory.other || "";
    return fill(template, { count: numbers.format(count) });
  }

  function fetchPage(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      return new DOMParser().parseFromString(html, "text/html");
    });
  }

  function hasFocusWithin(element) {
    var active = document.activeElement;
    return !!(element && active && active !== document.body && element.contains(active));
  }

  // Fetch `url` and hand the parsed page to `apply`, one fetch at a time: calls made
  // meanwhile collapse into one more fetch, started at least `gapMs` after the last.
  // `url` may be a function: asked each time, for a URL that says what the page knows.
  function refresher(url, apply, gapMs) {
    var busy = false;
    var again = false;
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      var started = Date.now();
      fetchPage(typeof url === "function" ? url() : url).then(apply).catch(function () {
        // Offline for a moment: the next event (or a reload) catches up.
      }).then(function () {
        window.setTimeout(function () {
          busy = false;
          if (again) { again = false; refresh(); }
        }, Math.max(0, (gapMs || 0) - (Date.now() - started)));
      });
    }
    return refresh;
  }

  // A Socket.IO connection that keeps trying, WebSocket first: one connection, which any
  // app process can serve (README, Deployment). Long-polling stays as the fallback for
  // networks that block WebSockets; several processes then need sticky sessions.
  // The client reconnects by itself after a lost connection, but not after the server
  // refused one because it could not reach its database ("try again later"): try again
  // after a while, at a random moment so that hundreds of phones do not all come back at once.
  function connect(namespace, options) {
    var settings = { transports: ["websocket", "polling"], tryAllTransports: true };
    Object.keys(options || {}).forEach(function (key) { settings[key] = options[key]; });
    var socket = window.io(namespace, settings);
    socket.on("connect_error", function (error) {
      if (socket.active || !/try again later|server error/.test(error.message)) { return; }
      window.setTimeout(function () { socket.connect(); }, 3000 + Math.random() * 7000);
    });
    return socket;
  }

  window.Roundtable = {
    announce: announce, fill: fill, plural: plural, fetchPage: fetchPage, hasFocusWithin: hasFocusWithin,
    refresher: refresher, connect: connect
  };
})();
