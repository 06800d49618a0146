"""Facilitator accounts: password hashing, the signed-in user, and access checks."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin, current_user
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workshop.store.db import session_scope
from workshop.store.models import Facilitator

# A real hash to check against when the email is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a real password")


@dataclass(frozen=True)
class SignedInFacilitator(UserMixin):
    """The signed-in facilitator, detached from any database session."""

    id: int
    name: str
    email: str
    organisation: str


def _signed_in(facilitator: Facilitator) -> SignedInFacilitator:
    return SignedInFacilitator(
        facilitator.id, facilitator.name, facilitator.email, facilitator.organisation
    )


def current_facilitator_loader(user_id: str) -> SignedInFacilitator | None:
    """Flask-Login's loader: the facilitator with this id, if they still exist."""
    if not user_id.isdigit():
        return None
    with session_scope() as session:
        facilitator = session.get(Facilitator, int(user_id))
        return _signed_in(facilitator) if facilitator else None


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively, without surrounding spaces."""
    return email.strip().lower()


def create_facilitator(
    session: Session, email: str, name: str, password: str, organisation: str = ""
) -> Facilitator:
    """Store a new facilitator with a salted, slow password hash (scrypt)."""
    facilitator = Facilitator(
        email=normalise_email(email),
        name=name.strip(),
        organisation=organisation.strip(),
        password_hash=generate_password_hash(password),
    )
    session.add(facilitator)
    session.commit()
    session.refresh(facilitator)
    return facilitator


def authenticate(session: Session, email: str, password: str) -> SignedInFacilitator | None:
    """The facilitator these credentials belong to, or None."""
    facilitator = session.exec(
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
