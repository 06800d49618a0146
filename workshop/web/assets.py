"""Serve the third-party browser files that the set-up installed from the npm registry."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, abort, current_app, send_from_directory

from questionnaires.pictures import PICTURE_DIR, PICTURES

# Public name -> path inside node_modules. Only these files are ever served.
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
}

# The map library, as one file made from vis-network's "esnext" builds and the small
# packages they expect as globals: about 90 KB gzip, where the standalone build is 152 KB
# (the map page's budget is 170 KB). Only pages that draw the map load it.
MAP_BUNDLE = "vis-map.js"
_MAP_PARTS = (
    "@egjs/hammerjs/dist/hammer.min.js",
    "keycharm/keycharm.js",
    "component-emitter/index.js",  # CommonJS: wrapped below, to window.Emitter
    "vis-util/esnext/umd/vis-util.min.js",
    "vis-data/esnext/umd/vis-data.min.js",
    "vis-network/esnext/umd/vis-network.min.js",
)
_UUID = Path(__file__).parent.parent / "static" / "js" / "uuid-v4.js"


def register(app: Flask) -> None:
    """Add the /vendor/<name> and /pictures/<name>.svg routes."""
    app.add_url_rule("/vendor/<name>", "vendor", _vendor)
    app.add_url_rule("/pictures/<name>.svg", "picture", _picture)


def _picture(name: str):
    """One of the built-in Easy Read pictures (questionnaires/pictures)."""
    if name not in PICTURES:
        abort(404)
    response = send_from_directory(PICTURE_DIR, f"{name}.svg", mimetype="image/svg+xml")
    response.cache_control.max_age = 86400
    return response


def _vendor(name: str):
    if name == MAP_BUNDLE:
        body = _map_bundle(str(current_app.config["NODE_MODULES"]))
        response = Response(body, mimetype="text/javascript")
        response.cache_control.max_age = 86400
        return response
    relative = VENDOR_FILES.get(name)
    if relative is None:
        abort(404)
    return send_from_directory(current_app.config["NODE_MODULES"], relative, max_age=86400)


@lru_cache(maxsize=2)
def _map_bundle(node_modules: str) -> str:
    parts = [_UUID.read_text(encoding="utf-8")]
    for relative in _MAP_PARTS:
        text = (Path(node_modules) / relative).read_text(encoding="utf-8")
        if relative.startswith("component-emitter/"):
            text = (
                "(function () { var module = { exports: {} };\n"
                f"{text}\nwindow.Emitter = module.exports; }})();"
            )
        parts.append(f"/* {relative} */\n{text}\n")
    return "\n".join(parts)
