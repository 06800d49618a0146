"""The run sheet (planned minutes, running total, private notes) and the step's time guide."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.conftest import command, join
from tests.test_help_and_team import add_facilitator, join_team, page_of, words
from tests.test_sockets import participant_socket
from workshop.store.db import session_scope
from workshop.store.models import Answer, StepTimer


def test_the_team_plans_minutes_and_notes_and_sees_them_at_each_step(app, setup, facilitator):
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(facilitator, setup.round_id, "alex@example.org", supporter)
    url = f"/rounds/{setup.round_id}/run-sheet"
    sheet = page_of(supporter, url)
    assert [h.get_text(strip=True) for h in sheet.select(".run-sheet__title")] == [
        "How are you feeling today?",
        "Is there anything that would help you take part?",
        "What do you hope to get from today?",
    ]
    # Mistakes are listed, and what was typed is kept.
    bad = supporter.post_form(
        url, {"minutes-feeling": "five", "minutes-needs": "300", "notes-feeling": "Go slowly"}
    )
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert (
        "Write the minutes for “How are you feeling today?” as a whole number from 0 to 240" in text
    )
    assert "Go slowly" in text and 'value="five"' in text
    saved = supporter.post_form(
        url,
        {"minutes-feeling": "5", "minutes-needs": "", "minutes-hope": "10",
         "notes-feeling": "Ask Bo to read the scale aloud."},
    )  # fmt: skip
    assert saved.status_code == 302
    sheet = page_of(facilitator, url)
    hints = [h.get_text(" ", strip=True) for h in sheet.select(".run-sheet .hint")]
    assert hints == [
        "By the end of this step: 5 minutes in all.",
        "By the end of this step: 5 minutes in all.",
        "By the end of this step: 15 minutes in all.",
    ]
    assert "Planned in all: 15 minutes." in words(sheet, "main")
    command(facilitator, setup, "start")
    console = words(page_of(facilitator, f"/rounds/{setup.round_id}"), "#console-live")
    assert "Planned: 5 minutes." in console
    notes = page_of(facilitator, f"/rounds/{setup.round_id}").select_one("details.run-sheet__notes")
    assert not notes.has_attr("open")  # folded: the console may be on a shared screen
    assert words(notes, "summary") == "Your notes for this step"
    assert words(notes, "p") == "Ask Bo to read the scale aloud."
    assert "Alex Lee saved the run sheet" in console
    # Participants never see the notes.
    amira = app.test_client()
    assert "Ask Bo" not in amira.get(join(amira, setup, "Amira")).get_data(as_text=True)


def test_a_time_guide_is_shown_extended_and_stopped_and_never_cuts_anyone_off(
    app, setup, facilitator
):
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(facilitator, setup, "start")
    listening = participant_socket(app, page)
    listening.get_received("/participant")
    timer = f"/rounds/{setup.round_id}/timer"
    assert facilitator.post_form(timer, {"action": "start", "minutes": "3"}).status_code == 302
    assert "results_changed" in [e["name"] for e in listening.get_received("/participant")]
    guide = page_of(amira, page).select_one("[data-time-guide]")
    assert guide.get_text(" ", strip=True) in (
        "Time guide: about 3 minutes left. You can still answer after it.",
        "Time guide: about 2 minutes left. You can still answer after it.",
    )
    facilitator.post_form(timer, {"action": "extend"})
    assert "about 5 minutes left" in page_of(amira, page).select_one("[data-time-guide]").text

    # Time runs out: the guide says so, and a late answer is kept all the same.
    with app.app_context(), session_scope() as db:
        row = db.get(StepTimer, setup.round_id)
        row.ends_at = row.ends_at - timedelta(minutes=10)
        db.add(row)
        db.commit()
    ended = page_of(amira, page).select_one("[data-time-guide]").get_text(strip=True)
    assert ended == "The time guide has ended. You can still answer."
    assert amira.post_form(f"{page}/steps/feeling", {"answer": "3"}).status_code == 302
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Answer.step_id)).all() == ["feeling"]
    # "Two more minutes" after the end counts from now.
    facilitator.post_form(timer, {"action": "extend"})
    assert "about 2 minutes left" in page_of(amira, page).select_one("[data-time-guide]").text
    facilitator.post_form(timer, {"action": "stop"})
    assert page_of(amira, page).select_one("[data-time-guide]") is None
    # A guide belongs to its step: the next step starts without one.
    facilitator.post_form(timer, {"action": "start", "minutes": "4"})
    command(facilitator, setup, "next")
    assert page_of(amira, page).select_one("[data-time-guide]") is None
    record = words(page_of(facilitator, f"/rounds/{setup.round_id}"), "#console-live")
    assert "Sam Jones showed a time guide of 3 minutes" in record
    assert "Sam Jones gave 2 more minutes" in record


def test_only_the_lead_shows_a_time_guide_and_only_the_team_plans(app, setup, facilitator):
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(facilitator, setup.round_id, "alex@example.org", supporter)
    stranger = add_facilitator(app, "kim@example.org", "Kim")
    command(facilitator, setup, "start")
    timer = f"/rounds/{setup.round_id}/timer"
    assert supporter.post_form(timer, {"action": "start", "minutes": "3"}).status_code == 404
    assert stranger.post_form(timer, {"action": "start", "minutes": "3"}).status_code == 404
    url = f"/rounds/{setup.round_id}/run-sheet"
    assert stranger.get(url).status_code == 404
    assert stranger.post_form(url, {"minutes-feeling": "5"}).status_code == 404
    participant = app.test_client()
    join(participant, setup)
    assert participant.get(url).status_code == 302  # sent to sign in
    assert facilitator.post_form(timer, {"action": "start", "minutes": "0"}).status_code == 302
    assert "No time guide is shown" in words(
        page_of(facilitator, f"/rounds/{setup.round_id}"), "main"
    )
    assert facilitator.post_form(timer, {"action": "nonsense"}).status_code == 400
