"""Display and reading choices in a real browser: high contrast and larger text pass axe."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser import AxeAudit, horizontal_overflow, served_app, start_chromium, wait_until
from tests.conftest import command, make_app, make_setup, sign_in

pytestmark = pytest.mark.browser


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
            driver.get(f"{server.url}/j/{setup.join_token}")
            driver.find_element(By.ID, "display_name").send_keys("Amira")
            driver.find_element(By.CSS_SELECTOR, "label[for=agree]").click()
            driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
            wait_until(driver, lambda d: "/p/" in d.current_url, 10, "the conversation page")
            page = driver.current_url.split("#")[0]
            driver.get(f"{page}/preferences")
            audit.check(driver, "preferences")
            for name in ("larger_text", "high_contrast", "easy_read", "read_aloud"):
                driver.find_element(By.CSS_SELECTOR, f"label[for={name}]").click()
            driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
            wait_until(
                driver,
                lambda d: (
                    "pref-high-contrast"
                    in d.find_element(By.TAG_NAME, "body").get_attribute("class")
                ),
                10,
                "the choices applied",
            )
            for step in ("welcome", "face-to-face"):
                command(facilitator, setup, "start" if step == "welcome" else "next")
                driver.get(page)
                audit.check(driver, f"{step}, high contrast and larger text")
                assert not horizontal_overflow(driver), step
            assert driver.find_element(By.CSS_SELECTOR, "#read-aloud button").is_displayed()
            driver.get(f"{page}/preferences")
            audit.check(driver, "preferences, high contrast")
        finally:
            driver.quit()
    assert not audit.violations
