"""What a spreadsheet import gives: checked actors and ties or its problems, and its limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from facilitation.network import actor_key

MAX_ACTORS = 5_000
MAX_TIES = 20_000
MAX_FILE_BYTES = 8 * 1024 * 1024  # the upload itself
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what an .xlsx or .ods (a ZIP) may unpack to
MAX_ISSUES = 50  # problems listed; the rest are counted
MAX_HEADER_COLUMNS = 200  # headers are looked for in this many columns
BLANK_RUN = 1_000  # this many empty rows in a row end a sheet
SHOWN_VALUE = 60  # a cell's text quoted in a message is cut to this many characters
EXTENSIONS = ("csv", "xlsx", "ods")

# Headers, with case and spacing ignored, to the column they mean.
ELEMENT_COLUMNS = {
    "id": "id",
    "label": "label",
    "name": "label",
    "type": "type",
    "kind": "type",
    "description": "description",
    "tags": "tags",
    "layer": "layer",
}
CONNECTION_COLUMNS = {
    "from": "from",
    "source": "from",
    "to": "to",
    "target": "to",
    "type": "type",
    "kind": "type",
    "strength": "strength",
    "tags": "tags",
}
# The header each column is called by in messages (Kumu's word).
HEADERS = {"label": "Label", "type": "Type", "from": "From", "to": "To", "layer": "Layer"}


class Problem(StrEnum):
    """What is wrong with an imported file, or with one cell of it."""

    FILE_TYPE = "file-type"  # not .csv or .xlsx
    FILE_TOO_BIG = "file-too-big"  # limit: bytes
    UNPACKS_TOO_BIG = "unpacks-too-big"  # an .xlsx that unpacks to more than limit bytes
    NOT_UTF8 = "not-utf8"  # a CSV that is not UTF-8 text (row: where it stops being)
    NOT_XLSX = "not-xlsx"  # named .xlsx, but not a workbook that can be read
    NOT_ODS = "not-ods"  # named .ods, but not a spreadsheet that can be read
    EMPTY = "empty"  # nothing in the file (or in the sheet)
    NO_ROWS = "no-rows"  # headers, and nothing under them
    NO_MAP = "no-map"  # the round's questionnaire has no kinds of actor
    NO_TIE_KINDS = "no-tie-kinds"  # connections, but the questionnaire has no kinds of tie
    MISSING_HEADER = "missing-header"  # header: the one missing (Label, From or To)
    NO_KIND_COLUMN = "no-kind-column"  # elements without a Type column; known: the kinds
    NO_TIE_KIND_COLUMN = "no-tie-kind-column"  # connections without one; known: the kinds
    UNREADABLE_ROW = "unreadable-row"  # a CSV row that cannot be read (an unclosed quote)
    CELL_TOO_LONG = "cell-too-long"  # a CSV cell longer than can be read (limit: characters)
    MISSING_NAME = "missing-name"
    NAME_TOO_LONG = "name-too-long"  # limit: characters
    MISSING_KIND = "missing-kind"  # known: the kinds of actor
    UNKNOWN_KIND = "unknown-kind"  # value; known: the kinds of actor
    UNKNOWN_LAYER = "unknown-layer"  # value; known: the layers
    TWO_LAYERS = "two-layers"  # value: the layers given, "|"-separated; known: the layers
    TOO_MANY_ACTORS = "too-many-actors"  # limit
    UNKNOWN_ACTOR = "unknown-actor"  # value: the name
    SAME_ACTOR = "same-actor"  # value: the name at both ends
    MISSING_TIE_KIND = "missing-tie-kind"  # known: the kinds of tie
    UNKNOWN_TIE_KIND = "unknown-tie-kind"  # value; known: the kinds of tie
    TOO_MANY_TIES = "too-many-ties"  # limit
    STRENGTH = "strength"  # value: not a whole number from 1 to limit


@dataclass(frozen=True)
class Issue:
    """One problem, where the spreadsheet shows it: row 1 is the headers, column "A" the
    first. A problem with the whole file has no row; one with a row has no column."""

    problem: Problem
    row: int | None = None
    column: str | None = None  # the column's letter
    header: str | None = None  # the column's header as the file wrote it, or the one missing
    sheet: str | None = None  # an .xlsx's sheet; None for a CSV
    value: str = ""  # what the cell said, cut short
    known: tuple[str, ...] = ()  # the words that would do
    limit: int = 0


@dataclass(frozen=True)
class ImportedActor:
    """A checked actor: its name as written, its kind's id and its layer's id (or None)."""

    name: str
    kind: str
    layer: str | None = None

    @property
    def key(self) -> str:
        return actor_key(self.name)


@dataclass(frozen=True)
class ImportedTie:
    """A checked tie between two names (from the file or already on the map)."""

    source: str
    target: str
    kind: str
    strength: int = 1  # how many people said it (Kumu's Strength)

    @property
    def source_key(self) -> str:
        return actor_key(self.source)

    @property
    def target_key(self) -> str:
        return actor_key(self.target)


@dataclass
class ImportResult:
    """What a file holds: actors and ties when it has no problem; problems otherwise."""

    actors: list[ImportedActor] = field(default_factory=list)
    ties: list[ImportedTie] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # at most MAX_ISSUES
    more_issues: int = 0  # problems found beyond those listed
    repeated_actors: int = 0  # rows naming an actor named on an earlier row: merged into it
    repeated_ties: int = 0  # rows repeating an earlier row's tie: kept once
    encoding: str | None = None  # a CSV's code page or UTF-16, where it was not UTF-8

    @property
    def ok(self) -> bool:
        return not self.issues

    def add(self, issue: Issue) -> None:
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)
        else:
            self.more_issues += 1
