"""The kept map, changed change by change, is always the map drawn whole from the database."""

from __future__ import annotations

import random

import pytest
from sqlmodel import select

from facilitation.map_layout import cell
from facilitation.network import NewActor, NewTie
from tests.conftest import make_setup, sign_in
from tests.redis_server import RedisServer
from tests.test_sockets import events, facilitator_socket
from workshop.realtime.last_sent import InProcess, InRedis, apply
from workshop.rounds import lifecycle, network, people, tidy
from workshop.rounds.canvas import kept, positioned_graph
from workshop.store.db import session_scope
from workshop.store.models import Actor, Participant, Round, Tie

NAMES = [f"{place} {group}" for place in ("Cardiff", "Leeds", "Hull") for group in "ABCDEFGH"]


def watched_round(app):
    """A round of map-your-network whose map a facilitator's console has open."""
    setup = make_setup(app, questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    console = facilitator_socket(app, facilitator)
    reply = console.emit(
        "watch_map", {"round": setup.round_id}, namespace="/facilitator", callback=True
    )
    assert reply == {"ok": True}
    return setup, facilitator, console


def random_change(
    db, rng: random.Random, round_: Round, person: Participant, tidying: bool = True
) -> str:
    """One change a participant (or, now and then, a facilitator) makes, through the app."""
    questionnaire = lifecycle.questionnaire_of(round_)
    codebook = questionnaire.codebook
    actors = list(db.exec(select(Actor).where(Actor.round_id == round_.id)))
    mine = [t for t in db.exec(select(Tie).where(Tie.added_by == person.id))]
    named = network.named_ids(db, person, questionnaire)
    roll = rng.random()
    if roll < 0.35 or len(actors) < 2:
        kind = rng.choice(codebook.actor_kinds).id
        network.add_actor(db, person, network.MAP_NAMES, NewActor(rng.choice(NAMES), kind))
        return "add actor"
    if roll < 0.7:
        # Any two actors, merged and hidden ones too: a "mine" list offers those.
        source, target = rng.sample(actors, 2)
        kind = rng.choice(codebook.tie_kinds).id
        network.add_tie(db, person, network.MAP_TIES, NewTie(source.id, target.id, kind), "-")
        return "add tie"
    if roll < 0.8 and mine:
        tie = rng.choice(mine)
        network.remove_tie(db, person, network.MAP_TIES, tie.id)
        return "remove tie"
    if (roll < 0.9 or not tidying) and named:
        actor_id = rng.choice(sorted(named))
        network.remove_actor(db, person, network.MAP_NAMES, questionnaire, actor_id)
        return "remove actor"
    if not tidying:
        return "nothing"
    # A facilitator tidies: the whole map is drawn again, and the next changes apply to it.
    actor, other = rng.sample(actors, 2)
    what = rng.choice(["merge", "split", "hide", "show", "rename"])
    try:
        if what == "merge":
            tidy.merge(db, round_.id, actor.id, other.id)
        elif what == "split":
            tidy.split(db, round_.id, actor.id)
        elif what == "rename":
            tidy.rename(db, round_.id, actor.id, f"{actor.name} ({rng.randint(1, 99)})")
        else:
            tidy.set_hidden(db, round_.id, actor.id, what == "hide")
    except tidy.TidyRefused:
        db.rollback()
        return "tidy refused"
    tidy.store(db, round_.id)
    return what


@pytest.fixture(params=["one process", "two processes sharing Redis"])
def stores(request, tmp_path):
    """The stores changes take turns through: one in-process, or two processes' Redis
    stores on one redis-server (each reads the deltas the other kept)."""
    if request.param == "one process":
        yield [InProcess()]
        return
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    try:
        first, second = InRedis(server.url), InRedis(server.url)
        first.COMPACT_AFTER = second.COMPACT_AFTER = 7  # written whole now and then, too
        yield [first, second]
    finally:
        server.stop()


def test_after_any_changes_the_kept_map_is_the_map_drawn_whole(app, stores):
    setup, facilitator, console = watched_round(app)
    rng = random.Random(16)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        ids = [people.join(db, round_, name).id for name in ("Amira", "Bo", "Cai")]
    app.extensions["roundtable.last_sent"] = stores[0]
    browser = facilitator.get(f"/rounds/{setup.round_id}/map/data.json").get_json()
    done: dict[str, int] = {}
    versions = set()
    for turn in range(160):
        store = stores[turn % len(stores)]
        app.extensions["roundtable.last_sent"] = store
        with app.app_context(), session_scope() as db:
            round_ = db.get(Round, setup.round_id)
            what = random_change(db, rng, round_, db.get(Participant, rng.choice(ids)))
            done[what] = done.get(what, 0) + 1
            kept_map = store.read(setup.round_id)
            whole = kept(*positioned_graph(db, setup.round_id))
            versions.add(store.version(setup.round_id))
        assert kept_map is not None
        for part in ("nodes", "edges", "merged"):
            assert kept_map[part] == whole[part], (turn, what, part)
        # The open map, changed by every delta it was sent, shows the same.
        for change in events(console, "/facilitator", "map_delta"):
            if change.get("reset"):
                browser = facilitator.get(f"/rounds/{setup.round_id}/map/data.json").get_json()
            else:
                apply(browser, change)
                assert change["counts"] == {
                    "actors": len(browser["nodes"]),
                    "ties": len(browser["edges"]),
                }
        assert browser == {"nodes": whole["nodes"], "edges": whole["edges"]}, (turn, what)
        # A map opened now is the kept map (not drawn from the database): the same.
        opened = facilitator.get(f"/rounds/{setup.round_id}/map/data.json").get_json()
        assert opened == browser, (turn, what)
    assert done["add actor"] > 30 and done["add tie"] > 30 and done["remove tie"] > 5
    assert done["remove actor"] > 5 and len(done) >= 6, done  # tidying happened too
    assert len(whole["nodes"]) >= 10 and len(whole["edges"]) >= 10 and done.get("merge"), done
    assert len(versions) == 160 - done.get("tidy refused", 0)  # each change moved it on


def test_a_participant_removed_with_their_names_redraws_the_kept_map(app):
    setup, facilitator, console = watched_round(app)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        amira, bo = (people.join(db, round_, name) for name in ("Amira", "Bo"))
        a, _ = network.add_actor(db, amira, network.MAP_NAMES, NewActor("Age UK", "group"))
        b, _ = network.add_actor(db, bo, network.MAP_NAMES, NewActor("Mind", "group"))
        network.add_tie(db, amira, network.MAP_TIES, NewTie(a.id, b.id, "works-with"), "-")
    facilitator.get(f"/rounds/{setup.round_id}/map/data.json")
    console.get_received("/facilitator")
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        amira = db.exec(select(Participant).where(Participant.display_name == "Amira")).one()
        people.remove(db, round_, amira, setup.facilitator_id, keep_answers=False)
        kept_map = app.extensions["roundtable.last_sent"].read(setup.round_id)
    assert [n["label"] for n in kept_map["nodes"].values()] == ["Mind"]
    assert kept_map["edges"] == {}
    (change,) = events(console, "/facilitator", "map_delta")
    assert change["counts"] == {"actors": 1, "ties": 0}


def test_names_added_one_by_one_never_sit_on_each_other(app):
    """Places are worked out from the places kept with the map: each new name gets a free
    one, also after names went (freeing theirs) and in between."""
    setup, facilitator, _console = watched_round(app)
    rng = random.Random(3)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        ids = [people.join(db, round_, name).id for name in ("Amira", "Bo")]
    facilitator.get(f"/rounds/{setup.round_id}/map/data.json")
    store = app.extensions["roundtable.last_sent"]
    for turn in range(80):
        with app.app_context(), session_scope() as db:
            round_ = db.get(Round, setup.round_id)
            person = db.get(Participant, rng.choice(ids))
            what = random_change(db, rng, round_, person, tidying=False)
            nodes = store.read(setup.round_id)["nodes"]
            whole = kept(*positioned_graph(db, setup.round_id))
        assert nodes == whole["nodes"], (turn, what)
        cells = {cell((n["x"], n["y"])) for n in nodes.values()}
        assert len(cells) == len(nodes), (turn, what)


def test_a_merged_name_taken_off_the_map_leaves_no_trace_in_the_kept_map(app):
    setup, facilitator, _console = watched_round(app)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        amira = people.join(db, round_, "Amira")
        age, _ = network.add_actor(db, amira, network.MAP_NAMES, NewActor("Age UK", "group"))
        typo, _ = network.add_actor(db, amira, network.MAP_NAMES, NewActor("Age U.K.", "group"))
    facilitator.get(f"/rounds/{setup.round_id}/map/data.json")
    with app.app_context(), session_scope() as db:
        tidy.merge(db, setup.round_id, typo.id, age.id)
        tidy.store(db, setup.round_id)
        round_ = db.get(Round, setup.round_id)
        amira = db.exec(select(Participant).where(Participant.display_name == "Amira")).one()
        questionnaire = lifecycle.questionnaire_of(round_)
        network.remove_actor(db, amira, network.MAP_NAMES, questionnaire, typo.id)
        assert db.get(Actor, typo.id) is None  # only Amira named it: it went
        kept_map = app.extensions["roundtable.last_sent"].read(setup.round_id)
        whole = kept(*positioned_graph(db, setup.round_id))
    assert whole["merged"] == {}
    assert {part: kept_map[part] for part in whole} == whole
