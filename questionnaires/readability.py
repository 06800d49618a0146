"""Plain-language warnings for what participants read: short sentences, easy words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import textstat

from questionnaires.findings import N_, Location, Said
from questionnaires.schema import PARTICIPANT_TEXTS

MIN_READING_EASE = 70  # Flesch reading ease: 70 and above reads easily for most adults
MAX_SENTENCE_WORDS = 15
# Below this many words a reading-ease score says little ("Aspirational" alone scores low).
MIN_WORDS_TO_SCORE = 6

_SENTENCE_END = re.compile(r"(?<=[.!?؟।])\s+")  # Latin, Arabic and Bengali sentence ends


def readability_problems(
    data: Any, location: Location = (), language: str | None = None
) -> Iterator[tuple[Location, str]]:
    """Each (location, message) where participant-facing text may be hard to read.

    Sentence length is checked in every language; the reading-ease score (a formula made
    for English) only in English texts.
    """
    if language is None:
        main = data.get("language") if isinstance(data, dict) else None
        language = main if isinstance(main, str) else "en"
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PARTICIPANT_TEXTS and isinstance(value, str):
                yield from text_problems(value, (*location, key), language)
            elif key in PARTICIPANT_TEXTS and isinstance(value, dict):
                for code, text in value.items():
                    if isinstance(text, str):
                        yield from text_problems(text, (*location, key, code), str(code))
            elif isinstance(value, dict | list):
                yield from readability_problems(value, (*location, key), language)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from readability_problems(item, (*location, index), language)


def text_problems(
    text: str, location: Location = (), language: str = "en"
) -> Iterator[tuple[Location, str]]:
    """Sentences too long to follow, in any language; hard words, in English."""
    for message in long_sentences(text):
        yield location, message
    english = language.split("-")[0] == "en"
    if english and len(text.split()) >= MIN_WORDS_TO_SCORE and (message := hard_to_read(text)):
        yield location, message


def sentences(text: str) -> list[str]:
    """A text's sentences, in any of our scripts."""
    return _SENTENCE_END.split(text.strip())


def long_sentences(text: str) -> Iterator[str]:
    """A message for each sentence longer than MAX_SENTENCE_WORDS (in any language)."""
    for sentence in sentences(text):
        words = len(sentence.split())
        if words > MAX_SENTENCE_WORDS:
            yield Said(
                N_(
                    "a sentence of %(words)s words is hard to follow (keep to %(most)s or "
                    'fewer): "%(sentence)s"'
                ),
                words=words,
                most=MAX_SENTENCE_WORDS,
                sentence=_short(sentence),
            )


def hard_to_read(text: str) -> str | None:
    """A message when an English text's Flesch reading ease is below MIN_READING_EASE."""
    ease = textstat.flesch_reading_ease(text)
    if ease >= MIN_READING_EASE:
        return None
    return Said(
        N_(
            "this may be hard to read (reading ease %(ease)s, aim for %(aim)s or more; try "
            'shorter words): "%(text)s"'
        ),
        ease=f"{ease:.0f}",
        aim=MIN_READING_EASE,
        text=_short(text),
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
