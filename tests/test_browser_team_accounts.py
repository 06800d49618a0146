"""A team sets itself up in real browsers at 320 px: the first-run page, an invitation made
and copied, taken up without JavaScript, and a forgotten password. axe-core checks every
page state, and nothing is wider than the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser import (
    AxeAudit,
    browsers,
    console_problems,
    horizontal_overflow,
    keys_to_new_page,
    served_app,
    small_targets,
    wait_until,
)
from tests.conftest import make_app
from workshop.rounds import lifecycle
from workshop.store.db import session_scope
from workshop.store.models import Experiment, Project

pytestmark = pytest.mark.browser
PHONE = (320, 720)
PASSWORD = "a long new password"


def text_of(driver, selector: str) -> str:
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText : ''", selector
    )


def fill(driver, values: dict[str, str]) -> None:
    for field_id, text in values.items():
        box = driver.find_element("id", field_id)
        box.clear()
        box.send_keys(text)


def submit(driver) -> None:
    """Enter in the box just filled in: the form is sent, as from a keyboard."""
    keys_to_new_page(driver, Keys.ENTER)


def looks_right(driver, audit: AxeAudit, label: str) -> None:
    """No WCAG problem axe finds, nothing wider than the screen, no target too small, and
    no script error or Content Security Policy refusal."""
    audit.check(driver, label)
    assert not horizontal_overflow(driver), (label, horizontal_overflow(driver))
    assert not small_targets(driver), (label, small_targets(driver))
    # A form with a mistake, and a used link, answer 400 and 410 on purpose.
    problems = [m for m in console_problems(driver) if "responded with a status of 4" not in m]
    assert not problems, (label, problems)


def test_a_fresh_install_is_set_up_and_an_invitation_taken_up_at_320_px(tmp_path: Path):
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)  # an empty database at head, as a fresh install has
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    wanted = [("ola", PHONE, True), ("kim", PHONE, False)]
    with (
        served_app(database_url, tmp_path / "server.log") as server,
        browsers(tmp_path, wanted) as (ola, kim),
    ):
        # Ola opens Roundtable for the first time: the set-up page, by keyboard.
        ola.get(f"{server.url}/projects")
        wait_until(ola, lambda d: d.current_url.endswith("/set-up"), 5, "the set-up page")
        looks_right(ola, audit, "set-up")
        fill(ola, {"name": "Ola Nowak", "email": "ola@example.org"})
        fill(ola, {"password": PASSWORD, "again": "not the same words"})
        submit(ola)
        assert "The two passwords are not the same" in text_of(ola, ".error-summary")
        looks_right(ola, audit, "set-up, passwords differ")
        fill(ola, {"password": PASSWORD, "again": PASSWORD})
        submit(ola)
        assert "Roundtable is set up, and you are signed in." in text_of(ola, "main")

        with app.app_context(), session_scope() as db:
            project = Project(owner_id=1, name="Net Equality")
            db.add(project)
            db.commit()
            experiment = Experiment(project_id=project.id, name="Local maps first")
            db.add(experiment)
            db.commit()
            loaded = app.extensions["roundtable.questionnaires"]["check-in"]
            round_id = lifecycle.create_round(db, experiment, loaded, "Greenwich, March").id
        app.extensions["roundtable.engine"].dispose()

        # She invites Kim, who has no account: the link is shown to copy (with a button).
        ola.get(f"{server.url}/rounds/{round_id}/team")
        fill(ola, {"email": "kim@example.org"})
        submit(ola)
        assert "Send this link to kim@example.org" in text_of(ola, "main")
        assert ola.find_element("css selector", "#link + button").text == "Copy the link"
        looks_right(ola, audit, "invitation link made")
        link = ola.find_element("id", "link").get_attribute("value")
        ola.get(f"{server.url}/rounds/{round_id}/team")
        assert "kim@example.org" in text_of(ola, "#invitations")
        looks_right(ola, audit, "team with a pending invitation")

        # Kim, on an old phone without JavaScript, takes it up.
        kim.get(link)
        assert "Ola Nowak invites you to help run this round" in text_of(kim, "main")
        looks_right(kim, audit, "invitation (no JavaScript)")
        fill(kim, {"name": "Kim Patel", "password": PASSWORD, "again": "oops"})
        submit(kim)
        assert "The two passwords are not the same" in text_of(kim, ".error-summary")
        looks_right(kim, audit, "invitation, passwords differ (no JavaScript)")
        fill(kim, {"password": PASSWORD, "again": PASSWORD})
        submit(kim)
        assert kim.current_url.endswith(f"/rounds/{round_id}")
        assert "Welcome. You can now help run Greenwich, March." in text_of(kim, "main")

        kim.get(link)
        assert "It has been used already" in text_of(kim, "main")
        looks_right(kim, audit, "a used link (no JavaScript)")

        # Forgotten passwords: without email, the page says whom to ask, and shows no link.
        kim.get(f"{server.url}/forgot-password")
        looks_right(kim, audit, "forgot your password (no JavaScript)")
        fill(kim, {"email": "kim@example.org"})
        submit(kim)
        assert "Ask the lead of a round you help run" in text_of(kim, "main")
        assert not kim.find_elements("id", "link")
        looks_right(kim, audit, "forgot your password, asked (no JavaScript)")
    assert len(audit.pages) == 9
