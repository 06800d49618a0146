"""Stable positions for the map's actors, computed once on the server: nothing jumps as it grows."""

from __future__ import annotations

import math
import zlib
from collections.abc import Hashable, Mapping

import networkx as nx

SPACING = 120.0  # between neighbouring places, in the canvas's units
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

Point = tuple[float, float]


def spiral_point(index: int) -> Point:
    """The index-th place on a sunflower spiral: evenly spread, and never two the same.

    Examples
    --------
    >>> spiral_point(0)
    (0.0, 0.0)
    >>> round(math.dist(spiral_point(1), spiral_point(2)) / SPACING, 1) >= 0.5
    True
    """
    radius = SPACING * math.sqrt(index)
    angle = index * GOLDEN_ANGLE
    return (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))


def place(graph: nx.Graph, known: Mapping[Hashable, Point]) -> dict[Hashable, Point]:
    """Positions for every actor: those already placed keep theirs; new ones go near the
    actors they are tied to, or on the next free place of a spiral.

    Parameters
    ----------
    graph : networkx.Graph
    known : mapping
        Positions placed before (from earlier draws); they never change.

    Returns
    -------
    dict
        A position for every node of the graph, in node order for new ones.

    Examples
    --------
    >>> g = nx.Graph([(1, 2)])
    >>> first = place(g, {})
    >>> g.add_edge(2, 3)
    >>> second = place(g, first)
    >>> second[1] == first[1] and second[2] == first[2]
    True
    """
    positions = {node: known[node] for node in graph if node in known}
    taken = {cell(p) for p in positions.values()}
    next_free = 0
    for node in sorted(n for n in graph if n not in positions):
        placed_neighbours = [positions[n] for n in graph.neighbors(node) if n in positions]
        point, next_free = place_one(node, placed_neighbours, taken, next_free)
        positions[node] = point
        taken.add(cell(point))
    return positions


def place_one(
    node: Hashable, neighbours: list[Point], taken: set[tuple[int, int]], spiral_from: int = 0
) -> tuple[Point, int]:
    """A position for one new actor, as `place` gives it: near its placed neighbours, or on
    the spiral's first free place from `spiral_from` (every place before it is taken).

    Returns the position and where the spiral's next free place may be.

    Examples
    --------
    >>> place_one(7, [], set())
    ((0.0, 0.0), 1)
    >>> place_one(7, [], {cell((0.0, 0.0))})[1]
    2
    """
    point = _near(neighbours, node, taken) if neighbours else None
    while point is None or cell(point) in taken:
        point = spiral_point(spiral_from)
        spiral_from += 1
    return point, spiral_from


def _near(neighbours: list[Point], node: Hashable, taken: set[tuple[int, int]]) -> Point | None:
    """A free place on a ring around the neighbours' centre, turned by the node's id."""
    cx = sum(x for x, _y in neighbours) / len(neighbours)
    cy = sum(y for _x, y in neighbours) / len(neighbours)
    start = zlib.crc32(str(node).encode()) % 12  # the same in every process
    for ring in (1, 2, 3):
        for step in range(12):
            angle = (start + step) * math.pi / 6
            point = (
                round(cx + ring * SPACING * math.cos(angle), 1),
                round(cy + ring * SPACING * math.sin(angle), 1),
            )
            if cell(point) not in taken:
                return point
    return None


def cell(point: Point) -> tuple[int, int]:
    """The grid cell a point is in: two actors never share one, so none sit on each other."""
    return (round(point[0] / (SPACING * 0.6)), round(point[1] / (SPACING * 0.6)))
