"""The live round as a state machine: a facilitator's command takes one state to the next.

`apply(state, command)` is pure and returns only the new state; the web layer stores it
and then tells everyone, so a restart never loses what anyone was told.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Status(StrEnum):
    """Where a round is in its life."""

    LOBBY = "lobby"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class Command(StrEnum):
    """What a facilitator can tell a round to do."""

    START = "start"
    NEXT = "next"
    BACK = "back"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


class Refusal(StrEnum):
    """Why a command cannot be carried out now."""

    NOT_STARTED = "not-started"
    ALREADY_STARTED = "already-started"
    ENDED = "ended"
    AT_FIRST_STEP = "at-first-step"
    SELF_PACED = "self-paced"  # people move themselves: the round can only be ended
    AT_LAST_STEP = "at-last-step"
    NOT_RUNNING = "not-running"
    NOT_PAUSED = "not-paused"


class CommandRefused(Exception):
    """A command that does not fit the round's state; `reason` says why."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class RoundState:
    """The live part of a round: its status and which step is open (0-based)."""

    status: Status
    step_index: int
    step_count: int
    furthest_index: int = 0  # the furthest step ever opened: earlier answers stay open

    @property
    def step_number(self) -> int:
        """1-based step number, as participants read it."""
        return self.step_index + 1

    @property
    def is_open(self) -> bool:
        """True while participants can see and answer the current step."""
        return self.status in (Status.RUNNING, Status.PAUSED)


def new_round(step_count: int) -> RoundState:
    """A round waiting in its lobby."""
    if step_count < 1:
        raise ValueError("a round needs at least one step")
    return RoundState(Status.LOBBY, 0, step_count)


def apply(state: RoundState, command: Command) -> RoundState:
    """The state after a facilitator's command, or CommandRefused: a pure transition.

    >>> state = apply(new_round(3), Command.START)
    >>> state.status.value, state.step_number
    ('running', 1)
    >>> apply(apply(state, Command.NEXT), Command.BACK).furthest_index
    1
    >>> apply(state, Command.BACK)
    Traceback (most recent call last):
    ...
    facilitation.live_round.CommandRefused: at-first-step
    """
    if state.status is Status.ENDED:
        raise CommandRefused(Refusal.ENDED)
    if command is Command.END:
        return replace(state, status=Status.ENDED)
    if command is Command.START:
        if state.status is not Status.LOBBY:
            raise CommandRefused(Refusal.ALREADY_STARTED)
        return replace(state, status=Status.RUNNING, step_index=0)
    if state.status is Status.LOBBY:
        raise CommandRefused(Refusal.NOT_STARTED)
    if command is Command.NEXT:
        if state.step_index + 1 >= state.step_count:
            raise CommandRefused(Refusal.AT_LAST_STEP)
        index = state.step_index + 1
        return replace(state, step_index=index, furthest_index=max(index, state.furthest_index))
    if command is Command.BACK:
        if state.step_index == 0:
            raise CommandRefused(Refusal.AT_FIRST_STEP)
        return replace(state, step_index=state.step_index - 1)
    if command is Command.PAUSE:
        if state.status is not Status.RUNNING:
            raise CommandRefused(Refusal.NOT_RUNNING)
        return replace(state, status=Status.PAUSED)
    if state.status is not Status.PAUSED:  # only RESUME is left
        raise CommandRefused(Refusal.NOT_PAUSED)
    return replace(state, status=Status.RUNNING)


def available_commands(state: RoundState) -> frozenset[Command]:
    """The commands that would be accepted now, for showing only usable controls."""
    allowed = set()
    for command in Command:
        try:
            apply(state, command)
        except CommandRefused:
            continue
        allowed.add(command)
    return frozenset(allowed)


def opened_count(state: RoundState) -> int:
    """How many steps have been opened so far (the furthest one and all before it)."""
    if state.status is Status.LOBBY:
        return 0
    return max(state.step_index, state.furthest_index) + 1


def answerable(state: RoundState, step_index: int) -> bool:
    """Whether a participant may answer this step now: any step already opened, until the end.

    A step stays open after the facilitator moves back, so an answer typed a moment too
    late is still kept.
    """
    return state.is_open and 0 <= step_index < opened_count(state)
