"""What participant pages listing the whole map cost: connect, name and map steps, map page."""

# Run: .venv/bin/python bench/map_words.py [--actors 800] [--gets 30] [--profile DIR]
#
# A round of map-your-network whose map has --actors actors and ~3 ties each (rows written
# directly, as bench/map.py does), the map shown to participants, and a participant who
# named 5 of them. In this process with Flask's plain test client (no network, no server), it
# times --gets GETs of each page (after one to warm up) and prints the median and p95
# milliseconds and the HTML bytes; between rounds of GETs one map change is made (a name
# added by someone else), so pages that reuse what they drew must draw again once. With
# --profile, pyinstrument writes one HTML profile per page into DIR.

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from map import QUESTIONNAIRE, actor_name, fill_round, percentile  # noqa: E402

STEPS = {  # page: the step the round is on (0-based), and the path after /p/<token>
    "name step (face-to-face)": (1, "/steps/face-to-face"),
    "connect step (key-allies)": (4, "/steps/key-allies"),
    "map step (the-map)": (7, "/steps/the-map"),
    "map page": (7, "/map"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actors", type=int, default=800)
    parser.add_argument("--gets", type=int, default=30, help="GETs of each page")
    parser.add_argument("--profile", type=Path, help="write pyinstrument profiles here")
    args = parser.parse_args(argv)
    if not 1 <= args.actors <= 20_000 or not 1 <= args.gets <= 1000:
        parser.error("--actors 1 to 20,000, --gets 1 to 1,000")
    os.environ.setdefault("ROUNDTABLE_SECRET_KEY", "bench-only-secret-key-not-for-any-real-server")

    from flask.testing import FlaskClient

    from facilitation.network import NewActor
    from tests.conftest import command, join, make_app, make_setup, sign_in
    from workshop.rounds import maps, network
    from workshop.store.db import session_scope
    from workshop.store.models import Participant

    with tempfile.TemporaryDirectory(prefix="map-words-") as tmp:
        app = make_app(f"sqlite:///{Path(tmp) / 'words.db'}")
        setup = make_setup(app, questionnaire=QUESTIONNAIRE)
        fill_round(app, setup.round_id, args.actors)
        with app.app_context(), session_scope() as db:
            maps.set_display(db, setup.round_id, map_shown=True)
        facilitator = app.test_client()
        sign_in(facilitator, setup.email)
        page = join(app.test_client(), setup, "Reader")
        reader = FlaskClient(app)  # not the tests' client: it parses every page it gets
        other = join(app.test_client(), setup, "Other")
        command(facilitator, setup, "start")
        command(facilitator, setup, "next")  # face-to-face: the reader names 5
        with app.app_context(), session_scope() as db:
            person = db.get(Participant, _participant_id(db, page))
            for i in range(5):
                network.add_actor(
                    db, person, network.MAP_NAMES, NewActor(actor_name(i * 7), "group")
                )
        print(
            f"{args.actors} actors; {args.gets} GETs of each page, a map change every 10 "
            f"(load average {os.getloadavg()[0]:.2f})"
        )
        at = 1
        added = 0
        for label, (index, path) in STEPS.items():
            while at < index:
                command(facilitator, setup, "next")
                at += 1
            url = page + path
            assert reader.get(url).status_code == 200, url
            times: list[float] = []
            size = 0
            for get in range(args.gets):
                if get % 10 == 9:  # someone else names someone: the map changes
                    with app.app_context(), session_scope() as db:
                        network.add_actor(
                            db,
                            db.get(Participant, _participant_id(db, other)),
                            network.MAP_NAMES,
                            NewActor(actor_name(args.actors + added), "group"),
                        )
                    added += 1
                started = time.perf_counter()
                response = reader.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
                size = len(response.data)
            print(
                f"  {label:28} median {statistics.median(times):6.1f} ms, p95 "
                f"{percentile(times, 95):6.1f} ms, max {max(times):6.1f} ms; {size} B of HTML",
                flush=True,
            )
            if args.profile:
                _profile(reader, url, args.profile / f"{path.strip('/').replace('/', '-')}.html")
        app.extensions["roundtable.engine"].dispose()
    return 0


def _participant_id(db: Any, page: str) -> int:
    from sqlmodel import select

    from workshop.store.models import Participant

    token = page.split("/p/", 1)[1].split("/", 1)[0]
    return db.exec(select(Participant.id).where(Participant.token == token)).one()


def _profile(client: Any, url: str, out: Path) -> None:
    from pyinstrument import Profiler

    out.parent.mkdir(parents=True, exist_ok=True)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(10):
            client.get(url)
    out.write_text(profiler.output_html(), encoding="utf-8")
    print(profiler.output_text(unicode=False, color=False, show_all=False)[:3000])


if __name__ == "__main__":
    sys.exit(main())
