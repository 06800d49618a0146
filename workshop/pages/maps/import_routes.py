"""A facilitator starts a round's map from a spreadsheet of names and connections: all or none."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_number, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge

from facilitation.import_results import (
    MAX_ACTORS,
    MAX_FILE_BYTES,
    MAX_TIES,
    ImportResult,
    Issue,
    Problem,
)
from facilitation.live_round import Status
from facilitation.map_import import read_map_file
from facilitation.network import MAX_NAME_LENGTH
from facilitation.roles import Action
from facilitation.text import clean
from workshop.extensions import csrf
from workshop.pages.shared.access import round_or_404
from workshop.rounds import imports, lifecycle
from workshop.store.db import db
from workshop.store.models import Round
from workshop.web.off_loop import off_the_loop

bp = Blueprint("map_import", __name__)

# The upload may be larger than other forms (app-wide MAX_CONTENT_LENGTH): the file, and
# room for the form's other fields and the multipart framing around it.
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 64 * 1024
FILE_SIZE = f"{MAX_FILE_BYTES // (1024 * 1024)} MB"


class ImportForm(FlaskForm):
    """A spreadsheet of actors, and perhaps of ties between them."""

    file = FileField(
        _l("Spreadsheet of names"),
        validators=[FileRequired(_l("Choose a .csv, .xlsx or .ods file"))],
    )


@bp.route("/rounds/<id:round_id>/map/import", methods=["GET", "POST"])
@csrf.exempt  # checked below, once this page's larger size limit is set
@login_required
def import_map(round_id: int):
    """The upload form; a checked file's actors and ties go on the map in one go, and a
    file with any problem adds nothing and lists every problem by row and column."""
    round_ = round_or_404(round_id, Action.IMPORT)
    questionnaire = lifecycle.questionnaire_of(round_)
    codebook = questionnaire.codebook
    if request.method == "GET":
        return _page(round_, ImportForm(formdata=None))
    request.max_content_length = MAX_REQUEST_BYTES
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        form = ImportForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = ImportForm(formdata=None)
        form.file.errors = [_issue_text(Issue(Problem.FILE_TOO_BIG))]
        return _page(round_, form, status=413)
    if not valid:
        return _page(round_, form)
    if round_.status == Status.ENDED or not codebook.actor_kinds:
        return _page(round_, ImportForm(formdata=None), status=400)  # the page says why
    upload = form.file.data
    filename = _shown_filename(upload.filename)
    parsed = off_the_loop(
        read_map_file,
        upload.read(MAX_FILE_BYTES + 1),
        filename,
        codebook,
        imports.on_map(db(), round_.id),
        languages=[str(get_locale()), questionnaire.language],  # the likeliest code pages
    )
    if not parsed.ok:
        form.file.errors = [
            _("The file has problems, listed at the top. Nothing was added to the map.")
        ]
        problems = [_issue_text(issue) for issue in parsed.issues]
        if parsed.more_issues:
            problems.append(
                ngettext(
                    "And %(count)s more problem.",
                    "And %(count)s more problems.",
                    parsed.more_issues,
                    count=format_number(parsed.more_issues),
                )
            )
        return _page(round_, form, problems)
    try:
        stored = imports.store(db(), round_.id, parsed, current_user.id, filename)
    except imports.ImportClashed:
        form.file.errors = [
            _("The map changed while the file was being added, so nothing was added. Try again.")
        ]
        return _page(round_, form)
    for message in _added_messages(stored, parsed, filename):
        flash(message, "success")
    return redirect(url_for("maps.facilitator_map", round_id=round_.id, _anchor="message"))


def _page(round_: Round, form: ImportForm, problems: list[str] | None = None, status: int = 0):
    field = form.file.id
    errors = [(field, problem) for problem in problems or []]
    if not errors and form.file.errors:
        errors = [(field, form.file.errors[0])]
    questionnaire = lifecycle.questionnaire_of(round_)
    return (
        render_template(
            "maps/import.html",
            round=round_,
            form=form,
            errors=errors,
            codebook=questionnaire.codebook,
            file_size=FILE_SIZE,
            max_actors=format_number(MAX_ACTORS),
            max_ties=format_number(MAX_TIES),
            ended=round_.status == Status.ENDED,
        ),
        status or (400 if errors else 200),
    )


def _shown_filename(name: str | None) -> str:
    """The file's own name (no folders), as the facilitator will recognise it."""
    name = clean((name or "").replace("\\", "/").rsplit("/", 1)[-1]) or ""
    return name[:100]


# Each encoding by its standard name, the same in every language.
ENCODING_NAMES = {
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250",
    "cp1256": "Windows-1256",
    "mac_roman": "Mac OS Roman",
}


def _added_messages(stored: imports.Stored, parsed: ImportResult, filename: str) -> list[str]:
    """What the import did, in words: "Added 1,000 names and 2,950 connections from
    members.xlsx"."""
    names = ngettext(
        "%(count)s name", "%(count)s names", stored.actors, count=format_number(stored.actors)
    )
    if parsed.ties:
        connections = ngettext(
            "%(count)s connection",
            "%(count)s connections",
            stored.ties,
            count=format_number(stored.ties),
        )
        added = _(
            "Added %(names)s and %(connections)s from %(file)s.",
            names=names,
            connections=connections,
            file=filename,
        )
    else:
        added = _("Added %(names)s from %(file)s.", names=names, file=filename)
    messages = [added]
    if parsed.encoding:
        messages.append(
            _(
                "The file was not saved as UTF-8, so it was read as %(encoding)s. If any name "
                "looks wrong, save the file as CSV UTF-8 and import it again.",
                encoding=ENCODING_NAMES.get(parsed.encoding, parsed.encoding),
            )
        )
    if count := stored.reused:
        messages.append(
            ngettext(
                "%(count)s name was on the map already, so it was not added again.",
                "%(count)s names were on the map already, so they were not added again.",
                count,
                count=format_number(count),
            )
        )
    if count := parsed.repeated_actors:
        messages.append(
            ngettext(
                "%(count)s row repeated a name from an earlier row: it was added once.",
                "%(count)s rows repeated names from earlier rows: each was added once.",
                count,
                count=format_number(count),
            )
        )
    if count := parsed.repeated_ties + stored.ties_known:
        messages.append(
            ngettext(
                "%(count)s connection was in the file twice, or on the map already as strong "
                "as the file says: it was not added again.",
                "%(count)s connections were in the file twice, or on the map already as strong "
                "as the file says: they were not added again.",
                count,
                count=format_number(count),
            )
        )
    return messages


def _issue_text(issue: Issue) -> str:
    """A problem in plain words, after where it is: "Row 14, column B (Type): 'Charity' is
    not one of the kinds here; known kinds: An organisation, A group"."""
    problem = _problem_text(issue)
    where = {
        "sheet": issue.sheet,
        "row": format_number(issue.row) if issue.row is not None else None,
        "column": issue.column,
        "header": issue.header,
        "problem": problem,
    }
    if issue.row is None:
        return problem
    if issue.column is not None and issue.sheet is not None:
        return _(
            "%(sheet)s sheet, row %(row)s, column %(column)s (%(header)s): %(problem)s", **where
        )
    if issue.column is not None:
        return _("Row %(row)s, column %(column)s (%(header)s): %(problem)s", **where)
    if issue.sheet is not None:
        return _("%(sheet)s sheet, row %(row)s: %(problem)s", **where)
    return _("Row %(row)s: %(problem)s", **where)


def _problem_text(issue: Issue) -> str:
    known, value, limit = ", ".join(issue.known), issue.value, format_number(issue.limit)
    match issue.problem:
        case Problem.FILE_TYPE:
            return _(
                "The file must be a .csv, .xlsx or .ods file. In your spreadsheet, choose Save "
                "As, then CSV UTF-8 or Excel Workbook (.xlsx)."
            )
        case Problem.FILE_TOO_BIG:
            return _(
                "The file is larger than %(size)s. Split it into smaller files and add them "
                "one after another.",
                size=FILE_SIZE,
            )
        case Problem.UNPACKS_TOO_BIG:
            return _(
                "This workbook holds too much to read. Keep only its Elements and Connections "
                "sheets, or save it as CSV UTF-8, and try again."
            )
        case Problem.NOT_UTF8:
            return _(
                "the file is not UTF-8 text from here on. In your spreadsheet, save it as "
                "CSV UTF-8 and try again."
            )
        case Problem.NOT_ODS:
            return _(
                "The file could not be read as an OpenDocument spreadsheet. Open it in your "
                "spreadsheet, save it as ODF Spreadsheet (.ods) or CSV UTF-8 and try again."
            )
        case Problem.NOT_XLSX:
            return _(
                "The file could not be read as an Excel workbook. Open it in your spreadsheet, "
                "save it as Excel Workbook (.xlsx) and try again."
            )
        case Problem.EMPTY:
            return _("The file is empty. Put the names in a column headed Label (or Name).")
        case Problem.NO_ROWS:
            return _("The file has headers but nothing under them. Add a row for each name.")
        case Problem.NO_MAP:
            return _(
                "This round's questionnaire does not say what kinds of names a map can have, "
                "so the round has no map to add them to."
            )
        case Problem.NO_TIE_KINDS:
            return _(
                "this round's questionnaire does not say what kinds of connections a map can "
                "have, so connections cannot be added; leave them out"
            )
        case Problem.MISSING_HEADER if issue.header == "Label":
            return _("there is no Label column; add a column headed Label (or Name) with the names")
        case Problem.MISSING_HEADER:
            return _(
                "there is no %(header)s column; add columns headed From and To with the names "
                "at the two ends of each connection",
                header=issue.header,
            )
        case Problem.NO_KIND_COLUMN:
            return _(
                "there is no Type column; add one saying what kind each name is; known "
                "kinds: %(known)s",
                known=known,
            )
        case Problem.NO_TIE_KIND_COLUMN:
            return _(
                "there is no Type column; add one saying what kind each connection is; known "
                "kinds: %(known)s",
                known=known,
            )
        case Problem.UNREADABLE_ROW:
            return _(
                "this row cannot be read, nor any after it; look for a quotation mark that is "
                "opened but never closed"
            )
        case Problem.CELL_TOO_LONG:
            return _(
                "a cell in this row is too long to read (more than %(limit)s characters), so "
                "nothing from here on was read; a name or a kind is a few words",
                limit=limit,
            )
        case Problem.MISSING_NAME:
            return _("there is no name here; write one, or delete the row")
        case Problem.NAME_TOO_LONG:
            return _(
                "'%(value)s' is too long; a name can have at most %(count)s characters",
                value=value,
                count=format_number(MAX_NAME_LENGTH),
            )
        case Problem.MISSING_KIND:
            return _("say what kind this name is; known kinds: %(known)s", known=known)
        case Problem.UNKNOWN_KIND:
            return _(
                "'%(value)s' is not one of the kinds here; known kinds: %(known)s",
                value=value,
                known=known,
            )
        case Problem.UNKNOWN_LAYER if known:
            return _(
                "'%(value)s' is not a layer here; known layers: %(known)s", value=value, known=known
            )
        case Problem.UNKNOWN_LAYER:
            return _(
                "'%(value)s' is not a layer here: this round's questionnaire has no layers, so "
                "leave this column empty",
                value=value,
            )
        case Problem.TWO_LAYERS:
            return _(
                "a name is in one layer only, but this row gives %(layers)s",
                layers=", ".join(f"'{layer}'" for layer in value.split("|")),
            )
        case Problem.TOO_MANY_ACTORS:
            return _(
                "a file can add at most %(limit)s names; put the rest in another file",
                limit=limit,
            )
        case Problem.UNKNOWN_ACTOR:
            return _(
                "'%(value)s' is not a name in this file or on the map; check its spelling, "
                "or add it to the names",
                value=value,
            )
        case Problem.SAME_ACTOR:
            return _(
                "'%(value)s' is at both ends; a connection joins two different names", value=value
            )
        case Problem.MISSING_TIE_KIND:
            return _("say what kind of connection this is; known kinds: %(known)s", known=known)
        case Problem.UNKNOWN_TIE_KIND:
            return _(
                "'%(value)s' is not one of the kinds of connection here; known kinds: %(known)s",
                value=value,
                known=known,
            )
        case Problem.TOO_MANY_TIES:
            return _(
                "a file can add at most %(limit)s connections; put the rest in another file",
                limit=limit,
            )
        case Problem.STRENGTH:
            return _(
                "'%(value)s' is not a Strength that can be read; write how many people said "
                "it, a whole number from 1 to %(limit)s, or leave it empty for one",
                value=value,
                limit=limit,
            )
    return str(issue.problem)
