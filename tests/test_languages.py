"""Each person reads the pages, and the questions, in their own language."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string
from flask import session as cookie
from flask_babel import force_locale, format_datetime

from questionnaires.loader import LIBRARY
from tests.conftest import command, join, make_app, make_setup, sign_in
from workshop.web.i18n import CODES, count_words, plural_words

TWO_LANGUAGES = """\
id: two-languages
title: {en: Two languages, cy: Dwy iaith}
version: 1
language: en
languages: [en, cy]
steps:
  - id: mood
    type: single-choice
    title: {en: "How are you today?", cy: "Sut ydych chi heddiw?"}
    picture: smile
    options:
      - {id: good, label: {en: Good, cy: Da}}
      - {id: low, label: {en: Not so good, cy: Ddim yn dda iawn}}
"""


@pytest.fixture
def app(database_url, tmp_path):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "two-languages.yaml").write_text(TWO_LANGUAGES, encoding="utf-8")
    return make_app(database_url, QUESTIONNAIRE_DIRS=[LIBRARY, folder])


def page_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def choose(client, code: str, back_to: str) -> str:
    response = client.get(f"/language/{code}", query_string={"next": back_to})
    assert response.status_code == 302
    return response.headers["Location"]


def test_each_participant_reads_the_questions_in_their_own_language(app):
    setup = make_setup(app, questionnaire="two-languages")
    facilitator, welsh, polish = app.test_client(), app.test_client(), app.test_client()
    sign_in(facilitator, setup.email)
    # The language is chosen on the page where people join, before they join.
    join_page = page_of(welsh, f"/j/{setup.join_token}")
    links = {a["lang"]: a for a in join_page.select(".language-bar a")}
    assert set(links) == set(CODES) - {"en"}
    assert all(a["hreflang"] == code for code, a in links.items())
    assert choose(welsh, "cy", f"/j/{setup.join_token}") == f"/j/{setup.join_token}"
    welsh_page, polish_page = join(welsh, setup, "Eluned"), join(polish, setup, "Kasia")
    choose(polish, "pl", polish_page)
    command(facilitator, setup, "start")

    page = page_of(welsh, welsh_page)
    assert page.html["lang"] == "cy" and page.html["dir"] == "ltr"
    assert page.h1.get_text(strip=True) == "Sut ydych chi heddiw?"
    assert page.h1.find(lang=True) is None  # Welsh on a Welsh page: nothing to mark
    assert page.select_one(".skip-link").get_text() != "Skip to main content"

    # The questionnaire has no Polish: its English shows, marked as English.
    page = page_of(polish, polish_page)
    assert page.html["lang"] == "pl"
    assert page.h1.select_one('span[lang="en"]').get_text() == "How are you today?"
    labels = [label.select_one('span[lang="en"]') for label in page.select(".choice__label")]
    assert [label.get_text() for label in labels] == ["Good", "Not so good"]

    # The facilitator's own pages stay in the language they read.
    console = page_of(facilitator, f"/rounds/{setup.round_id}")
    assert console.html["lang"] == "en"

    # Anyone can change language at any time, and lands on the same page.
    assert choose(welsh, "ar", welsh_page) == welsh_page
    page = page_of(welsh, welsh_page)
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.h1.select_one('span[lang="en"]').get_text() == "How are you today?"
    assert page.select_one('.language-bar [aria-current="true"]')["lang"] == "ar"


def test_easy_read_shows_the_questions_picture(app):
    setup = make_setup(app, questionnaire="two-languages")
    facilitator, reader, other = app.test_client(), app.test_client(), app.test_client()
    sign_in(facilitator, setup.email)
    reader_page, other_page = join(reader, setup, "Ade"), join(other, setup, "Bea")
    command(facilitator, setup, "start")
    reader.post_form(f"{reader_page}/preferences", {"easy_read": "y"})
    picture = page_of(reader, reader_page).select_one("img.easy-read-picture")
    assert picture["alt"] == ""  # the words say it all: the picture only supports them
    assert page_of(other, other_page).select_one("img.easy-read-picture") is None
    response = reader.get(picture["src"])
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert reader.get("/pictures/not-a-picture.svg").status_code == 404


def test_the_language_link_only_leads_back_into_this_site(client):
    assert choose(client, "cy", "//elsewhere.example/phish") == "/"
    assert choose(client, "cy", "https://elsewhere.example/") == "/"
    assert client.get("/language/xx").status_code == 404
    assert page_of(client, "/").html["lang"] == "cy"


def test_the_browser_language_is_the_default_until_someone_chooses(client):
    page = BeautifulSoup(
        client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).data, "html.parser"
    )
    assert page.html["lang"] == "pl"


def test_words_follow_a_language_changed_within_a_request(app):
    # Templates' words come from a catalog kept for the request: changing the language
    # (as sending someone a message in theirs does) must change it too, and back again.
    words = '{{ _("Back") }} / {{ ngettext("%(num)s name", "%(num)s names", 2) }}'
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(words) == "Back / 2 names"
        with force_locale("cy"):
            assert render_template_string(words).startswith("Yn ôl / 2 ")
        assert render_template_string(words) == "Back / 2 names"


def test_numbers_dates_and_plural_words_follow_the_language(app):
    when = datetime(2026, 11, 23, 14, 5)
    with app.test_request_context():
        cookie["language"] = "pl"
        assert "1\xa0234" in count_words("%(num)s name", "%(num)s names", 1234)
    with app.test_request_context():
        cookie["language"] = "cy"
        assert "Tach" in format_datetime(when, "medium")  # "23 Tach 2026"
    with app.test_request_context():
        cookie["language"] = "ar"
        forms = json.loads(plural_words("{count} new connection", "{count} new connections"))
        assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
        assert all("{count}" in forms[c] for c in ("few", "many", "other"))
        assert len(set(forms.values())) > 2  # translated, with Arabic's own forms


def test_the_accessibility_statement_is_linked_from_every_page(client, app):
    statement = page_of(client, "/")
    link = statement.find("a", string="Accessibility statement")
    assert link["href"] == "/accessibility"
    page = page_of(client, "/accessibility")
    headings = [h.get_text(strip=True) for h in page.select("h2, h3")]
    for heading in (
        "How accessible this service is",
        "What to do if you need another format",
        "Reporting accessibility problems",
        "Enforcement procedure",
        "Compliance status",
        "How we tested this service",
    ):
        assert heading in headings
    assert "23 November 2026" in page.get_text()


def test_facilitator_pages_mark_english_questionnaire_texts_in_welsh_and_arabic(app):
    """WCAG 3.1.2: a Welsh or Arabic facilitator page showing the questionnaire's English
    (step titles, answers, kinds) marks it lang="en", as participant pages do."""
    setup = make_setup(app, questionnaire="check-in")
    lead = app.test_client()
    sign_in(lead, setup.email)
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(lead, setup, "start")
    amira.post_form(f"{page}/steps/feeling", {"value": "4"})
    steps = app.extensions["roundtable.questionnaires"]["check-in"].questionnaire.steps
    library = app.extensions["roundtable.questionnaires"].values()
    titles = [str(step.title) for step in steps] + [str(q.questionnaire.title) for q in library]
    round_ = f"/rounds/{setup.round_id}"
    pages = [
        round_,
        f"{round_}/run-sheet",
        f"{round_}/report",
        f"/experiments/{setup.experiment_id}",
    ]
    for code in ("cy", "ar"):
        choose(lead, code, "/")
        for url in pages:
            html = page_of(lead, url)
            shown = [
                text
                for text in html.body.find_all(string=True)
                if any(title in text for title in titles)
            ]
            assert shown, (code, url)
            for text in shown:
                if text.find_parent("select", id="joins"):
                    continue  # "Round name (questionnaire)": an option cannot mark a part
                assert text.find_parent(attrs={"lang": True})["lang"] == "en", (code, url, text)


def test_the_accessibility_statement_says_what_the_drawing_does_by_keyboard(client):
    """The map's key says the drawing moves and zooms by keyboard: the statement agrees."""
    statement = page_of(client, "/accessibility").get_text(" ", strip=True)
    assert "cannot use the drawing of the map with a keyboard" not in statement
    assert "With a keyboard you can move and zoom the drawing of the map" in statement
