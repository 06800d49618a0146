"""Every new facilitation page in Chromium, checked by axe-core (WCAG 2.2) and for target
size and reflow: the run sheet, the time guide, revealed answers, hidden answers, removing
a participant, and what the removed participant then sees."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.browser import (
    DESKTOP,
    AxeAudit,
    browsers,
    horizontal_overflow,
    join_as,
    served_app,
    sign_in_as,
    small_targets,
    wait_until,
)
from tests.conftest import PASSWORD, command, join, make_app, make_setup, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Round

pytestmark = pytest.mark.browser


def check(audit: AxeAudit, driver, label: str) -> None:
    audit.check(driver, label)
    assert not small_targets(driver), f"{label}: {small_targets(driver)}"
    assert not horizontal_overflow(driver), f"{label}: {horizontal_overflow(driver)}"


def test_new_facilitation_pages_pass_axe(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)  # check-in: a rating, choices, a written answer
    lead = app.test_client()
    sign_in(lead, setup.email)
    bo = app.test_client()
    bo_page = join(bo, setup, "Bo")
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    wanted = [("sam", DESKTOP, True), ("amira", (320, 720), True)]
    with (
        served_app(database_url, tmp_path / "server.log") as server,
        browsers(tmp_path, wanted) as (sam, amira),
    ):
        base = server.url
        sign_in_as(sam, base, setup.email, PASSWORD)
        amira_page = join_as(amira, f"{base}/j/{setup.join_token}", "Amira")

        # The run sheet, empty, with a mistake, and saved.
        sam.get(f"{base}/rounds/{setup.round_id}/run-sheet")
        check(audit, sam, "run sheet")
        sam.find_element(By.ID, "minutes-feeling").send_keys("five")
        sam.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_until(sam, lambda d: d.title.startswith("Error:"), 10, "the error page")
        check(audit, sam, "run sheet, a mistake")

        # A time guide, and the group's answers revealed: console and participant.
        command(lead, setup, "start")
        lead.post_form(f"/rounds/{setup.round_id}/timer", {"action": "start", "minutes": "5"})
        bo.post_form(f"{bo_page}/steps/feeling", {"answer": "2"})
        lead.post_form(f"/rounds/{setup.round_id}/steps/feeling/reveal", {"shown": "1"})
        amira.get(amira_page)
        assert amira.find_element(By.CSS_SELECTOR, "[data-time-guide]").is_displayed()
        check(audit, amira, "participant: a time guide and the group's answers")
        amira.get(f"{amira_page}/steps/feeling")
        check(audit, amira, "participant: a step page")
        # Once Amira answers, the group's answers show under hers (in high contrast too).
        amira.find_element(By.CSS_SELECTOR, "input.scale__input[value='4']").click()
        amira.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_until(amira, lambda d: "/steps/" not in d.current_url, 10, "the answer saved")
        assert amira.find_element(By.CSS_SELECTOR, ".group-answers").is_displayed()
        check(audit, amira, "participant: the group's answers under hers")

        # A written answer hidden from the group, on the console.
        command(lead, setup, "next")
        command(lead, setup, "next")
        bo.post_form(f"{bo_page}/steps/hope", {"answer": "Call me on 07700 900123"})
        sam.get(f"{base}/rounds/{setup.round_id}")
        # The console's live panel may be replaced between finding the button and pressing
        # it (it refreshes when its socket connects): find it again until the press lands.
        wait_until(
            sam,
            lambda d: d.find_element(By.CSS_SELECTOR, ".answers__item form button").click() or 1,
            10,
            "the Hide button pressed",
        )
        wait_until(sam, lambda d: d.find_elements(By.CSS_SELECTOR, ".answers__item--hidden"), 10)
        check(audit, sam, "console: a hidden answer, a time guide, the record")

        # Removing Bo: the page, its error, and what Bo sees after.
        sam.get(f"{base}/rounds/{setup.round_id}/people/1/remove")
        check(audit, sam, "remove a participant")
        sam.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_until(sam, lambda d: d.title.startswith("Error:"), 10, "the error page")
        check(audit, sam, "remove a participant, nothing chosen")
        sam.find_element(By.CSS_SELECTOR, "label[for=answers-0]").click()
        sam.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_until(sam, lambda d: "/people/" not in d.current_url, 10, "back on the console")
        amira.get(f"{base}{bo_page}")  # Bo's link, opened anywhere
        assert "You are no longer in this session" in amira.find_element(By.TAG_NAME, "h1").text
        check(audit, amira, "a removed participant's page")
        # A round in people's own time: the form that makes one, and a participant's page.
        sam.get(f"{base}/experiments/{setup.experiment_id}")
        check(audit, sam, "experiment page: live or in people's own time")
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        made = lead.post_form(
            f"/experiments/{setup.experiment_id}",
            {"questionnaire": "check-in", "pace": "self", "closes_on": tomorrow},
        )
        round_id = int(made.headers["Location"].rsplit("/", 1)[1])
        with app.app_context(), session_scope() as db:
            token = db.get(Round, round_id).join_token
        join_as(amira, f"{base}/j/{token}")
        assert amira.find_elements(By.CSS_SELECTOR, "form.pace-form")
        check(audit, amira, "participant: a step in their own time")
        sam.get(f"{base}/rounds/{round_id}")
        check(audit, sam, "console of a round in people's own time")
    assert not audit.violations
