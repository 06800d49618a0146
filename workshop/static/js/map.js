// Draws the shared map from positions the server fixed (no physics in the browser), then
// keeps it current with small deltas over Socket.IO. Changes are announced politely, at
// most every few seconds, and never move focus. Without this file the table is the map.
(function () {
  "use strict";
  var box = document.getElementById("map-canvas");
  if (!box || !window.vis || !window.io) { return; }
  var R = window.Roundtable;
  var styles = JSON.parse(box.dataset.styles);
  // No movement: the system's setting, or the person's own choice on their preferences page.
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches ||
    document.body.classList.contains("pref-reduced-motion");
  // Names large enough to read across a room on a shared screen; long ones wrap, so they
  // stay clear of their neighbours (actors are placed 120 units apart).
  var projector = box.classList.contains("map-canvas--projector");
  var font = { size: projector ? 24 : 16, color: "#0b0c0c", strokeWidth: 4, strokeColor: "#ffffff" };
  var labelWidth = { maximum: projector ? 200 : 150 };
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var shown = {}; // node id -> the node as the server sent it: to tell real changes apart
  var counts = { actors: 0, ties: 0 };
  var paused = false;
  var waiting = [];
  var loading = null; // deltas that arrived while the whole map was being fetched

  function words(element, key, count) { return R.plural(element.dataset[key], count); }

  function nodeView(n) {
    var kind = styles.kinds[n.kind] || {};
    var layer = styles.layers[n.layer] || {};
    return {
      id: n.id, label: n.label, x: n.x, y: n.y,
      shape: kind.shape || "dot",
      size: 10 + 4 * Math.sqrt(n.ties),
      color: { background: kind.colour || "#505a5f", border: "#0b0c0c" },
      borderWidth: 2,
      shapeProperties: { borderDashes: layer.dashes || false },
      font: font,
      widthConstraint: labelWidth
    };
  }

  function edgeView(e) {
    return { id: e.id, from: e.from, to: e.to, width: Math.min(1 + e.weight, 6), color: { color: "#505a5f" } };
  }

  var network = new vis.Network(box, { nodes: nodes, edges: edges }, {
    physics: false,
    edges: { smooth: false },
    interaction: {
      dragNodes: false, hover: false, tooltipDelay: 3600000, navigationButtons: false,
      // Tab to the drawing, then arrow keys move it (the table has it all). Zooming is ours,
      // below: vis-network's own keys miss "+" typed as Shift+=.
      keyboard: { enabled: true, bindToWindow: false, autoFocus: false, speed: { x: 10, y: 10, zoom: 0 } },
      // The wheel, and a finger on a phone, scroll the page: the map never traps them.
      zoomView: false,
      dragView: !window.matchMedia("(pointer: coarse)").matches
    }
  });
  // The whole map stays in view as the box changes size (a phone turned, a projector gone
  // full screen) and as names come and go: until the person zooms or drags it themselves.
  var ownView = false;
  network.on("zoom", function () { ownView = true; });
  network.on("dragEnd", function () { ownView = true; });
  network.on("resize", function () {
    // After vis-network has put its own view back (which scales with the width alone).
    window.setTimeout(function () { if (!ownView) { network.fit({ animation: false }); } }, 0);
  });

  // The drawing's focus stop (vis-network's own element) is what a keyboard reaches: it
  // takes the name and the keys' description, as an application (its keys are its own).
  // The box around it becomes a plain group, as an image cannot hold a control.
  var stop = box.querySelector(".vis-network");
  stop.setAttribute("role", "application");
  stop.setAttribute("aria-label", box.getAttribute("aria-label"));
  stop.setAttribute("aria-describedby", "map-keys");
  box.setAttribute("role", "group");
  stop.addEventListener("keydown", function (event) {
    var zoom = { "+": 1.25, "=": 1.25, "-": 0.8, "_": 0.8 }[event.key];
    if (!zoom || event.ctrlKey || event.metaKey || event.altKey) { return; }
    event.preventDefault();
    ownView = true;
    network.moveTo({ scale: network.getScale() * zoom, animation: false });
  });

  // For tests and measurements: what the canvas holds and draws.
  R.map = { network: network, nodes: nodes, edges: edges };

  function label() {
    var text = R.fill(box.dataset.label, {
      actors: words(box, "actors", counts.actors), ties: words(box, "ties", counts.ties)
    });
    box.setAttribute("aria-label", text);
    stop.setAttribute("aria-label", text);
  }

  function draw(data) {
    nodes.clear();
    edges.clear();
    shown = {};
    Object.keys(data.nodes).forEach(function (k) { shown[data.nodes[k].id] = data.nodes[k]; });
    nodes.add(Object.keys(data.nodes).map(function (k) { return nodeView(data.nodes[k]); }));
    edges.add(Object.keys(data.edges).map(function (k) { return edgeView(data.edges[k]); }));
    counts = { actors: nodes.length, ties: edges.length };
    label();
    if (!ownView) { network.fit({ animation: false }); }
    var fallback = box.querySelector(".map-canvas__fallback");
    if (fallback) { fallback.remove(); }
    box.dataset.drawnAt = String(performance.now()); // read by bench/map.py
  }

  function load() {
    loading = loading || [];
    fetch(box.dataset.mapUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        var since = loading || [];
        loading = null;
        draw(data);
        // The map fetched may be older than deltas already drawn: they apply again, in order
        // (adding, changing and removing are all safe to repeat).
        since.forEach(apply);
      })
      .catch(function () { loading = null; /* the table still shows everything */ });
  }

  // How many changes a person would see: names and ties added, removed, renamed or restyled;
  // not a node growing because it gained a tie (that tie is the change).
  function size(change) {
    if (change.reset) { return 1; }
    var n = change.nodes, e = change.edges, count = 0;
    if (n) {
      count += n.added.length + n.removed.length;
      n.changed.forEach(function (node) {
        var was = shown[node.id];
        if (!was || was.label !== node.label || was.kind !== node.kind || was.layer !== node.layer) {
          count += 1;
        }
      });
    }
    if (e) { count += e.added.length + e.removed.length + e.changed.length; }
    return count;
  }

  // What a delta did, as people would count it: new names, new ties, and anything else.
  function tally(change) {
    var names = change.nodes ? change.nodes.added.length : 0;
    var ties = change.edges ? change.edges.added.length : 0;
    return { names: names, ties: ties, other: Math.max(size(change) - names - ties, 0) };
  }

  function plus(a, b) {
    return { names: a.names + b.names, ties: a.ties + b.ties, other: a.other + b.other };
  }

  var NOTHING = { names: 0, ties: 0, other: 0 };

  // Draw one delta; returns what it changed (see tally).
  function apply(change) {
    if (change.reset) { load(); return NOTHING; }
    if (loading) { loading.push(change); }
    var count = tally(change);
    var moved = false;
    if (change.nodes) {
      var d = change.nodes;
      d.added.concat(d.changed).forEach(function (node) { shown[node.id] = node; });
      d.removed.forEach(function (id) { delete shown[id]; });
      nodes.update(d.added.concat(d.changed).map(nodeView));
      nodes.remove(d.removed);
      moved = d.added.length + d.removed.length > 0;
    }
    if (change.edges) {
      edges.update(change.edges.added.concat(change.edges.changed).map(edgeView));
      edges.remove(change.edges.removed);
    }
    if (change.counts) { counts = change.counts; label(); }
    if (moved && !ownView) { network.fit({ animation: still ? false : { duration: 300 } }); }
    return count;
  }

  // "2 new names, 1 new tie": said politely, at most every few seconds (live.js).
  function announce(count) {
    var parts = [];
    if (count.names) { parts.push(words(box, "newNames", count.names)); }
    if (count.ties) { parts.push(words(box, "newTies", count.ties)); }
    if (count.other) { parts.push(words(box, "changes", count.other)); }
    if (parts.length) { R.announce(parts.join(", ")); }
  }

  var button = document.getElementById("map-pause");
  function showPause() {
    if (!button) { return; }
    var count = waiting.reduce(function (sum, change) { return sum + size(change); }, 0);
    button.textContent = !paused ? button.dataset.pause
      : count ? words(button, "waiting", count) : button.dataset.resume;
  }
  if (button) {
    button.closest("[data-map-controls]").hidden = false;
    button.addEventListener("click", function () {
      paused = !paused;
      if (!paused) {
        announce(waiting.splice(0).reduce(function (sum, change) { return plus(sum, apply(change)); }, NOTHING));
      }
      showPause();
    });
  }

  var options = box.dataset.token ? { auth: { token: box.dataset.token } } : {};
  var socket = R.connect(box.dataset.namespace, options);
  socket.on("connect", function () {
    socket.emit("watch_map", { round: Number(box.dataset.round) });
    // After a reconnect, changes may have been missed: draw it whole again (once resumed).
    if (paused && box.dataset.drawnAt) { waiting.push({ reset: true }); showPause(); } else { load(); }
  });
  socket.on("map_hidden", function () {
    // The facilitator stopped showing the map: what is drawn stays, but no longer changes.
    socket.off("map_delta");
    R.announce(box.dataset.hidden);
    // Said on the page too, for everyone who can see it, where the pause button was.
    var note = document.createElement("p");
    note.className = "notice";
    note.textContent = box.dataset.hidden;
    var controls = document.querySelector("[data-map-controls]");
    if (controls && !controls.contains(document.activeElement)) {
      controls.replaceWith(note); // focus is elsewhere: nothing is lost by removing it
    } else {
      box.before(note);
    }
  });
  // The words around the drawing (summary, measures, table) come from the server: fetch
  // the page again, at most every 5 s, and replace each part nobody is inside just now.
  function replaceWords(doc) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map-part]"), function (old) {
      var fresh = doc.querySelector('[data-map-part="' + old.dataset.mapPart + '"]');
      if (fresh && !R.hasFocusWithin(old)) { old.replaceWith(document.importNode(fresh, true)); }
    });
  }
  var refreshWords = R.refresher(window.location.href, replaceWords, 5000);
  // The facilitator showed the measures to participants, or hid them: at once (it is rare).
  socket.on("measures_changed", R.refresher(window.location.href, replaceWords, 0));

  socket.on("map_delta", function (change) {
    if (paused) { waiting.push(change); showPause(); return; }
    announce(apply(change));
    refreshWords();
  });
})();
