"""Everything the console's live panel shows, gathered afresh on each change."""

from __future__ import annotations

import time
from threading import Lock

from flask import current_app, render_template, request

from facilitation import live_round as live
from facilitation.roles import Role
from workshop.pages.facilitator.console import console_view
from workshop.pages.facilitator.people_list import people_list
from workshop.pages.shared import network_steps
from workshop.pages.shared.shared_render import put_in, taken_out
from workshop.rounds import help, lifecycle, results, run_sheet, self_paced, team
from workshop.store.db import db
from workshop.store.models import Round
from workshop.web.i18n import language_code


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
    view = console_view(db(), round_, shown)
    progress = self_paced.progress_of(db(), round_.id)
    return {
        "round": round_,
        "help": help.requests_of(db(), round_.id),
        "events": team.events_of(db(), round_.id, limit=8),
        "revealed": results.revealed_ids(db(), round_.id),
        "schedule": schedule,
        "joins_round": db().get(Round, schedule.joins_round_id)
        if schedule and schedule.joins_round_id
        else None,
        "progress": progress,
        "plan": run_sheet.plan_of(db(), round_.id).get(current.id) if current else None,
        "timer": run_sheet.timer_of(db(), round_),
        "minutes_left": run_sheet.left,
        "questionnaire": questionnaire,
        "state": state,
        "commands": live.available_commands(state),
        "live": view,
        "people_list": people_list(
            round_.id,
            view.people,
            shows_answers=bool(shown and shown.collects_answer),
            progress=progress if schedule else None,
            step_count=state.step_count,
        ),
        "map": network_steps.map_view(db(), round_.id, questionnaire)
        if shown is not None and shown.shows_map
        else None,
        "current": current,
        "chosen": chosen,
        "opened": opened,
    }


# ---------------------------------------------------------------- one render for every watcher

# A console asks for its panel after each change it is told of (at most twice a second), and a
# room of 500 changes it many times a second; so does every other console watching the round.
# The panel is rendered once for all of them: again only when a console was told of a change
# made after the kept one was started (`since`: the change's time, sent with the event). One
# that asks without saying (as it opens, or reconnects) gets a new render. A lock per panel
# makes consoles that ask together wait for one render instead of each making its own.


def live_panel_html(round_: Round, role: Role | None, since: float | None) -> str:
    """The live panel as this person's console shows it now."""
    key = (round_.id, request.args.get("step"), language_code(), role)
    # Per app: its rounds are its database's.
    panels: dict[tuple, tuple[float, str]] = current_app.extensions.setdefault(
        "roundtable.live_panels", {}
    )
    locks: dict[tuple, Lock] = current_app.extensions.setdefault("roundtable.live_locks", {})
    with locks.setdefault(key, Lock()):
        kept = panels.get(key)
        if kept is None or since is None or kept[0] < since:
            started = time.time()
            # Read everything as it is from now on: end the request's transaction (SQLite
            # would go on showing what was stored when it began) and read the round again.
            db().commit()
            db().refresh(round_)
            context = live_context(round_)
            html = taken_out(render_template("facilitator/_live.html", **context))
            kept = panels[key] = (started, html)
    return put_in(kept[1])
