"""The emails that carry one-time links: an invitation to help run a round, a new password."""

from __future__ import annotations

from flask_babel import gettext as _

from workshop.web import mail


def invitation(email: str, lead: str, round_name: str, link: str) -> bool:
    """Email an invitation link to the person invited; False if it could not go."""
    return mail.send(
        email,
        _("%(lead)s invites you to help run a round on Roundtable", lead=lead),
        _(
            "%(lead)s invites you to help run “%(round)s” on Roundtable.\n\n"
            "Open this link within 7 days to choose your name and password (it works once):"
            "\n\n%(link)s",
            lead=lead,
            round=round_name,
            link=link,
        ),
    )


def password(email: str, link: str, later: bool = False) -> bool:
    """Email a new-password link to the account's own address (in the background if
    `later`); False if it could not go."""
    subject = _("Choose a new Roundtable password")
    body = _(
        "Someone asked for a new password for your Roundtable account. If it was you, "
        "open this link within an hour to choose one (it works once):\n\n%(link)s\n\n"
        "If it was not you, you need not do anything: your password stays as it is.",
        link=link,
    )
    if later:
        mail.send_later(email, subject, body)
        return True
    return mail.send(email, subject, body)
