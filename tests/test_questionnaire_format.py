"""The format's cross-references: codebook kinds and layers, and texts in several languages."""

import pytest

from questionnaires.languages import fallback_chain, localise
from questionnaires.loader import check, load_all, snapshot

NETWORK = """id: net
title: Net
codebook:
  actor_kinds:
    - {id: organisation, label: An organisation}
    - {id: person, label: A person}
  tie_kinds:
    - {id: works-with, label: Works with}
    - {id: funds, label: Funds}
  layers:
    - {id: online, label: Online}
steps:
  - id: who
    type: name-actors
    title: Who is in your network?
    actor_kinds: [organisation, person]
    layer: online
  - id: allies
    type: connect-actors
    title: Who works with whom?
    tie_kinds: [works-with, funds]
  - id: sort
    type: sort-actors
    title: Where do they fit?
"""


def only_error(text: str):
    report = check(text, "net.yaml")
    assert report.questionnaire is None
    (error,) = report.errors
    return error


def test_a_network_questionnaire_with_every_reference_known_is_fine():
    report = check(NETWORK, "net.yaml")
    assert report.errors == ()
    assert [s.type for s in report.questionnaire.steps] == [
        "name-actors",
        "connect-actors",
        "sort-actors",
    ]


@pytest.mark.parametrize(
    ("change", "line", "step", "words"),
    [
        (
            ("tie_kinds: [works-with, funds]", "tie_kinds: [works-with, ally]"),
            21,
            "allies",
            "tie kind 'ally' is not in the codebook; known kinds: works-with, funds",
        ),
        (
            ("actor_kinds: [organisation, person]", "actor_kinds: [organisation, campaign]"),
            16,
            "who",
            "actor kind 'campaign' is not in the codebook; known kinds: organisation, person",
        ),
        (
            ("layer: online", "layer: offline"),
            17,
            "who",
            "layer 'offline' is not in the codebook; known layers: online",
        ),
    ],
)
def test_each_unknown_codebook_reference_names_its_line(change, line, step, words):
    error = only_error(NETWORK.replace(*change))
    assert (error.file, error.line, error.step) == ("net.yaml", line, step), str(error)
    assert words in error.message
    assert str(error).startswith(f"net.yaml, line {line}, step '{step}': ")


def test_sorting_into_layers_needs_layers():
    text = NETWORK.replace("  layers:\n    - {id: online, label: Online}\n", "").replace(
        "    layer: online\n", ""
    )
    error = only_error(text)
    assert (error.line, error.step) == (20, "sort")
    assert "sorts actors into the codebook's layers, and it has none" in error.message


def test_naming_actors_needs_actor_kinds_in_the_codebook():
    text = NETWORK.replace(
        "  actor_kinds:\n    - {id: organisation, label: An organisation}\n"
        "    - {id: person, label: A person}\n",
        "",
    ).replace("    actor_kinds: [organisation, person]\n", "")
    error = only_error(text)
    assert (error.line, error.step) == (11, "who")
    assert "needs at least one actor kind, and the codebook has none" in error.message


def test_actor_steps_need_a_name_actors_step_before_them():
    text = NETWORK.replace(
        "  - id: who\n    type: name-actors", "  - id: who\n    type: short-text"
    )
    text = text.replace("    actor_kinds: [organisation, person]\n    layer: online\n", "")
    report = check(text, "net.yaml")
    assert [(e.step, e.line) for e in report.errors] == [("allies", 17), ("sort", 21)]
    assert all("needs a name-actors step before it" in e.message for e in report.errors)


WELSH = """id: croeso
title:
  en: Welcome
  cy: Croeso
language: en
languages: [en, cy]
steps:
  - id: hello
    type: information
    title:
      en: Hello
      cy: Helo
      en-easy: Hi
    text:
      en: We will talk about our network.
      cy: Byddwn yn siarad am ein rhwydwaith.
"""


def test_texts_per_language_and_easy_read_are_chosen_with_fallback():
    questionnaire = check(WELSH, "croeso.yaml").questionnaire
    assert localise(questionnaire, "cy").steps[0].title == "Helo"
    assert localise(questionnaire, "en").steps[0].title == "Hello"
    assert localise(questionnaire, "en", easy_read=True).steps[0].title == "Hi"
    # No Welsh Easy Read version: the Welsh text, never the English Easy Read one.
    assert localise(questionnaire, "cy", easy_read=True).steps[0].title == "Helo"
    # A language the file does not provide: its main language.
    assert localise(questionnaire, "pl").title == "Welcome"
    assert fallback_chain(questionnaire, "pl") == ["en"]
    assert snapshot(WELSH, "cy").title == "Croeso"


def test_a_missing_translation_is_an_error_unless_it_falls_back_explicitly():
    text = WELSH.replace("      cy: Helo\n", "")
    error = only_error(text)
    assert (error.line, error.step) == (10, "hello")
    assert "there is no 'cy' text; add one, or let 'cy' borrow texts" in error.message
    fine = check(text.replace("steps:\n", "fallbacks: {cy: en}\nsteps:\n"), "croeso.yaml")
    assert fine.errors == ()
    assert localise(fine.questionnaire, "cy").steps[0].title == "Hello"
    assert localise(fine.questionnaire, "cy").steps[0].text.startswith("Byddwn")


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (
            ("      cy: Helo\n", "      fr: Bonjour\n"),
            12,
            "'fr' is not one of this questionnaire's",
        ),
        (("      en: Hello\n", ""), 10, "there is no text in the main language 'en'"),
        (("steps:\n", "fallbacks: {cy: de}\nsteps:\n"), 7, "'de' is not in languages (en, cy)"),
    ],
)
def test_each_language_error_names_its_line(change, line, words):
    report = check(WELSH.replace(*change), "croeso.yaml")
    assert report.questionnaire is None
    assert any(e.line == line and words in e.message for e in report.errors), [
        str(e) for e in report.errors
    ]


def test_readability_is_scored_in_english_and_sentence_length_everywhere():
    long_welsh = " ".join(["gair"] * 16) + "."
    text = WELSH.replace("cy: Byddwn yn siarad am ein rhwydwaith.", f"cy: {long_welsh}")
    report = check(text, "croeso.yaml")
    assert report.errors == ()
    (warning,) = report.warnings
    assert (warning.line, warning.step) == (16, "hello")
    assert "a sentence of 16 words" in warning.message


def test_the_built_ins_cover_every_step_type_between_them():
    types = {s.type for loaded in load_all().values() for s in loaded.questionnaire.steps}
    assert types >= {
        "name-actors",
        "connect-actors",
        "rate-actors",
        "sort-actors",
        "look-at-the-map",
        "reflection",
    }


def test_a_tie_kind_may_say_it_goes_one_way_and_an_actor_kind_may_not():
    one_way = NETWORK.replace(
        "{id: funds, label: Funds}", "{id: funds, label: Funds, directed: true}"
    )
    kinds = check(one_way, "net.yaml").questionnaire.codebook.tie_kinds
    assert [(t.id, t.directed) for t in kinds] == [("works-with", False), ("funds", True)]
    wrong = NETWORK.replace(
        "{id: person, label: A person}", "{id: person, label: A person, directed: true}"
    )
    assert "directed" in str(only_error(wrong))


def test_the_built_in_one_way_tie_kinds_say_so():
    kinds = {
        t.id: t.directed
        for loaded in load_all().values()
        for t in loaded.questionnaire.codebook.tie_kinds
    }
    assert kinds["funds"] and kinds["has-influence"] and kinds["would-like-to-know"]
    assert not kinds["works-with"] and not kinds["ally"] and not kinds["knows"]
