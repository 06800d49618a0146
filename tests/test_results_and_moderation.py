"""Revealing the group's answers on each person's own device, and hiding written answers."""

from __future__ import annotations

from sqlalchemy import event

from tests.conftest import command, join, make_setup, sign_in
from tests.test_help_and_team import add_facilitator, join_team, page_of, words
from tests.test_sockets import events, participant_socket


def answer(client, page: str, step_id: str, *values: str) -> None:
    data = {"answer": list(values)}
    assert client.post_form(f"{page}/steps/{step_id}", data).status_code == 302


def test_the_lead_shows_a_steps_answers_to_everyone_on_their_own_device(app):
    setup = make_setup(app)  # check-in: feeling (rating), needs (choices), hope (short text)
    lead = app.test_client()
    sign_in(lead, setup.email)
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(lead, setup, "start")
    answer(amira, amira_page, "feeling", "4")
    answer(bo, bo_page, "feeling", "5")
    listening = participant_socket(app, amira_page)
    listening.get_received("/participant")

    # Nothing is shown until the lead chooses.
    assert page_of(amira, amira_page).select_one(".group-answers") is None
    console = page_of(lead, f"/rounds/{setup.round_id}")
    reveal = console.select_one("form.reveal-form")
    assert words(reveal, "button") == "Show these answers to participants"
    assert lead.post_form(reveal["action"], {"shown": "1"}).status_code == 302
    assert events(listening, "/participant", "results_changed") == [{}]

    # Each person sees the group's answers as a table with numbers, on their own page.
    for client, page in ((amira, amira_page), (bo, bo_page)):
        group = page_of(client, page).select_one(".group-answers")
        assert words(group, ".group-answers__title") == "What the group said"
        rows = [
            [cell.get_text(strip=True) for cell in row.select("th, td")[:3]]
            for row in group.select("tbody tr")
        ]
        assert rows == [["1", "0", "0%"], ["2", "0", "0%"], ["3", "0", "0%"],
                        ["4", "1", "50%"], ["5", "1", "50%"]]  # fmt: skip
        assert "Amira" not in group.get_text() and "Bo" not in group.get_text()

    # Hidden again: gone from every page; and the record says who did both.
    console = page_of(lead, f"/rounds/{setup.round_id}")
    lead.post_form(console.select_one("form.reveal-form")["action"], {"shown": "0"})
    assert page_of(bo, bo_page).select_one(".group-answers") is None
    record = words(page_of(lead, f"/rounds/{setup.round_id}"), "#console-live")
    assert "Sam Jones showed the group's answers to “How are you feeling today?”" in record
    assert "Sam Jones hid the group's answers to “How are you feeling today?”" in record


def test_a_hidden_answer_leaves_the_shared_view_but_stays_in_the_record(app):
    setup = make_setup(app)
    lead = app.test_client()
    sign_in(lead, setup.email)
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(lead, setup.round_id, "alex@example.org", supporter)
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(lead, setup, "start")
    command(lead, setup, "next")
    command(lead, setup, "next")  # "hope": a written answer
    answer(amira, amira_page, "hope", "Step-free access, please")
    answer(bo, bo_page, "hope", "Call Bo on 07700 900123")  # personal details
    console = page_of(lead, f"/rounds/{setup.round_id}")
    lead.post_form(console.select_one("form.reveal-form")["action"], {"shown": "1"})
    shown = words(page_of(amira, amira_page), ".group-answers")
    assert "Step-free access, please" in shown and "07700 900123" in shown

    # The supporter hides Bo's answer: the group no longer sees it; the console still does.
    console = page_of(supporter, f"/rounds/{setup.round_id}")
    bos = next(li for li in console.select(".answers__item") if "07700" in li.get_text())
    hide = bos.select_one("form")
    assert words(hide, "button").startswith("Hide from the group")
    assert supporter.post_form(hide["action"], {"hidden": "1"}).status_code == 302
    shown = words(page_of(amira, amira_page), ".group-answers")
    assert "Step-free access, please" in shown and "07700" not in shown
    assert "2 of 2 answered" in shown  # Bo did answer; only his words are not shown
    report = words(page_of(lead, f"/rounds/{setup.round_id}/report"), "main")
    assert "07700" not in report  # a report may be put on a shared screen
    assert "1 answer is hidden from the group, so it is not shown here." in report
    kept = page_of(lead, f"/rounds/{setup.round_id}").select(".answers__item--hidden")
    assert len(kept) == 1 and "07700 900123" in kept[0].get_text()
    assert "hidden from the group" in kept[0].get_text()
    assert "Alex Lee hid an answer to" in words(page_of(lead, f"/rounds/{setup.round_id}"), "main")
    # Reversible.
    show = kept[0].select_one("form")
    supporter.post_form(show["action"], {"hidden": "0"})
    assert "07700" in words(page_of(amira, amira_page), ".group-answers")


def test_only_those_running_the_round_reveal_or_hide(app):
    setup = make_setup(app)
    lead = app.test_client()
    sign_in(lead, setup.email)
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(lead, setup.round_id, "alex@example.org", supporter)
    stranger = add_facilitator(app, "kim@example.org", "Kim")
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(lead, setup, "start")
    answer(amira, page, "feeling", "3")
    reveal = f"/rounds/{setup.round_id}/steps/feeling/reveal"
    assert supporter.post_form(reveal, {"shown": "1"}).status_code == 404  # the lead steers
    assert page_of(supporter, f"/rounds/{setup.round_id}").select_one("form.reveal-form") is None
    assert stranger.post_form(reveal, {"shown": "1"}).status_code == 404
    assert amira.post_form(reveal, {"shown": "1"}).status_code == 302  # to sign in
    assert (
        lead.post_form(f"/rounds/{setup.round_id}/steps/nope/reveal", {"shown": "1"}).status_code
        == 400
    )
    assert page_of(amira, page).select_one(".group-answers") is None
    hide = f"/rounds/{setup.round_id}/answers/1/hidden"
    assert stranger.post_form(hide, {"hidden": "1"}).status_code == 404
    assert amira.post_form(hide, {"hidden": "1"}).status_code == 302
    assert (
        lead.post_form(f"/rounds/{setup.round_id}/answers/999/hidden", {"hidden": "1"}).status_code
        == 404
    )


def test_a_room_after_a_reveal_counts_the_group_once_per_change(app):
    """Issue 16: once a step was revealed, every participant page read every answer in
    the round and counted them again: a room of 1,000 read the round 1,000 times after
    the reveal, and on each page after. Now pages that see the same share one count, and
    a new answer, someone joining or a hidden answer is counted on the next page."""
    setup = make_setup(app)
    lead = app.test_client()
    sign_in(lead, setup.email)
    people = [app.test_client() for _ in range(4)]
    pages = [join(person, setup, name) for person, name in zip(people, "ABCD", strict=True)]
    command(lead, setup, "start")
    for person, page, value in zip(people[:3], pages, "455", strict=False):
        answer(person, page, "feeling", value)
    console = page_of(lead, f"/rounds/{setup.round_id}")
    lead.post_form(console.select_one("form.reveal-form")["action"], {"shown": "1"})

    def said() -> list[str]:
        return [
            words(page_of(p, page), ".group-answers") for p, page in zip(people, pages, strict=True)
        ]

    assert answer_reads(app, said) == 1
    shown = said()
    assert all("3 of 4 answered" in text for text in shown[:3])
    assert shown[3] == ""  # D has not answered: the group's answers wait until they have
    answer(people[3], pages[3], "feeling", "1")
    assert answer_reads(app, said) == 1
    assert all("4 of 4 answered" in text for text in said())
    join(app.test_client(), setup, "Eve")
    assert all("4 of 5 answered" in text for text in said())


def answer_reads(app, fetch) -> int:
    """How many times `fetch` read the round's answers whole (to count them)."""
    reads = 0

    def counted(_conn, _cursor, statement, *_args):
        nonlocal reads
        reads += statement.lstrip().startswith("SELECT answer.id") and (
            "WHERE answer.round_id IN" in statement
        )

    engine = app.extensions["roundtable.engine"]
    event.listen(engine, "before_cursor_execute", counted)
    try:
        fetch()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return reads
