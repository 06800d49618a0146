"""Serve the third-party browser files that the set-up installed from the npm registry."""

from __future__ import annotations

from flask import Flask, abort, current_app, send_from_directory

# Public name -> path inside node_modules. Only these files are ever served.
VENDOR_FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    # Only on pages that draw the map: the standalone build brings its own DataSet.
    "vis-network.min.js": "vis-network/standalone/umd/vis-network.min.js",
}


def register(app: Flask) -> None:
    """Add the /vendor/<name> route."""
    app.add_url_rule("/vendor/<name>", "vendor", _vendor)


def _vendor(name: str):
    relative = VENDOR_FILES.get(name)
    if relative is None:
        abort(404)
    return send_from_directory(current_app.config["NODE_MODULES"], relative, max_age=86400)
