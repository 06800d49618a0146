"""A round's map from a spreadsheet: actors (and ties) from a CSV or an .xlsx file.

Plain Python: the file's bytes and name go in; checked actors and ties come out, or every
problem found, each with its row and column as the spreadsheet shows them. Nothing here
raises on a bad file, and a file with any problem gives no actors and no ties, so that an
import is all or nothing.

Kumu's layout is accepted (and is what Roundtable's own export writes): an .xlsx with an
Elements sheet (Label, Type, Description, Tags) and a Connections sheet (From, To, Type,
Strength, Tags), or a CSV of elements, or a CSV of connections. Headers are matched with
case and spacing ignored, "Name" means "Label", and other columns are left alone. Where the
elements have an ID column, as Roundtable's export writes, From and To may name them by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from facilitation.exports import kumu_id
from facilitation.import_cells import Sheet, Words, issue_at, shortened, unquoted
from facilitation.import_results import (
    BLANK_RUN,
    CONNECTION_COLUMNS,
    ELEMENT_COLUMNS,
    EXTENSIONS,
    HEADERS,
    MAX_ACTORS,
    MAX_FILE_BYTES,
    MAX_TIES,
    ImportedActor,
    ImportedTie,
    ImportResult,
    Issue,
    Problem,
)
from facilitation.network import MAX_NAME_LENGTH, actor_key, clean_name
from facilitation.spreadsheets import (
    Table,
    Unreadable,
    cell_text,
    csv_tables,
    ods_tables,
    xlsx_tables,
)
from questionnaires.schema import Codebook

MOST_STRENGTH = 1_000  # people saying one connection: more is a mistake, and costs rows


def read_map_file(
    data: bytes,
    filename: str,
    codebook: Codebook,
    on_map: Iterable[str] = (),
    languages: Iterable[str] = (),
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
    languages : iterable of str
        The round's languages, whose code pages a CSV that is not UTF-8 is tried in first.

    Returns
    -------
    ImportResult
        Actors (one per name, the first row's kind and layer kept) and ties, or issues.

    Examples
    --------
    >>> from questionnaires.schema import Term, TieKind
    >>> book = Codebook(actor_kinds=[Term(id="group", label="A group")],
    ...                 tie_kinds=[TieKind(id="funds", label="Funds")])
    >>> result = read_map_file(b"Label,Type\\nAge UK,a group\\nMind,Charity\\n", "m.csv", book)
    >>> [(i.row, i.column, i.header, i.problem.value, i.value) for i in result.issues]
    [(3, 'B', 'Type', 'unknown-kind', 'Charity')]
    >>> read_map_file(b"Name\\nAge UK\\n", "m.csv", book).actors
    [ImportedActor(name='Age UK', kind='group', layer=None)]
    """
    result = ImportResult()
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if extension not in EXTENSIONS:
        result.add(Issue(Problem.FILE_TYPE, value=shortened(filename)))
    elif len(data) > MAX_FILE_BYTES:
        result.add(Issue(Problem.FILE_TOO_BIG, limit=MAX_FILE_BYTES))
    elif not data.strip():
        result.add(Issue(Problem.EMPTY))
    elif not codebook.actor_kinds:
        result.add(Issue(Problem.NO_MAP))
    elif extension in ("csv", "ods"):
        tables = csv_tables(data, result, languages) if extension == "csv" else None
        tables = ods_tables(data, result) if extension == "ods" else tables
        if tables is not None:
            _Reader(codebook, on_map, result).read(tables)
    else:
        opened = xlsx_tables(data, result)
        if opened is not None:
            book, tables = opened
            try:
                _Reader(codebook, on_map, result).read(tables)
            finally:
                book.close()
    if not result.ok:
        result.actors, result.ties = [], []
    return result


class _Reader:
    """Checks the rows of the tables, in order, adding what passes and noting what does not."""

    def __init__(self, codebook: Codebook, on_map: Iterable[str], result: ImportResult) -> None:
        self.kinds = Words(codebook.actor_kinds)
        self.layers = Words(codebook.layers)
        self.tie_kinds = Words(codebook.tie_kinds)
        self.result = result
        self.on_map = {actor_key(name) for name in on_map}
        # Roundtable's Kumu connections name actors by ID: read alone, they name the map's.
        self.map_ids = {kumu_id(key): key for key in self.on_map}
        self.named: dict[str, ImportedActor | None] = {}  # key: the actor (None: row had errors)
        self.ids: dict[str, str] = {}  # an element's ID: its name
        self.tie_keys: set[tuple[str, str, str]] = set()
        self.read_any = self.saw_headers = False

    def read(self, tables: list[Table]) -> None:
        # Connections are read after every element: a tie may name an actor listed later.
        ordered = sorted(tables, key=lambda t: t.role == "connections")
        for table in ordered:
            self._table(table)
        if self.result.ok and not self.read_any:
            problem = Problem.NO_ROWS if self.saw_headers else Problem.EMPTY
            self.result.add(Issue(problem))

    def _table(self, table: Table) -> None:
        header_row = None
        for number, row in table.rows:
            if isinstance(row, Unreadable):
                self.result.add(Issue(row.problem, row=number, sheet=table.sheet, limit=row.limit))
                return
            if any(cell_text(v) for v in row):
                header_row = number, [cell_text(v) for v in row]
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
        sheet = Sheet(table.sheet, number, headers, columns, self.result)
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

    def _rows(self, table: Table, sheet: Sheet, limit: int, too_many: Problem, check) -> None:
        counted = blanks = 0
        # Every row read costs time, blank or not: a sheet stops after this many, so a small
        # file with names far apart cannot keep a worker busy.
        most = limit + BLANK_RUN
        for number, row in table.rows:
            if number > most + 1:
                self.result.add(Issue(too_many, row=number, sheet=table.sheet, limit=limit))
                return
            if isinstance(row, Unreadable):
                self.result.add(Issue(row.problem, row=number, sheet=table.sheet, limit=row.limit))
                return
            if not any(cell_text(v) for v in row):
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

    def _element_headers(self, sheet: Sheet) -> bool:
        missing = []
        if "label" not in sheet.columns:
            missing.append(Issue(Problem.MISSING_HEADER, header="Label"))
        if "type" not in sheet.columns and self.kinds.only() is None:
            missing.append(Issue(Problem.NO_KIND_COLUMN, header="Type", known=self.kinds.labels))
        for issue in missing:
            self.result.add(issue_at(issue, sheet.header_row, sheet.name))
        return not missing

    def _element(self, sheet: Sheet, number: int, row: Sequence[object]) -> None:
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
        element_id = clean_name(sheet.cell(row, "id"))
        if element_id:
            self.ids.setdefault(element_id, name)
        actor = ImportedActor(name, kind, layer) if ok and kind else None
        self.named[key] = actor
        if actor is not None:
            self.result.actors.append(actor)

    def _name(
        self, sheet: Sheet, number: int, row: Sequence[object], column: str, text=None
    ) -> str | None:
        """A checked name (None when missing or too long: a problem is noted), from the
        cell, or from `text`: part of it."""
        raw = sheet.cell(row, column) if text is None else text
        name = clean_name(unquoted(raw))
        if not name:
            sheet.note(Problem.MISSING_NAME, number, column)
            return None
        if len(name) > MAX_NAME_LENGTH or len(actor_key(name)) > MAX_NAME_LENGTH:
            sheet.note(Problem.NAME_TOO_LONG, number, column, name, limit=MAX_NAME_LENGTH)
            return None
        return name

    def _kind(self, sheet: Sheet, number: int, row: Sequence[object]) -> str | None:
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

    def _layer(self, sheet: Sheet, number: int, row: Sequence[object]) -> str | None:
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

    def _connection_headers(self, sheet: Sheet) -> bool:
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
            self.result.add(issue_at(issue, sheet.header_row, sheet.name))
        return not missing

    def _connection(self, sheet: Sheet, number: int, row: Sequence[object]) -> None:
        source = self._end(sheet, number, row, "from")
        # Several names in To, split by "|", are a connection to each (as Kumu reads them),
        # unless the whole cell is one name.
        cell = sheet.cell(row, "to")
        parts = [None] if self._resolved(clean_name(unquoted(cell))) else cell.split("|")
        targets = [self._end(sheet, number, row, "to", part) for part in parts]
        kind = self._tie_kind(sheet, number, row)
        strength = self._strength(sheet, number, row)
        if source is None or kind is None or strength is None:
            return
        for target in targets:
            if target is None:
                continue
            if actor_key(source) == actor_key(target):
                sheet.note(Problem.SAME_ACTOR, number, "to", target)
                continue
            key = (actor_key(source), actor_key(target), kind)
            if key in self.tie_keys:
                self.result.repeated_ties += 1
                continue
            self.tie_keys.add(key)
            self.result.ties.append(ImportedTie(source, target, kind, strength))

    def _end(
        self, sheet: Sheet, number: int, row: Sequence[object], column: str, text=None
    ) -> str | None:
        """A connection's end: a name (or an element's ID) in this file or on the map."""
        name = self._name(sheet, number, row, column, text)
        if name is None:
            return None
        found = self._resolved(name)
        if found is None:
            sheet.note(Problem.UNKNOWN_ACTOR, number, column, name)
        return found

    def _resolved(self, name: str) -> str | None:
        """The name a connection's end means: itself, or the name an element's ID stands for
        (in this file, or a Kumu ID of a name on the map); None if none is known."""
        for meant in (name, self.ids.get(name), self.map_ids.get(name)):
            if meant and self._known(actor_key(meant)):
                return meant
        return None

    def _strength(self, sheet: Sheet, number: int, row: Sequence[object]) -> int | None:
        """How many people said it: a whole number, 1 when the cell is empty."""
        value = sheet.cell(row, "strength")
        if not value:
            return 1
        if value.isdecimal() and 1 <= int(value) <= MOST_STRENGTH:
            return int(value)
        sheet.note(Problem.STRENGTH, number, "strength", value, limit=MOST_STRENGTH)
        return None

    def _known(self, key: str) -> bool:
        return key in self.named or key in self.on_map

    def _tie_kind(self, sheet: Sheet, number: int, row: Sequence[object]) -> str | None:
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
