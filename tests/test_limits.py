"""Rate limits: a class behind one address still joins; one person cannot flood answers."""

from __future__ import annotations

import re

import requests
from sqlmodel import select

from tests.browser import served_app
from tests.conftest import command, join, make_app, make_setup, sign_in
from workshop.config import load_config
from workshop.store.db import session_scope
from workshop.store.models import Answer, Participant


def joiners(app, count: int) -> int:
    """`count` people on their own devices, all behind one school address, type the code
    and join; returns how many got in."""
    setup = app.extensions["test.setup"]
    joined = 0
    for _ in range(count):
        device = app.test_client()  # every request comes from 127.0.0.1
        found = device.post_form("/", {"code": setup.join_code})
        assert found.status_code == 302, found.status_code
        joined += device.post_form(found.headers["Location"], {"agree": "y"}).status_code == 302
    return joined


def limited_app(database_url: str, **limits):
    app = make_app(database_url, **limits)
    app.extensions["test.setup"] = make_setup(app)
    return app


def test_the_defaults_let_a_class_and_a_conference_behind_one_address_join(monkeypatch):
    for name in ("ROUNDTABLE_JOIN_LIMIT", "ROUNDTABLE_ANSWER_LIMIT", "ROUNDTABLE_RATE_LIMITS"):
        monkeypatch.delenv(name, raising=False)
    config = load_config("instance")
    assert config["JOIN_LIMIT"] == "300 per minute"
    assert config["ANSWER_LIMIT"] == "120 per minute"
    assert config["RATELIMIT_ENABLED"] is True


def test_a_conference_of_200_joins_from_one_address_at_the_default_limit(database_url):
    app = limited_app(database_url, JOIN_LIMIT="300 per minute")
    assert joiners(app, 200) == 200
    with app.app_context(), session_scope() as db:
        assert len(db.exec(select(Participant)).all()) == 200


def test_60_joins_pass_then_the_limit_refuses_with_a_plain_page(database_url):
    app = limited_app(database_url, JOIN_LIMIT="60 per minute")
    assert joiners(app, 60) == 60
    late = app.test_client()
    response = late.post_form("/", {"code": app.extensions["test.setup"].join_code})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "Too many tries in a short time" in html
    assert "Everything before it is safe" in html
    assert "Wait 1 minute, then try again." in html
    with app.app_context(), session_scope() as db:
        assert len(db.exec(select(Participant)).all()) == 60


def answer(client, page: str, value: str):
    return client.post_form(f"{page}/steps/feeling", {"answer": value})


def stored(app, page: str):
    with app.app_context(), session_scope() as db:
        participant = db.exec(
            select(Participant).where(Participant.token == page.rsplit("/", 1)[1])
        ).one()
        return db.exec(select(Answer.value).where(Answer.participant_id == participant.id)).first()


def test_answers_are_limited_per_participant_not_per_address(database_url):
    app = limited_app(database_url, ANSWER_LIMIT="5 per minute")
    setup = app.extensions["test.setup"]
    lead = app.test_client()
    sign_in(lead, setup.email)
    command(lead, setup, "start")
    keen, calm = app.test_client(), app.test_client()
    keen_page, calm_page = join(keen, setup), join(calm, setup)
    for value in "12345":
        assert answer(keen, keen_page, value).status_code == 302
    refused = answer(keen, keen_page, "1")
    assert refused.status_code == 429
    assert "What you just sent was not saved" in refused.get_data(as_text=True)
    assert stored(app, keen_page) == 5  # the last accepted answer is kept
    # Their help button shares their budget; another person at the same address does not.
    assert keen.post_form(f"{keen_page}/help").status_code == 429
    assert answer(calm, calm_page, "4").status_code == 302
    assert stored(app, calm_page) == 4


def test_rate_limits_0_turns_limiting_off(database_url, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_RATE_LIMITS", "0")
    app = limited_app(database_url, JOIN_LIMIT="2 per minute")
    assert joiners(app, 5) == 5


def look_up(server_url: str, code: str) -> requests.Response:
    """A phone types the code on a served app's home page."""
    phone = requests.Session()
    html = phone.get(server_url + "/", timeout=5).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = {"csrf_token": token, "code": code}
    return phone.post(server_url + "/", data=data, allow_redirects=False, timeout=5)


def test_processes_on_one_redis_share_counts_and_fail_open_when_it_stops(tmp_path, redis_server):
    url = redis_server.url
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    app = make_app(database)
    code = make_setup(app).join_code
    app.extensions["roundtable.engine"].dispose()
    env = {"ROUNDTABLE_MESSAGE_QUEUE": url, "ROUNDTABLE_JOIN_LIMIT": "3 per minute"}
    with (
        served_app(database, tmp_path / "first.log", env=env) as first,
        served_app(database, tmp_path / "second.log", env=env) as second,
    ):
        assert [look_up(first.url, code).status_code for _ in range(2)] == [302, 302]
        assert look_up(second.url, code).status_code == 302
        refused = look_up(second.url, code)  # the fourth, counted across both processes
        assert refused.status_code == 429
        assert "Too many tries in a short time" in refused.text
        redis_server.stop()
        # Redis is gone: each process counts in its own memory, never an error page.
        assert look_up(second.url, code).status_code == 302
        assert look_up(first.url, code).status_code == 302
        assert "Traceback" not in second.log_tail(20_000)
