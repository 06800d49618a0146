"""A round's map from a spreadsheet: actors (and ties) from a CSV or an .xlsx file.

Plain Python: the file's bytes and name go in; checked actors and ties come out, or every
problem found, each with its row and column as the spreadsheet shows them. Nothing here
raises on a bad file, and a file with any problem gives no actors and no ties, so that an
import is all or nothing.

Kumu's layout is accepted (and is what Roundtable's own export writes): an .xlsx with an
Elements sheet (Label, Type, Description, Tags) and a Connections sheet (From, To, Type,
Strength, Tags), or a CSV of elements, or a CSV of connections. Headers are matched with
case and spacing ignored, "Name" means "Label", and other columns are left alone.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from openpyxl import load_workbook

from facilitation.network import MAX_NAME_LENGTH, actor_key, clean_name
from questionnaires.schema import Codebook, Term

MAX_ACTORS = 5_000
MAX_TIES = 20_000
MAX_FILE_BYTES = 8 * 1024 * 1024  # the upload itself
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what an .xlsx (a ZIP) may unpack to
MAX_ISSUES = 50  # problems listed; the rest are counted
MAX_HEADER_COLUMNS = 200  # headers are looked for in this many columns
BLANK_RUN = 1_000  # this many empty rows in a row end a sheet
SHOWN_VALUE = 60  # a cell's text quoted in a message is cut to this many characters
EXTENSIONS = ("csv", "xlsx")

# Headers, with case and spacing ignored, to the column they mean.
ELEMENT_COLUMNS = {
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
    EMPTY = "empty"  # nothing in the file (or in the sheet)
    NO_ROWS = "no-rows"  # headers, and nothing under them
    NO_MAP = "no-map"  # the round's questionnaire has no kinds of actor
    NO_TIE_KINDS = "no-tie-kinds"  # connections, but the questionnaire has no kinds of tie
    MISSING_HEADER = "missing-header"  # header: the one missing (Label, From or To)
    NO_KIND_COLUMN = "no-kind-column"  # elements without a Type column; known: the kinds
    NO_TIE_KIND_COLUMN = "no-tie-kind-column"  # connections without one; known: the kinds
    UNREADABLE_ROW = "unreadable-row"  # a CSV row that cannot be read (an unclosed quote)
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

    @property
    def ok(self) -> bool:
        return not self.issues

    def add(self, issue: Issue) -> None:
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)
        else:
            self.more_issues += 1


def read_map_file(
    data: bytes, filename: str, codebook: Codebook, on_map: Iterable[str] = ()
) -> ImportResult:
    """Read and check a spreadsheet of actors and ties for a round's map.

    Parameters
    ----------
    data : bytes
        The file as uploaded.
    filename : str
        Its name; the extension (.csv or .xlsx) says how to read it.
    codebook : Codebook
        The round's words: a Type is a kind's id or label, a layer's id or label may be
        among the Tags (or in a Layer column).
    on_map : iterable of str
        Names already on the round's map: ties may end at them.

    Returns
    -------
    ImportResult
        Actors (one per name, the first row's kind and layer kept) and ties, or issues.

    Examples
    --------
    >>> book = Codebook(actor_kinds=[Term(id="group", label="A group")],
    ...                 tie_kinds=[Term(id="funds", label="Funds")])
    >>> result = read_map_file(b"Label,Type\\nAge UK,a group\\nMind,Charity\\n", "m.csv", book)
    >>> [(i.row, i.column, i.header, i.problem.value, i.value) for i in result.issues]
    [(3, 'B', 'Type', 'unknown-kind', 'Charity')]
    >>> read_map_file(b"Name\\nAge UK\\n", "m.csv", book).actors
    [ImportedActor(name='Age UK', kind='group', layer=None)]
    """
    result = ImportResult()
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if extension not in EXTENSIONS:
        result.add(Issue(Problem.FILE_TYPE, value=_shown(filename)))
    elif len(data) > MAX_FILE_BYTES:
        result.add(Issue(Problem.FILE_TOO_BIG, limit=MAX_FILE_BYTES))
    elif not data.strip():
        result.add(Issue(Problem.EMPTY))
    elif not codebook.actor_kinds:
        result.add(Issue(Problem.NO_MAP))
    elif extension == "csv":
        tables = _csv_tables(data, result)
        if tables is not None:
            _Reader(codebook, on_map, result).read(tables)
    else:
        opened = _xlsx_tables(data, result)
        if opened is not None:
            book, tables = opened
            try:
                _Reader(codebook, on_map, result).read(tables)
            finally:
                book.close()
    if not result.ok:
        result.actors, result.ties = [], []
    return result


def column_letter(index: int) -> str:
    """A column's letters as spreadsheets show them, from its 0-based index.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(702)
    ('A', 'Z', 'AA', 'AAA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- Reading the file into tables --------------------------------------------------------


@dataclass
class _Table:
    """One sheet (or CSV): its name for messages, and its rows, numbered from 1. A row of
    None means the file could not be read past that row (a CSV with an unclosed quote)."""

    sheet: str | None
    rows: Iterator[tuple[int, Sequence[object] | None]]
    role: str | None = None  # "elements" or "connections"; None: judged by its headers


def _csv_tables(data: bytes, result: ImportResult) -> list[_Table] | None:
    """A CSV is one table: elements, or (with From and To headers) connections."""
    try:
        text = data.decode("utf-8-sig")  # with or without the mark Excel writes
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        result.add(Issue(Problem.NOT_UTF8, row=row))
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # Excel's "CSV" is ; in places
    return [_Table(None, _csv_rows(text, delimiter))]


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, Sequence[object] | None]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield number, None
            return
        yield number, row


def _xlsx_tables(data: bytes, result: ImportResult) -> tuple[object, list[_Table]] | None:
    """An .xlsx's Elements and Connections sheets (by name, any case); a workbook without
    an Elements sheet gives its first sheet, judged by its headers."""
    if not data.startswith(b"PK\x03\x04"):
        result.add(Issue(Problem.NOT_XLSX))
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            result.add(Issue(Problem.UNPACKS_TOO_BIG, limit=MAX_UNPACKED_BYTES))
            return None
        with warnings.catch_warnings():  # "no default style" and the like: not for people
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = {sheet.title.strip().casefold(): sheet for sheet in book.worksheets}
    except Exception:  # a broken file breaks the reader in many ways: all say the same
        result.add(Issue(Problem.NOT_XLSX))
        return None
    if not sheets:
        book.close()
        result.add(Issue(Problem.EMPTY))
        return None
    tables = []
    elements, connections = sheets.get("elements"), sheets.get("connections")
    if elements is None and connections is None:
        first = book.worksheets[0]
        tables.append(_Table(first.title, _sheet_rows(first, result)))
    if elements is not None:
        tables.append(_Table(elements.title, _sheet_rows(elements, result), "elements"))
    if connections is not None:
        tables.append(_Table(connections.title, _sheet_rows(connections, result), "connections"))
    return book, tables


def _sheet_rows(sheet, result: ImportResult) -> Iterator[tuple[int, Sequence[object] | None]]:
    """A sheet's rows, read as they stream from the file: its own idea of its size is
    ignored (some programs write it wrong), and only as many columns as it has headers."""
    try:
        sheet.reset_dimensions()
        width = MAX_HEADER_COLUMNS
        number = 0
        for number, row in enumerate(
            sheet.iter_rows(max_col=MAX_HEADER_COLUMNS, values_only=True), start=1
        ):
            if any(_text(v) for v in row):
                width = max(i for i, v in enumerate(row) if _text(v)) + 1
                yield number, row[:width]
                break
            if number >= BLANK_RUN:
                return
        else:
            return
        for later, row in enumerate(
            sheet.iter_rows(min_row=number + 1, max_col=width, values_only=True), start=number + 1
        ):
            yield later, row
    except Exception:
        result.add(Issue(Problem.NOT_XLSX))


# --- Checking rows -----------------------------------------------------------------------


class _Words:
    """A codebook list's ids and labels, matched with case and spacing ignored."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.ids: dict[str, str] = {}
        self.labels = tuple(_label(t) for t in terms)
        for term in terms:
            for word in (term.id, *_labels(term)):
                self.ids.setdefault(actor_key(word), term.id)

    def find(self, value: str) -> str | None:
        return self.ids.get(actor_key(value))

    def only(self) -> str | None:
        """The one id, when there is only one (so a file need not say it)."""
        ids = set(self.ids.values())
        return next(iter(ids)) if len(ids) == 1 else None


class _Reader:
    """Checks the rows of the tables, in order, adding what passes and noting what does not."""

    def __init__(self, codebook: Codebook, on_map: Iterable[str], result: ImportResult) -> None:
        self.kinds = _Words(codebook.actor_kinds)
        self.layers = _Words(codebook.layers)
        self.tie_kinds = _Words(codebook.tie_kinds)
        self.result = result
        self.on_map = {actor_key(name) for name in on_map}
        self.named: dict[str, ImportedActor | None] = {}  # key: the actor (None: row had errors)
        self.tie_keys: set[tuple[str, str, str]] = set()
        self.read_any = self.saw_headers = False

    def read(self, tables: list[_Table]) -> None:
        # Connections are read after every element: a tie may name an actor listed later.
        ordered = sorted(tables, key=lambda t: t.role == "connections")
        for table in ordered:
            self._table(table)
        if self.result.ok and not self.read_any:
            problem = Problem.NO_ROWS if self.saw_headers else Problem.EMPTY
            self.result.add(Issue(problem))

    def _table(self, table: _Table) -> None:
        header_row = None
        for number, row in table.rows:
            if row is None:
                self.result.add(Issue(Problem.UNREADABLE_ROW, row=number, sheet=table.sheet))
                return
            if any(_text(v) for v in row):
                header_row = number, [_text(v) for v in row]
                break
        if header_row is None:
            return  # an empty sheet: no rows (and the file is empty if every sheet is)
        self.saw_headers = True
        number, headers = header_row
        role = table.role or self._role(headers)
        names = ELEMENT_COLUMNS if role == "elements" else CONNECTION_COLUMNS
        columns: dict[str, int] = {}
        for index, header in enumerate(headers):
            columns.setdefault(names.get(actor_key(header), ""), index)
        columns.pop("", None)
        sheet = _Sheet(table.sheet, number, headers, columns, self.result)
        if role == "elements":
            if not self._element_headers(sheet):
                return
            self._rows(table, sheet, MAX_ACTORS, Problem.TOO_MANY_ACTORS, self._element)
        else:
            if not self._connection_headers(sheet):
                return
            self._rows(table, sheet, MAX_TIES, Problem.TOO_MANY_TIES, self._connection)

    @staticmethod
    def _role(headers: list[str]) -> str:
        keys = {actor_key(h) for h in headers}
        ends = {"from", "to"} <= keys or {"source", "target"} <= keys
        return "connections" if ends and not keys & {"label", "name"} else "elements"

    def _rows(self, table: _Table, sheet: _Sheet, limit: int, too_many: Problem, check) -> None:
        counted = blanks = 0
        # Every row read costs time, blank or not: a sheet stops after this many, so a small
        # file with names far apart cannot keep a worker busy.
        most = limit + BLANK_RUN
        for number, row in table.rows:
            if number > most + 1:
                self.result.add(Issue(too_many, row=number, sheet=table.sheet, limit=limit))
                return
            if row is None:
                self.result.add(Issue(Problem.UNREADABLE_ROW, row=number, sheet=table.sheet))
                return
            if not any(_text(v) for v in row):
                blanks += 1
                if blanks >= BLANK_RUN:
                    return
                continue
            blanks = 0
            counted += 1
            if counted > limit:
                self.result.add(Issue(too_many, row=number, sheet=table.sheet, limit=limit))
                return
            self.read_any = True
            check(sheet, number, row)

    # Elements

    def _element_headers(self, sheet: _Sheet) -> bool:
        missing = []
        if "label" not in sheet.columns:
            missing.append(Issue(Problem.MISSING_HEADER, header="Label"))
        if "type" not in sheet.columns and self.kinds.only() is None:
            missing.append(Issue(Problem.NO_KIND_COLUMN, header="Type", known=self.kinds.labels))
        for issue in missing:
            self.result.add(_at(issue, sheet.header_row, sheet.name))
        return not missing

    def _element(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        problems = len(self.result.issues) + self.result.more_issues
        name = self._name(sheet, number, row, "label")
        kind = self._kind(sheet, number, row)
        layer = self._layer(sheet, number, row)
        ok = problems == len(self.result.issues) + self.result.more_issues
        if name is None:
            return
        key = actor_key(name)
        if key in self.named:
            self.result.repeated_actors += 1
            return
        actor = ImportedActor(name, kind, layer) if ok and kind else None
        self.named[key] = actor
        if actor is not None:
            self.result.actors.append(actor)

    def _name(self, sheet: _Sheet, number: int, row: Sequence[object], column: str) -> str | None:
        """A checked name (None when missing or too long: a problem is noted)."""
        raw = sheet.cell(row, column)
        name = clean_name(_unquoted(raw))
        if not name:
            sheet.note(Problem.MISSING_NAME, number, column)
            return None
        if len(name) > MAX_NAME_LENGTH or len(actor_key(name)) > MAX_NAME_LENGTH:
            sheet.note(Problem.NAME_TOO_LONG, number, column, name, limit=MAX_NAME_LENGTH)
            return None
        return name

    def _kind(self, sheet: _Sheet, number: int, row: Sequence[object]) -> str | None:
        value = clean_name(sheet.cell(row, "type"))
        if not value:
            only = self.kinds.only()
            if only is None:
                sheet.note(Problem.MISSING_KIND, number, "type", known=self.kinds.labels)
            return only
        kind = self.kinds.find(value)
        if kind is None:
            sheet.note(Problem.UNKNOWN_KIND, number, "type", value, known=self.kinds.labels)
        return kind

    def _layer(self, sheet: _Sheet, number: int, row: Sequence[object]) -> str | None:
        """The layer: a Layer column's (which must be one), or one among the Tags (other
        tags, Kumu's own, are left alone); two different layers are a problem."""
        found: dict[str, str] = {}
        layer_value = clean_name(sheet.cell(row, "layer"))
        if layer_value:
            layer = self.layers.find(layer_value)
            if layer is None:
                known = self.layers.labels
                sheet.note(Problem.UNKNOWN_LAYER, number, "layer", layer_value, known=known)
                return None
            found[layer] = layer_value
        for tag in sheet.cell(row, "tags").split("|"):
            layer = self.layers.find(clean_name(tag))
            if layer is not None:
                found.setdefault(layer, clean_name(tag))
        if len(found) > 1:
            column = "tags" if "layer" not in sheet.columns or not layer_value else "layer"
            sheet.note(Problem.TWO_LAYERS, number, column, "|".join(found.values()))
            return None
        return next(iter(found), None)

    # Connections

    def _connection_headers(self, sheet: _Sheet) -> bool:
        missing = [
            Issue(Problem.MISSING_HEADER, header=HEADERS[column])
            for column in ("from", "to")
            if column not in sheet.columns
        ]
        if not self.tie_kinds.ids:
            missing.append(Issue(Problem.NO_TIE_KINDS))
        elif "type" not in sheet.columns and self.tie_kinds.only() is None:
            known = self.tie_kinds.labels
            missing.append(Issue(Problem.NO_TIE_KIND_COLUMN, header="Type", known=known))
        for issue in missing:
            self.result.add(_at(issue, sheet.header_row, sheet.name))
        return not missing

    def _connection(self, sheet: _Sheet, number: int, row: Sequence[object]) -> None:
        ends = []
        for column in ("from", "to"):
            name = self._name(sheet, number, row, column)
            if name is not None and not self._known(actor_key(name)):
                sheet.note(Problem.UNKNOWN_ACTOR, number, column, name)
                name = None
            ends.append(name)
        kind = self._tie_kind(sheet, number, row)
        source, target = ends
        if source is None or target is None or kind is None:
            return
        if actor_key(source) == actor_key(target):
            sheet.note(Problem.SAME_ACTOR, number, "to", target)
            return
        key = (actor_key(source), actor_key(target), kind)
        if key in self.tie_keys:
            self.result.repeated_ties += 1
            return
        self.tie_keys.add(key)
        self.result.ties.append(ImportedTie(source, target, kind))

    def _known(self, key: str) -> bool:
        return key in self.named or key in self.on_map

    def _tie_kind(self, sheet: _Sheet, number: int, row: Sequence[object]) -> str | None:
        value = clean_name(sheet.cell(row, "type"))
        known = self.tie_kinds.labels
        if not value:
            only = self.tie_kinds.only()
            if only is None:
                sheet.note(Problem.MISSING_TIE_KIND, number, "type", known=known)
            return only
        kind = self.tie_kinds.find(value)
        if kind is None:
            sheet.note(Problem.UNKNOWN_TIE_KIND, number, "type", value, known=known)
        return kind


@dataclass
class _Sheet:
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
        return _text(row[index])

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
                value=_shown(value),
                known=known,
                limit=limit,
            )
        )


def _at(issue: Issue, row: int, sheet: str | None) -> Issue:
    return Issue(issue.problem, row=row, header=issue.header, sheet=sheet, known=issue.known)


def _text(value: object) -> str:
    """A cell's value as text: numbers as written (3, not 3.0), dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value).strip()


def _unquoted(value: str) -> str:
    """A name as written: a spreadsheet's quote before =, +, - or @ (which Roundtable's own
    export adds so that no name runs as a formula) is not part of it."""
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def _labels(term: Term) -> tuple[str, ...]:
    """A term's label, or each of its languages' labels."""
    label = term.label
    return tuple(label.values()) if isinstance(label, dict) else (label,)


def _label(term: Term) -> str:
    return _labels(term)[0]
