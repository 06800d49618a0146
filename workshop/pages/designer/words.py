"""The designer's words for step types, their settings and the choices in them, in plain
language and in every language: the questionnaire format's own names never reach a page."""

from __future__ import annotations

import re
from collections.abc import Mapping

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from questionnaires.findings import Finding
from workshop.pages.shared.findings import said

# Each step type: what it is called, and what it does, said to a facilitator.
STEP_TYPE_WORDS: dict[str, tuple[LazyString, LazyString]] = {
    "information": (_l("Information"), _l("Text to read. Nobody answers.")),
    "single-choice": (_l("One choice"), _l("People pick one answer from a list.")),
    "multiple-choice": (_l("Several choices"), _l("People pick all the answers that fit.")),
    "rating-scale": (_l("Rating scale"), _l("People pick a number, with words at both ends.")),
    "short-text": (_l("Short answer"), _l("People write a few words.")),
    "long-text": (_l("Long answer"), _l("People write as much as they like.")),
    "reflection": (
        _l("Reflection"),
        _l("People write what they think. Nobody sees who wrote it."),
    ),
    "name-actors": (
        _l("Name people and groups"),
        _l("People name who is in their network. Each name joins the map."),
    ),
    "connect-actors": (
        _l("Connect names"),
        _l("People say which names on the map are linked, and how."),
    ),
    "rate-actors": (_l("Rate names"), _l("People give names on the map a number.")),
    "sort-actors": (_l("Sort names"), _l("People put names on the map into groups.")),
    "look-at-the-map": (_l("Look at the map"), _l("Everyone sees the map made so far.")),
}

# Each setting: its label, and a hint under it (empty: none).
SETTING_WORDS: dict[str, tuple[LazyString, LazyString | str]] = {
    "title": (_l("Question or heading"), _l("What the step asks or says. Keep it short.")),
    "help": (_l("Help text (optional)"), _l("Shown under the question, in plain words.")),
    "text": (_l("Text to read (optional)"), ""),
    "questionnaire-title": (_l("Title"), _l("The workshop's name, as people see it.")),
    "description": (_l("Description (optional)"), _l("What this questionnaire is for.")),
    "picture": (
        _l("Easy Read picture (optional)"),
        _l("Shown beside the question for people who choose Easy Read."),
    ),
    "required": (_l("People must answer this step"), ""),
    "max_length": (_l("Most characters an answer may have"), ""),
    "min": (_l("Lowest number on the scale"), ""),
    "max": (_l("Highest number on the scale"), ""),
    "min_label": (_l("Words for the lowest number"), _l("For example: Not at all")),
    "max_label": (_l("Words for the highest number"), _l("For example: Very much")),
    "actors": (_l("Which names people see"), ""),
    "actor_kinds": (
        _l("Kinds of name"),
        _l("Tick the kinds this step is about. Tick none for every kind."),
    ),
    "tie_kinds": (
        _l("Kinds of connection"),
        _l("Tick the kinds people choose from. Tick none for every kind."),
    ),
    "layer": (_l("Layer (optional)"), _l("The layer the names given here belong to.")),
    "max_actors": (_l("Most names one person may add"), ""),
    "max_ties": (_l("Most connections one person may add"), ""),
    "options": (_l("Answers to choose from"), _l("Give at least two.")),
}

# The words for each choice of a setting with a fixed few.
CHOICE_WORDS: dict[str, dict[str, LazyString]] = {
    "actors": {
        "mine": _l("The names this person gave"),
        "everyone": _l("Every name on the round's map"),
    },
    "picture": {
        "connect": _l("Connections"),
        "map": _l("Map"),
        "online": _l("Online"),
        "people": _l("People"),
        "person": _l("A person"),
        "scale": _l("Scale"),
        "smile": _l("Smiling face"),
        "star": _l("Star"),
        "talk": _l("Talking"),
        "write": _l("Writing"),
    },
}

# The codebook's parts: a heading, and a hint.
CODEBOOK_WORDS: dict[str, tuple[LazyString, LazyString]] = {
    "actor_kinds": (
        _l("Kinds of name"),
        _l("For example: organisation, group, person. Name steps need at least one."),
    ),
    "tie_kinds": (
        _l("Kinds of connection"),
        _l("For example: works with, funds. Connect steps need at least one."),
    ),
    "layers": (_l("Layers"), _l("For example: face to face, online, would like to know.")),
}


def step_type_name(step_type: str) -> str:
    """A step type as a facilitator reads it ("One choice"); the type itself if unknown."""
    found = STEP_TYPE_WORDS.get(step_type)
    return str(found[0]) if found else step_type


def setting_words(name: str) -> tuple[str, str]:
    """A setting's label and hint."""
    label, hint = SETTING_WORDS.get(name, (name, ""))
    return str(label), str(hint)


def choice_words(name: str) -> list[tuple[str, str]]:
    """A fixed-choice setting's choices, each with its words."""
    return [(value, str(words)) for value, words in CHOICE_WORDS.get(name, {}).items()]


def term_choices(terms, main: str, chosen=()) -> list[tuple[str, str]]:
    """Codebook entries as choices: (id, label in the questionnaire's main language); a
    chosen id the codebook lacks comes too, by its id, so saving keeps it (the checks
    say it is unknown)."""
    found = []
    for term in terms if isinstance(terms, list) else []:
        if not isinstance(term, Mapping):
            continue
        label = term.get("label")
        if isinstance(label, Mapping):
            label = label.get(main) or next(iter(label.values()), "")
        found.append((str(term.get("id")), str(label or term.get("id"))))
    known = {term_id for term_id, _label in found}
    return found + [(value, value) for value in chosen if value and value not in known]


def language_name(code: str) -> str:
    """A language named in the page's language ("Welsh" on an English page); the code
    itself for one Babel does not know."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(get_locale()).title()
    except Exception:  # babel's UnknownLocaleError is no ValueError
        return code


_UNFILLED = re.compile(r"'(\w+)' is (?:missing|empty)")


def finding_words(finding: Finding) -> str:
    """What the checks found, in the designer's words where it names a field by its name
    in the file ("'min_label' is missing"); the checks' own words otherwise."""
    unfilled = _UNFILLED.fullmatch(finding.message)
    if unfilled and unfilled.group(1) in SETTING_WORDS:
        name = "questionnaire-title" if finding.location == ("title",) else unfilled.group(1)
        label = SETTING_WORDS[name][0]
        return _("“%(field)s” is empty. Fill it in.", field=label)
    return said(finding.message)  # the checks' words, in the page's language


def place_words(where: tuple, languages: frozenset[str] = frozenset()) -> str:
    """Where a difference is, in words: "Answers to choose from › 2 › Welsh". A part is
    read as a language only where it is one of the questionnaire's `languages`."""
    parts = []
    for part in where:
        plain = str(part).removesuffix("-easy")
        if isinstance(part, int):
            parts.append(str(part))
        elif part in SETTING_WORDS:
            parts.append(setting_words(part)[0])
        elif part in CODEBOOK_WORDS:
            parts.append(codebook_words(part)[0])
        elif plain in languages:
            name = language_name(plain)
            parts.append(_("%(language)s, Easy Read", language=name) if part != plain else name)
        else:
            parts.append(str(part))
    return " › ".join(parts)


def codebook_words(part: str) -> tuple[str, str]:
    """A codebook part's heading and hint."""
    heading, hint = CODEBOOK_WORDS[part]
    return str(heading), str(hint)


def language_of(where: tuple, languages: frozenset[str]) -> str | None:
    """The language a difference's words are in, where it is one version of a text."""
    last = str(where[-1]).removesuffix("-easy") if where else ""
    return last if last in languages else None
