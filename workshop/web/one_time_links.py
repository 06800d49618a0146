"""One-time links: a random token given out once, kept only as a hash, used once, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum

from sqlmodel import Session, delete, select, update

from workshop.store.models import Facilitator, OneTimeLink, as_utc, utcnow


class Purpose(StrEnum):
    """What a one-time link is for, and how long it works."""

    INVITATION = "invitation"
    PASSWORD = "password"

    @property
    def lasts(self) -> timedelta:
        """An invitation waits a week for someone to read their email; a new password is
        asked for now, so its link is short-lived."""
        return timedelta(days=7) if self is Purpose.INVITATION else timedelta(hours=1)


class LinkRefused(Exception):
    """Why a link does not work: "unknown", "used" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make(db: Session, purpose: Purpose, email: str, **about: int | str | None) -> str:
    """Store a new link (not committed) and return its token: the only time it exists."""
    token = secrets.token_urlsafe(32)
    db.add(
        OneTimeLink(
            purpose=purpose,
            token_hash=_hash(token),
            email=email,
            expires_at=utcnow() + purpose.lasts,
            **about,
        )
    )
    return token


def find(db: Session, purpose: Purpose, token: str) -> OneTimeLink:
    """The link this token opens, if it still works; LinkRefused says why not."""
    link = db.exec(
        select(OneTimeLink).where(
            OneTimeLink.token_hash == _hash(token), OneTimeLink.purpose == purpose
        )
    ).first()
    if link is None:
        raise LinkRefused("unknown")
    if link.used_at is not None:
        raise LinkRefused("used")
    if as_utc(link.expires_at) <= utcnow():
        raise LinkRefused("expired")
    return link


def use(db: Session, link: OneTimeLink) -> None:
    """Mark the link used (not committed), or refuse if another request used it first: only
    one of two people pressing at once gets through."""
    marked = db.exec(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if marked.rowcount != 1:
        raise LinkRefused("used")


def pending_invitations(db: Session, round_id: int) -> list[OneTimeLink]:
    """Invitations to the round nobody has used yet and that still work, oldest first."""
    return list(
        db.exec(
            select(OneTimeLink)
            .where(
                OneTimeLink.purpose == Purpose.INVITATION,
                OneTimeLink.round_id == round_id,
                OneTimeLink.used_at.is_(None),
                OneTimeLink.expires_at > utcnow(),
            )
            .order_by(OneTimeLink.id)
        ).all()
    )


def password_link(db: Session, facilitator: Facilitator, made_by: int | None = None) -> str:
    """A new-password link for this account (not committed); only the newest one works."""
    db.exec(
        delete(OneTimeLink).where(
            OneTimeLink.purpose == Purpose.PASSWORD,
            OneTimeLink.facilitator_id == facilitator.id,
            OneTimeLink.used_at.is_(None),
        )
    )
    return make(
        db, Purpose.PASSWORD, facilitator.email, facilitator_id=facilitator.id, made_by=made_by
    )
