"""Files people download: JSON readable by people as well as programs."""

from __future__ import annotations

import json

from flask import current_app


def json_file(data: dict, filename: str):
    """A JSON download, readable by people as well as programs."""
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
