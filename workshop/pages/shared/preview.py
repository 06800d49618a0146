"""Stepping through a questionnaire as participants see it, storing nothing: a built-in one,
a round's, or one in the designer."""

from __future__ import annotations

from contextlib import suppress

from babel import Locale
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from facilitation.answers import AnswerRejected, AnswerValue, check_answer
from facilitation.skip_logic import is_for
from questionnaires.loader import snapshot
from workshop.pages.shared import network_steps
from workshop.web.wording import answer_error


def preview(source: str, number: int, endpoint: str, **where):
    """Any language the questionnaire provides (?language=cy), in Easy Read (?easy-read=1)."""
    language = request.args.get("language") or None
    easy_read = request.args.get("easy-read") == "1"
    questionnaire = snapshot(source, language, easy_read)
    if language not in (None, *questionnaire.provided_languages):
        abort(404)
    if language:
        where["language"] = language
    if easy_read:
        where["easy-read"] = "1"
    phone = request.args.get("width") == "phone"
    if phone:
        where["width"] = "phone"
    if not 1 <= number <= len(questionnaire.steps):
        abort(404)
    step = questionnaire.steps[number - 1]
    submitted = request.args.getlist("answer")
    given = _given(questionnaire)
    error = None
    # Network steps store as they go, and a preview stores nothing: no check to make.
    if "try" in request.args and step.collects_answer and not step.adds_to_map:
        # The same checks participants meet; the answer goes nowhere but the next address.
        try:
            value = check_answer(step, submitted)
        except AnswerRejected as rejected:
            error = answer_error(step, rejected.problem)
        else:
            given[step.id] = value
            following = _next_for(questionnaire, number, given)
            if following is not None:
                if following > number + 1:
                    flash(_skipped(number + 1, following - 1), "info")
                return redirect(url_for(endpoint, number=following, given=_carried(given), **where))
    following = _next_for(questionnaire, number, given)
    return (
        render_template(
            "facilitator/preview.html",
            questionnaire=questionnaire,
            step=step,
            number=number,
            question_number=questionnaire.question_number(step.id),
            value=submitted or None,
            error=error,
            back=url_for(endpoint, number=number - 1, given=_carried(given), **where)
            if number > 1
            else None,
            next_url=url_for(endpoint, number=following, given=_carried(given), **where)
            if following is not None
            else None,
            here=url_for(endpoint, number=number, **where),
            keep={k: v for k, v in where.items() if k in ("language", "easy-read", "width")},
            phone=phone,
            other_width=url_for(
                endpoint,
                number=number,
                given=_carried(given),
                **{k: v for k, v in where.items() if k != "width"},
                **({} if phone else {"width": "phone"}),
            ),
            carried=_carried(given),
            versions=_versions(questionnaire, endpoint, number, where),
            net=network_steps.preview_view(questionnaire, step),
        ),
        400 if error else 200,
    )


def _versions(questionnaire, endpoint: str, number: int, where: dict) -> list[tuple]:
    """Links to the same step in each language the questionnaire provides, and Easy Read:
    (words, lang attribute, address, whether it is the one shown)."""
    place = {k: v for k, v in where.items() if k not in ("language", "easy-read")}
    # The width shown stays as it is when the language changes.
    shown = (where.get("language", questionnaire.language), "easy-read" in where)
    links = []
    for code in questionnaire.provided_languages:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code)
        url = url_for(endpoint, number=number, language=code, **place)
        links.append((name, code, url, shown == (code, False)))
    language = shown[0]
    easy = url_for(endpoint, number=number, language=language, **{"easy-read": "1"}, **place)
    links.append((_("Easy Read"), None, easy, shown[1]))
    return links


# The answers tried so far ride along in the address, so that the preview follows skip
# logic as a participant's answers would: given=<step id>:<value>, once per value.
def _given(questionnaire) -> dict[str, AnswerValue]:
    found: dict[str, list[str]] = {}
    for pair in request.args.getlist("given"):
        step_id, _colon, value = pair.partition(":")
        found.setdefault(step_id, []).append(value)
    given: dict[str, AnswerValue] = {}
    for step_id, values in found.items():
        step = questionnaire.step(step_id)
        with suppress(AnswerRejected):  # an address made by hand: that answer is left out
            if step is not None and (value := check_answer(step, values)) is not None:
                given[step_id] = value
    return given


def _carried(given: dict[str, AnswerValue]) -> list[str]:
    return [
        f"{step_id}:{value}"
        for step_id, chosen in given.items()
        for value in (chosen if isinstance(chosen, list) else [chosen])
    ]


def _next_for(questionnaire, number: int, given: dict[str, AnswerValue]) -> int | None:
    """The next step (1-based) this person's answers so far would show them; None at the end."""
    for following in range(number + 1, len(questionnaire.steps) + 1):
        if is_for(questionnaire.steps[following - 1], given):
            return following
    return None


def _skipped(first: int, last: int) -> str:
    if first == last:
        return _("Step %(n)d was skipped: it is for people who answered differently.", n=first)
    return _(
        "Steps %(first)d to %(last)d were skipped: they are for people who answered differently.",
        first=first,
        last=last,
    )
