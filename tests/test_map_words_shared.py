"""The map in words is drawn once per map version for everyone, and never shows an old map:
every change (in any process) draws it again, and each person's own part stays their own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import command, join, make_app, make_setup, sign_in
from tests.redis_server import RedisServer
from tests.test_network_steps import add_name
from workshop.realtime.last_sent import InRedis
from workshop.rounds import map_updates, maps
from workshop.store.db import session_scope


def options(html: str, select_id: str) -> list[str]:
    """The names a select offers, in order."""
    select = re.search(rf'<select[^>]* id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [name.strip() for name in re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)<", select)]


def name_on_map(client, page: str, name: str):
    """Add a name with the map page's own form."""
    reply = client.post_form(f"{page}/map", {"form": "name", "name": name, "kind": "group"})
    assert reply.status_code == 302


def live_round(app):
    setup = make_setup(app, questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    with app.app_context(), session_scope() as db:
        maps.set_display(db, setup.round_id, map_shown=True)
    return setup, facilitator


def test_everyone_sees_each_change_in_the_lists_and_their_own_part_stays_theirs(app):
    setup, facilitator = live_round(app)
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")  # face-to-face: name steps
    add_name(amira, amira_page, "face-to-face", "Age UK", "organisation")
    add_name(bo, bo_page, "face-to-face", "Mind Cymru", "organisation")
    # Each is offered the names they have not named themselves.
    assert "Mind Cymru" in amira.get(f"{amira_page}/steps/face-to-face").get_data(as_text=True)
    page = amira.get(f"{amira_page}/steps/face-to-face").get_data(as_text=True)
    assert '<option value="Age UK">' not in page
    page = bo.get(f"{bo_page}/steps/face-to-face").get_data(as_text=True)
    assert '<option value="Age UK">' in page and '<option value="Mind Cymru">' not in page
    for _ in range(3):
        command(facilitator, setup, "next")  # key-allies: connect everyone's names
    connect = amira.get(f"{amira_page}/steps/key-allies").get_data(as_text=True)
    assert options(connect, "source") == options(connect, "target") == ["Age UK", "Mind Cymru"]
    assert options(bo.get(f"{bo_page}/steps/key-allies").get_data(as_text=True), "source") == [
        "Age UK",
        "Mind Cymru",
    ]
    # Someone names another on the map page: the next view of the lists has it.
    name_on_map(bo, bo_page, "Shelter Cymru")
    connect = amira.get(f"{amira_page}/steps/key-allies").get_data(as_text=True)
    assert options(connect, "source") == ["Age UK", "Mind Cymru", "Shelter Cymru"]
    # A connection half filled in comes back with their choice still chosen.
    ids = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', connect))
    mind = next(i for i, name in ids.items() if name == "Mind Cymru")
    refused = amira.post_form(
        f"{amira_page}/steps/key-allies", {"intent": "add", "source": mind, "kind": "ally"}
    )
    assert refused.status_code == 400
    assert f'<option value="{mind}" selected>' in refused.get_data(as_text=True)
    # The map step's lists count the new name, and who named each.
    for _ in range(3):
        command(facilitator, setup, "next")  # the-map
    words = amira.get(f"{amira_page}/steps/the-map").get_data(as_text=True)
    assert "3 names" in words and "Shelter Cymru" in words
    name_on_map(amira, amira_page, "Mind Cymru")  # named again
    words = bo.get(f"{bo_page}/steps/the-map").get_data(as_text=True)
    assert re.search(r"Mind Cymru</bdi></span>\s*<span[^>]*>[^<]*named by 2 people", words)


@dataclass
class TwoProcesses:
    """Two apps on one database sharing Redis, a round at its connect step with two names,
    a reader in the first process and a writer in the second, on the same person's page."""

    one: Flask
    setup: Any
    facilitator: FlaskClient
    reader: FlaskClient
    writer: FlaskClient
    page: str


@contextmanager
def two_processes(tmp_path, database_url) -> Iterator[TwoProcesses]:
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    try:
        one, two = make_app(database_url), make_app(database_url)
        for app in (one, two):
            app.extensions["roundtable.last_sent"] = InRedis(server.url)
        setup, facilitator = live_round(one)
        reader, writer = one.test_client(), two.test_client()
        page = join(reader, setup, "Amira")
        command(facilitator, setup, "start")
        for _ in range(4):
            command(facilitator, setup, "next")  # key-allies
        name_on_map(reader, page, "Age UK")
        name_on_map(reader, page, "Mind Cymru")
        yield TwoProcesses(one, setup, facilitator, reader, writer, page)
        for app in (one, two):
            app.extensions["roundtable.engine"].dispose()
    finally:
        server.stop()


def test_a_change_in_another_process_draws_the_lists_again(tmp_path, database_url):
    with two_processes(tmp_path, database_url) as run:
        reader, page = run.reader, run.page
        first = options(reader.get(f"{page}/steps/key-allies").get_data(as_text=True), "source")
        assert first == ["Age UK", "Mind Cymru"]
        name_on_map(run.writer, page, "Shelter Cymru")  # the other process
        again = options(reader.get(f"{page}/steps/key-allies").get_data(as_text=True), "source")
        assert again == ["Age UK", "Mind Cymru", "Shelter Cymru"]


def test_connecting_names_keeps_the_lists_of_names_and_naming_one_draws_them_again(
    tmp_path, database_url
):
    """A room connecting names changes the map hundreds of times, but not its names: the
    lists of names are not worked out again for that (in any process), while the map in
    words shows each connection; a new name shows everywhere at once."""
    with two_processes(tmp_path, database_url) as run:
        round_id, page = run.setup.round_id, run.page
        connect = run.reader.get(f"{page}/steps/key-allies").get_data(as_text=True)
        ids = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', connect))
        with run.one.app_context():
            names_before = map_updates.version(round_id, names=True)
            map_before = map_updates.version(round_id)
        source, target = sorted(ids)
        tie = {"form": "connect", "source": source, "target": target, "tie_kind": "ally"}
        assert run.writer.post_form(f"{page}/map", tie).status_code == 302  # the other process
        with run.one.app_context():
            assert map_updates.version(round_id, names=True) == names_before
            assert map_updates.version(round_id) != map_before
        for _ in range(3):
            command(run.facilitator, run.setup, "next")  # the-map: the connection in words
        assert "1 connection" in run.reader.get(f"{page}/steps/the-map").get_data(as_text=True)
        name_on_map(run.writer, page, "Shelter Cymru")
        with run.one.app_context():
            assert map_updates.version(round_id, names=True) != names_before
        words = run.reader.get(f"{page}/steps/the-map").get_data(as_text=True)
        assert "3 names" in words and "Shelter Cymru" in words
