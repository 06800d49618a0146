"""Checking submitted answers against their step, and tallying them."""

import pytest

from facilitation.answers import AnswerRejected, Problem, answer_labels, check_answer, tally
from questionnaires.loader import load_all

LIBRARY = load_all()
LAYERS = LIBRARY["network-layers"].questionnaire
CHECK_IN = LIBRARY["check-in"].questionnaire


def step(questionnaire, step_id):
    return questionnaire.step(step_id)


def rejected(step_, values) -> Problem:
    with pytest.raises(AnswerRejected) as error:
        check_answer(step_, values)
    return error.value.problem


def test_single_choice_takes_one_known_option():
    joining = step(LAYERS, "joining-from")
    assert check_answer(joining, ["online-at-home"]) == "online-at-home"
    assert rejected(joining, []) is Problem.CHOOSE_ONE
    assert rejected(joining, ["  "]) is Problem.CHOOSE_ONE
    assert rejected(joining, ["elsewhere"]) is Problem.UNKNOWN_OPTION
    assert rejected(joining, ["in-the-room", "online-at-home"]) is Problem.UNKNOWN_OPTION


def test_multiple_choice_keeps_questionnaire_order_without_repeats():
    layers = step(LAYERS, "layers")
    assert check_answer(layers, ["aspirational", "offline", "offline"]) == [
        "offline",
        "aspirational",
    ]
    assert rejected(layers, []) is Problem.CHOOSE_AT_LEAST_ONE
    assert rejected(layers, ["offline", "made-up"]) is Problem.UNKNOWN_OPTION


def test_optional_steps_can_be_skipped():
    assert check_answer(step(CHECK_IN, "needs"), []) is None
    assert check_answer(step(LAYERS, "gaps"), [""]) is None


def test_text_is_trimmed_and_limited():
    ally = step(LAYERS, "closest-ally")
    assert check_answer(ally, ["  Inclusion London "]) == "Inclusion London"
    assert rejected(ally, [""]) is Problem.ENTER_TEXT
    assert rejected(ally, ["x" * 201]) is Problem.TOO_LONG
    assert check_answer(ally, ["x" * 200]) == "x" * 200


def test_rating_takes_a_whole_number_in_range():
    connected = step(LAYERS, "connected")
    assert check_answer(connected, ["3"]) == 3
    for bad in (["0"], ["6"], ["three"], ["2.5"], ["1", "2"]):
        assert rejected(connected, bad) is Problem.CHOOSE_NUMBER
    assert rejected(connected, []) is Problem.CHOOSE_NUMBER


def test_information_takes_no_answer():
    assert rejected(step(LAYERS, "welcome"), ["anything"]) is Problem.NO_ANSWER_NEEDED


def test_labels_show_answers_in_the_words_people_chose():
    assert answer_labels(step(LAYERS, "layers"), ["offline", "online"]) == [
        "People and groups I meet face to face",
        "People and groups I reach online",
    ]
    assert answer_labels(step(LAYERS, "connected"), 4) == ["4"]
    assert answer_labels(step(LAYERS, "gaps"), None) == []


def test_tally_counts_every_option_in_order_and_ignores_skips():
    support = step(LAYERS, "support")
    result = tally(support, ["time", "trust", "time", None])
    assert result.answered == 3
    assert result.counts == (
        ("More time", 2),
        ("Help with skills, like social media", 0),
        ("Introductions to the right people", 0),
        ("A safe place to meet and share", 1),
    )
    scale = tally(step(LAYERS, "connected"), [5, 5, 1])
    assert scale.counts == (("1", 1), ("2", 0), ("3", 0), ("4", 0), ("5", 2))
    texts = tally(step(LAYERS, "closest-ally"), ["Mencap", "HEAR"])
    assert texts.texts == ("Mencap", "HEAR")


def test_invisible_control_characters_are_dropped_but_line_breaks_kept():
    gaps = step(LAYERS, "gaps")
    assert check_answer(gaps, ["Deaf-led groups\x00\r\nYoung carers\x1b"]) == (
        "Deaf-led groups\r\nYoung carers"
    )
    assert check_answer(step(LAYERS, "connected"), ["\x004"]) == 4
    assert rejected(step(LAYERS, "closest-ally"), ["\x00\x07"]) is Problem.ENTER_TEXT
