"""What one request costs the server: CPU time and queries, by kind of request."""

# Run:  .venv/bin/python bench/request_cost.py [--people 500] [--actors 800] [--sample 60]
#                                                [--profile KIND] [--out FILE]
#                                                [--database postgres]
#
# In one process: a fresh SQLite database (or, with --database postgres, a new database on
# this machine's PostgreSQL, where each query is a round trip: the wall time then shows
# the waiting, which CPU time does not), a round of
# "campaign-pies" (13 steps) with --people participants and a map of --actors actors and
# three times as many ties, written as rows as people's answers would leave them. The round
# starts and moves through every step; at each one --sample participants (each with their own
# cookies, through Flask's test client) do what a person's browser does:
#   conversation   the live update's fetch after a step change (?part=conversation)
#   step GET       the step's own page
#   answer POST    a real answer read off that page's form (names, ties, ratings, text...)
#   landing GET    the page the answer's redirect leads to
# and the facilitator's console fetches its live panel once per participant answer. Joining
# (GET the join page, POST the form) is timed too. For each kind it prints the median and
# p95 of the server's CPU time (this process's, so the client's work is in it; Flask's test
# client is thin) and the median and max of SQL statements. --profile KIND prints a
# pyinstrument profile of every request of that kind, together.

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from tests.conftest import CheckedClient  # noqa: E402

QUESTIONNAIRE = "campaign-pies"
EMAIL = "bench@example.org"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHOICE = re.compile(r'<input[^>]*type="(?:radio|checkbox)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
OPTION = re.compile(r'<option value="(\d+)"')
SOURCE = re.compile(r'<select[^>]*name="source"[^>]*>(.*?)</select>', re.S)
KINDS = ("join GET", "join POST", "conversation", "step GET", "answer POST", "landing GET")
CONSOLE = "console panel"


class Client(CheckedClient):
    """The suite's client without its page checks: they are not the server's work."""

    open = FlaskClient.open


class Meter:
    """CPU seconds and SQL statements of each request, by kind."""

    def __init__(self, engine: Any) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.wall: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._counted)

    def _counted(self, *_args: Any) -> None:
        self.count += 1

    @contextmanager
    def measure(self, kind: str) -> Iterator[None]:
        self.count = 0
        started, began = time.process_time(), time.perf_counter()
        yield
        self.cpu[kind].append((time.process_time() - started) * 1000)
        self.wall[kind].append((time.perf_counter() - began) * 1000)
        self.queries[kind].append(self.count)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def fill_map(app: Any, round_id: int, joined: list[Any], actors: int, seed: int) -> None:
    """Actors named across the three name steps and ties on the connect step, with each
    person's answers listing what they added (as the app stores them)."""
    from facilitation.network import actor_key
    from workshop.store.db import session_scope
    from workshop.store.models import Actor, Answer, Tie

    rng = random.Random(seed)
    steps = ("working-on-it", "could-join", "has-a-say")
    kinds = ("organisation", "group", "public-body", "community", "person")
    tie_kinds = ("works-with", "could-help", "has-influence", "funds")
    with app.app_context(), session_scope() as db:
        rows = []
        for i in range(actors):
            person = joined[i % len(joined)]
            name = f"Group {i + 1} of {('Deptford', 'Lewisham', 'Woolwich', 'Eltham')[i % 4]}"
            rows.append(
                Actor(
                    round_id=round_id,
                    name=name,
                    key=actor_key(name),
                    kind=rng.choice(kinds),
                    added_by=person,
                    step_id=steps[i % 3],
                    x=rng.uniform(-1000, 1000),
                    y=rng.uniform(-1000, 1000),
                )
            )
        db.add_all(rows)
        db.flush()
        items: dict[tuple[int, str], list[dict]] = defaultdict(list)
        for row in rows:
            items[(row.added_by, row.step_id)].append({"actor": row.id, "label": row.name})
        ties: dict[int, list[dict]] = defaultdict(list)
        seen = set()
        for _ in range(actors * 3):
            a, b = rng.sample(rows, 2)
            person = rng.choice(joined)
            kind = rng.choice(tie_kinds)
            if (person, a.id, b.id, kind) in seen:
                continue
            seen.add((person, a.id, b.id, kind))
            tie = Tie(
                round_id=round_id,
                source_id=a.id,
                target_id=b.id,
                kind=kind,
                added_by=person,
                step_id="ties",
            )
            db.add(tie)
            ties[person].append(tie)
        db.flush()
        for (person, step), listed in items.items():
            db.add(Answer(round_id=round_id, participant_id=person, step_id=step, value=listed))
        for person, given in ties.items():
            value = [
                {"tie": t.id, "source": t.source_id, "target": t.target_id, "kind": t.kind}
                | {"label": f"{t.source_id} {t.kind} {t.target_id}"}
                for t in given
            ]
            db.add(Answer(round_id=round_id, participant_id=person, step_id="ties", value=value))
        db.commit()


def answer_form(step: Any, html: str, rng: random.Random) -> dict[str, Any] | None:
    """A real answer to the step, read off its form as a person would fill it."""
    found = CSRF.search(html)
    if found is None:
        return None
    form: dict[str, Any] = {"csrf_token": found.group(1)}
    choices = CHOICE.findall(html)
    if step.type == "name-actors":
        kinds = [v for n, v in choices if n == "kind"]
        form.update(intent="add", name=f"Neighbours {rng.randrange(10**6)}", kind=kinds[0])
    elif step.type == "connect-actors":
        select = SOURCE.search(html)
        actors = OPTION.findall(select.group(1)) if select else []
        kinds = [v for n, v in choices if n == "kind"]
        if len(actors) < 2 or not kinds:
            return None
        source, target = rng.sample(actors, 2)
        form.update(intent="add", source=source, target=target, kind=kinds[0])
    elif step.type in ("rate-actors", "sort-actors"):
        fields: dict[str, list[str]] = defaultdict(list)
        for name, value in choices:
            if name.startswith("actor-"):
                fields[name].append(value)
        form.update({name: rng.choice(values) for name, values in fields.items()})
    elif step.type in ("short-text", "long-text", "reflection"):
        form["answer"] = "Step-free rooms, and papers sent a week before."
    else:
        options = [v for n, v in choices if n == "answer"]
        if not options:
            return None
        form["answer"] = options[0]
    return form


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh SQLite file, or a new database on this machine's PostgreSQL (dropped after)."""
    if kind == "postgres":
        from tests.conftest import new_postgres_database

        with new_postgres_database() as url:
            yield url
        return
    yield f"sqlite:///{Path(tempfile.mkdtemp(prefix='roundtable-cost-')) / 'roundtable.db'}"


def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    from tests.conftest import command, make_app, make_setup, sign_in
    from workshop.rounds import people
    from workshop.store.db import session_scope
    from workshop.store.models import Round

    app = make_app(url)
    app.test_client_class = Client
    setup = make_setup(app, email=EMAIL, questionnaire=QUESTIONNAIRE)
    steps = list(app.extensions["roundtable.questionnaires"][QUESTIONNAIRE].questionnaire.steps)
    meter = Meter(app.extensions["roundtable.engine"])
    profiled: Callable[[], Any] | None = None
    if args.profile:
        from pyinstrument import Profiler

        profiled = Profiler(interval=0.0005)

    def timed(kind: str, call: Callable[[], Any]) -> Any:
        if profiled is not None and kind == args.profile:
            profiled.start()
        with meter.measure(kind):
            response = call()
        if profiled is not None and kind == args.profile:
            profiled.stop()
        if response.status_code >= 500:
            raise RuntimeError(f"{kind}: HTTP {response.status_code}")
        return response

    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        others = [
            people.join(db, round_, f"Person {i + 1}").id for i in range(args.people - args.sample)
        ]
    fill_map(app, setup.round_id, others, args.actors, args.seed)

    sample: list[tuple[FlaskClient, str]] = []
    join_url = f"/j/{setup.join_token}"
    for i in range(args.sample):
        client = app.test_client()
        html = timed("join GET", lambda c=client: c.get(join_url)).get_data(as_text=True)
        attempt = re.search(r'name="attempt"[^>]*value="([^"]+)"', html)
        form = {"csrf_token": CSRF.search(html).group(1), "agree": "y"}
        form.update(display_name=f"Sampled {i + 1}", attempt=attempt.group(1) if attempt else "")
        posted = timed("join POST", lambda c=client, f=form: c.post(join_url, data=f))
        sample.append((client, posted.headers["Location"]))

    console = app.test_client()
    sign_in(console, EMAIL)
    live_url = f"/rounds/{setup.round_id}/live"
    rng = random.Random(args.seed)
    for number, step in enumerate(steps):
        command(console, setup, "start" if number == 0 else "next")
        for client, page in sample:
            timed("conversation", lambda c=client, p=page: c.get(f"{p}?part=conversation"))
        for client, page in sample:
            url = f"{page}/steps/{step.id}"
            html = timed("step GET", lambda c=client, u=url: c.get(u)).get_data(as_text=True)
            if not step.collects_answer:
                continue
            form = answer_form(step, html, rng)
            if form is None:
                continue
            posted = timed("answer POST", lambda c=client, u=url, f=form: c.post(u, data=f))
            timed("landing GET", lambda c=client, p=posted: c.get(p.headers["Location"]))
            timed(CONSOLE, lambda: console.get(live_url))
        print(f"  step {number + 1}/{len(steps)}: {step.id} ({step.type})", flush=True)

    figures = {
        kind: {
            "requests": len(meter.cpu[kind]),
            "cpu_ms_median": statistics.median(meter.cpu[kind]),
            "cpu_ms_p95": percentile(meter.cpu[kind], 95),
            "wall_ms_median": statistics.median(meter.wall[kind]),
            "queries_median": statistics.median(meter.queries[kind]),
            "queries_max": max(meter.queries[kind]),
        }
        for kind in (*KINDS, CONSOLE)
        if meter.cpu[kind]
    }
    participant = [ms for kind in KINDS for ms in meter.cpu[kind]]
    figures["every participant request"] = {
        "requests": len(participant),
        "cpu_ms_median": statistics.median(participant),
        "cpu_ms_p95": percentile(participant, 95),
        "wall_ms_median": statistics.median(ms for kind in KINDS for ms in meter.wall[kind]),
    }
    app.extensions["roundtable.engine"].dispose()
    if profiled is not None:
        print(profiled.output_text(unicode=True, color=False, show_all=False))
    return figures


def report(figures: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"\n{args.people} people, {args.actors} actors, {args.sample} sampled, {args.database}"
        "\nkind                        requests  CPU ms median    p95  wall ms median"
        "   queries median  max"
    )
    for kind, f in figures.items():
        queries = (
            f"{f['queries_median']:>14.0f} {f['queries_max']:>4}" if "queries_max" in f else ""
        )
        print(
            f"{kind:<28}{f['requests']:>8}{f['cpu_ms_median']:>15.1f}{f['cpu_ms_p95']:>7.1f}"
            f"{f['wall_ms_median']:>16.1f}{queries}"
        )
    every = figures["every participant request"]["cpu_ms_median"]
    print(f"budget: participant request CPU median <= 3 ms: {'pass' if every <= 3 else 'FAIL'}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--actors", type=int, default=800)
    parser.add_argument("--sample", type=int, default=60, help="participants who make requests")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--profile", choices=(*KINDS, CONSOLE), help="print where its time goes")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/request_cost.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with database(args.database) as url:
        figures = run(args, url)
    report(figures, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    settings = vars(args) | {"out": str(args.out)}
    args.out.write_text(json.dumps({"args": settings, **figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
