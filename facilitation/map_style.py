"""How the map looks: a shape and colour for each actor kind, a dash for each layer."""

from __future__ import annotations

from typing import Any

from questionnaires.schema import Codebook

# Shapes and colours for actor kinds, in codebook order: shape and colour together, so
# kinds never differ by colour alone. Okabe-Ito colours stay distinct in colour blindness.
SHAPES = ("dot", "square", "triangle", "diamond", "star", "triangleDown", "hexagon")
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES: tuple[Any, ...] = (False, [8, 5], [2, 5], [12, 4, 2, 4])  # layers, in codebook order


def styles(codebook: Codebook) -> dict[str, Any]:
    """How each actor kind and layer is drawn (also the legend's content)."""
    return {
        "kinds": {
            t.id: {
                "shape": SHAPES[i % len(SHAPES)],
                "colour": COLOURS[i % len(COLOURS)],
                "label": t.label,
            }
            for i, t in enumerate(codebook.actor_kinds)
        },
        "layers": {
            t.id: {"dashes": DASHES[i % len(DASHES)], "label": t.label}
            for i, t in enumerate(codebook.layers)
        },
        "arrows": any(t.directed for t in codebook.tie_kinds),  # the legend explains them
    }


def colour_of(codebook: Codebook) -> dict[str, str]:
    """Each actor kind's colour, as the canvas draws it ("#RRGGBB").

    >>> from questionnaires.schema import Term
    >>> colour_of(Codebook(actor_kinds=[Term(id="group", label="A group")]))
    {'group': '#0072B2'}
    """
    return {t.id: COLOURS[i % len(COLOURS)] for i, t in enumerate(codebook.actor_kinds)}
