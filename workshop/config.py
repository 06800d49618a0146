"""Settings from environment variables, with safe defaults for a single-machine workshop."""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path
from typing import Any

from flask import Flask

from questionnaires.loader import LIBRARY


def _secret_key(instance: Path) -> str:
    # Kept in the instance folder so a restart does not sign everyone out.
    if key := os.environ.get("ROUNDTABLE_SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if not path.exists():
        # Written aside, then linked into place only if still absent: processes starting
        # together all end up with the one key.
        draft = instance / f"secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32), encoding="utf-8")
        draft.chmod(0o600)
        with suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text(encoding="utf-8").strip()


def secure_cookies(setting: str, public_url: str) -> bool:
    """Cookies go over HTTPS only when asked to, or when the public address is HTTPS."""
    return setting.strip() == "1" or public_url.strip().lower().startswith("https://")


def database_url(instance: Path | None = None) -> str:
    """The database: DATABASE_URL, or a SQLite file in the (app's) instance folder."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    if instance is None:  # outside the app: the folder the app would use
        instance = Path(Flask("workshop.app", instance_relative_config=True).instance_path)
        instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'roundtable.db'}"


def load_config(instance_path: str) -> dict[str, Any]:
    """The app's configuration, read from the environment."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    extra_dirs = [Path(p) for p in os.environ.get("ROUNDTABLE_QUESTIONNAIRES", "").split(":") if p]
    public_url = os.environ.get("ROUNDTABLE_PUBLIC_URL", "")
    secure = secure_cookies(os.environ.get("ROUNDTABLE_SECURE_COOKIES", "0"), public_url)
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": database_url(instance),
        "SOCKETIO_ASYNC_MODE": os.environ.get("ROUNDTABLE_ASYNC_MODE", "gevent"),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("ROUNDTABLE_MESSAGE_QUEUE") or None,
        "QUESTIONNAIRE_DIRS": [LIBRARY, *extra_dirs],
        "PUBLIC_URL": public_url,
        # How many proxies in front set X-Forwarded-For and -Proto (0: none, trust neither).
        "PROXIES": int(os.environ.get("ROUNDTABLE_PROXIES", "0") or 0),
        "BENCH_TIMINGS": os.environ.get("ROUNDTABLE_BENCH_TIMINGS", ""),  # bench/load.py's
        "NODE_MODULES": Path(
            os.environ.get("ROUNDTABLE_NODE_MODULES", Path(__file__).parent.parent / "node_modules")
        ),
        "LANGUAGES": ["en", "cy", "bn", "pl", "ar"],
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent.parent / "translations"),
        # A workshop lasts hours: a form loaded at the start must still post at the end.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        # Lax, not Strict: a join or console link opened from an email or a chat app is a
        # cross-site visit, and Strict would drop the cookie there (the person looks new,
        # and the fresh cookie sent back replaces theirs).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        # A participant's cookie (kept 31 days from joining, or from their last change of
        # language or rounds) is sent when it changes, not signed again on every page: a
        # tenth of a millisecond a request, and a smaller answer over a weak connection.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        # Sign-in backoff: after this many failures within the window, each further try
        # waits, doubling from the first wait up to the longest (seconds).
        "SIGN_IN_FAILURES": 5,
        "SIGN_IN_WINDOW": 15 * 60,
        "SIGN_IN_FIRST_WAIT": 60,
        "SIGN_IN_LONGEST_WAIT": 15 * 60,
        "PRESENCE_WINDOW_SECONDS": 90,
        # Rate limits: a class of 60 (or a conference of 200) behind one address joins at once.
        "RATELIMIT_ENABLED": os.environ.get("ROUNDTABLE_RATE_LIMITS", "1") != "0",
        "JOIN_LIMIT": os.environ.get("ROUNDTABLE_JOIN_LIMIT") or "300 per minute",
        "ANSWER_LIMIT": os.environ.get("ROUNDTABLE_ANSWER_LIMIT") or "120 per minute",
        # Email for invitations and new-password links (none: the lead copies the link).
        "SMTP_URL": os.environ.get("ROUNDTABLE_SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("ROUNDTABLE_MAIL_FROM", ""),
        # Who runs this copy of Roundtable, for the accessibility statement.
        "ORGANISATION": os.environ.get("ROUNDTABLE_ORGANISATION", ""),
        "ACCESSIBILITY_CONTACT": os.environ.get("ROUNDTABLE_ACCESSIBILITY_CONTACT", ""),
    }
