"""The designer's page for one step (every setting of its type) and for the codebook."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _

from questionnaires.drafts import Draft, DraftError
from workshop.pages.designer import step_form
from workshop.pages.designer.blueprint import (
    HERE,
    bp,
    questionnaire_or_404,
    to_overview,
    unreadable,
    wants_json,
)
from workshop.pages.designer.forms import CheckOnly
from workshop.pages.designer.words import STEP_TYPE_WORDS, finding_words
from workshop.rounds import designs
from workshop.store.db import db


@bp.route(HERE + "/steps/<slug:step_id>", methods=["GET", "POST"])
def step(project_id: int, questionnaire_id: str, step_id: str):
    """One step's settings, each language side by side, with what the checks found."""
    project, kept = questionnaire_or_404(project_id, questionnaire_id)
    draft = Draft(kept.source)
    try:
        index = draft.step_index(step_id)
    except KeyError:
        abort(404)
    kind = draft.steps[index].get("type")
    if not isinstance(kind, str) or step_form.STEP_CLASS.get(kind) is None:
        flash(_("This step's type is not one Roundtable knows. Change it in the file."), "error")
        return to_overview(kept)
    form = CheckOnly()
    saved = form.validate_on_submit()
    if saved:
        try:
            step_form.read_step(draft, index, request.form)
        except DraftError:
            return unreadable(kept)
        designs.change(db(), kept, draft)
        if not wants_json():
            flash(_("Saved."), "success")
            return redirect(request.url)
    elif wants_json() and request.method == "POST":
        return jsonify(message=_("Not saved. Load the page again, then try again.")), 400
    report = designs.report_of(kept)
    fields = step_form.fields_of(draft, index)
    rest = step_form.place_findings(fields, ("steps", index), report.errors, report.warnings)
    if saved:  # asked by designer.js: what the checks found, to show beside each field
        return jsonify(step_form.reply(fields, step_form.step_findings(report.errors, index)))
    condition = step_form.condition_of(draft.steps[index])
    condition_reads = condition is not None or draft.steps[index].get("show_if") is None
    codebook = draft.data.get("codebook")
    return render_template(
        "designer/step.html",
        project=project,
        kept=kept,
        title=designs.title_of(draft),
        step_id=step_id,
        number=index + 1,
        type_words=STEP_TYPE_WORDS[kind],
        fields=fields,
        field_names={f.name for f in fields},
        rest=rest,
        errors=[f for f in step_form.step_findings(report.errors, index)],
        versions=step_form.versions_of(draft),
        codebook=codebook if isinstance(codebook, Mapping) else {},
        conditions=step_form.conditions(draft, index),
        condition=condition or {},
        condition_reads=condition_reads,
        main=draft.main_language,
    )


CODEBOOK_PARTS = ("actor_kinds", "tie_kinds", "layers")


@bp.route(HERE + "/codebook", methods=["GET", "POST"])
def codebook(project_id: int, questionnaire_id: str):
    """The words a map is made of: kinds of name, kinds of connection, layers."""
    project, kept = questionnaire_or_404(project_id, questionnaire_id)
    draft = Draft(kept.source)
    codebook_reads = draft.data.get("codebook") is None or isinstance(
        draft.data.get("codebook"), Mapping
    )
    if CheckOnly().validate_on_submit():
        if not codebook_reads:
            return unreadable(kept)
        versions = [v.key for v in step_form.versions_of(draft)]
        try:
            for part in CODEBOOK_PARTS:
                step_form.read_items(draft, ("codebook",), part, part, request.form, versions)
        except DraftError:
            return unreadable(kept)
        designs.change(db(), kept, draft)
        flash(_("Saved."), "success")
        return redirect(request.url)
    report = designs.report_of(kept)
    parts = []
    written = draft.data.get("codebook")
    for part in CODEBOOK_PARTS:
        listed = written.get(part) if isinstance(written, Mapping) else None
        items = step_form.items_of(listed, draft.main_language)
        problems = [finding_words(f) for f in report.errors if f.location[:2] == ("codebook", part)]
        parts.append((part, items, problems))
    return render_template(
        "designer/codebook.html",
        project=project,
        kept=kept,
        title=designs.title_of(draft),
        parts=parts,
        versions=step_form.versions_of(draft),
    )
