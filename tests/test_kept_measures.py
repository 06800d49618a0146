"""A large map's measures are worked out off the request, kept per map version and shown with
when they were worked out; a page never waits for them."""

from __future__ import annotations

import json
import time

import gevent
import networkx as nx
import pytest
from bs4 import BeautifulSoup
from flask import Flask

from facilitation.measures import summarise
from facilitation.network import actor_key
from tests.conftest import CheckedClient, make_app, make_setup, sign_in
from workshop.rounds import measures
from workshop.rounds.maps import round_graph
from workshop.rounds.measures_queue import MeasuresQueue
from workshop.store.db import session_scope
from workshop.store.models import Actor, KeptMeasures, Tie

LARGE = measures.INLINE_UP_TO + 100  # actors: worked out in the background


def fill_map(app: Flask, round_id: int, actors: int) -> list[int]:
    """Give a round a map of `actors` actors tied as a Barabási–Albert graph (2 ties each),
    written as rows, as an import of a big spreadsheet leaves it."""
    shape = nx.barabasi_albert_graph(actors, 2, seed=5)
    with app.app_context(), session_scope() as db:
        rows = [
            Actor(
                round_id=round_id,
                name=f"Group {i:04d}",
                key=actor_key(f"Group {i:04d}"),
                kind="organisation",
                step_id="import",
            )
            for i in range(actors)
        ]
        db.add_all(rows)
        db.flush()
        ids = [row.id for row in rows]
        db.add_all(
            Tie(
                round_id=round_id,
                source_id=ids[a],
                target_id=ids[b],
                kind="works-with",
                step_id="import",
            )
            for a, b in shape.edges
        )
        db.commit()
        return ids


@pytest.fixture
def large(app: Flask):
    """A round with a map of LARGE actors, and its facilitator signed in."""
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    ids = fill_map(app, setup.round_id, LARGE)
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    return setup, facilitator, ids


def page_of(client: CheckedClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def panel(page: BeautifulSoup) -> str:
    return page.select_one(".measures").get_text(" ", strip=True)


def let_the_queue_work(app: Flask, round_id: int, seconds: float = 30) -> None:
    """Let the app's measures task run (it is a greenlet: it runs while this one sleeps)
    until it has worked out everything due, this round included."""
    queue = app.extensions["roundtable.measures"]
    give_up = time.monotonic() + seconds
    while not queue.idle() and time.monotonic() < give_up:
        gevent.sleep(0.05)
    assert queue.idle() and round_id not in queue.due()


def kept_row(app: Flask, round_id: int) -> KeptMeasures | None:
    with app.app_context(), session_scope() as db:
        return db.get(KeptMeasures, round_id)


def test_a_large_map_page_shows_no_measures_at_first_and_never_waits_for_them(app, large):
    setup, facilitator, _ids = large
    url = f"/rounds/{setup.round_id}/map"
    page = page_of(facilitator, url)
    lead = page.select_one(".lead").get_text(strip=True)
    assert lead == f"{LARGE} names and {2 * (LARGE - 2)} connections."  # clusters: not yet
    assert "The measures are being worked out, and will be ready in a moment." in panel(page)
    assert "Key connectors" not in panel(page)
    assert app.extensions["roundtable.measures"].due() == [setup.round_id]
    assert kept_row(app, setup.round_id) is None

    let_the_queue_work(app, setup.round_id)
    with app.app_context(), session_scope() as db:
        expected = summarise(round_graph(db, setup.round_id))
    page = page_of(facilitator, url)
    clusters = len(expected.clusters)
    assert page.select_one(".lead").get_text(strip=True) == (
        f"{LARGE} names, {2 * (LARGE - 2)} connections and {clusters} clusters."
    )
    words = panel(page)
    assert "Worked out on" in words and "in a moment" not in words
    top, count = expected.key_connectors[0]
    assert f"Group {top - 1:04d}: {count} connections" in words  # ids count from 1
    assert app.extensions["roundtable.measures"].due() == []  # nothing more to do


def test_a_change_asks_for_new_measures_and_meanwhile_the_page_says_the_map_changed(app, large):
    setup, facilitator, ids = large
    url = f"/rounds/{setup.round_id}/map"
    page_of(facilitator, url)
    let_the_queue_work(app, setup.round_id)
    first = kept_row(app, setup.round_id)

    renamed = facilitator.post_form(
        f"{url}/actors/{ids[0]}", {"action": "rename", "name": "Greenwich food bank"}
    )
    assert renamed.status_code == 302
    assert app.extensions["roundtable.measures"].due() == [setup.round_id]  # the change asked
    words = panel(page_of(facilitator, url))
    assert "The map has changed since then: new measures will be ready in a moment." in words
    assert "Greenwich food bank" not in words  # the last measures, as they were worked out
    assert "Group 0000" in words

    let_the_queue_work(app, setup.round_id)
    words = panel(page_of(facilitator, url))
    assert "Greenwich food bank" in words and "changed since" not in words
    second = kept_row(app, setup.round_id)
    assert second.shape != first.shape and second.worked_out_at >= first.worked_out_at


def test_participants_see_the_last_measures_only_when_they_are_shown(app, large):
    setup, facilitator, _ids = large
    amira = app.test_client()
    response = amira.post_form(f"/j/{setup.join_token}", {"display_name": "Amira", "agree": "y"})
    amira_map = f"{response.headers['Location']}/map"
    base = f"/rounds/{setup.round_id}/map"
    facilitator.post_form(f"{base}/display", {"part": "map", "shown": "1"})
    assert page_of(amira, amira_map).select_one(".measures") is None
    facilitator.post_form(f"{base}/display", {"part": "measures", "shown": "1"})
    assert "being worked out" in panel(page_of(amira, amira_map))
    let_the_queue_work(app, setup.round_id)
    assert "Key connectors" in panel(page_of(amira, amira_map))


def test_a_small_map_is_worked_out_on_the_page_at_once(app):
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    fill_map(app, setup.round_id, 40)
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    words = panel(page_of(facilitator, f"/rounds/{setup.round_id}/map"))
    assert "Key connectors" in words and "Worked out on" in words and "moment" not in words
    assert app.extensions["roundtable.measures"].due() == []
    with app.app_context():
        measures.work_out(setup.round_id)
    assert kept_row(app, setup.round_id) is None  # pages work out a small map themselves


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_measures_are_kept_once_per_map_version(request, tmp_path, kind):
    url = (
        f"sqlite:///{tmp_path / 'r.db'}"
        if kind == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    app = make_app(url)
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    ids = fill_map(app, setup.round_id, LARGE)
    with app.app_context():
        measures.work_out(setup.round_id)
        first = kept_row(app, setup.round_id)
        measures.work_out(setup.round_id)  # the same map: nothing to do
        assert kept_row(app, setup.round_id).worked_out_at == first.worked_out_at
        with session_scope() as db:
            db.add(
                Tie(
                    round_id=setup.round_id,
                    source_id=ids[-1],
                    target_id=ids[-2],
                    kind="funds",
                    step_id="import",
                )
            )
            db.commit()
            graph = round_graph(db, setup.round_id)
        measures.work_out(setup.round_id)
        with session_scope() as db:
            now = measures.for_page(db, setup.round_id, graph)
    assert not now.changed_since
    assert now.last.measures == summarise(graph)
    assert now.last.names[ids[0]] == "Group 0000"
    assert kept_row(app, setup.round_id).worked_out_at > first.worked_out_at


def test_kept_measures_read_back_as_they_were():
    graph = nx.convert_node_labels_to_integers(nx.les_miserables_graph(), label_attribute="name")
    found = summarise(graph, top=10)
    names = {node: graph.nodes[node]["name"] for node in graph}
    kept = json.loads(json.dumps(measures.encoded(found, names)))
    assert measures.decoded(kept) == (found, names)


class Ticks:
    """A clock the queue sleeps on: each sleep moves it on, at once."""

    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.001)


def test_a_burst_of_changes_is_worked_out_once_and_a_change_meanwhile_again(monkeypatch):
    ticks = Ticks()
    monkeypatch.setattr("workshop.rounds.measures_queue.time.monotonic", lambda: ticks.now)
    worked: list[tuple[int, float]] = []
    queue: MeasuresQueue

    def work(round_id: int) -> None:
        worked.append((round_id, ticks.now))
        ticks.now += 2.0  # a long working out
        if len(worked) == 1:
            queue.add(round_id)  # a change while it is worked out

    def sleep(seconds: float) -> None:
        queue.add(7)  # the burst goes on while the queue waits: no second working out
        ticks.sleep(seconds)

    queue = MeasuresQueue(start=lambda run: run(), sleep=sleep, work=work)
    queue.add(7)
    assert [round_id for round_id, _at in worked] == [7, 7]
    first, second = (at for _round, at in worked)
    assert first >= 0.5  # a little after the first change of the burst
    assert second >= first + 2.0 + 3 * 2.0  # rested three times as long as it took
    assert queue.due() == []
