"""Easy Read that is really there: the check's warning, and the built-in library."""

from bs4 import BeautifulSoup

from questionnaires.easy_read import offers_easy_read
from questionnaires.languages import localise
from questionnaires.loader import check, load_all
from tests.conftest import command, join, make_setup, sign_in
from tests.test_questionnaire_commands import run

OFFERS_EASY_READ = """id: croeso
title:
  en: Welcome
  cy: Croeso
language: en
languages: [en, cy]
steps:
  - id: hello
    type: information
    picture: people
    title:
      en: Hello
      cy: Helo
    text:
      en: >-
        We will name the people and groups in our networks. Then we will join them up.
      en-easy: We will say who we know. Then we join the names up.
      cy: >-
        Byddwn ni'n enwi'r bobl a'r grwpiau yn ein rhwydweithiau. Yna byddwn ni'n eu cysylltu.
"""


def easy_read_warnings(text: str) -> list[str]:
    report = check(text, "croeso.yaml")
    assert report.errors == ()
    return [str(w) for w in report.warnings if "Easy Read" in w.message]


def test_a_text_lacking_easy_read_in_one_language_is_a_warning_with_file_line_and_step():
    (warning,) = easy_read_warnings(OFFERS_EASY_READ)
    assert warning.startswith("croeso.yaml, line 14, step 'hello': people who choose Easy Read")
    assert "add cy-easy (short sentences, one idea each" in warning


def test_a_short_text_or_a_questionnaire_without_easy_read_needs_none():
    # "Hello" is one short sentence: Easy Read already.
    given = OFFERS_EASY_READ.replace(
        "      cy: >-\n",
        "      cy-easy: Byddwn ni'n dweud pwy rydyn ni'n eu hadnabod.\n      cy: >-\n",
    )
    assert easy_read_warnings(given) == []
    # No picture and no Easy Read text: choosing Easy Read changes nothing, so nothing is missing.
    plain = OFFERS_EASY_READ.replace("    picture: people\n", "").replace(
        "      en-easy: We will say who we know. Then we join the names up.\n", ""
    )
    assert not offers_easy_read(check(plain).questionnaire)
    assert easy_read_warnings(plain) == []


def test_strict_check_fails_on_a_missing_easy_read_text(tmp_path):
    path = tmp_path / "croeso.yaml"
    path.write_text(OFFERS_EASY_READ)
    assert run("check", str(path), cwd=tmp_path).returncode == 0
    strict = run("check", "--strict", str(path), cwd=tmp_path)
    assert strict.returncode == 1
    assert f"warning: {path}, line 14, step 'hello': people who choose Easy Read" in strict.stdout


def test_every_built_in_questionnaire_offers_easy_read_for_every_text():
    for loaded in load_all().values():
        questionnaire = check(loaded.source).questionnaire  # every language, and the pictures
        assert offers_easy_read(questionnaire), loaded.path.name
        assert easy_read_warnings(loaded.source) == []
        # Choosing Easy Read changes what people read on most steps, in every language.
        for language in questionnaire.provided_languages:
            plain = localise(questionnaire, language)
            easy = localise(questionnaire, language, easy_read=True)
            changed = sum(
                (a.title, a.help, getattr(a, "text", ""))
                != (b.title, b.help, getattr(b, "text", ""))
                or a.picture != b.picture
                for a, b in zip(plain.steps, easy.steps, strict=True)
            )
            assert changed == len(questionnaire.steps), (loaded.path.name, language)


def test_a_participant_who_chooses_easy_read_reads_it_in_their_language(app):
    setup = make_setup(app)  # Quick check-in
    facilitator, reader, other = app.test_client(), app.test_client(), app.test_client()
    sign_in(facilitator, setup.email)
    reader_page, other_page = join(reader, setup, "Ade"), join(other, setup, "Bea")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    for client in (reader, other):
        client.get("/language/cy", query_string={"next": reader_page})
    reader.post_form(f"{reader_page}/preferences", {"easy_read": "y"})

    def question(client, page: str) -> str:
        html = client.get(page).get_data(as_text=True)
        return BeautifulSoup(html, "html.parser").select_one("#now h1, #now h2").get_text()

    assert "Beth fyddai'n eich helpu i gymryd rhan?" in question(reader, reader_page)
    assert "Oes unrhyw beth a fyddai'n eich helpu" in question(other, other_page)
