"""The designer's files and versions: download, save a version, what changed, preview."""

from __future__ import annotations

from flask import abort, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from questionnaires import changes
from questionnaires.drafts import Draft
from workshop.pages.designer import step_form
from workshop.pages.designer.blueprint import HERE, bp, questionnaire_or_404, to_overview
from workshop.pages.designer.forms import CheckOnly
from workshop.pages.shared.preview import preview as preview_page
from workshop.rounds import designs
from workshop.store.db import db


@bp.get(HERE + "/download")
def download(project_id: int, questionnaire_id: str):
    """The working copy as a YAML file (or a saved version, ?version=N)."""
    _project, kept = questionnaire_or_404(project_id, questionnaire_id)
    source = kept.source
    asked = request.args.get("version", "")
    if asked:
        found = [v for v in designs.versions(db(), kept.id) if str(v.number) == asked]
        if not found:
            abort(404)
        source = found[0].source
    name = f"{kept.slug}-{asked}.yaml" if asked else f"{kept.slug}.yaml"
    return current_app.response_class(
        source,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post(HERE + "/versions")
def save_version(project_id: int, questionnaire_id: str):
    """Keep the working copy as a new version: one with problems is a draft."""
    _project, kept = questionnaire_or_404(project_id, questionnaire_id)
    if not CheckOnly().validate_on_submit():
        abort(400)
    version = designs.save_version(db(), kept, current_user.id)
    if version.ready:
        flash(_("Saved version %(n)d. Rounds can use it now.", n=version.number), "success")
    else:
        flash(
            _(
                "Saved version %(n)d as a draft. Fix its problems before a round can use it.",
                n=version.number,
            ),
            "info",
        )
    return to_overview(kept)


@bp.get(HERE + "/preview/<int:number>")
def preview(project_id: int, questionnaire_id: str, number: int):
    """Step through the working copy as participants would see it."""
    project, kept = questionnaire_or_404(project_id, questionnaire_id)
    if designs.report_of(kept).questionnaire is None:
        flash(_("Fix the problems listed here first: then you can preview it."), "error")
        return to_overview(kept)
    return preview_page(
        kept.source, number, ".preview", project_id=project.id, questionnaire_id=kept.slug
    )


@bp.get(HERE + "/versions/compare")
def compare(project_id: int, questionnaire_id: str):
    """What changed between two versions (or a version and the working copy), step by step."""
    project, kept = questionnaire_or_404(project_id, questionnaire_id)
    saved = designs.versions(db(), kept.id)
    texts = {str(v.number): v.source for v in saved} | {"now": kept.source}
    older = request.args.get("from") or (str(saved[0].number) if saved else "now")
    newer = request.args.get("to") or "now"
    if older not in texts or newer not in texts:
        abort(404)
    return render_template(
        "designer/compare.html",
        project=project,
        kept=kept,
        title=designs.title_of(Draft(kept.source)),
        saved=saved,
        older=older,
        newer=newer,
        languages=frozenset(
            code for key in (older, newer) for code in step_form.languages_of(texts[key])
        ),
        outside=changes.questionnaire_changes(texts[older], texts[newer]),
        steps=changes.step_changes(texts[older], texts[newer]),
    )
