"""Texts in several languages and in Easy Read: checking that each is there, and choosing one."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from questionnaires.findings import N_, Location, Said
from questionnaires.schema import EASY_READ, PARTICIPANT_TEXTS, Questionnaire


def texts(model: BaseModel, location: Location = ()) -> Iterator[tuple[Location, str | dict]]:
    """Every participant-facing text in a questionnaire, with where it is in the file."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in PARTICIPANT_TEXTS and (isinstance(value, dict) or value):
            yield (*location, name), value
        elif isinstance(value, BaseModel):
            yield from texts(value, (*location, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from texts(item, (*location, name, index))


def language_problems(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """Each text must come in every listed language, unless that language falls back."""
    provided = questionnaire.provided_languages
    main = questionnaire.language
    for code, borrows_from in questionnaire.fallbacks.items():
        for value in (code, borrows_from):
            if value not in provided:
                yield (
                    ("fallbacks", code),
                    Said(
                        N_("'%(code)s' is not in languages (%(languages)s); add it there first"),
                        code=value,
                        languages=", ".join(provided),
                    ),
                )
    versions = set(provided) | {code + EASY_READ for code in provided}
    needed = [code for code in provided if code != main and code not in questionnaire.fallbacks]
    for location, value in texts(questionnaire):
        given = value if isinstance(value, dict) else {main: value}
        for key in given:
            if key not in versions:
                yield (
                    (*location, key),
                    Said(
                        N_(
                            "'%(code)s' is not one of this questionnaire's languages "
                            "(%(languages)s); add it to languages, or remove this text"
                        ),
                        code=key,
                        languages=", ".join(provided),
                    ),
                )
        if main not in given:
            yield location, Said(N_("there is no text in the main language '%(code)s'"), code=main)
        for code in needed:
            if code not in given:
                yield (
                    location,
                    Said(
                        N_(
                            "there is no '%(code)s' text; add one, or let '%(code)s' borrow "
                            "texts it lacks (fallbacks: {%(code)s: %(main)s})"
                        ),
                        code=code,
                        main=main,
                    ),
                )


def fallback_chain(questionnaire: Questionnaire, language: str) -> list[str]:
    """The languages to try, in order, for a participant who reads `language`."""
    chain: list[str] = []
    code = language if language in questionnaire.provided_languages else questionnaire.language
    while code is not None and code not in chain:
        chain.append(code)
        if code == questionnaire.language:  # the main language has every text: stop
            break
        code = questionnaire.fallbacks.get(code)
    if questionnaire.language not in chain:
        chain.append(questionnaire.language)
    return chain


class Text(str):
    """A questionnaire text that knows which language it is in, so pages can mark it."""

    lang: str

    def __new__(cls, value: str, lang: str) -> Text:
        text = super().__new__(cls, value)
        text.lang = lang
        return text


def pick(value: str | dict[str, str], chain: list[str], easy_read: bool = False) -> Text:
    """One version of a text: Easy Read where asked for and given, else the first language
    in the chain that has it (the chain ends with the main language)."""
    if isinstance(value, str):
        return Text(value, chain[-1])
    for code in chain:
        if easy_read and code + EASY_READ in value:
            return Text(value[code + EASY_READ], code)
        if code in value:
            return Text(value[code], code)
    code, text = next(iter(value.items()))
    return Text(text, code.removesuffix(EASY_READ))


def localise(questionnaire: Questionnaire, language: str, easy_read: bool = False) -> Questionnaire:
    """The questionnaire with every text in one language (and Easy Read, if asked for)."""
    chain = fallback_chain(questionnaire, language)

    def walk(model: BaseModel) -> BaseModel:
        changes = {}
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name == "picture" and not easy_read:  # pictures go with Easy Read texts
                changes[name] = None
            elif name in PARTICIPANT_TEXTS and isinstance(value, dict | str):
                changes[name] = pick(value, chain, easy_read)
            elif isinstance(value, BaseModel):
                changes[name] = walk(value)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                changes[name] = [walk(item) for item in value]
        return model.model_copy(update=changes)

    return walk(questionnaire)
