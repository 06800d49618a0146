"""A participant's display and reading choices: kept for the round, applied to every page."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.conftest import command, join, make_setup, sign_in


def page_of(client, url: str) -> BeautifulSoup:
    return BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")


def test_choices_are_kept_for_the_round_and_shape_every_participant_page(app):
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(facilitator, setup, "start")
    link = page_of(amira, amira_page).select_one(".round-name a")
    assert link["href"] == f"{amira_page}/preferences"
    choices = {"larger_text": "y", "high_contrast": "y", "easy_read": "y", "read_aloud": "y"}
    saved = amira.post_form(link["href"], choices)
    assert saved.status_code == 302
    page = page_of(amira, amira_page)
    assert set(page.body["class"]) == {
        "pref-larger-text",
        "pref-high-contrast",
        "pref-easy-read",
        "pref-read-aloud",
    }
    # Easy Read: the welcome step's simpler text, where the questionnaire gives one.
    assert "First you say who you know." in page.select_one("#now").get_text()
    assert page.select_one("#read-aloud")["data-read"] == "Read the question aloud"
    assert page_of(amira, f"{amira_page}/preferences").select_one("#easy_read").has_attr("checked")
    # Bo chose nothing: his pages are as they were.
    bo_view = page_of(bo, bo_page)
    assert not bo_view.body.get("class") and bo_view.select_one("#read-aloud") is None
    assert "Then we will join them up" in bo_view.select_one("#now").get_text()
    # Choices are taken back as easily.
    amira.post_form(link["href"], {})
    assert not page_of(amira, amira_page).body.get("class")
