"""Self-paced rounds: open until a closing date, each person at their own pace."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.conftest import join
from tests.test_help_and_team import page_of, words
from tests.test_sockets import events, facilitator_socket
from workshop.store.db import session_scope
from workshop.store.models import Answer, Round, SelfPaced


def join_round(client, token: str, name: str) -> str:
    """Join a round other than the setup's, by its join token; its page path."""
    return join(client, SimpleNamespace(join_token=token), name)


def create_self_paced(facilitator, setup, closes_on: str):
    return facilitator.post_form(
        f"/experiments/{setup.experiment_id}",
        {"questionnaire": "check-in", "name": "In your own time", "pace": "self",
         "closes_on": closes_on},
    )  # fmt: skip


def test_people_move_at_their_own_pace_and_the_console_shows_where_each_is(app, setup, facilitator):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    created = create_self_paced(facilitator, setup, tomorrow)
    assert created.status_code == 302
    round_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, round_id)
        assert round_.status == "running"  # open at once: nobody waits for a start
        token = round_.join_token
    join_page = page_of(app.test_client(), f"/j/{token}")
    assert "Answer in your own time, until" in words(join_page, "main")

    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join_round(amira, token, "Amira"), join_round(bo, token, "Bo")
    first = page_of(amira, amira_page)
    assert words(first, "h1") == "How are you feeling today?"
    assert first.select_one(".check-next") is None  # nobody to wait for
    nav = first.select_one("form.pace-form")
    # Not answered yet: moving on is offered as skipping, not as the main button.
    assert [b.get_text(strip=True) for b in nav.select("button")] == ["Skip this question"]

    # Amira answers and moves on twice; Bo stays at the start. Consoles hear of each move.
    console_socket = facilitator_socket(app, facilitator)
    console_socket.emit("watch", {"round": round_id}, namespace="/facilitator", callback=True)
    saved = amira.post_form(f"{amira_page}/steps/feeling", {"answer": "4"})
    assert saved.headers["Location"].endswith("#now")  # saving goes on, as Continue does
    told = events(console_socket, "/facilitator", "console_changed")
    assert "progress" in [e["reason"] for e in told]
    assert (
        words(page_of(amira, amira_page), "h1")
        == "Is there anything that would help you take part?"
    )
    amira.post_form(nav["action"], {"go": "next"})
    last = page_of(amira, amira_page)
    assert words(last, "h1") == "What do you hope to get from today?"
    assert "This is the last step. You can change your answers until" in words(last, "#now")
    assert [b.get_text(strip=True) for b in last.select("form.pace-form button")] == [
        "Previous step"
    ]
    assert words(page_of(bo, bo_page), "h1") == "How are you feeling today?"
    # She can still change an earlier answer.
    assert amira.post_form(f"{amira_page}/steps/feeling", {"answer": "5"}).status_code == 302

    console = page_of(facilitator, f"/rounds/{round_id}")
    state = words(console, "#console-live")
    assert "People take this round in their own time, until" in state
    assert console.select_one("#command-next") is None
    rows = [li.get_text(" ", strip=True) for li in console.select(".people__row")]
    assert rows[0].startswith("Amira") and "at step 3 of 3" in rows[0]
    assert rows[1].startswith("Bo") and "at step 1 of 3" in rows[1]
    # Every step's answers can be looked at, as the round is open throughout.
    assert console.select_one("#step-link-hope") is not None


def test_a_self_paced_round_closes_by_itself_and_keeps_what_was_given(app, setup, facilitator):
    created = create_self_paced(facilitator, setup, date.today().isoformat())
    round_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with app.app_context(), session_scope() as db:
        token = db.get(Round, round_id).join_token

    amira = app.test_client()
    page = join_round(amira, token, "Amira")
    amira.post_form(f"{page}/steps/feeling", {"answer": "3"})
    with app.app_context(), session_scope() as db:  # the closing time passes
        schedule = db.get(SelfPaced, round_id)
        schedule.closes_at = schedule.closes_at - timedelta(days=2)
        db.add(schedule)
        db.commit()
    assert app.test_client().get(f"/j/{token}").status_code == 410
    closed = page_of(amira, page)
    assert "Thank you. The session has ended." in words(closed, "h1")
    amira.post_form(f"{page}/steps/feeling", {"answer": "1"})  # too late: nothing changes
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Answer.value)).all() in (["3"], [3])
        assert db.get(Round, round_id).status == "ended"


def test_a_self_paced_round_needs_a_closing_date_today_or_later(app, setup, facilitator):
    for closes_on, message in (
        ("", "Choose the day the round closes"),
        ("31/12/2026", "Write the closing date like 2026-12-31"),
        ((date.today() - timedelta(days=1)).isoformat(), "The closing date must be today or later"),
    ):
        response = create_self_paced(facilitator, setup, closes_on)
        assert response.status_code == 400, closes_on
        assert message in response.get_data(as_text=True)
        # A date box cannot hold what is not a date (HTML): it is not given back as its value.
        box = BeautifulSoup(response.data, "html.parser").select_one("input#closes_on")
        assert box["value"] in ("", closes_on) and box["value"] != "31/12/2026", box
    # A live round needs no date, and is not self-paced.
    live = facilitator.post_form(
        f"/experiments/{setup.experiment_id}", {"questionnaire": "check-in", "pace": "live"}
    )
    assert live.status_code == 302
    # Moving at one's own pace is only for self-paced rounds.
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    assert amira.post_form(f"{page}/pace", {"go": "next"}).status_code == 404


def test_answers_given_in_their_own_time_can_join_a_live_rounds_results(app, setup, facilitator):
    from tests.conftest import command

    amira = app.test_client()
    live_page = join(amira, setup, "Amira")
    command(facilitator, setup, "start")
    amira.post_form(f"{live_page}/steps/feeling", {"answer": "2"})
    # The experiment page offers the live round to join.
    choices = page_of(facilitator, f"/experiments/{setup.experiment_id}").select("#joins option")
    assert [o.get_text(strip=True) for o in choices] == [
        "No: a round of its own",
        "Greenwich, March (Quick check-in)",
    ]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    wrong = facilitator.post_form(
        f"/experiments/{setup.experiment_id}",
        {"questionnaire": "map-your-network", "pace": "self", "closes_on": tomorrow,
         "joins": str(setup.round_id)},
    )  # fmt: skip
    assert wrong.status_code == 400
    assert "Choose a round of the same questionnaire" in wrong.get_data(as_text=True)
    made = facilitator.post_form(
        f"/experiments/{setup.experiment_id}",
        {"questionnaire": "check-in", "name": "Carers, at home", "pace": "self",
         "closes_on": tomorrow, "joins": str(setup.round_id)},
    )  # fmt: skip
    round_id = int(made.headers["Location"].rsplit("/", 1)[1])
    with app.app_context(), session_scope() as db:
        token = db.get(Round, round_id).join_token

    bo = app.test_client()
    bo_page = join_round(bo, token, "Bo")
    bo.post_form(f"{bo_page}/steps/feeling", {"answer": "5"})
    report = page_of(facilitator, f"/rounds/{setup.round_id}/report")
    assert "Includes the answers given in: Carers, at home" in words(report, ".summary-list")
    assert "Joined 2 people" in words(report, ".summary-list")
    feeling = report.select_one(".chart-table")
    counts = {
        row.th.get_text(strip=True): row.select("td")[0].get_text(strip=True)
        for row in feeling.select("tbody tr")
    }
    assert counts["2"] == "1" and counts["5"] == "1"
