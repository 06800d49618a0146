"""Who may do what in a round: the lead facilitator steers, supporters help and tidy.

The one table: every page, socket event and template asks `may`, never a role's name.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A facilitator's part in one round."""

    LEAD = "lead"  # owns the project: steers, invites, removes people
    SUPPORTER = "supporter"  # invited to one round: sees it all, helps and tidies


class Action(StrEnum):
    """Things a facilitator does to a round, each allowed to some roles. The project's own
    pages (ORGANISE) ask it too: its owner leads every round in it, and a supporter has no
    part in the project around their round."""

    VIEW = "view"  # the console, the map, the people, the activity
    HELP = "help"  # mark a participant's help request handled
    TIDY = "tidy"  # rename, merge, hide and show actors on the map
    MODERATE = "moderate"  # hide or show a free-text answer
    PLAN = "plan"  # the run sheet: minutes and private notes per step
    STEER = "steer"  # start, next, back, pause, end; show the map and results
    INVITE = "invite"  # add or remove supporters
    REMOVE = "remove"  # remove a participant from the round; their data, on their request
    IMPORT = "import"  # start the map from a spreadsheet
    REPORT = "report"  # the reports, the team's reflections and every file to download
    ORGANISE = "organise"  # the project: its experiments, and new rounds in them


_SUPPORTER_MAY = frozenset({Action.VIEW, Action.HELP, Action.TIDY, Action.MODERATE, Action.PLAN})


def may(role: Role | None, action: Action) -> bool:
    """Whether someone with this role in a round may do this (no role: nothing).

    >>> may(Role.SUPPORTER, Action.TIDY), may(Role.SUPPORTER, Action.STEER)
    (True, False)
    >>> may(Role.LEAD, Action.REMOVE), may(None, Action.VIEW)
    (True, False)
    """
    if role is None:
        return False
    return role is Role.LEAD or action in _SUPPORTER_MAY
