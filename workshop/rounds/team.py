"""Who runs a round (its lead and supporters), what each may do, and the record of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, delete, select

from facilitation.roles import Action, Role, may
from workshop.realtime import publish
from workshop.rounds.kept import forget, kept
from workshop.store.models import (
    Experiment,
    Facilitator,
    FacilitatorSocket,
    OneTimeLink,
    Project,
    Round,
    RoundEvent,
    Supporter,
)
from workshop.store.on_commit import on_commit
from workshop.web import one_time_links
from workshop.web.accounts import account_for
from workshop.web.one_time_links import Purpose
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


@dataclass(frozen=True)
class Hosts:
    """Who runs a round, as its participants' pages say: "who am I talking to?"."""

    project: str
    team: tuple[Member, ...]  # the lead first

    @property
    def lead(self) -> Member:
        return self.team[0]


HOSTS_FOR = 10.0  # seconds kept: every participant page names them


def hosts_of(db: Session, round_: Round) -> Hosts:
    """The round's project and team, read at most every HOSTS_FOR seconds (a change to the
    team through this process shows at once; a renamed project or person within that time)."""

    def read() -> Hosts:
        project, lead = _project_and_lead(db, round_)
        return Hosts(project.name, tuple(team_of(db, round_, lead)))

    return kept("hosts", round_.id, HOSTS_FOR, read)


def _project_and_lead(db: Session, round_: Round) -> tuple[Project, Facilitator]:
    return db.exec(
        select(Project, Facilitator)
        .join(Facilitator, Project.owner_id == Facilitator.id)
        .join(Experiment, Experiment.project_id == Project.id)
        .where(Experiment.id == round_.experiment_id)
    ).one()


def team_of(db: Session, round_: Round, lead: Facilitator | None = None) -> list[Member]:
    """The lead first, then supporters in the order they were invited."""
    lead = lead or _project_and_lead(db, round_)[1]
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


@dataclass(frozen=True)
class Invitation:
    """A one-time link made for someone to join a round's team: shown to the lead once."""

    email: str
    token: str


def invite(db: Session, round_: Round, lead_id: int, email: str) -> Invitation:
    """A one-time link for this email to join the round's team as a supporter, whether or
    not it has an account: the lead learns nothing of who has one, and nobody joins a team
    without saying yes. A new link replaces any the lead made before, so a lost link is
    never a dead end. Someone already on the team is refused."""
    invited = account_for(db, email)
    if invited is not None and role_in(db, round_.id, invited.id) is not None:
        raise InviteRefused("already")
    db.exec(
        delete(OneTimeLink).where(
            OneTimeLink.purpose == Purpose.INVITATION,
            OneTimeLink.round_id == round_.id,
            OneTimeLink.email == email,
            OneTimeLink.used_at.is_(None),
        )
    )
    token = one_time_links.make(
        db, Purpose.INVITATION, email, round_id=round_.id, role=Role.SUPPORTER, made_by=lead_id
    )
    db.commit()
    return Invitation(email, token)


def _join(db: Session, round_id: int, facilitator: Facilitator, lead_id: int) -> None:
    db.add(Supporter(round_id=round_id, facilitator_id=facilitator.id, invited_by=lead_id))
    on_commit(db, forget, "hosts", round_id)
    record(db, round_id, lead_id, RecordAction.INVITED, facilitator.name)


def accept(db: Session, link: OneTimeLink, account: Facilitator) -> None:
    """The invited person takes up the invitation with this account (new, or theirs since):
    the link is used up and they join the round in the part the lead chose."""
    one_time_links.use(db, link)
    if account.id is None:
        db.add(account)
        db.flush()
    if role_in(db, link.round_id, account.id) is None:
        _join(db, link.round_id, account, link.made_by)
    db.commit()


def cancel_invitation(db: Session, round_: Round, link_id: int) -> bool:
    """Take back an invitation nobody has used; False if there is no such invitation."""
    link = db.get(OneTimeLink, link_id)
    if (
        link is None
        or link.purpose != Purpose.INVITATION
        or link.round_id != round_.id
        or link.used_at is not None
    ):
        return False
    db.delete(link)
    db.commit()
    return True


def password_link(
    db: Session, round_: Round, lead_id: int, facilitator_id: int
) -> tuple[Facilitator, str] | None:
    """A new-password link for a supporter of the round, made by its lead (who passes it on
    when no email can be sent); None if they do not support this round."""
    if role_in(db, round_.id, facilitator_id) is not Role.SUPPORTER:
        return None
    member = db.get(Facilitator, facilitator_id)
    token = one_time_links.password_link(db, member, made_by=lead_id)
    record(db, round_.id, lead_id, RecordAction.PASSWORD_LINK, member.name)
    db.commit()
    return member, token


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
    on_commit(db, forget, "hosts", round_.id)
    end_live_connections(db, facilitator_id)
    record(db, round_.id, lead_id, RecordAction.REMOVED_SUPPORTER, name)
    db.commit()
    return True


def end_live_connections(db: Session, facilitator_id: int) -> None:
    """Once the change commits, end every open live connection of this facilitator: one
    who loses access to a round (or signs out) stops hearing it at once. Their other
    consoles connect again by themselves, and may watch only what they still may."""
    where = FacilitatorSocket.facilitator_id == facilitator_id
    sids = list(db.exec(select(FacilitatorSocket.sid).where(where)))
    on_commit(db, publish.end_sockets, sids, publish.FACILITATORS)


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
