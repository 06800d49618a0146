"""The designer's pages for a project's questionnaires: the list (make, copy, open a file)
and each one's overview (title, languages, and its steps added, moved and removed)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.utils import secure_filename

from facilitation.roles import Action
from questionnaires.drafts import Draft, DraftError
from questionnaires.schema import STEP_TYPES
from workshop.pages.designer import step_form
from workshop.pages.designer.blueprint import HERE, bp, questionnaire_or_404, to_overview
from workshop.pages.designer.forms import (
    AddStepForm,
    CheckOnly,
    NewQuestionnaireForm,
    UploadQuestionnaireForm,
)
from workshop.pages.designer.words import STEP_TYPE_WORDS, step_type_name
from workshop.pages.shared.access import project_or_404
from workshop.rounds import designs
from workshop.store.db import db
from workshop.store.models import Experiment, ProjectQuestionnaire, Round
from workshop.web.i18n import CODES, LANGUAGES


@bp.route("", methods=["GET", "POST"])
def questionnaires(project_id: int):
    """The project's questionnaires, and a new one: from nothing or a copy."""
    project = project_or_404(project_id, Action.ORGANISE)
    form = _new_form(project.id)
    if form.validate_on_submit():
        source = _sources(project.id).get(form.start_from.data)
        if source is None:
            draft = Draft.blank("questionnaire", form.title.data, form.language.data)
        else:
            draft = Draft(source)
        slug = designs.create(db(), project.id, draft, form.title.data)
        flash(_("Made “%(title)s”. Add its steps below.", title=form.title.data), "success")
        return redirect(url_for(".overview", project_id=project.id, questionnaire_id=slug))
    upload = UploadQuestionnaireForm(formdata=None, prefix="upload")
    return _list_page(project, form, upload)


@bp.post("/upload")
def upload(project_id: int):
    """Open a questionnaire file in the designer, problems and all."""
    project = project_or_404(project_id, Action.ORGANISE)
    form = UploadQuestionnaireForm(prefix="upload")
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8")
            draft = Draft(text)
        except UnicodeDecodeError:
            form.file.errors = [_("This file is not plain text. Save it as UTF-8 and try again.")]
        except DraftError:
            form.file.errors = [_("This is not a questionnaire file. Check it is the right file.")]
        else:
            slug = designs.create(db(), project.id, draft)
            name = secure_filename(form.file.data.filename or "") or slug
            flash(_("Opened %(file)s.", file=name), "success")
            return redirect(url_for(".overview", project_id=project.id, questionnaire_id=slug))
    return _list_page(project, _new_form(project.id, formdata=None), form)


def _list_page(project, form, upload):
    errors = [(f.id, f.errors[0]) for f in (*form, *upload) if f.errors and f.id != "csrf_token"]
    page = render_template(
        "designer/questionnaires.html",
        project=project,
        listed=designs.listed(db(), project.id),
        form=form,
        upload=upload,
        errors=errors,
    )
    return page, 400 if errors else 200


def _new_form(project_id: int, **kwargs) -> NewQuestionnaireForm:
    form = NewQuestionnaireForm(**kwargs)
    library = current_app.extensions["roundtable.questionnaires"]
    rounds = _project_rounds(project_id)
    form.start_from.choices = [
        ("", _("Nothing: an empty questionnaire")),
        *(
            (f"library:{qid}", _("A copy of “%(title)s”", title=loaded.questionnaire.title))
            for qid, loaded in library.items()
        ),
        *((f"round:{r.id}", _("A copy of round “%(name)s”", name=r.name)) for r in rounds),
    ]
    form.language.choices = [(language.code, language.name) for language in LANGUAGES]
    return form


def _project_rounds(project_id: int) -> list[Round]:
    return list(
        db().exec(
            select(Round)
            .join(Experiment, Experiment.id == Round.experiment_id)
            .where(Experiment.project_id == project_id)
            .order_by(Round.created_at)
        )
    )


def _sources(project_id: int) -> dict[str, str]:
    """What a new questionnaire may copy, by the key its choice sends."""
    library = current_app.extensions["roundtable.questionnaires"]
    found = {f"library:{qid}": loaded.source for qid, loaded in library.items()}
    found.update({f"round:{r.id}": r.questionnaire_source for r in _project_rounds(project_id)})
    return found


@bp.route(HERE, methods=["GET", "POST"])
def overview(project_id: int, questionnaire_id: str):
    """The questionnaire's title, languages and steps, and everything the checks found."""
    project, kept = questionnaire_or_404(project_id, questionnaire_id)
    draft = Draft(kept.source)
    form = CheckOnly()
    if form.validate_on_submit():
        _read_about(draft, request.form)
        designs.change(db(), kept, draft)
        flash(_("Saved."), "success")
        return to_overview(kept)
    return _overview_page(project, kept, draft)


def _read_about(draft: Draft, form) -> None:
    """The title, languages and fallbacks as sent. A language the page offers no box for
    (one of the file's own) is kept, and so is the order the file lists them in."""
    main = form.get("language") or draft.main_language
    if main in CODES or main == draft.main_language:
        draft.set_main_language(main)
    main = draft.main_language
    before = step_form.languages_of(draft)
    chosen = {code for code in form.getlist("languages") if code in CODES}
    chosen.add(form.get("shown-language", main))  # the old main language stays
    wanted = [c for c in before if c == main or c in chosen or c not in CODES]
    wanted += sorted(c for c in chosen - set(wanted) if c in CODES)
    if wanted != before:
        draft.set_value((), "languages", wanted if len(wanted) > 1 else None)
    written = draft.data.get("fallbacks")
    if written is None or isinstance(written, Mapping):
        fallbacks = {
            code: form.get(f"fallback-{code}")
            for code in wanted[1:]
            if form.get(f"fallback-{code}") in wanted and form.get(f"fallback-{code}") != code
        }
        if fallbacks != dict(written or {}):
            draft.set_value((), "fallbacks", fallbacks or None)
    versions = [v.key for v in step_form.versions_of(draft)]
    for name in ("title", "description"):
        draft.set_text((), name, {k: form.get(f"{name}.{k}", "") for k in versions})


def _overview_page(project, kept: ProjectQuestionnaire, draft: Draft, status: int = 200):
    report = designs.report_of(kept)
    versions = step_form.versions_of(draft)
    about = [
        step_form.Field(
            setting,
            step_form.texts_of(draft.data.get(setting.name), draft.main_language),
        )
        for setting in _ABOUT
    ]
    about_rest = step_form.place_findings(about, (), report.errors, report.warnings)
    main = draft.main_language
    steps = [
        (
            index,
            str(step.get("id")),
            step_form.texts_of(step.get("title"), main).get(main, ""),
            step_type_name(str(step.get("type"))),
            len(step_form.step_findings(report.errors, index)),
        )
        if isinstance(step, Mapping) and isinstance(step.get("id"), str)
        else (index, None, "", "", len(step_form.step_findings(report.errors, index)))
        for index, step in enumerate(draft.steps)
    ]
    add = AddStepForm(formdata=None)
    add.step_type.choices = [(t, str(words[0])) for t, words in STEP_TYPE_WORDS.items()]
    add.position.choices = [("", _("At the end"))] + [
        (str(i + 1), _("After step %(n)d", n=i + 1)) for i in range(len(steps) - 1)
    ]
    return render_template(
        "designer/overview.html",
        project=project,
        kept=kept,
        draft=draft,
        title=designs.title_of(draft),
        report=report,
        versions=versions,
        about=about,
        about_rest=about_rest,
        steps=steps,
        add=add,
        type_words=STEP_TYPE_WORDS,
        languages=LANGUAGES,
        chosen_languages=[v.code for v in versions if not v.easy_read],
        fallbacks=fallbacks
        if isinstance(fallbacks := draft.data.get("fallbacks"), Mapping)
        else {},
        saved=designs.versions(db(), kept.id),
    ), status


_ABOUT = [
    step_form.Setting("title", step_form.Kind.TEXT, required=True),
    step_form.Setting("description", step_form.Kind.TEXT),
]


@bp.post(HERE + "/steps")
def add_step(project_id: int, questionnaire_id: str):
    """A new step of the chosen type, then its own page to fill it in."""
    project, kept = questionnaire_or_404(project_id, questionnaire_id)
    draft = Draft(kept.source)
    form = AddStepForm()
    form.step_type.choices = list(STEP_TYPES)
    form.position.choices = ["", *(str(i + 1) for i in range(len(draft.steps)))]
    if not form.validate_on_submit():
        flash(_("Choose a kind of step, and where it goes."), "error")
        return to_overview(kept)
    position = int(form.position.data) if form.position.data else None
    try:
        step_id = draft.add_step(form.step_type.data, position)
    except DraftError:
        flash(_("The file's steps are not a list, so no step can be added. Fix the file."), "error")
        return to_overview(kept)
    designs.change(db(), kept, draft)
    return redirect(
        url_for(".step", project_id=project.id, questionnaire_id=kept.slug, step_id=step_id)
    )


@bp.post(HERE + "/steps/<slug:step_id>/move")
def move_step(project_id: int, questionnaire_id: str, step_id: str):
    """Move a step up, down, or to a numbered place: no dragging needed."""
    _project, kept = questionnaire_or_404(project_id, questionnaire_id)
    draft = Draft(kept.source)
    if not CheckOnly().validate_on_submit():
        abort(400)
    try:
        now = draft.step_index(step_id)
    except KeyError:
        abort(404)
    to = request.form.get("direction") or request.form.get("to", "")
    if to == "up":
        place = now - 1
    elif to == "down":
        place = now + 1
    elif to.isdecimal() and to.isascii() and 1 <= int(to) <= len(draft.steps):
        place = int(to) - 1
    else:
        flash(_("Choose where to move the step."), "error")
        return to_overview(kept)
    draft.move_step(step_id, max(0, place))
    designs.change(db(), kept, draft)
    flash(
        _("Moved “%(step)s” to place %(n)d.", step=step_id, n=draft.step_index(step_id) + 1),
        "success",
    )
    return to_overview(kept, f"#step-{step_id}")


@bp.post(HERE + "/steps/<slug:step_id>/remove")
def remove_step(project_id: int, questionnaire_id: str, step_id: str):
    """Take a step out (saved versions keep it)."""
    _project, kept = questionnaire_or_404(project_id, questionnaire_id)
    draft = Draft(kept.source)
    if not CheckOnly().validate_on_submit():
        abort(400)
    try:
        draft.remove_step(step_id)
    except KeyError:
        abort(404)
    designs.change(db(), kept, draft)
    flash(_("Removed the step “%(step)s”. Saved versions still have it.", step=step_id), "success")
    return to_overview(kept)
