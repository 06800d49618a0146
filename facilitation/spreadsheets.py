"""Reading a CSV, .xlsx or .ods file's bytes into tables of rows, as a spreadsheet numbers them."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl import load_workbook
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse
from python_calamine import CalamineWorkbook

from facilitation.encodings import decoded
from facilitation.import_results import (
    BLANK_RUN,
    MAX_HEADER_COLUMNS,
    MAX_UNPACKED_BYTES,
    ImportResult,
    Issue,
    Problem,
)


def _dimensions_in_the_head(parser: WorkSheetParser) -> tuple[int, int, int, int] | None:
    """A read-only sheet's size, if its head gives one: openpyxl's own reader waits for the
    end of <sheetData> to learn that there is none, so opening a workbook without it read
    every row first (1,000,000 rows zipped to 317 KB held the server for 20 s). Rows are
    read as they are needed in any case (_sheet_rows ignores the size)."""
    for _event, element in iterparse(parser.source, events=("start",)):
        if element.tag == _DIMENSION:
            return SheetDimension.from_tree(element).boundaries
        if element.tag == _SHEET_DATA:
            return None
    return None


_DIMENSION, _SHEET_DATA = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"
WorkSheetParser.parse_dimensions = _dimensions_in_the_head  # only read-only sheets ask it


# "Workbook contains no default style" and the like: about the file, not for people. Set
# once here, not around each read: workbooks are read in a thread beside the server's loop,
# and `warnings.catch_warnings` swaps the filters of every thread.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")


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


def cell_text(value: object) -> str:
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


@dataclass(frozen=True)
class Unreadable:
    """Where a CSV cannot be read past, and why: a quotation mark opened and never closed,
    or a cell longer than the reader takes (limit: characters)."""

    problem: Problem
    limit: int = 0


@dataclass
class Table:
    """One sheet (or CSV): its name for messages, and its rows, numbered from 1. An
    Unreadable row ends it: the file could not be read past that row."""

    sheet: str | None
    rows: Iterator[tuple[int, Sequence[object] | Unreadable]]
    role: str | None = None  # "elements" or "connections"; None: judged by its headers


def csv_tables(
    data: bytes, result: ImportResult, languages: Iterable[str] = ()
) -> list[Table] | None:
    """A CSV is one table: elements, or (with From and To headers) connections. Its text is
    UTF-8, UTF-16 or a code page (`encodings.decoded`, the round's `languages` first)."""
    found = decoded(data, languages)
    if found is None:
        row = 1  # a UTF-16 file broken from its start
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            row = data[: error.start].count(b"\n") + 1
        result.add(Issue(Problem.NOT_UTF8, row=row))
        return None
    text, encoding = found
    if encoding != "utf-8":
        result.encoding = encoding
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # Excel's "CSV" is ; in places
    return [Table(None, _csv_rows(text, delimiter))]


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, Sequence[object] | Unreadable]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The reader says "field larger than field limit (131072)": a cell that long is
            # no name, and not an unclosed quote either.
            limit = csv.field_size_limit()
            too_long = f"field limit ({limit})" in str(error)
            yield number, Unreadable(Problem.CELL_TOO_LONG, limit) if too_long else UNCLOSED
            return
        yield number, row


UNCLOSED = Unreadable(Problem.UNREADABLE_ROW)


def _small_zip(data: bytes, result: ImportResult, unreadable: Problem) -> bool:
    """Whether a workbook (a ZIP, as .xlsx and .ods are) is one, and unpacks to no more than
    a map's worth: a few hundred KB can unpack to gigabytes."""
    try:
        if data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked <= MAX_UNPACKED_BYTES:
                return True
            result.add(Issue(Problem.UNPACKS_TOO_BIG, limit=MAX_UNPACKED_BYTES))
            return False
    except (zipfile.BadZipFile, OSError, ValueError):
        pass
    result.add(Issue(unreadable))
    return False


def _roles(titles: Sequence[str]) -> list[tuple[str, str | None]]:
    """Which sheets to read, each with its role: Elements and Connections by name (any
    case), or else the first sheet, judged by its headers."""
    named = {title.strip().casefold(): title for title in titles}
    chosen = [(named[n], n) for n in ("elements", "connections") if n in named]
    return chosen or [(titles[0], None)]


def ods_tables(data: bytes, result: ImportResult) -> list[Table] | None:
    """An OpenDocument spreadsheet's (LibreOffice, Google Sheets) sheets, chosen as an
    .xlsx's are, read by calamine: openpyxl reads no .ods."""
    if not _small_zip(data, result, Problem.NOT_ODS):
        return None
    try:
        if _filled_cells(data) > MOST_ODS_CELLS:
            result.add(Issue(Problem.UNPACKS_TOO_BIG, limit=MAX_UNPACKED_BYTES))
            return None
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        chosen = _roles(book.sheet_names) if book.sheet_names else []
        rows = {
            title: book.get_sheet_by_name(title).to_python(skip_empty_area=False)
            for title, _role in chosen
        }
    except Exception:  # a broken file breaks the reader in many ways: all say the same
        result.add(Issue(Problem.NOT_ODS))
        return None
    if not chosen:
        result.add(Issue(Problem.EMPTY))
        return None
    return [Table(title, _numbered(rows[title]), role) for title, role in chosen]


# Filled cells an .ods may hold, each repeat counted: a map's worth of rows, a few columns
# each. An .ods says "this row, a million times" in a few bytes, and calamine makes each one
# (812 bytes took 1.3 GB and 3 s).
MOST_ODS_CELLS = 1_000_000
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _filled_cells(data: bytes) -> int:
    """How many filled cells an .ods's sheets come to, a repeated row or cell counted each
    time it repeats; read as a stream, and stopped once past the limit. Empty cells, which
    LibreOffice repeats to the sheet's end, do not count."""
    total, repeats = 0, 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
        for event, element in iterparse(content, events=("start", "end")):
            if event == "start" and element.tag == f"{_TABLE}table-row":
                repeats = max(int(element.get(f"{_TABLE}number-rows-repeated", 1)), 1)
            elif event == "end" and element.tag == f"{_TABLE}table-cell":
                if element.get(f"{_OFFICE}value-type") or len(element):
                    wide = max(int(element.get(f"{_TABLE}number-columns-repeated", 1)), 1)
                    total += repeats * wide
                element.clear()
                if total > MOST_ODS_CELLS:
                    break
    return total


def _numbered(rows: list[list[object]]) -> Iterator[tuple[int, Sequence[object]]]:
    for number, row in enumerate(rows, start=1):
        yield number, row[:MAX_HEADER_COLUMNS]


def xlsx_tables(data: bytes, result: ImportResult) -> tuple[object, list[Table]] | None:
    """An .xlsx's Elements and Connections sheets (by name, any case); a workbook without
    an Elements sheet gives its first sheet, judged by its headers."""
    if not _small_zip(data, result, Problem.NOT_XLSX):
        return None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = {sheet.title: sheet for sheet in book.worksheets}
    except Exception:  # a broken file breaks the reader in many ways: all say the same
        result.add(Issue(Problem.NOT_XLSX))
        return None
    if not sheets:
        book.close()
        result.add(Issue(Problem.EMPTY))
        return None
    tables = [
        Table(title, _sheet_rows(sheets[title], result), role)
        for title, role in _roles(list(sheets))
    ]
    return book, tables


def _sheet_rows(sheet, result: ImportResult) -> Iterator[tuple[int, Sequence[object]]]:
    """A sheet's rows, read as they stream from the file: its own idea of its size is
    ignored (some programs write it wrong), and only as many columns as it has headers."""
    try:
        sheet.reset_dimensions()
        width = MAX_HEADER_COLUMNS
        number = 0
        for number, row in enumerate(
            sheet.iter_rows(max_col=MAX_HEADER_COLUMNS, values_only=True), start=1
        ):
            if any(cell_text(v) for v in row):
                width = max(i for i, v in enumerate(row) if cell_text(v)) + 1
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
