// Draws the shared map from positions the server fixed (no physics in the browser), then
// keeps it current with small deltas over Socket.IO. Changes are announced politely, at
// most every few seconds, and never move focus. Without this file the table is the map.
(function () {
  "use strict";
  var box = document.getElementById("map-canvas");
  if (!box || !window.vis || !window.io) { return; }
  var R = window.Roundtable;
  var styles = JSON.parse(box.dataset.styles);
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var counts = { actors: 0, ties: 0 };
  var paused = false;
  var waiting = [];
  var unannounced = 0;

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
      font: { size: 16, color: "#0b0c0c", strokeWidth: 4, strokeColor: "#ffffff" }
    };
  }

  function edgeView(e) {
    return { id: e.id, from: e.from, to: e.to, width: Math.min(1 + e.weight, 6), color: { color: "#505a5f" } };
  }

  var network = new vis.Network(box, { nodes: nodes, edges: edges }, {
    physics: false,
    edges: { smooth: false },
    interaction: { dragNodes: false, hover: false, tooltipDelay: 3600000, keyboard: false, navigationButtons: false }
  });

  // For tests and measurements: what the canvas holds and draws.
  R.map = { network: network, nodes: nodes, edges: edges };

  function label() {
    box.setAttribute("aria-label", R.fill(box.dataset.label, counts));
  }

  function draw(data) {
    nodes.clear();
    edges.clear();
    nodes.add(Object.keys(data.nodes).map(function (k) { return nodeView(data.nodes[k]); }));
    edges.add(Object.keys(data.edges).map(function (k) { return edgeView(data.edges[k]); }));
    counts = { actors: nodes.length, ties: edges.length };
    network.fit({ animation: false });
    var fallback = box.querySelector(".map-canvas__fallback");
    if (fallback) { fallback.remove(); }
    box.dataset.drawnAt = String(performance.now()); // read by bench/map.py
  }

  function load() {
    fetch(box.dataset.mapUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(draw)
      .catch(function () { /* the table still shows everything; the next delta retries */ });
  }

  function apply(change) {
    if (change.reset) { load(); return; }
    var count = 0;
    [["nodes", nodes, nodeView], ["edges", edges, edgeView]].forEach(function (part) {
      var d = change[part[0]];
      if (!d) { return; }
      part[1].update(d.added.concat(d.changed).map(part[2]));
      part[1].remove(d.removed);
      count += d.added.length + d.removed.length;
    });
    if (change.counts) { counts = change.counts; label(); }
    if (!still && count) { network.fit({ animation: { duration: 300 } }); }
    else if (count) { network.fit({ animation: false }); }
    unannounced += count;
    if (unannounced) {
      R.announce(R.fill(box.dataset.changes, { count: unannounced }));
      unannounced = 0;
    }
  }

  var button = document.getElementById("map-pause");
  function showPause() {
    if (!button) { return; }
    button.setAttribute("aria-pressed", paused ? "true" : "false");
    button.textContent = !paused ? button.dataset.pause
      : waiting.length ? R.fill(button.dataset.waiting, { count: waiting.length }) : button.dataset.resume;
  }
  if (button) {
    button.closest("[data-map-controls]").hidden = false;
    button.addEventListener("click", function () {
      paused = !paused;
      if (!paused) { waiting.splice(0).forEach(apply); }
      showPause();
    });
  }

  var options = box.dataset.token ? { auth: { token: box.dataset.token } } : {};
  var socket = window.io(box.dataset.namespace, options);
  socket.on("connect", function () {
    socket.emit("watch_map", { round: Number(box.dataset.round) });
    load(); // after a reconnect, changes may have been missed: draw it whole again
  });
  socket.on("map_delta", function (change) {
    if (paused) { waiting.push(change); showPause(); return; }
    apply(change);
  });
})();
