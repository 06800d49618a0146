"""Plain-language words for every enum people meet: round states, refused commands, the record,
problems with an answer, and people's labels."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from enum import StrEnum
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from facilitation.answers import Problem
from facilitation.live_round import Refusal, Status
from facilitation.network import MAX_NAME_LENGTH
from questionnaires.schema import Step, Stored

_REFUSALS = {
    Refusal.NOT_STARTED: _l("The round has not started yet. Start it first."),
    Refusal.ALREADY_STARTED: _l("The round has already started."),
    Refusal.ENDED: _l("The round has ended. Nothing more can change."),
    Refusal.AT_FIRST_STEP: _l("This is the first step. There is nothing before it."),
    Refusal.AT_LAST_STEP: _l("This is the last step. End the round when everyone is ready."),
    Refusal.NOT_RUNNING: _l("The round is not running, so it cannot be paused."),
    Refusal.NOT_PAUSED: _l("The round is not paused."),
    Refusal.SELF_PACED: _l("People take this round in their own time. You can only close it."),
}

_STATUSES = {
    Status.LOBBY: _l("Waiting to start"),
    Status.RUNNING: _l("Running"),
    Status.PAUSED: _l("Paused"),
    Status.ENDED: _l("Ended"),
}


def refusal_message(reason: Refusal) -> str:
    """Why a command was refused, in the current language."""
    return str(_REFUSALS[reason])


def status_label(status: str) -> str:
    """A round's status, in the current language."""
    return str(_STATUSES[Status(status)])


class RecordAction(StrEnum):
    """What someone did to a round, as its record stores it (the value) and as the console's
    record says it (`words`). The values are the strings stored before this was an enum, so
    every old row still reads."""

    words: LazyString

    def __new__(cls, value: str, words: LazyString) -> RecordAction:
        action = str.__new__(cls, value)
        action._value_ = value
        action.words = words
        return action

    START = "start", _l("started the round")
    NEXT = "next", _l("moved on to step %(detail)s")
    BACK = "back", _l("went back to step %(detail)s")
    PAUSE = "pause", _l("paused the round")
    RESUME = "resume", _l("resumed the round")
    END = "end", _l("ended the round")
    INVITED = "invited", _l("invited %(detail)s to help")
    REMOVED_SUPPORTER = "removed-supporter", _l("took %(detail)s off the team")
    PASSWORD_LINK = "password-link", _l("made a new-password link for %(detail)s")
    HELP_HANDLED = "help-handled", _l("handled a help request from %(detail)s")
    TIDY_RENAME = "tidy-rename", _l("renamed “%(detail)s”")  # rows from before both names
    TIDY_RENAME_TO = "tidy-rename-to", _l("renamed “%(detail)s” to “%(into)s”")
    TIDY_MERGE = "tidy-merge", _l("merged “%(detail)s” into another name")  # likewise
    TIDY_MERGE_INTO = "tidy-merge-into", _l("merged “%(detail)s” into “%(into)s”")
    TIDY_SPLIT = "tidy-split", _l("split a name off “%(detail)s”")
    TIDY_HIDE = "tidy-hide", _l("took “%(detail)s” off the map")
    TIDY_SHOW = "tidy-show", _l("put “%(detail)s” back on the map")
    SHOW_MAP = "show-map", _l("showed the map to participants")
    HIDE_MAP = "hide-map", _l("hid the map from participants")
    SHOW_MEASURES = "show-measures", _l("showed the measures to participants")
    HIDE_MEASURES = "hide-measures", _l("hid the measures from participants")
    SHOW_ANSWERS = "show-answers", _l("showed the group's answers to “%(detail)s”")
    HIDE_ANSWERS = "hide-answers", _l("hid the group's answers to “%(detail)s”")
    HIDE_ANSWER = "hide-answer", _l("hid an answer to “%(detail)s”")
    SHOW_ANSWER = "show-answer", _l("showed an answer to “%(detail)s” again")
    REMOVE_PARTICIPANT = "remove-participant", _l("removed %(detail)s")
    RUN_SHEET = "run-sheet", _l("saved the run sheet")
    IMPORT = "import", _l("added names and connections from %(detail)s")
    TIMER_START = "timer-start", _l("showed a time guide of %(detail)s minutes")
    TIMER_EXTEND = "timer-extend", _l("gave %(detail)s more minutes")
    TIMER_STOP = "timer-stop", _l("stopped the time guide")
    EXPORTED_DATA = "exported-data", _l("downloaded a participant's data, on their request")
    ERASED_DATA = "erased-data", _l("deleted everything about a participant, on their request")
    ERASED_OWN_DATA = "erased-own-data", _l("A participant deleted everything about them")


# Actions whose record names two things (from, to): stored as a JSON pair in the detail.
TWO_NAMES = frozenset({RecordAction.TIDY_RENAME_TO, RecordAction.TIDY_MERGE_INTO})


def record_detail(action: RecordAction, *names: str) -> str:
    """What the record stores beside an action: one name, or for TWO_NAMES both."""
    return json.dumps(names, ensure_ascii=False) if action in TWO_NAMES else "".join(names)


def event_words(event) -> str:
    """What a facilitator did, as the console's record says it ("moved on to step 3")."""
    try:
        action = RecordAction(event.action)
    except ValueError:  # not an action this version knows: say it as it was stored
        return event.action
    values = {"detail": event.detail, "into": ""}
    if action in TWO_NAMES:
        with suppress(ValueError, TypeError):
            values["detail"], values["into"] = json.loads(event.detail)
    return str(action.words) % values


class Named(Protocol):
    """A participant row, or just the columns a label needs."""

    display_name: str | None
    number: int


def participant_label(participant: Named) -> str:
    """A participant's name, or "Participant 3": the same words they see on their own page."""
    return participant.display_name or _("Participant %(n)d", n=participant.number)


def answer_error(step: Step, problem: Problem) -> str:
    """The message shown in the error summary and beside the question."""
    return _MESSAGES.get(problem, _no_answer_needed)(step)


def _no_answer_needed(_step: Step) -> str:
    return _("This step does not need an answer")


_MESSAGES: dict[Problem, Callable[[Step], str]] = {
    Problem.CHOOSE_ONE: lambda _step: _("Choose one answer"),
    Problem.CHOOSE_AT_LEAST_ONE: lambda _step: _("Choose at least one answer"),
    Problem.UNKNOWN_OPTION: lambda _step: _("Choose from the answers shown"),
    Problem.ENTER_TEXT: lambda _step: _("Write your answer"),
    Problem.TOO_LONG: lambda step: _(
        "Your answer must be %(count)d characters or fewer", count=step.max_length
    ),
    Problem.CHOOSE_NUMBER: lambda step: _(
        "Choose a number from %(low)d to %(high)d", low=step.min, high=step.max
    ),
    Problem.ENTER_NAME: lambda _step: _("Write a name"),
    Problem.NAME_TOO_LONG: lambda _step: _(
        "The name must be %(count)d characters or fewer", count=MAX_NAME_LENGTH
    ),
    Problem.CHOOSE_KIND: lambda step: (
        _("Choose how they are connected")
        if step.stores is Stored.TIES
        else _("Choose what kind it is")
    ),
    Problem.TOO_MANY: lambda step: _(
        "You can add up to %(count)d here. Remove one to add another.", count=step.max_items or 0
    ),
    Problem.CHOOSE_SOURCE: lambda _step: _("Choose who"),
    Problem.CHOOSE_TARGET: lambda _step: _("Choose who they are connected with"),
    Problem.SAME_ACTOR: lambda _step: _("Choose two different names"),
    Problem.PLACE_ONE: lambda _step: _("Give an answer for at least one name"),
}
