"""Everything the console's live panel shows, gathered afresh on each change."""

from __future__ import annotations

from flask import request

from facilitation import live_round as live
from workshop.pages.facilitator.console import console_view
from workshop.pages.shared import network_steps
from workshop.rounds import help, lifecycle, results, run_sheet, self_paced, team
from workshop.store.db import db
from workshop.store.models import Round


def live_context(round_: Round) -> dict:
    """What the console's live panel needs (and nothing more: it is fetched on each change)."""
    self_paced.close_if_due(db(), round_)
    questionnaire = lifecycle.questionnaire_of(round_)
    state = lifecycle.state_of(round_)
    current = lifecycle.current_step(round_)
    # The facilitator may look back at any step already opened; the open step by default.
    schedule = self_paced.schedule_of(db(), round_.id)
    # In people's own time every step is open; live, those the lead has opened so far.
    opened = questionnaire.steps if schedule else questionnaire.steps[: live.opened_count(state)]
    chosen = request.args.get("step")
    shown = next((s for s in opened if s.id == chosen), None) or current
    return {
        "round": round_,
        "help": help.requests_of(db(), round_.id),
        "events": team.events_of(db(), round_.id, limit=8),
        "revealed": results.revealed_ids(db(), round_.id),
        "schedule": schedule,
        "joins_round": db().get(Round, schedule.joins_round_id)
        if schedule and schedule.joins_round_id
        else None,
        "progress": self_paced.progress_of(db(), round_.id),
        "plan": run_sheet.plan_of(db(), round_.id).get(current.id) if current else None,
        "timer": run_sheet.timer_of(db(), round_),
        "minutes_left": run_sheet.left,
        "questionnaire": questionnaire,
        "state": state,
        "commands": live.available_commands(state),
        "live": console_view(db(), round_, shown),
        "map": network_steps.map_view(db(), round_.id, questionnaire)
        if shown is not None and shown.shows_map
        else None,
        "current": current,
        "chosen": chosen,
        "opened": opened,
    }
