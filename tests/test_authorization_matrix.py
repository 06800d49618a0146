"""Who may do what, route by route and event by event: every facilitator route and socket
event, asked by an anonymous visitor, a participant of the round, a facilitator with no part
in it and (where the roles table says no) a supporter, is refused, and changes nothing; and
no page offers anyone a link or a form the table would refuse them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from sqlmodel import SQLModel, select

from facilitation.roles import Action, Role, may
from questionnaires.drafts import Draft
from tests.conftest import CheckedClient, command, join, make_setup, sign_in
from tests.test_help_and_team import add_facilitator, join_team
from tests.test_sockets import events, participant_socket, send, socketio
from workshop.pages.sockets import FacilitatorNamespace, ParticipantNamespace
from workshop.rounds import designs
from workshop.store.db import session_scope
from workshop.store.models import Actor, Answer, HelpRequest, Participant, Project

ANY = "any signed-in facilitator"  # their own list, the questionnaire library

# The roles table, written out: changing who may do what changes this line on purpose.
SUPPORTERS_MAY = {Action.VIEW, Action.HELP, Action.TIDY, Action.MODERATE, Action.PLAN}

# Every facilitator endpoint and the action it asks the table. A new route must be added here.
RULES: dict[str, Action | str] = {
    "facilitator.projects": ANY,
    "facilitator.preview_library": ANY,
    "facilitator.project": Action.ORGANISE,
    "facilitator.experiment": Action.ORGANISE,
    "facilitator.upload_questionnaire": Action.ORGANISE,
    "facilitator.console": Action.VIEW,
    "facilitator.live_panel": Action.VIEW,
    "facilitator.join_details": Action.VIEW,
    "facilitator.qr_code": Action.VIEW,
    "facilitator.preview_round": Action.VIEW,
    "facilitator.command": Action.STEER,
    "facilitator.confirm_end": Action.STEER,
    "team.team_page": Action.VIEW,
    "team.remove_supporter": Action.INVITE,
    "team.cancel_invitation": Action.INVITE,
    "team.password_link": Action.INVITE,
    "team.handle_help": Action.HELP,
    "team.reveal": Action.STEER,
    "team.hide_answer": Action.MODERATE,
    "team.remove_participant": Action.REMOVE,
    "team.participant_data": Action.REMOVE,
    "team.export_participant": Action.REMOVE,
    "team.erase_participant": Action.REMOVE,
    "run_sheet.run_sheet_page": Action.VIEW,
    "run_sheet.timer": Action.STEER,
    "maps.facilitator_map": Action.VIEW,
    "maps.facilitator_map_data": Action.VIEW,
    "maps.projector": Action.VIEW,
    "maps.display": Action.STEER,
    "maps.tidy_actor": Action.TIDY,
    "map_import.import_map": Action.IMPORT,
    "reports.round_report_page": Action.REPORT,
    "reports.round_file": Action.REPORT,
    "reports.experiment_file": Action.REPORT,
    "reports.compare_page": Action.REPORT,
    # The designer: the project's questionnaires are its team's (the roles table's ORGANISE).
    "designer.questionnaires": Action.ORGANISE,
    "designer.upload": Action.ORGANISE,
    "designer.overview": Action.ORGANISE,
    "designer.add_step": Action.ORGANISE,
    "designer.move_step": Action.ORGANISE,
    "designer.remove_step": Action.ORGANISE,
    "designer.step": Action.ORGANISE,
    "designer.codebook": Action.ORGANISE,
    "designer.download": Action.ORGANISE,
    "designer.save_version": Action.ORGANISE,
    "designer.preview": Action.ORGANISE,
    "designer.compare": Action.ORGANISE,
}
# Pages whose form asks more than the page: inviting a supporter, saving the run sheet.
POSTS: dict[str, Action] = {
    "team.team_page": Action.INVITE,
    "run_sheet.run_sheet_page": Action.PLAN,
}
# Everything else: open to all, or to whoever holds a participant's private link.
NOT_FACILITATOR = {
    "static",
    "vendor",
    "picture",
    "about.accessibility",
    "auth.sign_in",
    "auth.sign_out",
    "accounts.set_up",
    "accounts.invitation",
    "accounts.forgot_password",
    "accounts.new_password",
    "language.change",
    "participant.home",
    "participant.join",
    "participant.someone_new",
    "participant.conversation_page",
    "participant.step_page",
    "participant.preferences_page",
    "participant.pace",
    "participant.my_answers",
    "participant.help_request",
    "your_data.your_data",
    "your_data.download",
    "your_data.delete",
    "maps.participant_map",
    "maps.participant_map_data",
}
# Whatever a form on any of these pages might send: refusals must come from who is asking,
# never from a form that was wrong.
FORM = {
    "command": "next",
    "answers": "delete",
    "email": "kim@example.org",
    "hidden": "1",
    "shown": "1",
    "part": "map",
    "action": "start",
    "minutes": "5",
    "name": "Renamed",
    "intent": "rename",
    "questionnaire": "check-in",
    "pace": "live",
    "tried": "Something",
}


@dataclass
class World:
    """Facilitator A's round with a participant, an answer, a name, a help request and a
    supporter; facilitator B with a round of their own."""

    app: Flask
    params: dict[str, object]
    lead: CheckedClient
    participant: CheckedClient
    participant_page: str
    stranger: CheckedClient  # facilitator B
    stranger_page: str  # a participant of B's round
    supporter: CheckedClient
    round_id: int


@pytest.fixture
def world(app) -> World:
    a = make_setup(app)  # check-in: a rating, choices, a written answer
    b = make_setup(app, email="kim@example.org")
    lead = app.test_client()
    sign_in(lead, a.email)
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(lead, a.round_id, "alex@example.org", supporter)
    participant = app.test_client()
    page = join(participant, a, "Amira")
    command(lead, a, "start")
    participant.post_form(f"{page}/steps/feeling", {"answer": "4"})
    command(lead, a, "next")
    command(lead, a, "next")
    participant.post_form(f"{page}/steps/hope", {"answer": "Step-free rooms"})
    participant.post_form(f"{page}/help", {"next": page})
    stranger = app.test_client()
    sign_in(stranger, b.email)
    with app.app_context(), session_scope() as db:
        person = db.exec(select(Participant).where(Participant.round_id == a.round_id)).one()
        actor = Actor(
            round_id=a.round_id, name="Age UK", key="age uk", kind="organisation", step_id="x"
        )
        db.add(actor)
        db.commit()
        params = {
            "round_id": a.round_id,
            "experiment_id": a.experiment_id,
            "project_id": db.exec(
                select(Project.id).where(Project.owner_id == a.facilitator_id)
            ).one(),
            "participant_id": person.id,
            "actor_id": actor.id,
            "answer_id": db.exec(select(Answer.id).where(Answer.step_id == "hope")).one(),
            "request_id": db.exec(select(HelpRequest.id)).one(),
            "facilitator_id": 3,  # Alex, the supporter
            "step_id": "feeling",
            "name": "all.zip",
            "questionnaire_id": "check-in",
            "number": 1,
            "invitation_id": 1,
        }
    # A copy of check-in among the project's own questionnaires, for the designer's pages.
    with app.app_context(), session_scope() as db:
        library = app.extensions["roundtable.questionnaires"]
        designs.create(db, params["project_id"], Draft(library["check-in"].source))
    stranger_page = join(app.test_client(), b)
    return World(
        app, params, lead, participant, page, stranger, stranger_page, supporter, a.round_id
    )


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with app.app_context(), session_scope() as db:
        return {
            table.name: sorted(map(tuple, db.execute(table.select())), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


def facilitator_requests(world: World) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every facilitator route, its parameters filled in."""
    found = []
    with world.app.test_request_context():
        for rule in world.app.url_map.iter_rules():
            if rule.endpoint not in RULES:
                continue
            url = url_for(rule.endpoint, **{k: world.params[k] for k in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url))
    return found


def ask(client: CheckedClient, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.post_form(url, FORM)


def rule_for(endpoint: str, method: str) -> Action | str | None:
    """What a request asks the table (None: not a facilitator route)."""
    if method == "POST" and endpoint in POSTS:
        return POSTS[endpoint]
    return RULES.get(endpoint)


def test_the_roles_table_is_as_written_here():
    for action in Action:
        assert may(Role.LEAD, action), action
        assert may(Role.SUPPORTER, action) == (action in SUPPORTERS_MAY), action
        assert not may(None, action), action


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unknown = endpoints - set(RULES) - NOT_FACILITATOR
    assert not unknown, f"classify these routes in RULES or NOT_FACILITATOR: {sorted(unknown)}"
    assert not set(RULES) & NOT_FACILITATOR
    assert not (set(RULES) | NOT_FACILITATOR) - endpoints, "stale entries"
    assert set(POSTS) <= set(RULES)


def test_nobody_without_a_part_in_the_round_gets_any_facilitator_route(world):
    requests = facilitator_requests(world)
    assert len(requests) >= 40
    before = snapshot(world.app)
    anonymous = world.app.test_client()
    checked = 0
    for endpoint, method, url in requests:
        rule = rule_for(endpoint, method)
        for who, client in (("anonymous", anonymous), ("participant", world.participant)):
            response = ask(client, method, url)
            assert response.status_code == 302, (who, method, url, response.status_code)
            assert "/sign-in" in response.headers["Location"], (who, method, url)
            checked += 1
        askers = []
        if rule != ANY:
            askers.append(("another facilitator", world.stranger))
        if isinstance(rule, Action) and not may(Role.SUPPORTER, rule):
            askers.append(("a supporter", world.supporter))
        for who, client in askers:
            response = ask(client, method, url)
            assert response.status_code in (403, 404), (who, method, url, response.status_code)
            checked += 1
    assert snapshot(world.app) == before, "a refused request changed something"
    assert checked > 120


def test_the_lead_gets_every_page_so_the_refusals_are_about_who_asks(world):
    # The same addresses work for the round's lead: the parameters are real.
    for endpoint, method, url in facilitator_requests(world):
        if method == "GET":
            response = world.lead.get(url)
            assert response.status_code == 200, (endpoint, url, response.status_code)


def offered(world: World, client: CheckedClient, url: str) -> set[tuple[str, str]]:
    """(endpoint, method) of every link and form on a page."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    targets = [(a["href"], "GET") for a in page.select("a[href]")]
    targets += [
        (form.get("action") or url, (form.get("method") or "get").upper())
        for form in page.select("form")
    ]
    adapter = world.app.url_map.bind("localhost")
    found = set()
    for target, method in targets:
        address = urlsplit(target)
        if address.netloc or not address.path.startswith("/"):
            continue  # elsewhere, or an anchor on the page
        endpoint, _arguments = adapter.match(address.path, method)
        found.add((endpoint, method))
    return found


def offered_actions(world: World, client: CheckedClient, role: Role, pages: list[str]) -> set:
    """The actions a person's pages offer them, each checked against the table."""
    actions = set()
    for page in pages:
        for endpoint, method in offered(world, client, page):
            rule = rule_for(endpoint, method)
            if isinstance(rule, Action):
                assert may(role, rule), (role, page, endpoint, method)
                actions.add(rule)
    return actions


def test_pages_offer_each_person_only_what_the_table_lets_them_do(world):
    """The console (a running step with a written answer, a help request, people), the team
    page and the run sheet show a control only to someone who may use it."""
    round_id = world.round_id
    pages = [f"/rounds/{round_id}", f"/rounds/{round_id}/team", f"/rounds/{round_id}/run-sheet"]
    supporter = offered_actions(world, world.supporter, Role.SUPPORTER, pages)
    lead = offered_actions(world, world.lead, Role.LEAD, pages)
    # Not a vacuous check: each is offered what they may do.
    assert supporter == {Action.VIEW, Action.HELP, Action.MODERATE, Action.PLAN}
    assert lead == supporter | {
        Action.STEER,
        Action.INVITE,
        Action.REMOVE,
        Action.REPORT,
        Action.ORGANISE,
    }


def test_the_map_page_offers_each_person_only_what_they_may_do(world):
    """Supporters tidy the map; showing it to participants and importing are the lead's."""
    page = [f"/rounds/{world.round_id}/map"]
    supporter = offered_actions(world, world.supporter, Role.SUPPORTER, page)
    lead = offered_actions(world, world.lead, Role.LEAD, page)
    assert Action.STEER not in supporter and Action.IMPORT not in supporter
    assert {Action.STEER, Action.IMPORT} <= lead


FACILITATOR_EVENTS = sorted(
    name[3:] for name in vars(FacilitatorNamespace) if re.match(r"on_(?!connect|disconnect)", name)
)
EVENT_ACTIONS = {"watch": Action.VIEW, "watch_map": Action.VIEW, "command": Action.STEER}


def test_every_facilitator_socket_event_is_refused_and_joins_no_room(world):
    app = world.app
    assert set(FACILITATOR_EVENTS) == set(EVENT_ACTIONS), "classify new socket events"
    before = snapshot(app)
    data = {"round": world.round_id, "command": "back"}

    # Anonymous visitors and participants cannot even connect.
    anonymous = socketio(app).test_client(app, namespace="/facilitator")
    assert not anonymous.is_connected("/facilitator")
    participant = socketio(app).test_client(
        app, namespace="/facilitator", flask_test_client=world.participant
    )
    assert not participant.is_connected("/facilitator")

    # Another facilitator connects, but every event about this round is refused.
    stranger = socketio(app).test_client(
        app, namespace="/facilitator", flask_test_client=world.stranger
    )
    assert stranger.is_connected("/facilitator")
    for event in FACILITATOR_EVENTS:
        reply = send(stranger, event, data)
        assert reply == {"ok": False, "error": "You cannot run this round."}, event

    # A supporter watches, but cannot steer.
    supporter = socketio(app).test_client(
        app, namespace="/facilitator", flask_test_client=world.supporter
    )
    for event in FACILITATOR_EVENTS:
        if not may(Role.SUPPORTER, EVENT_ACTIONS[event]):
            assert send(supporter, event, data)["ok"] is False, event

    # Nothing changed but the two facilitators' connections, kept so that losing access
    # can end them.
    connected = snapshot(app)
    assert len(connected.pop("facilitatorsocket")) == 2
    assert connected == {k: v for k, v in before.items() if k != "facilitatorsocket"}
    before = snapshot(app)

    # A participant's own socket has no facilitator events, and watch_map ignores any round
    # it is given: theirs is the only round they hear about.
    mine = participant_socket(app, world.participant_page)
    theirs = participant_socket(app, world.stranger_page)
    for client in (mine, theirs):
        for event in FACILITATOR_EVENTS:
            reply = client.emit(event, data, namespace="/participant", callback=True)
            # watch_map is theirs too, for their own round's map, which is not shown now.
            if event == "watch_map":
                assert reply == {"ok": False}
            else:
                assert not reply, event  # no such event here: nothing runs, nothing answers
        client.get_received("/participant")
    after = snapshot(app)
    assert len(after.pop("presence")) == 2  # their connections, and nothing else
    assert after == {k: v for k, v in before.items() if k != "presence"}

    # The lead moves the round and shows the map: the refused hear nothing of it.
    for client in (stranger, supporter):
        client.get_received("/facilitator")
    world.lead.post_form(f"/rounds/{world.round_id}/command", {"command": "back"})
    world.lead.post_form(f"/rounds/{world.round_id}/map/display", {"part": "map", "shown": "1"})
    assert stranger.get_received("/facilitator") == []
    assert theirs.get_received("/participant") == []
    heard = events(mine, "/participant", "round_state")  # the round's own people hear it
    assert heard and {e["step_number"] for e in heard} == {2}
    assert supporter.get_received("/facilitator") == []  # refused events joined no room


def test_participant_events_are_only_these(world):
    # Participants only listen; a new event here needs its own check of who is asking.
    assert sorted(n for n in vars(ParticipantNamespace) if n.startswith("on_")) == [
        "on_connect",
        "on_disconnect",
        "on_watch_map",
    ]


def test_facilitators_read_round_never_session(world):
    """The glossary: participants attend a session; everything a facilitator reads says round."""
    read = 0
    for endpoint, method, url in facilitator_requests(world):
        if method != "GET" or endpoint.endswith(("_data", "download", "export", "gexf")):
            continue
        response = world.lead.get(url)
        if response.mimetype != "text/html":
            continue
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        # Text boxes hold what people wrote (a questionnaire's own words to participants, in
        # the designer), not our words.
        for hidden in page.select("script, style, [hidden], textarea"):
            hidden.decompose()
        words = page.get_text(" ").lower()
        assert "session" not in words, (endpoint, url)
        read += 1
    assert read > 15  # the console, the team, the run sheet, the map, reports, projects...
