"""Rounds side by side: answers step by step, measures and their change, the map difference."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from sqlmodel import Session

from facilitation.map_diff import MapDifference, difference, union_graph
from facilitation.map_layout import place
from facilitation.measures import MapMeasures
from facilitation.results import StepResult
from workshop.pages.reports.report import RoundReport, round_report
from workshop.pages.shared.measures import measures_of
from workshop.store.models import Round


@dataclass(frozen=True)
class StepRow:
    """One step id across the rounds: its title, and each round's answers (None when the
    round's questionnaire has no such step)."""

    step_id: str
    title: str
    cells: tuple[StepResult | None, ...]


@dataclass(frozen=True)
class MeasureRow:
    """One number across the rounds, and its change from the first to the last."""

    key: str
    values: tuple[int, ...]

    @property
    def change(self) -> int:
        return self.values[-1] - self.values[0]


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison page shows."""

    reports: tuple[RoundReport, ...]
    steps: tuple[StepRow, ...]
    measures: tuple[MeasureRow, ...]
    difference: MapDifference
    picture: nx.Graph  # both maps in one, each actor and tie marked added, lost or kept
    positions: dict


def compare(db: Session, chosen: list[Round]) -> Comparison:
    """Compare rounds, oldest first; the map difference is from the first to the last."""
    chosen = sorted(chosen, key=lambda r: r.created_at)
    reports = tuple(round_report(db, r) for r in chosen)
    order: list[str] = []
    titles: dict[str, str] = {}
    for report in reports:
        for item in report.steps:
            if item.step.id not in titles:
                order.append(item.step.id)
                titles[item.step.id] = item.step.title
    steps = tuple(
        StepRow(
            step_id,
            titles[step_id],
            tuple(next((i for i in r.steps if i.step.id == step_id), None) for r in reports),
        )
        for step_id in order
    )
    graphs = [report.graph for report in reports]
    measures = [measures_of(g) for g in graphs]
    picture = union_graph(graphs[0], graphs[-1])
    return Comparison(
        reports=reports,
        steps=steps,
        measures=_measure_rows(measures),
        difference=difference(graphs[0], graphs[-1]),
        picture=picture,
        positions=_fit(place(picture, {})),
    )


def _measure_rows(measures: list[MapMeasures]) -> tuple[MeasureRow, ...]:
    counts = {
        "actors": lambda m: m.actors,
        "ties": lambda m: m.ties,
        "clusters": lambda m: len(m.clusters),
        "isolated": lambda m: len(m.isolated),
        "gaps": lambda m: len(m.gaps),
    }
    return tuple(
        MeasureRow(key, tuple(count(m) for m in measures)) for key, count in counts.items()
    )


def _fit(positions: dict, size: float = 1000.0, margin: float = 80.0) -> dict:
    """Positions moved into a box from (margin, margin) to (size - margin) for drawing."""
    if not positions:
        return {}
    xs = [x for x, _y in positions.values()]
    ys = [y for _x, y in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    scale = (size - 2 * margin) / span
    return {
        node: (round(margin + (x - min(xs)) * scale, 1), round(margin + (y - min(ys)) * scale, 1))
        for node, (x, y) in positions.items()
    }
