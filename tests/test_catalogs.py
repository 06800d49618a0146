"""The translation catalogs: up to date with the code, complete, exact, and compilable."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from workshop.web.i18n import CODES

TRANSLATIONS = ROOT / "translations"
TRANSLATED = [code for code in CODES if code != "en"]
# %(name)s and %(num)d for Python, {count} for the scripts' words.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
# The number a plural message is chosen by: a form may say it in words instead.
NUMBERS = {"%(num)s", "%(count)s", "%(count)d", "{count}"}
# As scripts/translations: N_ marks the checks' messages in questionnaires/.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None, "plural_words": (1, 2)}


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def key(message: Message) -> tuple[str | None, str]:
    """A message's identity: its context (if any) and its English."""
    return message.context, ids(message)[0]


def ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read(TRANSLATIONS / "messages.pot")


def test_the_template_holds_every_message_in_the_code(template: Catalog) -> None:
    method_map = [
        ("questionnaires/**.py", "python"),  # the checks' messages, marked N_
        ("workshop/**.py", "python"),
        ("workshop/templates/**.html", "jinja2"),
    ]
    options = {"workshop/templates/**.html": {"extensions": "jinja2.ext.do"}}
    in_code = {
        (context, text if isinstance(text, str) else text[0])
        for _file, _line, text, _comments, context in extract_from_dir(
            ROOT, method_map, options_map=options, keywords=KEYWORDS, comment_tags=()
        )
    }
    in_template = {key(m) for m in template if m.id}
    assert not in_code - in_template, (
        "messages not in translations/messages.pot (run scripts/translations update): "
        f"{sorted(in_code - in_template)[:10]}"
    )
    assert not in_template - in_code, f"messages no longer used: {sorted(in_template - in_code)}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalog_is_complete_exact_and_compiles(code: str, template: Catalog) -> None:
    catalog = read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", locale=code)
    wanted = {key(m) for m in template if m.id}
    have = {key(m): m for m in catalog if m.id}
    assert not wanted - set(have), f"{code}: missing {sorted(wanted - set(have))[:10]}"
    problems = []
    for wanted_key in sorted(wanted, key=lambda k: (k[0] or "", k[1])):
        message, english_words = have[wanted_key], wanted_key[1]
        if message.fuzzy:
            problems.append(f"fuzzy: {english_words[:60]!r}")
        if len(strings(message)) != (catalog.num_plurals if message.pluralizable else 1):
            problems.append(f"wrong number of plural forms: {english_words[:60]!r}")
        english = set(PLACEHOLDER.findall(" ".join(ids(message))))
        for text in strings(message):
            found = set(PLACEHOLDER.findall(text))
            if not text.strip():
                problems.append(f"not translated: {english_words[:60]!r}")
            elif found - english:
                problems.append(
                    f"placeholders not in the English {found - english}: {english_words[:60]!r}"
                )
            elif not message.pluralizable and found != english:
                problems.append(f"placeholders missing {english - found}: {english_words[:60]!r}")
            elif message.pluralizable and (english - NUMBERS) - found:
                # A plural form may leave the number out ("one new name"), nothing else.
                problems.append(f"placeholders missing {english - found}: {english_words[:60]!r}")
    problems += [f"{message.id!r}: {errors}" for message, errors in catalog.check()]
    assert not problems, f"{code}: " + "\n".join(problems[:20])
    write_mo(io.BytesIO(), catalog)  # compiles
