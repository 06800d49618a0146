"""Who runs a round (its lead and supporters), what each may do, and the record of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from facilitation.roles import Action, Role, may
from workshop.store.models import (
    Experiment,
    Facilitator,
    Project,
    Round,
    RoundEvent,
    Supporter,
)
from workshop.web.wording import RecordAction, record_detail


def role_in(db: Session, round_id: int, facilitator_id: int | None) -> Role | None:
    """This facilitator's part in the round: lead (the project's owner), supporter, or none."""
    if facilitator_id is None:
        return None
    owner = db.exec(
        select(Project.owner_id)
        .join(Experiment, Experiment.project_id == Project.id)
        .join(Round, Round.experiment_id == Experiment.id)
        .where(Round.id == round_id)
    ).first()
    if owner is None:
        return None
    if owner == facilitator_id:
        return Role.LEAD
    supporter = db.exec(
        select(Supporter.id).where(
            Supporter.round_id == round_id, Supporter.facilitator_id == facilitator_id
        )
    ).first()
    return Role.SUPPORTER if supporter is not None else None


def round_for(
    db: Session, round_id: int, facilitator_id: int | None, action: Action
) -> Round | None:
    """The round, if this facilitator may do `action` to it; None otherwise (and for
    rounds that do not exist, so nobody learns which ids are real)."""
    if not may(role_in(db, round_id, facilitator_id), action):
        return None
    return db.get(Round, round_id)


def project_for(
    db: Session, project_id: int, facilitator_id: int | None, action: Action
) -> Project | None:
    """The project, if this facilitator may do `action` to it; None otherwise. Its owner
    leads it, as every round in it; a supporter of one of its rounds has no part in it."""
    project = db.get(Project, project_id)
    leads = project is not None and project.owner_id == facilitator_id
    return project if may(Role.LEAD if leads else None, action) else None


def experiment_for(
    db: Session, experiment_id: int, facilitator_id: int | None, action: Action
) -> Experiment | None:
    """The experiment, if this facilitator may do `action` to its project; None otherwise."""
    experiment = db.get(Experiment, experiment_id)
    if experiment is None:
        return None
    project = project_for(db, experiment.project_id, facilitator_id, action)
    return experiment if project is not None else None


def record(
    db: Session,
    round_id: int,
    facilitator_id: int,
    action: RecordAction,
    *names: str,
) -> None:
    """Note what a facilitator did, and to what (committed with the change it describes)."""
    detail = record_detail(action, *names)
    db.add(
        RoundEvent(
            round_id=round_id, facilitator_id=facilitator_id, action=action, detail=detail[:300]
        )
    )


@dataclass(frozen=True)
class Member:
    """Someone in a round's team, as the console lists them."""

    facilitator_id: int
    name: str
    organisation: str
    role: Role

    @property
    def invited(self) -> bool:
        """A supporter, invited by the lead (who may take them off the team again); the
        lead is on the team for good."""
        return self.role is Role.SUPPORTER


def team_of(db: Session, round_: Round) -> list[Member]:
    """The lead first, then supporters in the order they were invited."""
    lead = db.exec(
        select(Facilitator)
        .join(Project, Project.owner_id == Facilitator.id)
        .join(Experiment, Experiment.project_id == Project.id)
        .where(Experiment.id == round_.experiment_id)
    ).one()
    supporters = db.exec(
        select(Facilitator)
        .join(Supporter, Supporter.facilitator_id == Facilitator.id)
        .where(Supporter.round_id == round_.id)
        .order_by(Supporter.created_at)
    ).all()
    return [
        Member(lead.id, lead.name, lead.organisation, Role.LEAD),
        *(Member(f.id, f.name, f.organisation, Role.SUPPORTER) for f in supporters),
    ]


class InviteRefused(Exception):
    """Why someone cannot be added as a supporter."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invite(db: Session, round_: Round, lead_id: int, email: str) -> Facilitator:
    """Add the facilitator with this email as a supporter of the round."""
    invited = db.exec(select(Facilitator).where(Facilitator.email == email.strip().lower())).first()
    if invited is None:
        raise InviteRefused("no-account")
    if role_in(db, round_.id, invited.id) is not None:
        raise InviteRefused("already")
    db.add(Supporter(round_id=round_.id, facilitator_id=invited.id, invited_by=lead_id))
    record(db, round_.id, lead_id, RecordAction.INVITED, invited.name)
    db.commit()
    return invited


def remove_supporter(db: Session, round_: Round, lead_id: int, facilitator_id: int) -> bool:
    """Take a supporter off the round; False if they were not one."""
    row = db.exec(
        select(Supporter).where(
            Supporter.round_id == round_.id, Supporter.facilitator_id == facilitator_id
        )
    ).first()
    if row is None:
        return False
    name = db.get(Facilitator, facilitator_id).name
    db.delete(row)
    record(db, round_.id, lead_id, RecordAction.REMOVED_SUPPORTER, name)
    db.commit()
    return True


@dataclass(frozen=True)
class EventRow:
    """One line of the round's record."""

    at: datetime
    who: str
    action: str
    detail: str


def events_of(db: Session, round_id: int, limit: int = 30) -> list[EventRow]:
    """The newest things done to the round, newest first."""
    rows = db.exec(
        select(RoundEvent, Facilitator.name)
        .join(Facilitator, Facilitator.id == RoundEvent.facilitator_id)
        .where(RoundEvent.round_id == round_id)
        .order_by(RoundEvent.id.desc())
        .limit(limit)
    ).all()
    # A participant who erased their data did it themselves: no facilitator's name beside it.
    return [
        EventRow(
            e.created_at,
            "" if e.action == RecordAction.ERASED_OWN_DATA else name,
            e.action,
            e.detail,
        )
        for e, name in rows
    ]


def supported_rounds(db: Session, facilitator_id: int) -> list[tuple[Round, str, str, str]]:
    """Rounds this facilitator supports, each with the lead's name, the project and the
    experiment: for their projects page."""
    return list(
        db.exec(
            select(Round, Facilitator.name, Project.name, Experiment.name)
            .join(Supporter, Supporter.round_id == Round.id)
            .join(Experiment, Experiment.id == Round.experiment_id)
            .join(Project, Project.id == Experiment.project_id)
            .join(Facilitator, Facilitator.id == Project.owner_id)
            .where(Supporter.facilitator_id == facilitator_id)
            .order_by(Round.created_at.desc())
        ).all()
    )
