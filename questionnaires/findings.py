"""A problem found in a questionnaire file, said in plain words with where it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Location = tuple[str | int, ...]  # a path into the file: ("steps", 2, "options", 0, "label")


def N_(template: str) -> str:
    """Marks a message template for the translators (pybabel -k N_); the pages translate
    it, this layer never does."""
    return template


class Said(str):
    """A message in English that keeps its template and values, so that a page can say it
    in its reader's language (the command line prints the English).

    >>> said = Said(N_("'%(key)s' is missing"), key="title")
    >>> said, said.template, said.values
    ("'title' is missing", "'%(key)s' is missing", {'key': 'title'})
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Said:
        said = super().__new__(cls, template % values if values else template)
        said.template, said.values = template, values
        return said


@dataclass(frozen=True)
class Finding:
    """One error or warning: the file, the line, the step it concerns, and what to do."""

    file: str
    line: int | None
    step: str | None
    message: str
    location: Location = ()  # where in the file, for the designer to show it beside its field

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.step is not None:
            where.append(f"step '{self.step}'")
        return f"{', '.join(where)}: {self.message}"


def step_id_at(data: Any, location: Location) -> str | None:
    """The id of the step a location is inside, when it is inside one and has an id."""
    if len(location) >= 2 and location[0] == "steps" and isinstance(location[1], int):
        steps = data.get("steps") if isinstance(data, dict) else None
        if isinstance(steps, list) and 0 <= location[1] < len(steps):
            step = steps[location[1]]
            if isinstance(step, dict) and isinstance(step.get("id"), str):
                return step["id"]
    return None
