"""Find the line of a value in YAML text, for error messages that say where to look."""

from __future__ import annotations

import yaml

from questionnaires.findings import Location


def line_of(root: yaml.Node | None, location: Location) -> int | None:
    """The 1-based line of the deepest node on this path that exists in the file.

    A path may name a key the file lacks ("options" missing): the line of its parent is
    the best place to look. Parts that are not in the file (pydantic adds the step type
    as a tag in union errors) are skipped.
    """
    node, line_node = root, root
    for part in location:
        found = _child(node, part)
        if found is not None:
            # A key's own line reads best ("options:"), even when its value starts below.
            line_node, node = found
    return line_node.start_mark.line + 1 if line_node is not None else None


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return key, value
    in_range = isinstance(part, int) and 0 <= part < len(getattr(node, "value", ()))
    if isinstance(node, yaml.SequenceNode) and in_range:
        return node.value[part], node.value[part]
    return None
