"""The interface language: which one each person reads, and words that change with a number."""

from __future__ import annotations

import json
from datetime import datetime
from typing import NamedTuple

from babel import Locale
from babel.dates import format_skeleton
from babel.lists import format_list
from flask import current_app, g, has_request_context, request
from flask import session as cookie
from flask_babel import format_number, get_locale, get_translations, to_user_timezone
from jinja2 import pass_eval_context
from markupsafe import Markup


class Language(NamedTuple):
    """A language we have a catalog for, named in itself."""

    code: str
    name: str


LANGUAGES = (
    Language("en", "English"),
    Language("cy", "Cymraeg"),
    Language("bn", "বাংলা"),
    Language("pl", "Polski"),
    Language("ar", "العربية"),
)
CODES = tuple(language.code for language in LANGUAGES)


# Where a language's dates and numbers should follow one country's custom: ours is British.
REGIONS = {"en": "en_GB"}


def select_locale() -> str:
    """The language this person chose; else the best their browser asks for; else English."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a console command: the first language
        code = languages[0]
    elif cookie.get("language") in languages:
        code = cookie["language"]
    else:
        code = request.accept_languages.best_match(languages) or languages[0]
    return REGIONS.get(code, code)


def translations():
    """flask_babel's catalog for this page's language, looked up once per app context (a
    request, a socket event): a page asks for hundreds of words, and flask_babel's lookup
    cost ten times the word's own (a console listing 500 people spent 14 of its 46 ms on it).

    It is kept where flask_babel kept it in earlier versions (its context's
    `babel_translations`), which its `refresh` and `force_locale` still clear."""
    space = g.get("_flask_babel")
    kept = getattr(space, "babel_translations", None)
    if kept is None:
        kept = get_translations()  # makes flask_babel's context if there was none
        g._flask_babel.babel_translations = kept
    return kept


def install_gettext(app) -> None:
    """Templates' _(), gettext, ngettext, pgettext and npgettext through `translations`."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def language_code() -> str:
    """The page's language as a short code ("en", "cy", "ar"), for lang attributes."""
    return get_locale().language


def choose(code: str) -> bool:
    """Remember this person's language for every page they open; False if we lack it."""
    if code not in current_app.config["LANGUAGES"]:
        return False
    cookie["language"] = code
    return True


def direction() -> str:
    """ "rtl" for a language written right to left, else "ltr"."""
    return "rtl" if get_locale().character_order == "right-to-left" else "ltr"


def count_words(singular: str, plural: str, num: int, **variables) -> str:
    """ngettext with the number written for the locale ("1 234" in Polish): %(num)s."""
    text = translations().ungettext(singular, plural, num)
    return text % {"num": format_number(num), **variables}


@pass_eval_context
def template_ngettext(eval_context, singular: str, plural: str, num: int, **variables) -> str:
    """Templates' ngettext: as count_words, escaping the variables where pages autoescape."""
    text = translations().ungettext(singular, plural, num)
    if eval_context.autoescape:
        text = Markup(text)
    return text % {"num": format_number(num), **variables}


def plural_words(singular: str, plural: str) -> str:
    """Every plural form of a message, by CLDR category, as JSON for scripts.

    The scripts pick one with Intl.PluralRules, so "{count} new ties" reads right in
    Welsh's six forms and Arabic's six as well as in English's two.
    """
    locale: Locale = get_locale()
    samples: dict[str, int] = {}
    for n in [*range(1, 200), 0]:  # 0 last: Bengali's "one" is 0 and 1, and 1 is singular
        samples.setdefault(locale.plural_form(n), n)
    translations = get_translations()
    return json.dumps(
        {category: translations.ungettext(singular, plural, n) for category, n in samples.items()},
        ensure_ascii=False,
    )


def other_language(text: str) -> str | None:
    """The language of a questionnaire text, when it is not the page's; else None."""
    lang = getattr(text, "lang", None)
    if not text or lang is None or lang.split("-")[0] == language_code():
        return None
    return lang


def own_language(text: str) -> str:
    """A questionnaire text, marked with its own language when the page is in another
    (a Polish page showing an English question), so screen readers pronounce it right."""
    lang = other_language(text)
    return text if lang is None else Markup('<span lang="{}">{}</span>').format(lang, text)


_WELSH_VOWELS = "aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ"


def as_list(items) -> str:
    """Several answers or names as the language lists them ("A, B and C"; "A، B و C")."""
    texts = [str(item) for item in items]
    locale = get_locale()
    if len(texts) < 2 or getattr(locale, "language", None) != "cy":
        return format_list(texts, locale=locale) if texts else ""
    # CLDR's Welsh writes "a(c)" for "and": Welsh says "ac" before a vowel, "a" otherwise,
    # and puts no comma before it.
    last = texts[-1]
    joined = format_list([*texts[:-1], "\0"], locale=locale)
    word = "ac" if last[:1].lower() in _WELSH_VOWELS else "a"
    return (
        joined.replace(", a(c) \0", f" {word} \0")
        .replace("a(c) \0", f"{word} \0")
        .replace("\0", last)
    )


def day_and_time(moment: datetime) -> str:
    """A date and time as people read it in their language, to the minute ("7 Dec 2026,
    14:05"): seconds are noise on a page."""
    locale, moment = get_locale(), to_user_timezone(moment)
    day = format_skeleton("yMMMd", moment, locale=locale)
    time = format_skeleton("Hm", moment, locale=locale)
    return locale.datetime_formats["medium"].format(time, day)  # "{1}, {0}": day, time
