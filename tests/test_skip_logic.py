"""Skip logic: who a step is for, checked in the file and followed in a live round."""

import pytest
from bs4 import BeautifulSoup

from facilitation.skip_logic import is_for
from questionnaires.loader import check, load_all
from tests.conftest import command, join, make_setup, sign_in

START = load_all()["start-where-you-are"].questionnaire


def test_a_step_is_for_those_whose_earlier_answer_matches():
    place_name = START.step("place-name")
    assert is_for(place_name, {"way-in": "place"})
    assert not is_for(place_name, {"way-in": "issue"})
    assert not is_for(place_name, {})  # no answer yet: not shown
    assert not is_for(place_name, {"way-in": None})  # skipped
    assert is_for(START.step("layers"), {})  # no condition: for everyone


def test_conditions_on_several_choices_and_on_ratings():
    base = "id: q\ntitle: Q\nsteps:\n"
    text = base + (
        "  - id: many\n    type: multiple-choice\n    title: Many\n    options:\n"
        "      - {id: a, label: A}\n      - {id: b, label: B}\n"
        "  - id: score\n    type: rating-scale\n    title: Score\n"
        "    min_label: Low\n    max_label: High\n"
        "  - id: for-b\n    type: short-text\n    title: For B\n"
        "    show_if: {step: many, any_of: [b]}\n"
        "  - id: for-low\n    type: short-text\n    title: For low\n"
        "    show_if: {step: score, any_of: ['1', '2']}\n"
    )
    questionnaire = check(text, "q.yaml").questionnaire
    assert is_for(questionnaire.step("for-b"), {"many": ["a", "b"]})
    assert not is_for(questionnaire.step("for-b"), {"many": ["a"]})
    assert is_for(questionnaire.step("for-low"), {"score": 2})
    assert not is_for(questionnaire.step("for-low"), {"score": 5})


BASE = """id: q
title: Q
steps:
  - id: pick
    type: single-choice
    title: Pick
    options:
      - {id: a, label: A}
      - {id: b, label: B}
  - id: words
    type: short-text
    title: Words
  - id: follow
    type: short-text
    title: Follow
    show_if:
      step: pick
      any_of: [a]
"""


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("step: pick", "step: later"), 17, "'later', which is not a step in this questionnaire"),
        (("step: pick", "step: words"), 17, "'words', which is not a choice or rating step"),
        (("any_of: [a]", "any_of: [a, c]"), 18, "'c' is not an answer to 'pick'"),
    ],
)
def test_skip_logic_errors_name_the_line(change, line, words):
    report = check(BASE.replace(*change), "skip.yaml")
    (error,) = report.errors
    assert (error.line, error.step) == (line, "follow"), str(error)
    assert words in error.message


def test_skip_logic_may_only_look_back():
    text = BASE + "  - id: last\n    type: single-choice\n    title: Last\n    options:\n"
    text += "      - {id: x, label: X}\n      - {id: y, label: Y}\n"
    report = check(text.replace("step: pick", "step: last"), "skip.yaml")
    (error,) = report.errors
    assert "'last', which comes later" in error.message
    assert "earlier ones: pick" in error.message


def test_a_live_round_follows_each_persons_choice_both_ways(app):
    setup = make_setup(app, email="lee@example.org", questionnaire="start-where-you-are")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    amira.post_form(f"{amira_page}/steps/way-in", {"answer": "place"})
    bo.post_form(f"{bo_page}/steps/way-in", {"answer": "issue"})
    command(facilitator, setup, "next")  # place-name: for Amira only

    soup = BeautifulSoup(amira.get(amira_page).get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(strip=True) == "Which place will your map cover?"
    soup = BeautifulSoup(bo.get(bo_page).get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(strip=True) == "Nothing to answer here"
    assert "gave a different answer earlier" in soup.select_one("#now").get_text()
    refused = bo.post_form(f"{bo_page}/steps/place-name", {"answer": "Brent"})
    assert "not for you" in bo.get(refused.headers["Location"]).get_data(as_text=True)

    amira.post_form(f"{amira_page}/steps/place-name", {"answer": "Greenwich"})
    live = BeautifulSoup(
        facilitator.get(f"/rounds/{setup.round_id}/live").get_data(as_text=True), "html.parser"
    )
    assert "1 of 1 answered" in live.get_text()
    assert "1 person skips this question" in live.get_text()
    people = [li.get_text(" ", strip=True) for li in live.select(".people__row")]
    assert people == [
        "Amira here answered Remove Amira Their data Amira",
        "Bo here skips this Remove Bo Their data Bo",
    ]

    # Bo changes his mind: the place questions are now for him, and the issue ones are not.
    bo.post_form(f"{bo_page}/steps/way-in", {"answer": "place"})
    soup = BeautifulSoup(bo.get(bo_page).get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(strip=True) == "Which place will your map cover?"
    for _ in range(3):
        command(facilitator, setup, "next")  # issue-name, skipped by both
    soup = BeautifulSoup(bo.get(bo_page).get_data(as_text=True), "html.parser")
    transcript = [h3.get_text(" ", strip=True) for h3 in soup.select(".turn h3")]
    assert transcript == [
        "Question 1 Where do you want to start?",
        "Question 2 Which place will your map cover?",
        "Question 3 Which groups in that place do you know well?",
    ]
