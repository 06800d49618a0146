"""The database failing, as a person in Chromium meets it: the 503 page passes axe-core and
the house checks, and a live page whose socket was refused follows the round again by itself."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By

from tests.browser import (
    AxeAudit,
    browsers,
    horizontal_overflow,
    join_as,
    served_app,
    small_targets,
    wait_until,
)
from tests.conftest import PASSWORD, command, make_app, make_setup, sign_in
from tests.test_browser import QUESTIONS, choose_rating
from tests.test_one_transaction import NOT_SAVED, writes_to
from tests.test_server_restart import csrf

pytestmark = pytest.mark.browser


def steer(url: str, email: str, round_id: int, name: str) -> None:
    """Press a console button on the served app (its sockets tell the pages)."""
    laptop = requests.Session()
    token = csrf(laptop.get(url + "/sign-in", timeout=5).text)
    laptop.post(
        url + "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        timeout=5,
    )
    token = csrf(laptop.get(url, timeout=5).text)
    moved = laptop.post(
        f"{url}/rounds/{round_id}/command",
        data={"command": name, "csrf_token": token},
        allow_redirects=False,
        timeout=5,
    )
    assert moved.status_code == 302


def test_database_errors_in_the_browser(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)  # check-in
    lead = app.test_client()
    sign_in(lead, setup.email)
    command(lead, setup, "start")
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    log = tmp_path / "server.log"
    with (
        served_app(database_url, log) as server,
        browsers(tmp_path, [("amira", (320, 720), True)]) as (amira,),
    ):
        # Amira's page opens while the database refuses to note her connection: the socket
        # is refused, and comes back by itself a few seconds later.
        with writes_to(app, "presence"):
            page = join_as(amira, f"{server.url}/j/{setup.join_token}", "Amira")
            deadline = time.monotonic() + 10
            while "participant connect failed" not in log.read_text() and (
                time.monotonic() < deadline
            ):
                time.sleep(0.1)
            assert "participant connect failed" in log.read_text()
        amira.execute_script("window.samePage = true")
        steer(server.url, setup.email, setup.round_id, "next")
        wait_until(
            amira,
            lambda d: QUESTIONS[1] in d.find_element(By.ID, "now").text,
            20,
            "the page to follow the round again without a reload",
        )
        assert amira.execute_script("return window.samePage === true"), "the page reloaded"

        # Her answer meets the database failing: a plain page, checked like every other.
        amira.get(f"{page}/steps/feeling")
        choose_rating(amira, 4)
        with writes_to(app, "answer"):
            amira.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            wait_until(amira, lambda d: "cannot save" in d.title, 10, "the 503 page")
        assert NOT_SAVED in amira.find_element(By.TAG_NAME, "main").text
        audit.check(amira, "database unavailable (503)")
        assert not small_targets(amira), small_targets(amira)
        assert not horizontal_overflow(amira), horizontal_overflow(amira)

        # Once it works again, the same answer goes in.
        amira.back()
        choose_rating(amira, 4)
        amira.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_until(amira, lambda d: "Your answer is saved." in d.page_source, 10, "saved")
