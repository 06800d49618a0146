"""Settings from environment variables, with safe defaults for a single-machine workshop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from questionnaires.loader import LIBRARY


def _secret_key(instance: Path) -> str:
    # Kept in the instance folder so a restart does not sign everyone out.
    if key := os.environ.get("ROUNDTABLE_SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def load_config(instance_path: str) -> dict[str, Any]:
    """The app's configuration, read from the environment."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    extra_dirs = [Path(p) for p in os.environ.get("ROUNDTABLE_QUESTIONNAIRES", "").split(":") if p]
    secure = os.environ.get("ROUNDTABLE_SECURE_COOKIES", "0") == "1"
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'roundtable.db'}"),
        "SOCKETIO_ASYNC_MODE": os.environ.get("ROUNDTABLE_ASYNC_MODE", "gevent"),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("ROUNDTABLE_MESSAGE_QUEUE") or None,
        "QUESTIONNAIRE_DIRS": [LIBRARY, *extra_dirs],
        "PUBLIC_URL": os.environ.get("ROUNDTABLE_PUBLIC_URL", ""),
        "NODE_MODULES": Path(
            os.environ.get("ROUNDTABLE_NODE_MODULES", Path(__file__).parent.parent / "node_modules")
        ),
        "LANGUAGES": ["en", "cy", "bn", "pl", "ar"],
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent.parent / "translations"),
        # A workshop lasts hours: a form loaded at the start must still post at the end.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "PRESENCE_WINDOW_SECONDS": 90,
        # Rate limits: a class of 60 (or a conference of 200) behind one address joins at once.
        "RATELIMIT_ENABLED": os.environ.get("ROUNDTABLE_RATE_LIMITS", "1") != "0",
        "JOIN_LIMIT": os.environ.get("ROUNDTABLE_JOIN_LIMIT") or "300 per minute",
        "ANSWER_LIMIT": os.environ.get("ROUNDTABLE_ANSWER_LIMIT") or "120 per minute",
        # Who runs this copy of Roundtable, for the accessibility statement.
        "ORGANISATION": os.environ.get("ROUNDTABLE_ORGANISATION", ""),
        "ACCESSIBILITY_CONTACT": os.environ.get("ROUNDTABLE_ACCESSIBILITY_CONTACT", ""),
    }
