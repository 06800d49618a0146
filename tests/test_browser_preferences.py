"""Display and reading choices in a real browser: high contrast and larger text pass axe;
Easy Read shows its pictures; read aloud speaks each text in its own language."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser import (
    AxeAudit,
    horizontal_overflow,
    join_as,
    served_app,
    start_chromium,
    wait_until,
)
from tests.conftest import command, make_app, make_setup, sign_in

pytestmark = pytest.mark.browser


def footer_font_size(driver) -> float:
    footer = driver.find_element(By.CSS_SELECTOR, ".site-footer p")
    return float(footer.value_of_css_property("font-size").removesuffix("px"))


def test_high_contrast_larger_text_and_easy_read_pass_axe(tmp_path) -> None:
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    audit = AxeAudit()
    with served_app(database_url, tmp_path / "server.log") as server:
        driver = start_chromium(tmp_path / "profile", (360, 800))
        try:
            page = join_as(driver, f"{server.url}/j/{setup.join_token}", "Amira")
            driver.get(f"{page}/preferences")
            audit.check(driver, "preferences")
            footer_size = footer_font_size(driver)
            for name in ("larger_text", "high_contrast", "easy_read", "read_aloud"):
                driver.find_element(By.CSS_SELECTOR, f"label[for={name}]").click()
            driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            wait_until(
                driver,
                lambda d: (
                    "pref-high-contrast"
                    in d.find_element(By.TAG_NAME, "body").get_attribute("class")
                ),
                10,
                "the choices applied",
            )
            # Larger text is larger everywhere, the footer's links too.
            assert footer_font_size(driver) >= footer_size * 1.2, footer_size
            for step in ("welcome", "face-to-face"):
                command(facilitator, setup, "start" if step == "welcome" else "next")
                driver.get(page)
                audit.check(driver, f"{step}, high contrast and larger text")
                assert not horizontal_overflow(driver), step
            # Easy Read: the step's picture beside the question.
            picture = driver.find_element(By.CSS_SELECTOR, "#now img.easy-read-picture")
            assert picture.get_attribute("alt") == "" and picture.size["width"] == 96
            assert driver.execute_script("return arguments[0].naturalWidth", picture) > 0
            # Read aloud, on a Polish page where the question has no Polish: each part is
            # spoken in its own language (the browser's speech is recorded, not played).
            driver.get(f"{server.url}/language/pl?next={page.split(server.url)[1]}")
            driver.execute_script(
                "window.spoken = [];"
                "speechSynthesis.speak = function (u) { spoken.push([u.lang, u.text]); };"
            )
            driver.find_element(By.CSS_SELECTOR, "#read-aloud button").click()
            spoken = driver.execute_script("return window.spoken")
            assert spoken[0] == ["en", "Who do you meet face to face?"], spoken
            assert ["pl", "Nazwa"] in spoken, spoken  # the form's own words are Polish
            driver.get(f"{page}/preferences")
            audit.check(driver, "preferences, high contrast")
        finally:
            driver.quit()
    assert not audit.violations
