"""A round to throw bad input at: every step type answered, a map, a team, a help request.

Built once into a SQLite file; each fuzz test copies the file and opens its own app on the
copy, so one test's damage (a removed person, an ended round) never reaches another's.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select
from werkzeug.routing import Rule

from questionnaires.drafts import Draft
from questionnaires.loader import LIBRARY
from tests.conftest import CheckedClient, command, join, make_app, make_setup, on_team, sign_in
from workshop.rounds import designs, team
from workshop.store.db import session_scope
from workshop.store.models import (
    Actor,
    Answer,
    HelpRequest,
    OneTimeLink,
    Participant,
    Project,
    Round,
)
from workshop.web.accounts import create_facilitator

QUESTIONNAIRES = Path(__file__).parent / "questionnaires"
SUPPORTER = "ali@example.org"
INVITED = "new@example.org"  # no account yet: invited by a link
# Where no page links: the assets, and files for download.
SKIPPED_GETS = ("static", "vendor", "assets")
HINTS = {
    "participant.pace": {"go": {"back", "next"}},  # only in rounds taken in people's own time
    "reports.compare_page": {"tried": set(), "noticed": set(), "change": set()},
    "participant.someone_new": {},  # only on a device that joined before ("Are you ...?")
}


@dataclass
class World:
    """What the fuzz tests need to fill in URLs and post as the right person."""

    database: Path
    email: str
    ids: dict[str, list]  # URL parameter -> values that exist
    participant_token: str
    join_token: str
    invitation_token: str  # a one-time link for someone without an account
    fields: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # endpoint -> fields
    files: dict[str, set[str]] = field(default_factory=dict)  # endpoint -> file fields

    def app(self, folder: Path, **config) -> Flask:
        """An app on a fresh copy of the world's database."""
        copy = folder / "world.db"
        shutil.copy(self.database, copy)
        return make_app(f"sqlite:///{copy}", QUESTIONNAIRE_DIRS=[LIBRARY, QUESTIONNAIRES], **config)

    def url_values(self, rule: Rule) -> dict[str, list]:
        """For each of the rule's parameters, the values that exist; KeyError if unknown."""
        values = {}
        for name in rule.arguments:
            if name == "token" and rule.rule.startswith("/invitations/"):
                values[name] = [self.invitation_token]
            elif name == "token":
                join_page = rule.rule.startswith("/j/")
                values[name] = [self.join_token if join_page else self.participant_token]
            else:
                values[name] = self.ids[name]
        return values


def answer_everything(client: CheckedClient, lead: CheckedClient, setup, page: str) -> None:
    """Step the round through every step, answering each as a participant would."""
    simple = {
        "arrive": {"answer": "room"},
        "needs": {"answer": ["breaks", "captions"]},
        "group": {"answer": "Greenwich Mencap"},
        "hope": {"answer": "To meet people.\nTo learn."},
        "feeling": {"answer": "4"},
        "learned": {"answer": "We know more people than we thought."},
    }
    command(lead, setup, "start")
    for step_id in ("welcome", *simple, "names", "ties", "influence", "layers", "look"):
        if step_id in simple:
            assert client.post_form(f"{page}/steps/{step_id}", simple[step_id]).status_code == 302
        elif step_id == "names":
            for name, kind in (("Age UK", "organisation"), ("Shelter Cymru", "organisation")):
                posted = {"name": name, "kind": kind}
                assert client.post_form(f"{page}/steps/names", posted).status_code == 302
            client.post_form(f"{page}/steps/names", {"name": "Sam Jones", "kind": "person"})
        elif step_id == "ties":
            first, second, *_ = actor_ids(lead.application)
            tie = {"source": str(first), "target": str(second), "kind": "works-with"}
            assert client.post_form(f"{page}/steps/ties", tie).status_code == 302
        elif step_id in ("influence", "layers"):
            value = "3" if step_id == "influence" else "offline"
            placed = {f"actor-{a}": value for a in actor_ids(lead.application)}
            assert client.post_form(f"{page}/steps/{step_id}", placed).status_code == 302
        command(lead, setup, "next")
    assert client.post_form(f"{page}/steps/learned", simple["learned"]).status_code == 302


def actor_ids(app: Flask) -> list[int]:
    with app.app_context(), session_scope() as db:
        return list(db.exec(select(Actor.id).order_by(Actor.id)))


def build_world(folder: Path) -> World:
    """Set the round up through real requests, then learn every form's fields by reading
    every page a facilitator and a participant can open."""
    database = folder / "world.db"
    app = make_app(f"sqlite:///{database}", QUESTIONNAIRE_DIRS=[LIBRARY, QUESTIONNAIRES])
    setup = make_setup(app, questionnaire="every-step")
    with app.app_context(), session_scope() as db:
        create_facilitator(db, SUPPORTER, "Ali Khan", "another long password")
        on_team(db, setup.round_id, setup.facilitator_id, SUPPORTER)
        invited = team.invite(db, db.get(Round, setup.round_id), setup.facilitator_id, INVITED)
    lead = app.test_client()
    assert sign_in(lead, setup.email).status_code == 302
    layla, ravi = app.test_client(), app.test_client()
    page = join(layla, setup, "Layla")
    other = join(ravi, setup, "Ravi")
    answer_everything(layla, lead, setup, page)
    assert ravi.post_form(f"{other}/steps/feeling", {"answer": "2"}).status_code == 302
    assert layla.post_form(f"{page}/help").status_code == 302
    shown = {"part": "map", "shown": "1"}
    assert lead.post_form(f"/rounds/{setup.round_id}/map/display", shown).status_code == 302
    with app.app_context(), session_scope() as db:
        ravi_id = db.exec(
            select(Participant.id).where(Participant.token == other.rsplit("/", 1)[1])
        ).one()
        supporter = team.team_of(db, db.get(Round, setup.round_id))[1].facilitator_id
        hope = db.exec(select(Answer.id).where(Answer.step_id == "hope")).one()
        setup_project_id = db.exec(select(Project.id)).one()
        source = db.get(Round, setup.round_id).questionnaire_source
        ids = {
            "project_id": [setup_project_id],
            "experiment_id": [setup.experiment_id],
            "round_id": [setup.round_id],
            "participant_id": [ravi_id],
            "facilitator_id": [supporter],
            "answer_id": [hope],
            "request_id": list(db.exec(select(HelpRequest.id))),
            "actor_id": actor_ids(app),
            "step_id": [s.id for s in _steps(db, setup.round_id)] + ["no-such-step"],
            "invitation_id": list(db.exec(select(OneTimeLink.id))),
            # The designer's pages, on the project's own copy of this round's questionnaire.
            "questionnaire_id": [designs.create(db, setup_project_id, Draft(source))],
        }
    world = World(
        database, setup.email, ids, page.rsplit("/", 1)[1], setup.join_token, invited.token
    )
    _learn_forms(app, world, lead)
    for endpoint, fields in HINTS.items():  # forms this round's pages do not show
        world.fields.setdefault(endpoint, fields)
    world.fields["participant.home"]["code"].add(setup.join_code)  # as the lead reads it out
    app.extensions["roundtable.engine"].dispose()
    return world


def _steps(db, round_id: int):
    from workshop.rounds.lifecycle import questionnaire_of

    return questionnaire_of(db.get(Round, round_id)).steps


def _learn_forms(app: Flask, world: World, lead: CheckedClient) -> None:
    """Open every page (every GET route, with every value of its parameters) as the person
    it is for, and note each post form's fields by the endpoint it posts to."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint.split(".")[0] in SKIPPED_GETS:
            continue
        try:
            values = world.url_values(rule)
        except KeyError:
            continue  # a page we cannot fill in: the POST routes are checked on their own
        # Plain clients: the pages' house rules are other tests' business, not this crawl's.
        client = FlaskClient(app, app.response_class)
        if not rule.rule.startswith(("/p/", "/j/", "/invitations/")):
            client._cookies = lead._cookies  # signed in as the lead; the rest are for others
        for args in _combinations(values):
            url = adapter.build(rule.endpoint, args)
            response = client.get(url)
            if response.mimetype != "text/html":
                continue
            soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
            for form in soup.find_all("form", method=lambda m: m and m.lower() == "post"):
                _note_form(adapter, world, form, url)


def _note_form(adapter, world: World, form, page: str) -> None:
    action = form.get("action") or page
    try:
        endpoint, _args = adapter.match(action.split("?")[0].split("#")[0], method="POST")
    except Exception:
        return
    fields = world.fields.setdefault(endpoint, {})
    for control in form.find_all(["input", "select", "textarea", "button"]):
        name = control.get("name")
        if not name or name == "csrf_token":
            continue
        if control.get("type") == "file":
            world.files.setdefault(endpoint, set()).add(name)
            continue
        values = fields.setdefault(name, set())
        if control.name == "select":
            values.update(o.get("value", o.get_text()) for o in control.find_all("option"))
        elif control.get("value") is not None:
            values.add(control["value"])


def _combinations(values: dict[str, list]) -> list[dict]:
    combos: list[dict] = [{}]
    for name, options in values.items():
        combos = [{**c, name: option} for c in combos for option in options]
    return combos
