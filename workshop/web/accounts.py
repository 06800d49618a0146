"""Facilitator accounts: password hashing, the signed-in user, and access checks."""

from __future__ import annotations

from dataclasses import dataclass

from flask import session as cookie
from flask_login import UserMixin, current_user
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workshop.store.db import session_scope
from workshop.store.models import Facilitator
from workshop.web.converters import is_id

# A real hash to check against when the email is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a real password")


@dataclass(frozen=True)
class SignedInFacilitator(UserMixin):
    """The signed-in facilitator, detached from any database session."""

    id: int
    name: str
    email: str
    organisation: str
    session_epoch: int


EPOCH_KEY = "facilitator_epoch"


def _signed_in(facilitator: Facilitator) -> SignedInFacilitator:
    return SignedInFacilitator(
        facilitator.id,
        facilitator.name,
        facilitator.email,
        facilitator.organisation,
        facilitator.session_epoch,
    )


def current_facilitator_loader(user_id: str) -> SignedInFacilitator | None:
    """Flask-Login's loader: the facilitator, if this session is from their latest sign-in.

    Runs for pages and for every socket event alike, so signing out also stops a console
    that is still open, and a copied cookie from before the sign-out is worthless.
    """
    if not user_id.isdigit() or not is_id(int(user_id)):
        return None
    with session_scope() as db:
        facilitator = db.get(Facilitator, int(user_id))
    if facilitator is None or cookie.get(EPOCH_KEY) != facilitator.session_epoch:
        return None
    return _signed_in(facilitator)


def remember_sign_in(facilitator: SignedInFacilitator) -> None:
    """Tie this (fresh) session to the facilitator's current sign-in."""
    cookie[EPOCH_KEY] = facilitator.session_epoch


def end_all_sessions(db: Session, facilitator_id: int) -> None:
    """Sign a facilitator out everywhere: every session and socket from before stops working."""
    facilitator = db.get(Facilitator, facilitator_id)
    facilitator.session_epoch += 1
    db.add(facilitator)
    db.commit()


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively, without surrounding spaces."""
    return email.strip().lower()


def create_facilitator(
    db: Session, email: str, name: str, password: str, organisation: str = ""
) -> Facilitator:
    """Store a new facilitator with a salted, slow password hash (scrypt)."""
    facilitator = Facilitator(
        email=normalise_email(email),
        name=name.strip(),
        organisation=organisation.strip(),
        password_hash=generate_password_hash(password),
    )
    db.add(facilitator)
    db.commit()
    db.refresh(facilitator)
    return facilitator


def authenticate(db: Session, email: str, password: str) -> SignedInFacilitator | None:
    """The facilitator these credentials belong to, or None."""
    facilitator = db.exec(
        select(Facilitator).where(Facilitator.email == normalise_email(email))
    ).first()
    if facilitator is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(facilitator.password_hash, password):
        return None
    return _signed_in(facilitator)


def signed_in_id() -> int | None:
    """The signed-in facilitator's id, or None."""
    return current_user.id if current_user.is_authenticated else None
