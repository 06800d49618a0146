"""Facilitator accounts: password hashing, the signed-in user, and access checks."""

from __future__ import annotations

from dataclasses import dataclass

from flask import session as cookie
from flask_login import UserMixin, current_user, login_user
from sqlalchemy import exists, insert, literal, text
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from workshop.store.db import session_scope
from workshop.store.models import Facilitator, utcnow
from workshop.web.converters import is_id

# A real hash to check against when the email is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a real password")
# Any fixed number: PostgreSQL queues two first-run set-ups on this lock.
_FIRST_RUN_LOCK = 0x5365747570  # "Setup"


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


def start_session(facilitator: Facilitator) -> None:
    """Sign this facilitator in, in a fresh session (no fixation), tied to this sign-in."""
    signed_in = _signed_in(facilitator)
    cookie.clear()
    login_user(signed_in)
    remember_sign_in(signed_in)


def end_all_sessions(db: Session, facilitator_id: int) -> None:
    """Sign a facilitator out everywhere: every session and socket from before stops working."""
    facilitator = db.get(Facilitator, facilitator_id)
    facilitator.session_epoch += 1
    db.add(facilitator)
    db.commit()


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively, without surrounding spaces."""
    return email.strip().lower()


def new_facilitator(email: str, name: str, password: str, organisation: str = "") -> Facilitator:
    """A facilitator not stored yet, with a salted, slow password hash (scrypt)."""
    return Facilitator(
        email=normalise_email(email),
        name=name.strip(),
        organisation=organisation.strip(),
        password_hash=generate_password_hash(password),
    )


def create_facilitator(
    db: Session, email: str, name: str, password: str, organisation: str = ""
) -> Facilitator:
    """Store a new facilitator."""
    facilitator = new_facilitator(email, name, password, organisation)
    db.add(facilitator)
    db.commit()
    db.refresh(facilitator)
    return facilitator


def account_for(db: Session, email: str) -> Facilitator | None:
    """The account with this email address, if there is one."""
    return db.exec(select(Facilitator).where(Facilitator.email == normalise_email(email))).first()


def has_accounts(db: Session) -> bool:
    """Whether anyone can sign in yet (a fresh install has nobody)."""
    return db.exec(select(Facilitator.id).limit(1)).first() is not None


def create_first_facilitator(
    db: Session, email: str, name: str, password: str, organisation: str = ""
) -> Facilitator | None:
    """Store the first account, or None if there is one already. Two people setting up at
    once: the insert happens only where no account exists, in one statement (PostgreSQL
    also queues them on a lock), so exactly one of them gets it."""
    if db.get_bind().dialect.name == "postgresql":
        db.exec(text("SELECT pg_advisory_xact_lock(:key)"), params={"key": _FIRST_RUN_LOCK})
    draft = new_facilitator(email, name, password, organisation)
    columns = {
        "email": draft.email,
        "name": draft.name,
        "organisation": draft.organisation,
        "password_hash": draft.password_hash,
        "session_epoch": 0,
        "created_at": utcnow(),
    }
    values = select(*(literal(v, getattr(Facilitator, k).type) for k, v in columns.items()))
    made = db.exec(
        insert(Facilitator)
        .from_select(list(columns), values.where(~exists(select(Facilitator.id))))
        .returning(Facilitator.id)
    ).first()
    db.commit()
    # The new row's own id: never someone else's account that has the same email.
    return db.get(Facilitator, made[0]) if made is not None else None


def set_password(db: Session, facilitator: Facilitator, password: str) -> None:
    """A new password (not committed); every session from before it stops working."""
    facilitator.password_hash = generate_password_hash(password)
    facilitator.session_epoch += 1
    db.add(facilitator)


def authenticate(db: Session, email: str, password: str) -> SignedInFacilitator | None:
    """The facilitator these credentials belong to, or None."""
    facilitator = account_for(db, email)
    if facilitator is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(facilitator.password_hash, password):
        return None
    return _signed_in(facilitator)


def signed_in_id() -> int | None:
    """The signed-in facilitator's id, or None."""
    return current_user.id if current_user.is_authenticated else None
