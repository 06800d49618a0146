"""The questionnaire loader and the built-in library."""

import json
from pathlib import Path

import pytest

from questionnaires.loader import QuestionnaireError, check, load_all, parse
from questionnaires.schema import STEP_TYPES, Questionnaire

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


# One case per kind of error: (file text, the line it names, the step it names, words).
BAD = [
    ("id: [unclosed", 1, None, "this is not valid YAML"),
    ("- just a list", 1, None, "expected a questionnaire"),
    (VALID.replace("type: information", "type: dance"), 6, "hello", "'dance' is not a step type"),
    (VALID.replace("id: tiny", "id: Not A Slug"), 2, None, "'Not A Slug' is not a readable id"),
    (VALID.replace("title: Tiny", "title: Tiny\nsurprise: 1"), 4, None, "'surprise' is not"),
    (VALID.replace("    title: Hello\n", ""), 5, "hello", "'title' is missing"),
    (VALID.replace("title: Tiny", "title: ''"), 3, None, "'title' is empty"),
    (VALID.replace("id: hello", "id: yes"), 5, None, "YAML reads yes, no, on and off as true"),
    (VALID + "  - id: hello\n    type: information\n    title: Again\n", 8, "hello", "used twice"),
    (
        VALID + "  - id: pick\n    type: single-choice\n    title: Pick\n    options:\n"
        "      - id: a\n        label: A\n",
        11,
        "pick",
        "'options' needs at least 2 entries",
    ),
    (
        VALID + "  - id: pick\n    type: single-choice\n    title: Pick\n    options:\n"
        "      - id: a\n        label: A\n      - id: a\n        label: B\n",
        14,
        "pick",
        "the option id 'a' is used twice",
    ),
]


@pytest.mark.parametrize(("text", "line", "step", "words"), BAD)
def test_each_kind_of_error_names_its_file_line_and_step(text, line, step, words):
    report = check(text, "broken.yaml")
    assert report.questionnaire is None
    (error,) = report.errors
    assert (error.file, error.line, error.step) == ("broken.yaml", line, step), str(error)
    assert words in error.message, str(error)
    with pytest.raises(QuestionnaireError) as raised:
        parse(text, "broken.yaml")
    assert str(error) in str(raised.value)


def test_hard_to_read_text_is_a_warning_with_its_line():
    text = VALID.replace(
        "    title: Hello\n",
        "    title: Hello\n    text: >-\n      Participants are encouraged to collaboratively "
        "conceptualise organisational interdependencies and institutional relationships "
        "throughout the metropolitan voluntary sector landscape.\n",
    )
    report = check(text, "wordy.yaml")
    assert report.errors == ()
    assert report.questionnaire is not None  # warnings never stop a round
    messages = [str(w) for w in report.warnings]
    assert any("wordy.yaml, line 8, step 'hello': a sentence of 17 words" in m for m in messages)
    assert any("may be hard to read (reading ease" in m for m in messages)


def test_every_built_in_questionnaire_reads_plainly():
    for loaded in load_all().values():
        report = check(loaded.source, loaded.path.name)
        assert report.errors == ()
        assert [str(w) for w in report.warnings] == []


def test_the_json_schema_round_trips():
    schema = Questionnaire.model_json_schema()
    assert schema["title"] == "Questionnaire"
    step_types = {
        option["properties"]["type"]["const"]
        for option in schema["$defs"].values()
        if "type" in option.get("properties", {})
    }
    assert step_types == set(STEP_TYPES)
    for loaded in load_all().values():
        data = loaded.questionnaire.model_dump(mode="json")
        assert Questionnaire.model_validate(data) == loaded.questionnaire
        assert Questionnaire.model_validate_json(json.dumps(data)) == loaded.questionnaire


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


def test_a_codebook_names_actor_kinds_tie_kinds_and_layers_in_plain_words():
    layers = load_all()["network-layers"].questionnaire
    codebook = layers.codebook
    assert [t.id for t in codebook.actor_kinds] == ["organisation", "group", "person", "campaign"]
    assert [t.id for t in codebook.tie_kinds] == [
        "works-with",
        "ally",
        "funds",
        "would-like-to-know",
    ]
    assert [t.id for t in codebook.layers] == ["offline", "online", "aspirational"]
    assert all(t.label for t in (*codebook.actor_kinds, *codebook.tie_kinds, *codebook.layers))
    assert load_all()["check-in"].questionnaire.codebook.layers == []  # optional


def test_codebook_terms_listed_twice_are_errors_with_their_line():
    text = VALID.replace(
        "steps:\n",
        "codebook:\n  layers:\n    - {id: online, label: Online}\n"
        "    - {id: online, label: On the internet}\nsteps:\n",
    )
    (error,) = check(text, "codebook.yaml").errors
    assert (error.line, error.step) == (7, None)
    assert "'online' is listed twice in the codebook's layers" in error.message
