"""A facilitator-paced round over plain HTTP: commands, the conversation, answers and errors."""

from itertools import pairwise

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from facilitation.live_round import Command, CommandRefused, Refusal
from tests.conftest import command, join, make_setup, round_row, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Answer


@pytest.fixture
def layers(app):
    """A round of the nine-step network-layers questionnaire, its facilitator signed in."""
    setup = make_setup(app, email="lee@example.org", questionnaire="network-layers")
    client = app.test_client()
    sign_in(client, setup.email)
    return setup, client


def at_step(app, setup, facilitator, step: int):
    """A participant who has joined, in a round started and moved on to `step` (1-based)."""
    participant = app.test_client()
    page = join(participant, setup)
    command(facilitator, setup, "start")
    for _ in range(step - 1):
        command(facilitator, setup, "next")
    return participant, page


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def stored_answers(app):
    with app.app_context(), session_scope() as db:
        return {(a.participant_id, a.step_id): a.value for a in db.exec(select(Answer))}


def test_commands_move_the_round_and_participants_follow(app, layers):
    setup, facilitator = layers
    participant = app.test_client()
    page = join(participant, setup)
    for name in ("start", "next", "next"):
        assert command(facilitator, setup, name).status_code == 302
    soup = soup_of(participant.get(page))
    # Step 3 of 9 is the second question: information steps are not counted as questions.
    assert soup.select_one(".step-count").get_text() == "Question 2 of 7"
    assert soup.h1.get_text(strip=True) == "Where do you want to start your map?"
    assert soup.title.get_text().startswith("Where do you want to start your map?")
    command(facilitator, setup, "back")
    assert "Question 1 of 7" in participant.get(page).get_data(as_text=True)
    command(facilitator, setup, "pause")
    html = participant.get(page).get_data(as_text=True)
    assert "The facilitator has paused the session" in html
    assert round_row(app, setup.round_id).status == "paused"
    command(facilitator, setup, "resume")
    assert round_row(app, setup.round_id).status == "running"


def test_a_refused_command_is_explained_on_the_console(app, layers):
    setup, facilitator = layers
    response = command(facilitator, setup, "next")
    assert response.status_code == 302
    html = facilitator.get(response.headers["Location"]).get_data(as_text=True)
    assert "The round has not started yet. Start it first." in html
    assert round_row(app, setup.round_id).status == "lobby"


def test_unknown_commands_are_refused(app, layers):
    setup, facilitator = layers
    response = command(facilitator, setup, "explode")
    assert response.status_code == 400
    assert "Sorry, we could not read that" in response.get_data(as_text=True)


def test_information_steps_have_nothing_to_answer(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 1)
    soup = soup_of(participant.get(page))
    assert soup.h1.get_text(strip=True) == "Welcome"
    assert soup.select_one("#now form") is None
    assert "The next question will appear here" in soup.select_one("#now").get_text()


def test_answers_are_stored_before_saved_is_shown_and_appear_in_the_transcript(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 2)
    response = participant.post_form(f"{page}/steps/joining-from", {"answer": "online-at-home"})
    assert response.status_code == 302
    assert list(stored_answers(app).values()) == ["online-at-home"]  # committed already
    html = participant.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answer is saved." in html
    command(facilitator, setup, "next")
    soup = soup_of(participant.get(page))
    turn = soup.select_one("#turn-joining-from")
    assert "Online, from home" in turn.get_text()
    change = turn.select_one("a.turn__change")
    assert change["href"] == f"{page}/steps/joining-from"
    assert "How are you taking part today?" in change.get_text()  # link text names the question


def test_change_an_earlier_answer_prefilled(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 4)
    participant.post_form(f"{page}/steps/layers", {"answer": ["offline", "aspirational"]})
    command(facilitator, setup, "next")
    soup = soup_of(participant.get(f"{page}/steps/layers"))
    checked = [i["value"] for i in soup.select("input[name=answer][checked]")]
    assert checked == ["offline", "aspirational"]
    assert soup.h1.get_text(strip=True) == "Which parts of your network do you want to look at?"
    participant.post_form(f"{page}/steps/layers", {"answer": ["online"]})
    assert list(stored_answers(app).values()) == [["online"]]


def test_empty_answers_get_an_error_summary_and_inline_message(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 2)
    response = participant.post_form(f"{page}/steps/joining-from", {})
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Error: How are you taking part today?")
    summary = soup.select_one(".error-summary")
    assert summary.h2.get_text() == "There is a problem"
    assert summary.a["href"] == "#answer"
    assert soup.select_one("#answer") is not None
    assert soup.select_one("#answer-error").get_text(" ", strip=True) == "Error: Choose one answer"
    assert "answer-error" in soup.select_one("fieldset")["aria-describedby"]
    assert stored_answers(app) == {}


def test_too_long_text_keeps_what_was_typed(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 5)
    typed = "Inclusion London " * 20
    response = participant.post_form(f"{page}/steps/closest-ally", {"answer": typed})
    soup = soup_of(response)
    assert "must be 200 characters or fewer" in soup.select_one(".error-summary").get_text()
    assert soup.select_one("input#answer")["value"] == typed
    assert stored_answers(app) == {}


def test_rating_out_of_range_is_refused(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 6)
    response = participant.post_form(f"{page}/steps/connected", {"answer": "9"})
    assert "Choose a number from 1 to 5" in response.get_data(as_text=True)
    assert participant.post_form(f"{page}/steps/connected", {"answer": "5"}).status_code == 302
    assert list(stored_answers(app).values()) == [5]


def test_optional_questions_can_be_skipped(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 7)
    assert participant.post_form(f"{page}/steps/gaps", {"answer": ""}).status_code == 302
    assert list(stored_answers(app).values()) == [None]
    assert "You skipped this question." in participant.get(page).get_data(as_text=True)


def test_questions_not_yet_open_cannot_be_seen_or_answered(app, layers):
    setup, facilitator = layers
    participant = app.test_client()
    page = join(participant, setup)
    response = participant.post_form(f"{page}/steps/joining-from", {"answer": "in-the-room"})
    assert response.status_code == 302
    command(facilitator, setup, "start")
    assert participant.get(f"{page}/steps/support").status_code == 302
    html = participant.get(page).get_data(as_text=True)
    assert "That question is not open now." in html
    assert participant.get(f"{page}/steps/no-such-step").status_code == 404
    assert stored_answers(app) == {}


def test_late_answers_are_kept_after_the_facilitator_moves_on_or_back(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 3)
    command(facilitator, setup, "back")  # step 3 was open once: still answerable
    participant.post_form(f"{page}/steps/starting-point", {"answer": "issue"})
    command(facilitator, setup, "next")
    participant.post_form(f"{page}/steps/joining-from", {"answer": "in-the-room"})
    assert sorted(v for v in stored_answers(app).values()) == ["in-the-room", "issue"]


def test_after_the_end_answers_are_read_only(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 2)
    participant.post_form(f"{page}/steps/joining-from", {"answer": "in-the-room"})
    command(facilitator, setup, "end")
    soup = soup_of(participant.get(page))
    assert soup.h1.get_text(strip=True) == "Thank you. The session has ended."
    assert "In the room" in soup.select_one("#turn-joining-from").get_text()
    assert soup.select("a.turn__change") == []
    participant.post_form(f"{page}/steps/joining-from", {"answer": "online-at-work"})
    assert list(stored_answers(app).values()) == ["in-the-room"]


def test_console_shows_presence_progress_and_answers_as_they_arrive(app, layers):
    setup, facilitator = layers
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup)
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    amira.get(amira_page)
    amira.post_form(f"{amira_page}/steps/joining-from", {"answer": "online-at-home"})
    live = soup_of(facilitator.get(f"/rounds/{setup.round_id}/live"))
    assert "1 of 2 answered" in live.get_text()
    assert live.select_one("progress")["value"] == "1"
    rows = {tr.td.get_text(): tr.select("td")[1].get_text() for tr in live.select("tbody tr")}
    assert rows["Online, from home"] == "1"
    assert rows["In the room"] == "0"
    people = [li.get_text(" ", strip=True) for li in live.select(".people__row")]
    assert people == [
        "Amira here answered Remove Amira Their data Amira",
        "Participant 2 here not yet Remove Participant 2 Their data Participant 2",
    ]
    for _ in range(3):
        command(facilitator, setup, "next")
    bo.post_form(f"{bo_page}/steps/closest-ally", {"answer": "Mencap"})
    live = soup_of(facilitator.get(f"/rounds/{setup.round_id}/live"))
    assert "Participant 2: Mencap" in live.select_one(".answers").get_text(" ", strip=True)


def test_the_same_answer_sent_twice_at_once_is_stored_once(app, layers):
    """A double tap on Save over a slow connection: two requests race; one row results."""
    from concurrent.futures import ThreadPoolExecutor

    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 2)
    token = participant.csrf_token()

    def save(choice: str) -> int:
        tap = app.test_client()
        with participant.session_transaction() as theirs, tap.session_transaction() as mine:
            mine.update(theirs)
        response = tap.post(
            f"{page}/steps/joining-from", data={"answer": choice, "csrf_token": token}
        )
        return response.status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(save, ["in-the-room"] * 8))
    assert codes == [302] * 8
    assert list(stored_answers(app).values()) == ["in-the-room"]


def test_changing_an_earlier_answer_lands_on_it_marked_saved(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 2)
    participant.post_form(f"{page}/steps/joining-from", {"answer": "in-the-room"})
    command(facilitator, setup, "next")
    response = participant.post_form(f"{page}/steps/joining-from", {"answer": "online-at-work"})
    assert response.headers["Location"].endswith("?saved=joining-from#turn-joining-from")
    soup = soup_of(participant.get(response.headers["Location"]))
    turn = soup.select_one("#turn-joining-from")
    assert "Online, from work" in turn.get_text()
    assert turn.select_one(".turn__saved").get_text() == "Your answer is saved."
    assert turn["tabindex"] == "-1"  # the page lands on it, so a screen reader reads it
    assert turn.h3.get_text(" ", strip=True) == "Question 1 How are you taking part today?"


def test_information_steps_are_not_numbered_as_questions_nor_repeated(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 1)
    welcome = soup_of(participant.get(page))
    assert welcome.h1.get_text(strip=True) == "Welcome"
    assert welcome.select_one(".step-count") is None
    command(facilitator, setup, "next")
    soup = soup_of(participant.get(page))
    assert soup.select_one(".step-count").get_text() == "Question 1 of 7"
    assert soup.select(".turn") == []  # "Welcome" has nothing to show or change


def test_the_last_step_says_the_end_is_near(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 9)
    waiting = soup_of(participant.get(page)).select_one(".waiting").get_text()
    assert "This is the last step" in waiting
    live = soup_of(facilitator.get(f"/rounds/{setup.round_id}/live"))
    next_button = live.select_one("#command-next")
    assert next_button["aria-disabled"] == "true"  # still focusable, says why when pressed
    assert not next_button.has_attr("disabled")
    response = command(facilitator, setup, "next")
    html = facilitator.get(response.headers["Location"]).get_data(as_text=True)
    assert "This is the last step. End the round when everyone is ready." in html


def test_after_the_end_a_change_link_says_the_session_ended(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 1)
    command(facilitator, setup, "end")
    response = participant.get(f"{page}/steps/welcome")
    html = participant.get(response.headers["Location"]).get_data(as_text=True)
    assert "The session has ended, so answers cannot change now. Yours are kept." in html


def test_the_console_can_show_any_opened_step(app, layers):
    setup, facilitator = layers
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    amira.post_form(f"{page}/steps/joining-from", {"answer": "in-the-room"})
    command(facilitator, setup, "next")
    console = f"/rounds/{setup.round_id}"
    soup = soup_of(facilitator.get(console))
    links = [a["href"] for a in soup.select(".steps a")]
    assert links == [f"{console}?step=joining-from", f"{console}?step=starting-point"]
    earlier = soup_of(facilitator.get(f"{console}/live?step=joining-from"))
    assert "Step 2: How are you taking part today?" in earlier.get_text()
    rows = {tr.td.get_text(): tr.select("td")[1].get_text() for tr in earlier.select("tbody tr")}
    assert rows["In the room"] == "1"
    for unopened in ("support", "no-such-step"):
        fallback = soup_of(facilitator.get(f"{console}/live?step={unopened}"))
        assert "Where do you want to start your map?" in fallback.get_text()
        assert "Show the open step instead" not in fallback.get_text()


def test_an_ended_round_hides_its_join_details(app, layers):
    setup, facilitator = layers
    console = f"/rounds/{setup.round_id}"
    assert setup.join_code in facilitator.get(console).get_data(as_text=True).replace(" ", "")
    command(facilitator, setup, "end")
    html = facilitator.get(console).get_data(as_text=True)
    assert "How people join" not in html
    assert setup.join_token not in html


def test_a_command_based_on_an_old_read_cannot_reopen_an_ended_round(app, layers):
    """Two consoles press at once: End lands first; a Resume read before it must not undo it."""
    from workshop.rounds import lifecycle
    from workshop.store.models import Round

    setup, facilitator = layers
    command(facilitator, setup, "start")
    command(facilitator, setup, "pause")
    with app.app_context(), session_scope() as stale, session_scope() as other:
        behind = stale.get(Round, setup.round_id)  # read while paused
        lifecycle.run_command(other, other.get(Round, setup.round_id), Command.END)
        with pytest.raises(CommandRefused) as refused:
            lifecycle.run_command(stale, behind, Command.RESUME)
        assert refused.value.reason is Refusal.ENDED
    round_ = round_row(app, setup.round_id)
    assert (round_.status, round_.step_index) == ("ended", 0)
    assert app.test_client().get(f"/j/{setup.join_token}").status_code == 410


def test_two_nexts_at_once_move_two_steps(app, layers):
    from workshop.rounds import lifecycle
    from workshop.store.models import Round

    setup, facilitator = layers
    command(facilitator, setup, "start")
    with app.app_context(), session_scope() as first, session_scope() as second:
        a, b = first.get(Round, setup.round_id), second.get(Round, setup.round_id)
        lifecycle.run_command(first, a, Command.NEXT)
        lifecycle.run_command(second, b, Command.NEXT)  # b was read at step 1
    assert round_row(app, setup.round_id).step_index == 2


def test_an_answer_saved_after_the_facilitator_went_back_is_confirmed(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 3)
    command(facilitator, setup, "back")
    response = participant.post_form(f"{page}/steps/starting-point", {"answer": "issue"})
    assert response.headers["Location"].endswith("#main")
    html = participant.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answer to “Where do you want to start your map?” is saved." in html
    assert list(stored_answers(app).values()) == ["issue"]


def test_posting_to_an_information_step_goes_back_to_the_conversation(app, layers):
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 1)
    response = participant.post_form(f"{page}/steps/welcome", {"answer": "x"})
    assert response.status_code == 302
    assert stored_answers(app) == {}


def test_the_state_panel_names_the_open_step_while_the_answers_show_another(
    app, setup, facilitator
):
    """Issue 15: after looking at an earlier step's answers (hiding one, say) and pressing
    Back, the console said "Running: step 8 of 11" above step 9's question."""
    from workshop.rounds.lifecycle import questionnaire_of

    for name in ("start", "next", "next"):
        command(facilitator, setup, name)
    steps = questionnaire_of(round_row(app, setup.round_id)).steps
    looked_at, open_step = steps[0], steps[2]
    html = facilitator.get(f"/rounds/{setup.round_id}?step={looked_at.id}").get_data(as_text=True)
    state = BeautifulSoup(html, "html.parser").select_one(".panel--state")
    assert "step 3 of" in state.select_one("#state-title").get_text(" ", strip=True)
    assert state.select_one(".lead").get_text(strip=True) == str(open_step.title)


def test_the_open_question_is_the_first_heading_and_earlier_answers_follow_it(app, layers):
    """Headings in order (WCAG 1.3.1): the open question is the h1, and the earlier
    answers, under their own h2, come after it rather than before."""
    setup, facilitator = layers
    participant, page = at_step(app, setup, facilitator, 2)
    participant.post_form(f"{page}/steps/joining-from", {"answer": "online-at-home"})
    command(facilitator, setup, "next")
    main = soup_of(participant.get(page)).select_one("main")
    levels = [int(h.name[1]) for h in main.select("h1, h2, h3, h4, h5, h6")]
    assert levels[0] == 1, levels
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    assert main.select_one("#turn-joining-from h3")  # the earlier answer is still there
