"""The tables: facilitators, projects, experiments, rounds, participants, answers, the map."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Now, in UTC, with its zone."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite gives times back without one (they are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Facilitator(SQLModel, table=True):
    """A person who signs in to run rounds."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(max_length=120)
    organisation: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    # Raised at each sign-out: sessions (and sockets) from before it stop working.
    session_epoch: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class Project(SQLModel, table=True):
    """A co-design effort of a team; holds experiments."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="facilitator.id", index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class Experiment(SQLModel, table=True):
    """One idea being tried; holds rounds."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class Round(SQLModel, table=True):
    """One run of a questionnaire with a group, with its live state."""

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    name: str = Field(max_length=120)
    questionnaire_id: str = Field(max_length=60)
    questionnaire_version: int
    # The exact file the round ran, so later edits never change its history.
    questionnaire_source: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="lobby", max_length=16)
    step_index: int = 0
    furthest_index: int = 0
    step_count: int
    join_token: str = Field(index=True, unique=True, max_length=64)
    join_code: str = Field(index=True, unique=True, max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    ended_at: datetime | None = None


class Participant(SQLModel, table=True):
    """A person in a round, known by a private token; no account."""

    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    token: str = Field(index=True, unique=True, max_length=64)
    number: int  # 1, 2, 3... in joining order: "Participant 3"
    display_name: str | None = Field(default=None, max_length=60)
    # The join form's one-time value: a second post of the same form is the same person.
    join_attempt: str | None = Field(default=None, unique=True, max_length=64)
    consented_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)


class Answer(SQLModel, table=True):
    """A participant's answer to one step; None means they chose to skip it."""

    __table_args__ = (UniqueConstraint("participant_id", "step_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    step_id: str = Field(max_length=60)
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Actor(SQLModel, table=True):
    """A person, group, organisation or campaign on a round's map; one per name in the round."""

    __table_args__ = (UniqueConstraint("round_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    name: str = Field(max_length=120)  # as the first person to name it wrote it
    key: str = Field(max_length=120)  # the name with case and spacing ignored
    kind: str = Field(max_length=60)
    layer: str | None = Field(default=None, max_length=60)
    added_by: int | None = Field(default=None, foreign_key="participant.id", index=True)
    step_id: str = Field(max_length=60)
    created_at: datetime = Field(default_factory=utcnow)
    # Tidied by a facilitator: shown as another actor (merged), or left off the map.
    merged_into: int | None = Field(default=None, foreign_key="actor.id")
    hidden: bool = False
    # Where the map draws it, fixed when it is first drawn so that nothing jumps later.
    x: float | None = None
    y: float | None = None


class Tie(SQLModel, table=True):
    """One participant's statement that two actors are tied, and how."""

    __table_args__ = (UniqueConstraint("added_by", "step_id", "source_id", "target_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    source_id: int = Field(foreign_key="actor.id", index=True)
    target_id: int = Field(foreign_key="actor.id", index=True)
    kind: str = Field(max_length=60)
    # None: imported from a spreadsheet by a facilitator (step_id "import"), not a person's.
    added_by: int | None = Field(default=None, foreign_key="participant.id", index=True)
    step_id: str = Field(max_length=60)
    created_at: datetime = Field(default_factory=utcnow)


class ActorRating(SQLModel, table=True):
    """One participant's rating of an actor (a number), or the category they sorted it into."""

    __table_args__ = (UniqueConstraint("participant_id", "step_id", "actor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    actor_id: int = Field(foreign_key="actor.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    step_id: str = Field(max_length=60)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class MapDisplay(SQLModel, table=True):
    """What a round's facilitator has shown participants of the map (none of it, at first)."""

    round_id: int = Field(foreign_key="round.id", primary_key=True)
    map_shown: bool = False
    measures_shown: bool = False
    updated_at: datetime = Field(default_factory=utcnow)


class KeptMeasures(SQLModel, table=True):
    """The last measures worked out for a round's map, of which map, and when: worked out
    off the request, read by every app process (facilitation.measures.summarise)."""

    round_id: int = Field(foreign_key="round.id", primary_key=True)
    shape: str = Field(max_length=64)  # facilitation.measures.shape_of the map measured
    worked_out_at: datetime = Field(default_factory=utcnow)
    # The measures, and the name of every actor as it was then (what the page shows).
    value: Any = Field(sa_column=Column(JSON, nullable=False))


class Reflection(SQLModel, table=True):
    """The team's notes on a round, or on a whole experiment (round_id None): what we tried,
    what we noticed, what we will change."""

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    tried: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    noticed: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    change: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_by: int | None = Field(default=None, foreign_key="facilitator.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Presence(SQLModel, table=True):
    """One open live connection of a participant (a socket)."""

    sid: str = Field(primary_key=True, max_length=64)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    connected_at: datetime = Field(default_factory=utcnow)


class FacilitatorSocket(SQLModel, table=True):
    """One open live connection of a facilitator (a console, or a map they tidy): ended
    when they lose access, in whichever process holds it."""

    sid: str = Field(primary_key=True, max_length=64)
    facilitator_id: int = Field(foreign_key="facilitator.id", index=True)
    connected_at: datetime = Field(default_factory=utcnow)


class Supporter(SQLModel, table=True):
    """A facilitator the lead invited to help run one round."""

    __table_args__ = (UniqueConstraint("round_id", "facilitator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    facilitator_id: int = Field(foreign_key="facilitator.id", index=True)
    invited_by: int = Field(foreign_key="facilitator.id")
    created_at: datetime = Field(default_factory=utcnow)


class HelpRequest(SQLModel, table=True):
    """A participant pressed "I need help": open until a facilitator marks it handled."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    step_number: int  # where the round was when they asked (1-based)
    message: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    handled_at: datetime | None = None
    handled_by: int | None = Field(default=None, foreign_key="facilitator.id")


class RoundEvent(SQLModel, table=True):
    """One thing a facilitator did to a round, and who did it: the round's record."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    facilitator_id: int = Field(foreign_key="facilitator.id")
    action: str = Field(max_length=40)
    detail: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow)


class RevealedStep(SQLModel, table=True):
    """A step whose group answers participants may see on their own devices."""

    round_id: int = Field(foreign_key="round.id", primary_key=True)
    step_id: str = Field(max_length=60, primary_key=True)
    revealed_at: datetime = Field(default_factory=utcnow)


class HiddenAnswer(SQLModel, table=True):
    """A free-text answer kept in the record but left out of every shared view."""

    answer_id: int = Field(foreign_key="answer.id", primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    hidden_by: int = Field(foreign_key="facilitator.id")
    hidden_at: datetime = Field(default_factory=utcnow)


class Removal(SQLModel, table=True):
    """A participant the lead removed from a round; their link no longer works."""

    participant_id: int = Field(foreign_key="participant.id", primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    removed_by: int = Field(foreign_key="facilitator.id")
    answers_kept: bool
    removed_at: datetime = Field(default_factory=utcnow)


class RunSheetStep(SQLModel, table=True):
    """The team's plan for one step of a round: minutes planned, and private notes."""

    round_id: int = Field(foreign_key="round.id", primary_key=True)
    step_id: str = Field(max_length=60, primary_key=True)
    minutes: int | None = None
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_by: int | None = Field(default=None, foreign_key="facilitator.id")
    updated_at: datetime = Field(default_factory=utcnow)


class StepTimer(SQLModel, table=True):
    """A time guide for the open step: shown to everyone, extendable, never a cut-off."""

    round_id: int = Field(foreign_key="round.id", primary_key=True)
    step_index: int
    ends_at: datetime


class SelfPaced(SQLModel, table=True):
    """A round people take in their own time, open until its closing time."""

    round_id: int = Field(foreign_key="round.id", primary_key=True)
    closes_at: datetime
    # A live round whose results these answers join (None: a round of its own).
    joins_round_id: int | None = Field(default=None, foreign_key="round.id")


class Progress(SQLModel, table=True):
    """Where one person is in a self-paced round."""

    participant_id: int = Field(foreign_key="participant.id", primary_key=True)
    step_index: int = 0
    furthest_index: int = 0


class OneTimeLink(SQLModel, table=True):
    """A link that works once, until it expires: an invitation to help run a round (for
    someone without an account yet), or a new password for an account. Only a hash of its
    token is kept, so the table alone opens nothing."""

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=16)  # "invitation" or "password"
    token_hash: str = Field(index=True, unique=True, max_length=64)
    email: str = Field(index=True, max_length=254)
    # An invitation: the round, and the part in it the lead chose.
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    role: str | None = Field(default=None, max_length=16)
    # A new password: whose.
    facilitator_id: int | None = Field(default=None, foreign_key="facilitator.id", index=True)
    made_by: int | None = Field(default=None, foreign_key="facilitator.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class ProjectQuestionnaire(SQLModel, table=True):
    """A questionnaire a project's team designs: the working copy every edit changes (even
    one with problems: nothing typed is lost), saved as numbered versions."""

    __table_args__ = (UniqueConstraint("project_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    slug: str = Field(max_length=60)  # its id in the file, fixed once made
    source: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class QuestionnaireVersion(SQLModel, table=True):
    """One saved version of a project's questionnaire; a round starts from a ready one."""

    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: int = Field(foreign_key="projectquestionnaire.id", index=True)
    number: int
    source: str = Field(sa_column=Column(Text, nullable=False))
    ready: bool  # the checks found no error, so a round may run it
    saved_by: int = Field(foreign_key="facilitator.id")
    saved_at: datetime = Field(default_factory=utcnow)
