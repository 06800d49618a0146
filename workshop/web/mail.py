"""Email, when an SMTP server is set (ROUNDTABLE_SMTP_URL): links people would otherwise copy."""

from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

_TIMEOUT = 10  # seconds: a mail server that does not answer must not hold the page for long


def configured() -> bool:
    """Whether this copy of Roundtable can send email."""
    return bool(current_app.config["SMTP_URL"])


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email; False (and a line in the log) if it could not go."""
    url = urlsplit(current_app.config["SMTP_URL"])
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"] or f"roundtable@{url.hostname}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    secure = url.scheme == "smtps"
    try:
        opener = smtplib.SMTP_SSL if secure else smtplib.SMTP
        port = url.port or (465 if secure else 25)
        with opener(url.hostname or "localhost", port, timeout=_TIMEOUT) as server:
            server.ehlo()
            if not secure and server.has_extn("starttls"):
                server.starttls()
                server.ehlo()
            if url.username:
                server.login(unquote(url.username), unquote(url.password or ""))
            server.send_message(message)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        current_app.logger.error("email to %s could not be sent: %s", to, error)
        return False
    return True


def send_later(to: str, subject: str, body: str) -> None:
    """Send in the background: the page answers at once, and as fast whether or not an
    email goes (a slow answer would tell that the account exists)."""
    app = current_app._get_current_object()

    def sending() -> None:
        with app.app_context():
            send(to, subject, body)

    threading.Thread(target=sending, daemon=True).start()
