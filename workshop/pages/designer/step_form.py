"""A step's page in the designer: its settings as fields (each language side by side), what
the checks found beside each one, and a posted form read back into the questionnaire."""

from __future__ import annotations

import re
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
from workshop.rounds import designs
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
        except Exception:  # babel's UnknownLocaleError is no ValueError
            return self.code


def languages_of(source: str | Draft) -> list[str]:
    """A questionnaire's languages as written, the main one first."""
    data = source.data if isinstance(source, Draft) else designs.plain_data(source)
    main = data.get("language") if isinstance(data.get("language"), str) else "en"
    listed = data.get("languages")
    listed = listed if isinstance(listed, list) else []
    return [main, *(c for c in listed if isinstance(c, str) and c != main)]


def versions_of(draft: Draft) -> list[Version]:
    """Every version a text can have: each language, main first, each then in Easy Read."""
    codes = languages_of(draft)
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
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int | float)}
    return {main: str(value)} if isinstance(value, str | int | float) and value != "" else {}


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
            value = items_of(value, draft.main_language)
        elif setting.kind is Kind.TERMS:
            value = [str(v) for v in value] if isinstance(value, list) else []
        elif setting.kind in (Kind.TERM, Kind.CHOICE):
            value = str(value) if isinstance(value, str | int) else None
        found.append(Field(setting, value))
    return found


def items_of(value: Any, main: str) -> list[tuple[str, dict[str, str], bool]]:
    """A list of labelled items as the page shows them: (id, words by version, directed).
    Items that are not an id with words are left to the file (the checks name them)."""
    listed = value if isinstance(value, list) else []
    return [
        (str(item.get("id")), texts_of(item.get("label"), main), bool(item.get("directed")))
        for item in listed
        if isinstance(item, Mapping)
    ]


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
    """Apply a posted step form, setting by setting as the person left it. Only settings
    the page showed are read (a form from an older page, or one the page could not show,
    leaves the rest as written). A number that is not one is kept as typed, so the checks
    can say so and nothing is lost."""
    step = draft.steps[index]
    path: Path = ("steps", index)
    versions = [v.key for v in versions_of(draft)]
    shown = set(form.getlist("shown"))
    cls: type[StepType] = STEP_CLASS[step.get("type")]
    for setting in settings_of(cls):
        name = setting.name
        if name not in shown:
            continue
        if setting.kind is Kind.TEXT:
            draft.set_text(path, name, {k: form.get(f"{name}.{k}", "") for k in versions})
        elif setting.kind is Kind.OPTIONS:
            read_items(draft, path, name, name, form, versions)
        elif setting.kind is Kind.SWITCH:
            draft.set_value(path, name, name in form, setting.default)
        elif setting.kind is Kind.NUMBER:
            draft.set_value(path, name, _number(form.get(name, "")), setting.default)
        elif setting.kind is Kind.TERMS:
            chosen = form.getlist(name)
            written = step.get(name)
            if not (isinstance(written, list) and set(map(str, written)) == set(chosen)):
                draft.set_value(path, name, chosen or None, setting.default)
        else:  # CHOICE, TERM: one value, or none
            draft.set_value(path, name, form.get(name) or None, setting.default)
    if "show_if" in shown:
        earlier = form.get("show_if") or None
        answers = form.getlist(f"show_if-{earlier}") if earlier else []
        draft.set_condition(str(step.get("id")), earlier, answers)


def _number(typed: str) -> int | str | None:
    """A whole number as typed; anything else as the words typed (None when empty)."""
    typed = typed.strip()
    if len(typed) <= 18:  # Python refuses to read a number of over 4,300 digits
        try:
            return int(typed)
        except ValueError:
            pass
    return typed[:100] or None


def read_items(
    draft: Draft, path: Path, name: str, prefix: str, form: MultiDict, versions: list[str]
) -> None:
    """A list of labelled items as posted. Each row names its item's id
    (`{prefix}-{n}-id`), so a form sent twice, or from a page older than the file, changes
    the items it showed and no others: its words (`{prefix}-{n}.{version}`), a tie kind's
    `-directed` box, and `-remove`. A new item (`{prefix}-new.{version}`) is added unless
    one with the same words is there already (a form sent twice adds it once)."""
    listed = draft.items(path, name)
    where_is = {
        str(item.get("id")): number
        for number, item in enumerate(listed)
        if isinstance(item, Mapping)
    }
    directed = name == "tie_kinds"
    removed = []
    for key in form:
        row = re.fullmatch(rf"{re.escape(prefix)}-(\d+)-id", key)
        number = where_is.get(form[key]) if row else None
        if number is None:
            continue
        mark = f"{prefix}-{row.group(1)}"
        where = (*path, name, number)
        draft.set_text(where, "label", {k: form.get(f"{mark}.{k}", "") for k in versions})
        if directed:
            draft.set_value(where, "directed", f"{mark}-directed" in form, False)
        if f"{mark}-remove" in form:
            removed.append(number)
    new = {k: form.get(f"{prefix}-new.{k}", "").strip() for k in versions}
    first = new.get(draft.main_language) or next((v for v in new.values() if v), "")
    have = {
        words.get(draft.main_language) for _id, words, _d in items_of(listed, draft.main_language)
    }
    if first and first not in have:
        draft.add_item(path, name, first)
        where = (*path, name, len(draft.items(path, name)) - 1)
        draft.set_text(where, "label", new)
        if directed:
            draft.set_value(where, "directed", f"{prefix}-new-directed" in form, False)
    if removed:
        draft.remove_items(path, name, removed)


def conditions(draft: Draft, index: int) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Skip logic's choices for this step: each earlier step it can look at, as (id, its
    title, [(answer id, answer words)]). The step it looks at now comes too, even where it
    cannot (it comes later, or is gone): the page shows it chosen, so nothing is lost by
    saving, and the checks say what to fix."""
    steps = [s if isinstance(s, Mapping) else {} for s in draft.steps]
    main = draft.main_language
    found = []
    for step_id, answers in conditions_offered(steps, index):
        step = next(s for s in steps if s.get("id") == step_id)
        words = {o[0]: o[1].get(main, o[0]) for o in items_of(step.get("options"), main)}
        title = texts_of(step.get("title"), main).get(main) or step_id
        found.append((step_id, title, [(a, words.get(a, a)) for a in answers]))
    now = condition_of(steps[index])
    if now and now["step"] not in {step_id for step_id, _t, _a in found}:
        found.append((now["step"], now["step"], [(a, a) for a in now["any_of"]]))
    return found


def condition_of(step: Mapping) -> dict | None:
    """A step's skip logic as written ({"step": id, "any_of": [answers]}), if it reads."""
    written = step.get("show_if")
    if not isinstance(written, Mapping) or not isinstance(written.get("step"), str):
        return None
    any_of = written.get("any_of")
    listed = any_of if isinstance(any_of, list) else [] if any_of is None else [any_of]
    return {"step": written["step"], "any_of": [str(a) for a in listed]}


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
