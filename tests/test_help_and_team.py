"""Help requests and co-facilitators: who asked, who helped, who may do what, and the record."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.conftest import PASSWORD, command, join, round_row, sign_in
from tests.test_sockets import events, facilitator_socket, participant_socket
from workshop.rounds import people
from workshop.store.db import session_scope
from workshop.store.models import Participant, Presence, utcnow
from workshop.web.accounts import create_facilitator


def page_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def words(soup: BeautifulSoup, selector: str) -> str:
    found = soup.select_one(selector)
    return " ".join(found.get_text(" ").split()) if found else ""


def add_facilitator(app, email: str, name: str, organisation: str = ""):
    with app.app_context(), session_scope() as db:
        create_facilitator(db, email, name, PASSWORD, organisation)
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def join_team(lead, round_id: int, email: str, supporter) -> None:
    """The lead invites someone with an account; they open the link, signed in, and join."""
    made = lead.post_form(f"/rounds/{round_id}/team", {"email": email})
    assert made.status_code == 200, made.status_code
    link = BeautifulSoup(made.get_data(as_text=True), "html.parser").select_one("input#link")
    path = re.sub(r"^https?://[^/]+", "", link["value"])
    assert supporter.post_form(path, {}).status_code == 302


@pytest.fixture
def supporter(app, setup, facilitator):
    """Alex, invited by the lead (Sam) to support the round, and joined."""
    client = add_facilitator(app, "alex@example.org", "Alex Lee", "Deaf Access Cymru")
    join_team(facilitator, setup.round_id, " Alex@Example.org ", client)
    return client


def help_form(page: BeautifulSoup) -> dict:
    form = page.select_one("#help-ask")
    return {"action": form["action"], "next": form.select_one("[name=next]")["value"]}


def test_a_participant_asks_for_help_and_a_supporter_handles_it(app, setup, facilitator, supporter):
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")

    # The bar is on every participant page, in the same place, with who runs the session.
    conversation = page_of(amira, page)
    assert words(conversation, ".room-bar__who").startswith(
        "Run by Sam Jones, Inclusion Works, with Alex Lee. 1 person here."
    )
    form = help_form(conversation)
    assert form == {"action": f"{page}/help", "next": page}
    step_page = page_of(amira, f"{page}/steps/feeling")
    assert help_form(step_page) == {"action": f"{page}/help", "next": f"{page}/steps/feeling"}

    # She asks from the step page (twice, by mistake): one request, and back where she was.
    for _ in range(2):
        asked = amira.post_form(form["action"], {"next": f"{page}/steps/feeling"})
        assert asked.status_code == 302 and asked.headers["Location"] == f"{page}/steps/feeling"
    after = page_of(amira, f"{page}/steps/feeling")
    assert "We have told the facilitators" in words(after, "main")
    assert "You asked for help at" in words(after, "#help-status")
    assert after.select_one("#help-ask").has_attr("hidden")

    # Both facilitators see who asked and at which step; the supporter handles it.
    for client in (facilitator, supporter):
        console = page_of(client, f"/rounds/{setup.round_id}")
        assert words(console, "#help-title") == "Help requests: 1 waiting"
        assert "Amira asked at" in words(console, "#console-live .item-list")
        assert "at step 2" in words(console, "#console-live .item-list")
    handle = page_of(supporter, f"/rounds/{setup.round_id}").select_one("form[action*='/help/']")[
        "action"
    ]
    assert supporter.post_form(handle).status_code == 302

    console = page_of(facilitator, f"/rounds/{setup.round_id}")
    assert words(console, "#help-title") == "Help requests: 0 waiting"
    assert "handled by Alex Lee at" in words(console, "#console-live .item-list")
    record = words(console, "section[aria-labelledby=activity-title]")
    assert "Alex Lee handled a help request from Amira" in record
    assert "Sam Jones moved on to step 2" in record
    assert "Sam Jones invited Alex Lee to help" in record
    seen = page_of(amira, page)
    assert words(seen, "#help-status") == "A facilitator has seen your request and will help you."
    assert not seen.select_one("#help-ask").has_attr("hidden")  # she can ask again

    # Issue 15: the words stayed on every page for the rest of the session. Once a
    # facilitator has had time to come, they go.
    from workshop.store.models import HelpRequest

    with app.app_context(), session_scope() as db:
        request = db.exec(select(HelpRequest)).one()
        request.handled_at = utcnow() - timedelta(minutes=11)
        db.add(request)
        db.commit()
    later = page_of(amira, page)
    assert later.select_one("#help-status") is None
    assert not later.select_one("#help-ask").has_attr("hidden")


def test_a_participant_can_say_they_no_longer_need_help(app, setup, facilitator):
    bo = app.test_client()
    page = join(bo, setup, "Bo")
    bo.post_form(f"{page}/help", {"next": page})
    withdraw = page_of(bo, page).select_one("#help-withdraw")
    assert withdraw.select_one("[name=intent]")["value"] == "withdraw"
    bo.post_form(f"{page}/help", {"next": page, "intent": "withdraw"})
    console = page_of(facilitator, f"/rounds/{setup.round_id}")
    assert words(console, "#help-title") == "Help requests: 0 waiting"
    assert "no longer needs help" in words(console, "#console-live .item-list")


def test_help_reaches_consoles_and_the_person_live(app, setup, facilitator, supporter):
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    person = participant_socket(app, page)
    console = facilitator_socket(app, supporter)
    reply = console.emit(
        "watch", {"round": setup.round_id}, namespace="/facilitator", callback=True
    )
    assert reply == {"ok": True}
    console.get_received("/facilitator")
    amira.post_form(f"{page}/help", {"next": page})
    assert "help" in [e["reason"] for e in events(console, "/facilitator", "console_changed")]
    handle = page_of(supporter, f"/rounds/{setup.round_id}").select_one("form[action*='/help/']")[
        "action"
    ]
    supporter.post_form(handle)
    assert events(person, "/participant", "help_handled") == [{}]


def test_only_the_lead_steers_invites_and_removes(app, setup, facilitator, supporter):
    round_id = setup.round_id
    # The supporter sees the console, the map and the team, but cannot steer or invite.
    for url in (f"/rounds/{round_id}", f"/rounds/{round_id}/map", f"/rounds/{round_id}/team"):
        assert supporter.get(url).status_code == 200, url
    console = page_of(supporter, f"/rounds/{round_id}")
    assert console.select_one("#command-start") is None
    assert "The lead moves it on." in words(console, "#console-live")
    assert (
        supporter.post_form(f"/rounds/{round_id}/command", {"command": "start"}).status_code == 404
    )
    assert round_row(app, round_id).status == "lobby"
    assert (
        supporter.post_form(f"/rounds/{round_id}/team", {"email": "x@example.org"}).status_code
        == 404
    )
    assert supporter.get(f"/rounds/{round_id}/report").status_code == 404  # the project's
    socket = facilitator_socket(app, supporter)
    reply = socket.emit(
        "command", {"round": round_id, "command": "start"}, namespace="/facilitator", callback=True
    )
    assert reply["ok"] is False and round_row(app, round_id).status == "lobby"

    # Another facilitator, a participant and someone not signed in reach nothing.
    stranger = add_facilitator(app, "kim@example.org", "Kim")
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    participant.post_form(f"{page}/help", {"next": page})
    with app.app_context(), session_scope() as db:
        from sqlmodel import select

        from workshop.store.models import HelpRequest

        request_id = db.exec(select(HelpRequest.id)).first()
    actions = [
        ("get", f"/rounds/{round_id}/team", {}),
        ("post", f"/rounds/{round_id}/team", {"email": "kim@example.org"}),
        ("post", f"/rounds/{round_id}/help/{request_id}", {}),
        ("post", f"/rounds/{round_id}/team/1/remove", {}),
    ]
    for method, url, data in actions:
        for who, client in (("stranger", stranger), ("participant", participant)):
            response = client.get(url) if method == "get" else client.post_form(url, data)
            expected = 404 if who == "stranger" else 302  # a participant is sent to sign in
            assert response.status_code == expected, (who, method, url)
            if expected == 302:
                assert "/sign-in" in response.headers["Location"]
    assert (
        page_of(facilitator, f"/rounds/{round_id}").select_one("#help-title").get_text(strip=True)
        == "Help requests: 1 waiting"
    )

    # The lead takes the supporter off the team: their console is gone.
    team_page = page_of(facilitator, f"/rounds/{round_id}/team")
    remove = team_page.select_one("form[action$='/remove']")["action"]
    assert facilitator.post_form(remove).status_code == 302
    assert supporter.get(f"/rounds/{round_id}").status_code == 404
    record = words(page_of(facilitator, f"/rounds/{round_id}"), "#console-live")
    assert "Sam Jones took Alex Lee off the team" in record


def test_inviting_says_plainly_what_went_wrong(app, setup, facilitator, supporter):
    team_page = f"/rounds/{setup.round_id}/team"
    for email, message in (
        ("", "Write their email address"),
        ("not an address", "Write an email address like name@example.org"),
        ("alex@example.org", "They already help run this round."),
        ("sam@example.org", "They already help run this round."),
    ):
        response = facilitator.post_form(team_page, {"email": email})
        assert response.status_code == 400
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert message in words(page, ".error-summary"), email
        assert page.select_one("#email")["value"] if email else True


def test_a_supporter_finds_the_round_on_their_projects_page(app, setup, supporter):
    projects = page_of(supporter, "/projects")
    link = projects.find("a", string="Greenwich, March")
    assert link["href"] == f"/rounds/{setup.round_id}"
    assert "Led by Sam Jones" in words(projects, "main")


def test_supporters_tidy_the_map_and_it_is_recorded(app, setup, facilitator, supporter):
    from workshop.store.models import Actor

    with app.app_context(), session_scope() as db:
        actor = Actor(round_id=setup.round_id, name="Age UK", key="age uk", kind="x", step_id="s")
        db.add(actor)
        db.commit()
        actor_id = actor.id
    url = f"/rounds/{setup.round_id}/map/actors/{actor_id}"
    assert supporter.post_form(url, {"action": "hide"}).status_code == 302
    record = words(page_of(facilitator, f"/rounds/{setup.round_id}"), "#console-live")
    assert "Alex Lee took “Age UK” off the map" in record


def test_the_bar_counts_each_person_here_once(app, setup):
    """Connected, or seen within the presence window, counted once; anyone else is not here."""
    pages = {name: join(app.test_client(), setup, name) for name in ("A", "B", "C", "D")}
    long_ago = utcnow() - timedelta(hours=1)
    with app.app_context(), session_scope() as db:
        by_name = {p.display_name: p for p in db.exec(select(Participant)).all()}
        for name in ("C", "D"):  # not seen for an hour; C still has a live connection
            by_name[name].last_seen_at = long_ago
            db.add(by_name[name])
        for sid, name in (("sid-a", "A"), ("sid-c", "C")):  # A is both connected and seen
            db.add(Presence(sid=sid, participant_id=by_name[name].id, round_id=setup.round_id))
        db.commit()
        with app.test_request_context():
            assert len(people.present_ids(db, setup.round_id)) == 3
            assert people.present_count(db, setup.round_id) == 3
    # B's own page view counts B (already counted): A, B and C are here, D is not.
    bar = words(page_of(app.test_client(), pages["B"]), ".room-bar__who")
    assert "3 people here." in bar


def test_the_record_reads_rows_stored_as_plain_words_and_keeps_unknown_ones(
    app, setup, facilitator
):
    """Record actions are stored as the same plain strings they always were: a row written
    before they were an enum reads in words, and one this version does not know reads as
    it was stored rather than breaking the console."""
    from workshop.store.models import RoundEvent
    from workshop.web.wording import RecordAction

    command(facilitator, setup, "start")
    with app.app_context(), session_scope() as db:
        stored = db.exec(select(RoundEvent.action)).all()
        assert stored == ["start"] and type(stored[0]) is str
        for action, detail in (("tidy-hide", "Age UK"), ("from-the-future", "")):
            db.add(
                RoundEvent(
                    round_id=setup.round_id,
                    facilitator_id=setup.facilitator_id,
                    action=action,
                    detail=detail,
                )
            )
        db.commit()
    record = words(page_of(facilitator, f"/rounds/{setup.round_id}"), "#console-live")
    assert "Sam Jones took “Age UK” off the map" in record
    assert "Sam Jones from-the-future" in record
    assert "Sam Jones started the round" in record
    assert {action.value for action in RecordAction} >= {"start", "tidy-hide", "erased-own-data"}


def test_the_record_names_both_sides_of_a_merge_and_a_rename(app, setup, facilitator, supporter):
    """Issue 15: "merged 'Ladywell Ward Cllr' into another name" did not say which."""
    from workshop.store.models import Actor, RoundEvent

    with app.app_context(), session_scope() as db:
        names = ("Ladywell Ward Cllr", "Ladywell ward councillor", "Age UK")
        actors = [
            Actor(round_id=setup.round_id, name=n, key=n.casefold(), kind="x", step_id="s")
            for n in names
        ]
        db.add_all(actors)
        # A merge recorded before the record named both sides still reads as it did.
        db.add(
            RoundEvent(
                round_id=setup.round_id,
                facilitator_id=setup.facilitator_id,
                action="tidy-merge",
                detail="Old Name",
            )
        )
        db.commit()
        cllr, councillor, age = (a.id for a in actors)
    url = f"/rounds/{setup.round_id}/map/actors"
    supporter.post_form(f"{url}/{cllr}", {"action": "merge", "into": councillor})
    supporter.post_form(f"{url}/{age}", {"action": "rename", "name": "Age UK Lewisham"})
    record = words(page_of(facilitator, f"/rounds/{setup.round_id}"), "#console-live")
    assert "merged “Ladywell Ward Cllr” into “Ladywell ward councillor”" in record
    assert "renamed “Age UK” to “Age UK Lewisham”" in record
    assert "merged “Old Name” into another name" in record


def test_dates_people_read_have_no_seconds(app, setup, facilitator):
    """Issue 15: "Dates show seconds" (the experiment's rounds, the report)."""
    for url in (f"/experiments/{setup.experiment_id}", f"/rounds/{setup.round_id}/report"):
        text = words(page_of(facilitator, url), "main")
        assert re.search(r"\d{4}", text), url  # a date is there
        assert not re.search(r"\d:\d\d:\d\d", text), (url, text)
