"""Plain-language words for round states and for refused commands."""

from flask_babel import lazy_gettext as _l

from facilitation.session import Refusal, Status

_REFUSALS = {
    Refusal.NOT_STARTED: _l("The round has not started yet. Start it first."),
    Refusal.ALREADY_STARTED: _l("The round has already started."),
    Refusal.ENDED: _l("The round has ended. Nothing more can change."),
    Refusal.AT_FIRST_STEP: _l("This is the first step. There is nothing before it."),
    Refusal.AT_LAST_STEP: _l("This is the last step. End the round when everyone is ready."),
    Refusal.NOT_RUNNING: _l("The round is not running, so it cannot be paused."),
    Refusal.NOT_PAUSED: _l("The round is not paused."),
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
