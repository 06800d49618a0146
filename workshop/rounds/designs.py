"""A project's questionnaires as the designer keeps them: made, copied or uploaded; changed
in a working copy; saved as numbered versions that rounds start from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import yaml
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from questionnaires.drafts import Draft, unique_slug
from questionnaires.loader import Report, check
from workshop.store.models import ProjectQuestionnaire, QuestionnaireVersion, utcnow


@dataclass(frozen=True)
class Listed:
    """A questionnaire on its project's list: the working copy, and its newest versions."""

    questionnaire: ProjectQuestionnaire
    title: str
    steps: int
    newest: QuestionnaireVersion | None
    newest_ready: QuestionnaireVersion | None


def listed(db: Session, project_id: int) -> list[Listed]:
    """Every questionnaire of a project, oldest first."""
    kept = db.exec(
        select(ProjectQuestionnaire)
        .where(ProjectQuestionnaire.project_id == project_id)
        .order_by(col(ProjectQuestionnaire.created_at), col(ProjectQuestionnaire.id))
    ).all()
    versions = db.exec(
        select(QuestionnaireVersion)
        .where(col(QuestionnaireVersion.questionnaire_id).in_([q.id for q in kept]))
        .order_by(col(QuestionnaireVersion.number))
    ).all()
    found = []
    for questionnaire in kept:
        mine = [v for v in versions if v.questionnaire_id == questionnaire.id]
        ready = [v for v in mine if v.ready]
        data = plain_data(questionnaire.source)
        steps = data.get("steps")
        found.append(
            Listed(
                questionnaire,
                title_of(data),
                len(steps) if isinstance(steps, list) else 0,
                mine[-1] if mine else None,
                ready[-1] if ready else None,
            )
        )
    return found


def title_of(data: Mapping | Draft) -> str:
    """The questionnaire's title in its main language (its id when it has none)."""
    data = data.data if isinstance(data, Draft) else data
    title = data.get("title")
    if isinstance(title, Mapping):
        main = data.get("language")
        title = title.get(main if isinstance(main, str) else "en")
    return str(title) if isinstance(title, str) and title.strip() else str(data.get("id"))


def plain_data(source: str) -> Mapping:
    """A file's data, read at C speed (the designer's reader keeps layout; this only reads);
    empty when it is not YAML or not a mapping."""
    try:
        data = yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, Mapping) else {}


def find(db: Session, project_id: int, slug: str) -> ProjectQuestionnaire | None:
    return db.exec(
        select(ProjectQuestionnaire).where(
            ProjectQuestionnaire.project_id == project_id, ProjectQuestionnaire.slug == slug
        )
    ).first()


def _slugs(db: Session, project_id: int) -> list[str]:
    return list(
        db.exec(
            select(ProjectQuestionnaire.slug).where(ProjectQuestionnaire.project_id == project_id)
        )
    )


def create(db: Session, project_id: int, draft: Draft, title: str | None = None) -> str:
    """Keep a new questionnaire in the project: a blank one or a copy, given a title (its
    id is made from the title), or an upload (its id kept, unless the project has one by
    that id). An upload is kept as it was written, so it downloads back the same."""
    taken = _slugs(db, project_id)
    if title is not None:
        draft.set_text((), "title", {draft.main_language: title})
        draft.set_value((), "id", unique_slug(title, taken, fallback="questionnaire"))
    wanted = draft.data.get("id")
    if not isinstance(wanted, str) or wanted in taken or unique_slug(wanted, ()) != wanted:
        draft.set_value((), "id", unique_slug(title_of(draft), taken, fallback="questionnaire"))
    slug = str(draft.data["id"])
    db.add(ProjectQuestionnaire(project_id=project_id, slug=slug, source=draft.text()))
    db.commit()
    return slug


def change(db: Session, questionnaire: ProjectQuestionnaire, draft: Draft) -> None:
    """Keep an edit in the working copy (problems and all: nothing typed is lost)."""
    draft.set_value((), "id", questionnaire.slug)  # the id is the questionnaire's address: fixed
    text = draft.text()
    if text != questionnaire.source:
        questionnaire.source = text
        questionnaire.updated_at = utcnow()
        db.add(questionnaire)
        db.commit()


def versions(db: Session, questionnaire_id: int) -> list[QuestionnaireVersion]:
    """Every saved version, newest first."""
    return list(
        db.exec(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
            .order_by(col(QuestionnaireVersion.number).desc())
        )
    )


def save_version(db: Session, questionnaire: ProjectQuestionnaire, by: int) -> QuestionnaireVersion:
    """The working copy as a new numbered version (its file's `version` says the number);
    one with problems is kept too, as a draft no round can start from. Two saves at once
    each get a number of their own."""
    for _attempt in range(5):
        number = (
            db.exec(
                select(func.max(QuestionnaireVersion.number)).where(
                    QuestionnaireVersion.questionnaire_id == questionnaire.id
                )
            ).one()
            or 0
        ) + 1
        draft = Draft(questionnaire.source)
        draft.set_value((), "version", number)
        change(db, questionnaire, draft)
        report = check(questionnaire.source, questionnaire.slug)
        version = QuestionnaireVersion(
            questionnaire_id=questionnaire.id,
            number=number,
            source=questionnaire.source,
            ready=report.questionnaire is not None,
            saved_by=by,
        )
        db.add(version)
        try:
            db.commit()
        except IntegrityError:  # another save took this number first
            db.rollback()
            continue
        return version
    raise RuntimeError("five saves at once took every number tried")


def ready_to_run(
    db: Session, project_id: int
) -> list[tuple[ProjectQuestionnaire, QuestionnaireVersion]]:
    """Each questionnaire of the project with its newest version a round can run."""
    return [
        (item.questionnaire, item.newest_ready)
        for item in listed(db, project_id)
        if item.newest_ready is not None
    ]


def report_of(questionnaire: ProjectQuestionnaire) -> Report:
    """What the checks find in the working copy: the same two passes as the command."""
    return check(questionnaire.source, f"{questionnaire.slug}.yaml")
