"""A step's page in the designer: its settings as fields (each language side by side), what
the checks found beside each one, and a posted form read back into the questionnaire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from questionnaires.drafts import Draft, Path
from questionnaires.findings import Finding
from questionnaires.parts import EASY_READ
from questionnaires.schema import STEP_CLASSES, STEP_TYPES
from questionnaires.settings import Kind, Setting, conditions_offered, settings_of
from questionnaires.steps.base import StepType
from workshop.pages.designer.words import finding_words
from workshop.web.i18n import count_words as ngettext

STEP_CLASS = dict(zip(STEP_TYPES, STEP_CLASSES, strict=True))


@dataclass(frozen=True)
class Version:
    """One version of a text: a language, in Easy Read or not."""

    key: str  # as the file writes it: "cy", "cy-easy"
    code: str  # the language: "cy"
    easy_read: bool

    @property
    def name(self) -> str:
        """The language named in itself ("Cymraeg"), for a label in that language's words."""
        try:
            return Locale.parse(self.code.replace("-", "_")).get_display_name(self.code).title()
        except (ValueError, TypeError):
            return self.code


def versions_of(draft: Draft) -> list[Version]:
    """Every version a text can have: each language, main first, each then in Easy Read."""
    languages = draft.data.get("languages")
    main = draft.main_language
    codes = [main, *(c for c in languages or [] if isinstance(c, str) and c != main)]
    return [Version(f"{c}{EASY_READ if easy else ''}", c, easy) for c in codes for easy in (0, 1)]


@dataclass
class Field:
    """One setting on the page, with what it holds now and what the checks said of it."""

    setting: Setting
    value: Any
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.setting.name


def texts_of(value: Any, main: str) -> dict[str, str]:
    """A text as written, by version key (a plain string is the main language's)."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return {main: str(value)} if value not in (None, "") else {}


def fields_of(draft: Draft, index: int) -> list[Field]:
    """The step's settings with their values now (texts as {version key: words})."""
    step = draft.steps[index]
    cls = STEP_CLASS.get(step.get("type"))
    if cls is None:
        return []
    found = []
    for setting in settings_of(cls):
        value = step.get(setting.name, setting.default)
        if setting.kind is Kind.TEXT:
            value = texts_of(value, draft.main_language)
        elif setting.kind is Kind.OPTIONS:
            value = [
                (str(o.get("id")), texts_of(o.get("label"), draft.main_language))
                for o in value or []
                if isinstance(o, Mapping)
            ]
        found.append(Field(setting, value))
    return found


def place_findings(fields: list[Field], prefix: tuple, errors, warnings) -> list[Finding]:
    """Put each finding inside `prefix` (a step's, or () for the whole questionnaire's)
    beside its field; those about no field shown are returned, to list above the form."""
    by_name = {f.name: f for f in fields}
    left = []
    for kind, findings in (("errors", errors), ("warnings", warnings)):
        for finding in findings:
            where = finding.location
            if where[: len(prefix)] != prefix or (not prefix and where[:1] == ("steps",)):
                continue
            rest = where[len(prefix) :]
            target = by_name.get(str(rest[0])) if rest else None
            if target is None:
                left.append(finding)
            else:
                getattr(target, kind).append(finding_words(finding))
    return left


def step_findings(findings, index: int) -> list[Finding]:
    return [f for f in findings if f.location[:2] == ("steps", index)]


def read_step(draft: Draft, index: int, form: MultiDict) -> None:
    """Apply a posted step form: every field on the page, as the person left it. A number
    that is not a number is kept as typed, so the checks can say so and nothing is lost."""
    step_id = str(draft.steps[index].get("id"))
    path: Path = ("steps", index)
    versions = [v.key for v in versions_of(draft)]
    cls: type[StepType] = STEP_CLASS[draft.steps[index].get("type")]
    for setting in settings_of(cls):
        name = setting.name
        if setting.kind is Kind.TEXT:
            draft.set_text(path, name, {k: form.get(f"{name}.{k}", "") for k in versions})
        elif setting.kind is Kind.OPTIONS:
            _read_options(draft, path, form, versions)
        elif setting.kind is Kind.SWITCH:
            draft.set_value(path, name, name in form, setting.default)
        elif setting.kind is Kind.NUMBER:
            typed = form.get(name, "").strip()
            number: Any = int(typed) if typed.lstrip("-").isdigit() else (typed or None)
            draft.set_value(path, name, number, setting.default)
        elif setting.kind is Kind.TERMS:
            chosen = form.getlist(name)
            written = draft.steps[index].get(name)
            if not (isinstance(written, list) and set(map(str, written)) == set(chosen)):
                draft.set_value(path, name, chosen or None, setting.default)
        else:  # CHOICE, TERM: one value, or none
            draft.set_value(path, name, form.get(name) or None, setting.default)
    shown_if = form.get("show_if") or None
    draft.set_condition(step_id, shown_if, form.getlist(f"show_if-{shown_if}") if shown_if else [])


def _read_options(draft: Draft, path: Path, form: MultiDict, versions: list[str]) -> None:
    read_items(draft, path, "options", "options", form, versions)


def read_items(
    draft: Draft, path: Path, name: str, prefix: str, form: MultiDict, versions: list[str]
) -> None:
    """A list of labelled items as posted: each one's words (`{prefix}-{n}.{version}`),
    those ticked for removal, and a new one (`{prefix}-new.{version}`) if any words were
    given; a tie kind's `directed` box too."""
    listed = draft.items(path, name)
    directed = name == "tie_kinds"
    for number in range(len(listed)):
        where = (*path, name, number)
        words = {k: form.get(f"{prefix}-{number}.{k}", "") for k in versions}
        draft.set_text(where, "label", words)
        if directed:
            draft.set_value(where, "directed", f"{prefix}-{number}-directed" in form, False)
    removed = [n for n in range(len(listed)) if f"{prefix}-{n}-remove" in form]
    new = {k: form.get(f"{prefix}-new.{k}", "").strip() for k in versions}
    if any(new.values()):
        first = new.get(draft.main_language) or next(v for v in new.values() if v)
        draft.add_item(path, name, first)
        where = (*path, name, len(listed) - 1)
        draft.set_text(where, "label", new)
        if directed:
            draft.set_value(where, "directed", f"{prefix}-new-directed" in form, False)
    if removed:
        draft.remove_items(path, name, removed)


def conditions(draft: Draft, index: int) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Skip logic's choices for this step: each earlier step it can look at, as (id, its
    title, [(answer id, answer words)])."""
    steps = [dict(s) for s in draft.steps if isinstance(s, Mapping)]
    main = draft.main_language
    found = []
    for step_id, answers in conditions_offered(steps, index):
        step = steps[[s.get("id") for s in steps].index(step_id)]
        words = {
            str(o.get("id")): texts_of(o.get("label"), main).get(main, str(o.get("id")))
            for o in step.get("options") or []
            if isinstance(o, Mapping)
        }
        title = texts_of(step.get("title"), main).get(main) or step_id
        found.append((step_id, title, [(a, words.get(a, a)) for a in answers]))
    return found


def reply(fields: list[Field], errors: list[Finding]) -> dict:
    """What designer.js shows after a save: a message, and the findings of each field."""
    if errors:
        message = ngettext(
            "Saved. %(num)s problem to fix on this step.",
            "Saved. %(num)s problems to fix on this step.",
            len(errors),
        )
    else:
        message = _("Saved. No problems on this step.")
    return {
        "message": message,
        "findings": {f.name: {"errors": f.errors, "warnings": f.warnings} for f in fields},
    }
