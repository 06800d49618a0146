"""The questionnaire loader and the built-in library."""

from pathlib import Path

import pytest

from questionnaires.loader import QuestionnaireError, load_all, parse

VALID = """
id: tiny
title: Tiny
steps:
  - id: hello
    type: information
    title: Hello
"""


def test_the_library_loads_with_readable_ids():
    library = load_all()
    assert {"network-layers", "check-in"} <= set(library)
    layers = library["network-layers"].questionnaire
    kinds = {s.type for s in layers.steps}
    assert kinds == {
        "information",
        "single-choice",
        "multiple-choice",
        "short-text",
        "long-text",
        "rating-scale",
    }
    assert len(library["check-in"].questionnaire.steps) == 3


def test_every_built_in_question_is_short_and_plain():
    # Plain language: short titles and options (a fuller readability check is issue 3's).
    for loaded in load_all().values():
        for step in loaded.questionnaire.steps:
            assert len(step.title.split()) <= 15, step.title
            for option in getattr(step, "options", []):
                assert len(option.label.split()) <= 12, option.label


def test_a_minimal_questionnaire_parses():
    questionnaire = parse(VALID)
    assert questionnaire.id == "tiny"
    assert questionnaire.position("hello") == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("- just a list", "expected a questionnaire"),
        (VALID.replace("type: information", "type: dance"), "steps.0"),
        (VALID.replace("id: tiny", "id: Not A Slug"), "id"),
        (VALID + "  - id: hello\n    type: information\n    title: Again\n", "two steps"),
        (VALID.replace("title: Tiny", "title: Tiny\nsurprise: 1"), "surprise"),
    ],
)
def test_bad_files_are_refused_in_plain_words(text, words):
    with pytest.raises(QuestionnaireError) as error:
        parse(text, "broken.yaml")
    assert "broken.yaml" in str(error.value)
    assert words in str(error.value)


def test_two_files_with_one_id_are_refused(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(VALID)
    (tmp_path / "b.yaml").write_text(VALID)
    with pytest.raises(QuestionnaireError, match="also used"):
        load_all([tmp_path])


def test_questions_are_numbered_among_questions():
    layers = load_all()["network-layers"].questionnaire
    assert layers.question_count == 7
    assert layers.question_number("welcome") is None
    assert layers.question_number("joining-from") == 1
    assert layers.question_number("support") == 7
    with pytest.raises(ValueError):
        layers.question_number("no-such-step")
