"""What an import reads through: a sheet's headers and cells, and a codebook list's words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from facilitation.import_results import HEADERS, SHOWN_VALUE, ImportResult, Issue, Problem
from facilitation.network import actor_key
from facilitation.spreadsheets import cell_text, column_letter
from questionnaires.schema import Term


class Words:
    """A codebook list's ids and labels, matched with case and spacing ignored."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.ids: dict[str, str] = {}
        self.labels = tuple(term_label(t) for t in terms)
        for term in terms:
            for word in (term.id, *term_labels(term)):
                self.ids.setdefault(actor_key(word), term.id)

    def find(self, value: str) -> str | None:
        return self.ids.get(actor_key(value))

    def only(self) -> str | None:
        """The one id, when there is only one (so a file need not say it)."""
        ids = set(self.ids.values())
        return next(iter(ids)) if len(ids) == 1 else None


@dataclass
class Sheet:
    """A table's headers, where each column is, and a way to note a problem in a cell."""

    name: str | None
    header_row: int
    headers: list[str]
    columns: Mapping[str, int]
    result: ImportResult

    def cell(self, row: Sequence[object], column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(row):
            return ""
        return cell_text(row[index])

    def note(
        self,
        problem: Problem,
        number: int,
        column: str,
        value: str = "",
        known: tuple[str, ...] = (),
        limit: int = 0,
    ) -> None:
        index = self.columns[column]
        self.result.add(
            Issue(
                problem,
                row=number,
                column=column_letter(index),
                header=self.headers[index] or HEADERS.get(column, column),
                sheet=self.name,
                value=shortened(value),
                known=known,
                limit=limit,
            )
        )


def issue_at(issue: Issue, row: int, sheet: str | None) -> Issue:
    return Issue(issue.problem, row=row, header=issue.header, sheet=sheet, known=issue.known)


def unquoted(value: str) -> str:
    """A name as written: a spreadsheet's quote before =, +, - or @ (which Roundtable's own
    export adds so that no name runs as a formula) is not part of it."""
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def shortened(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def term_labels(term: Term) -> tuple[str, ...]:
    """A term's label, or each of its languages' labels."""
    label = term.label
    return tuple(label.values()) if isinstance(label, dict) else (label,)


def term_label(term: Term) -> str:
    return term_labels(term)[0]
