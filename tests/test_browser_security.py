"""In Chromium: no page breaks the Content Security Policy (no inline script or style), and
the new pages (your data, deleting it, the lead's data page, the sign-in wait) pass axe at
phone width."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.browser import (
    AxeAudit,
    browsers,
    console_problems,
    horizontal_overflow,
    join_as,
    served_app,
    sign_in_as,
    small_targets,
    wait_until,
)
from tests.conftest import PASSWORD, command, join, make_app, make_setup, sign_in

pytestmark = pytest.mark.browser
PHONE = (320, 720)


def check(audit: AxeAudit, driver, label: str) -> None:
    audit.check(driver, label)
    assert not small_targets(driver), f"{label}: {small_targets(driver)}"
    assert not horizontal_overflow(driver), f"{label}: {horizontal_overflow(driver)}"


def csp_clean(driver, url: str, seen: list[str]) -> None:
    """Open a page, let its scripts run, and fail on any refusal the console reports."""
    console_problems(driver)  # drain what came before
    driver.get(url)
    time.sleep(0.4)  # sockets connect, live parts refresh
    problems = [
        p
        for p in console_problems(driver)
        # An error page's own status (404, 410) is logged as a failed load: that is expected.
        if not re.search(r"status of 4(04|10)", p)
    ]
    assert not problems, f"{url}: {problems}"
    seen.append(url)


def test_no_page_breaks_the_csp_and_the_new_pages_pass_axe(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    ended = make_setup(app, email="kim@example.org")
    lead = app.test_client()
    sign_in(lead, setup.email)
    bo = app.test_client()
    bo_page = join(bo, setup, "Bo")
    kim = app.test_client()
    sign_in(kim, ended.email)
    command(kim, ended, "end")
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    seen: list[str] = []
    with (
        served_app(database_url, tmp_path / "server.log") as server,
        browsers(tmp_path, [("sam", PHONE, True), ("amira", PHONE, True)]) as (sam, amira),
    ):
        base = server.url
        round_ = f"{base}/rounds/{setup.round_id}"
        for url in (f"{base}/", f"{base}/sign-in", f"{base}/accessibility", f"{base}/nowhere"):
            csp_clean(amira, url, seen)
        csp_clean(amira, f"{base}/j/{ended.join_token}", seen)  # the session has ended
        sign_in_as(sam, base, setup.email, PASSWORD)
        amira_page = join_as(amira, f"{base}/j/{setup.join_token}", "Amira")
        command(lead, setup, "start")
        command(lead, setup, "next")  # face-to-face: a network step
        bo.post_form(f"{bo_page}/steps/face-to-face", {"intent": "add", "name": "Age UK",
                                                       "kind": "organisation"})  # fmt: skip
        for url in (
            amira_page,
            f"{amira_page}/steps/face-to-face",
            f"{amira_page}/preferences",
            f"{amira_page}/your-data",
        ):
            csp_clean(amira, url, seen)
        for url in (
            f"{base}/projects",
            f"{base}/experiments/{setup.experiment_id}",
            round_,
            f"{round_}/map",
            f"{round_}/map/projector",
            f"{round_}/team",
            f"{round_}/run-sheet",
            f"{round_}/report",
            f"{round_}/map/import",
            f"{round_}/people/1/data",
        ):
            csp_clean(sam, url, seen)

        # The new pages, at phone width.
        amira.get(f"{amira_page}/your-data")
        check(audit, amira, "your data")
        amira.find_element(By.LINK_TEXT, "Delete everything about me").click()
        wait_until(amira, lambda d: d.current_url.endswith("/your-data/delete"), 10)
        check(audit, amira, "delete everything about you?")
        amira.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        # The heading is read while the form's answer replaces the page: Chromium may then
        # say the node "does not belong to the document" rather than that it is stale.
        wait_until(
            amira,
            lambda d: "is deleted" in d.find_element(By.TAG_NAME, "h1").text,
            10,
            "the page saying it is deleted",
            ignore_all=True,
        )
        assert not console_problems(amira)
        check(audit, amira, "everything about you is deleted")
        sam.get(f"{round_}/people/1/data")  # Bo joined first
        assert sam.find_element(By.TAG_NAME, "h1").text == "Data about Bo"
        check(audit, sam, "the lead's page for a data request")
        sam.find_element(By.XPATH, "//button[text()='Delete everything about them']").click()
        wait_until(sam, lambda d: "/people/" not in d.current_url, 10, "back on the console")
        assert "Everything about that person is deleted." in sam.page_source

        # The sign-in wait, after five wrong tries from this address.
        for _ in range(6):
            amira.get(f"{base}/sign-in")
            amira.find_element(By.ID, "email").send_keys("someone@example.org")
            amira.find_element(By.ID, "password").send_keys("not the password")
            amira.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            wait_until(amira, lambda d: d.title.startswith("Error:"), 10, "the error page")
        assert "Too many tries. Wait 1 minute, then try again." in amira.page_source
        check(audit, amira, "sign in: too many tries")
    assert len(seen) == 19
    assert not audit.violations
