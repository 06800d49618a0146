"""What people said about a map's actors and ties, for its files: ratings, sorts, statements."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from facilitation.exports import csv_file
from facilitation.results import StepResult


def actor_answers(results: Iterable[StepResult]) -> dict[str, dict[str, object]]:
    """Each actor's answers by its name as it shows now: for each rating step, the mean
    (each person once) and how many rated it; for each sorting step, how many put it in
    each category ("Close: 2 | Some contact: 1"). Each name ends in what it holds, so no
    step's id (a sorting step called "layer") takes the place of what every actor has.

    >>> from types import SimpleNamespace
    >>> from facilitation.answers import Tally
    >>> rated = Tally(2, (), (), averages=(("Mind", 4.5, 2),))
    >>> near = Tally(2, (), (), columns=("Close", "Far"), rows=(("Mind", (2, 0)),))
    >>> actor_answers([StepResult(SimpleNamespace(id="say"), None, True, 2, 2, rated),
    ...                StepResult(SimpleNamespace(id="near"), None, True, 2, 2, near)])
    {'Mind': {'say_mean': 4.5, 'say_count': 2, 'near_chosen': 'Close: 2'}}
    """
    found: dict[str, dict[str, object]] = {}
    for result in results:
        step, tally = result.step, result.tally
        if tally is None:
            continue
        for name, mean, count in tally.averages:
            found.setdefault(name, {})[f"{step.id}_mean"] = round(mean, 2)
            found[name][f"{step.id}_count"] = count
        for name, counts in tally.rows:
            pairs = zip(tally.columns, counts, strict=True)
            chosen = [f"{column}: {n}" for column, n in pairs if n]
            found.setdefault(name, {})[f"{step.id}_chosen"] = " | ".join(chosen)
    return found


def add_actor_answers(graph: nx.DiGraph, answers: Mapping[str, Mapping[str, object]]) -> None:
    """Put each actor's answers on its node, found by the name it shows with."""
    for _node, data in graph.nodes(data=True):
        data.update(answers.get(data["label"], {}))


@dataclass(frozen=True)
class StatementRow:
    """One tie as a person stated it."""

    participant: str  # a pseudonym, "P3", or "imported" for a tie from a spreadsheet
    source: str  # the names as they show on the map now
    target: str
    kind: str
    round: str
    when: str  # ISO 8601, UTC


STATEMENT_HEADERS = ("participant", "from", "to", "kind", "round", "when")


def statements_csv(rows: Iterable[StatementRow]) -> bytes:
    """Every tie as stated, a row each: who said it, between which names, of what kind,
    in which round and when."""
    return csv_file(
        STATEMENT_HEADERS,
        [(r.participant, r.source, r.target, r.kind, r.round, r.when) for r in rows],
    )
