"""Easy Read: whether a questionnaire offers it, and which of its texts still lack it."""

from __future__ import annotations

from collections.abc import Iterator

from questionnaires.findings import N_, Location, Said
from questionnaires.languages import texts
from questionnaires.readability import sentences
from questionnaires.schema import EASY_READ, Questionnaire

# One sentence this short ("Thank you", "Who do you meet face to face?") is Easy Read already.
EASY_ENOUGH_WORDS = 8


def offers_easy_read(questionnaire: Questionnaire) -> bool:
    """True when choosing Easy Read changes something: a step has a picture, or a text has
    an Easy Read version."""
    return any(step.picture for step in questionnaire.steps) or any(
        isinstance(value, dict) and any(code.endswith(EASY_READ) for code in value)
        for _, value in texts(questionnaire)
    )


def easy_enough(text: str) -> bool:
    """A text needing no Easy Read version of its own: one short sentence."""
    return len(sentences(text)) == 1 and len(text.split()) <= EASY_ENOUGH_WORDS


def easy_read_problems(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """Where a questionnaire offers Easy Read, each text that lacks it in a language it is
    written in (unless it is one short sentence already)."""
    if not offers_easy_read(questionnaire):
        return
    main = questionnaire.language
    for location, value in texts(questionnaire):
        given = value if isinstance(value, dict) else {main: value}
        if easy_enough(given.get(main, "")):
            continue
        missing = [
            code + EASY_READ
            for code in questionnaire.provided_languages
            if code in given and code + EASY_READ not in given
        ]
        if missing:
            yield (
                location,
                Said(
                    N_(
                        "people who choose Easy Read will get the ordinary text here: add "
                        "%(versions)s (short sentences, one idea each, everyday words)"
                    ),
                    versions=", ".join(missing),
                ),
            )
