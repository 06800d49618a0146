// Reads a GEXF file with graphology-gexf (a reader independent of networkx) and prints
// its actors and ties as JSON: {nodes: {key: attributes}, edges: [[from, to, attributes]]}.
const fs = require("fs");
const path = require("path");
const modules = path.join(__dirname, "..", "..", "node_modules");
const Graph = require(path.join(modules, "graphology"));
const gexf = require(path.join(modules, "graphology-gexf"));

const graph = gexf.parse(Graph, fs.readFileSync(process.argv[2], "utf8"));
const nodes = {};
graph.forEachNode((key, attributes) => { nodes[key] = attributes; });
const edges = [];
graph.forEachEdge((_key, attributes, source, target) => { edges.push([source, target, attributes]); });
process.stdout.write(JSON.stringify({ nodes, edges }));
