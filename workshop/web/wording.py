"""Plain-language words: round states, refused commands, the record, and people's labels."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from facilitation.live_round import Refusal, Status
from workshop.store.models import Participant

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


_EVENTS = {
    "start": _l("started the round"),
    "next": _l("moved on to step %(detail)s"),
    "back": _l("went back to step %(detail)s"),
    "pause": _l("paused the round"),
    "resume": _l("resumed the round"),
    "end": _l("ended the round"),
    "invited": _l("invited %(detail)s to help"),
    "removed-supporter": _l("took %(detail)s off the team"),
    "help-handled": _l("handled a help request from %(detail)s"),
    "tidy-rename": _l("renamed “%(detail)s”"),
    "tidy-merge": _l("merged “%(detail)s” into another name"),
    "tidy-split": _l("split a name off “%(detail)s”"),
    "tidy-hide": _l("took “%(detail)s” off the map"),
    "tidy-show": _l("put “%(detail)s” back on the map"),
    "show-map": _l("showed the map to participants"),
    "hide-map": _l("hid the map from participants"),
    "show-measures": _l("showed the measures to participants"),
    "hide-measures": _l("hid the measures from participants"),
    "show-answers": _l("showed the group's answers to “%(detail)s”"),
    "hide-answers": _l("hid the group's answers to “%(detail)s”"),
    "hide-answer": _l("hid an answer to “%(detail)s”"),
    "show-answer": _l("showed an answer to “%(detail)s” again"),
    "remove-participant": _l("removed %(detail)s"),
    "run-sheet": _l("saved the run sheet"),
    "import": _l("added names and ties from %(detail)s"),
    "timer-start": _l("showed a time guide of %(detail)s minutes"),
    "timer-extend": _l("gave %(detail)s more minutes"),
    "timer-stop": _l("stopped the time guide"),
    "exported-data": _l("downloaded a participant's data, on their request"),
    "erased-data": _l("deleted everything about a participant, on their request"),
    "erased-own-data": _l("A participant deleted everything about them"),
}


def event_words(event) -> str:
    """What a facilitator did, as the console's record says it ("moved on to step 3")."""
    words = _EVENTS.get(event.action)
    return str(words) % {"detail": event.detail} if words is not None else event.action


def participant_label(participant: Participant) -> str:
    """A participant's name, or "Participant 3": the same words they see on their own page."""
    return participant.display_name or _("Participant %(n)d", n=participant.number)
