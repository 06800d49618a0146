"""Rounds side by side: answers step by step, measures and their change, the map difference."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from sqlmodel import Session

from facilitation.label_layout import Box, spread, text_width, wrap
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
class Drawing:
    """The difference map's size, and each actor's place and name in lines, in its pixels."""

    width: float
    height: float
    places: dict[str, tuple[float, float]]
    lines: dict[str, list[str]]


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison page shows."""

    reports: tuple[RoundReport, ...]
    steps: tuple[StepRow, ...]
    measures: tuple[MeasureRow, ...]
    difference: MapDifference
    picture: nx.Graph  # both maps in one, each actor and tie marked added, lost or kept
    drawing: Drawing  # where the picture puts each actor and its name


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
        drawing=_drawing(picture),
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


NAME_SIZE = 16  # the names' font size, in the drawing's pixels (drawn 1:1 when it fits)
NAME_WIDTH = 170  # a name wraps onto more lines beyond this width
SHAPE = 18  # half an actor's shape, its outline included
MARGIN = 8


def _drawing(picture: nx.Graph) -> Drawing:
    """Each actor where the map's layout puts it, moved apart until no name covers
    another name or shape, and the whole drawing just big enough to hold them all.

    A name's first baseline is 0.95 em below the top of its box, and each further line
    1.2 em lower; the box allows 0.3 em below the last baseline."""
    lines = {n: wrap(data["name"], NAME_SIZE, NAME_WIDTH) for n, data in picture.nodes(data=True)}
    boxes = {}
    for node, words in lines.items():
        half = max(SHAPE, max(text_width(line, NAME_SIZE) for line in words) / 2)
        height = (0.95 + 1.2 * (len(words) - 1) + 0.3) * NAME_SIZE
        boxes[node] = Box(-half, -SHAPE, half, SHAPE + 4 + height)
    at = spread(place(picture, {}), boxes)
    if not at:
        return Drawing(0, 0, {}, {})
    left = min(at[n][0] + boxes[n].left for n in at) - MARGIN
    top = min(at[n][1] + boxes[n].top for n in at) - MARGIN
    right = max(at[n][0] + boxes[n].right for n in at) + MARGIN
    bottom = max(at[n][1] + boxes[n].bottom for n in at) + MARGIN
    places = {n: (round(x - left, 1), round(y - top, 1)) for n, (x, y) in at.items()}
    return Drawing(round(right - left), round(bottom - top), places, lines)
