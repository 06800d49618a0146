"""Names on a drawn map that never cover each other: wrapped, sized generously, moved apart."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

# Widths of characters in ems, on the generous side of common sans-serif fonts (DejaVu
# Sans, the widest usual one, included): a name drawn in any of them fits the box given.
NARROW, WIDE, CAPITAL, OTHER, FOREIGN = 0.42, 1.0, 0.8, 0.66, 1.05
NARROW_CHARACTERS = frozenset(" ijlI.,;:'!|ftr()-")
WIDE_CHARACTERS = frozenset("mwMW@%")


@dataclass(frozen=True)
class Box:
    """A drawing's extent around its centre: left and top are negative."""

    left: float
    top: float
    right: float
    bottom: float


def text_width(text: str, size: float) -> float:
    """How wide `text` can be drawn at font size `size`, at most.

    >>> text_width("Mind", 10) > text_width("Mini", 10)
    True
    """
    ems = 0.0
    for character in text:
        if not character.isascii():
            ems += FOREIGN
        elif character in NARROW_CHARACTERS:
            ems += NARROW
        elif character in WIDE_CHARACTERS:
            ems += WIDE
        elif character.isupper():
            ems += CAPITAL
        else:
            ems += OTHER
    return ems * size


def wrap(name: str, size: float, width: float) -> list[str]:
    """The name in lines no wider than `width` where its words allow (a longer word has a
    line of its own).

    >>> wrap("Lewisham Disability Coalition", 16, 170)
    ['Lewisham', 'Disability', 'Coalition']
    >>> wrap("Age UK", 16, 170)
    ['Age UK']
    """
    lines: list[str] = []
    for word in name.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def spread(
    positions: Mapping[Hashable, tuple[float, float]],
    boxes: Mapping[Hashable, Box],
    gap: float = 10.0,
    wide: float = 1.6,
    work_limit: int = 100_000,
) -> dict[Hashable, tuple[float, float]]:
    """Positions moved apart until no two boxes (each around its position) come within `gap`.

    Two that touch move apart the shorter way out, half each; sideways is preferred by
    the factor `wide` (for a picture wider than it is tall). When that goes round in
    circles, everything moves out from the middle a little. After `work_limit`
    comparisons of two boxes (plenty for a hundred or so names) it stops where it is: a
    bigger crowd cannot be read drawn anyway, and its lists are the map. The same input
    always gives the same positions. The browser does the same with the names' measured sizes
    (workshop/static/js/map.js).

    >>> box = Box(-20, -5, 20, 5)
    >>> moved = spread({1: (0, 0), 2: (10, 0)}, {1: box, 2: box})
    >>> abs(moved[1][1] - moved[2][1]) >= 10 + 10  # one above the other, 10 apart
    True
    """
    items = [[node, *positions[node]] for node in sorted(positions, key=str)]
    work = 0
    for rounds in range(1, 400):
        touching = False
        items.sort(key=lambda item: item[1] + boxes[item[0]].left)
        for i, p in enumerate(items):
            for j in range(i + 1, len(items)):
                q = items[j]
                if q[1] + boxes[q[0]].left >= p[1] + boxes[p[0]].right + gap:
                    break
                touching |= _part(p, q, boxes[p[0]], boxes[q[0]], gap, wide)
                work += 1
        if not touching or work > work_limit:
            break
        if rounds % 40 == 0:
            _widen(items)
    return {node: (round(x, 1), round(y, 1)) for node, x, y in items}


def _part(p: list, q: list, a: Box, b: Box, gap: float, wide: float) -> bool:
    """Move p and q apart if their boxes come within `gap`; whether they did."""
    across = min(p[1] + a.right, q[1] + b.right) - max(p[1] + a.left, q[1] + b.left) + gap
    down = min(p[2] + a.bottom, q[2] + b.bottom) - max(p[2] + a.top, q[2] + b.top) + gap
    if across <= 0 or down <= 0:
        return False
    axis, overlap = (1, across) if across <= down * wide else (2, down)
    centre_p = p[axis] + ((a.left + a.right) if axis == 1 else (a.top + a.bottom)) / 2
    centre_q = q[axis] + ((b.left + b.right) if axis == 1 else (b.top + b.bottom)) / 2
    way = 1 if centre_q >= centre_p else -1
    p[axis] -= way * (overlap / 2 + 0.5)
    q[axis] += way * (overlap / 2 + 0.5)
    return True


def _widen(items: list[list]) -> None:
    cx = sum(item[1] for item in items) / len(items)
    cy = sum(item[2] for item in items) / len(items)
    for item in items:
        item[1] = cx + (item[1] - cx) * 1.15
        item[2] = cy + (item[2] - cy) * 1.15
