// vis-data and vis-network call uuid.v4(); the uuid package ships no browser build.
// Random ids from crypto.getRandomValues, which works on plain http too.
window.uuid = window.uuidv4 = {
  v4: function () {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }
};
