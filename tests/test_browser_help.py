"""A help request in real browsers: a participant without JavaScript asks, by keyboard; it
reaches a supporter's live console; the supporter marks it handled; the participant sees so.
axe-core checks every new page state."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser import (
    DESKTOP,
    AxeAudit,
    browsers,
    keys,
    keys_to_new_page,
    served_app,
    sign_in_as,
    small_targets,
    tab_to,
    wait_until,
)
from tests.conftest import PASSWORD, command, make_app, make_setup, sign_in
from workshop.rounds import team
from workshop.store.db import session_scope
from workshop.store.models import Round
from workshop.web.accounts import create_facilitator

pytestmark = pytest.mark.browser


def text_of(driver, selector: str) -> str:
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText : ''", selector
    )


def test_a_help_request_without_javascript_reaches_a_supporters_console(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        create_facilitator(db, "alex@example.org", "Alex Lee", PASSWORD, "Deaf Access Cymru")
        team.invite(db, db.get(Round, setup.round_id), setup.facilitator_id, "alex@example.org")
    lead = app.test_client()
    sign_in(lead, setup.email)
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    wanted = [("ben", (360, 800), False), ("alex", DESKTOP, True)]
    with (
        served_app(database_url, tmp_path / "server.log") as server,
        browsers(tmp_path, wanted) as (ben, alex),
    ):
        # Alex, the supporter, signs in and opens the console.
        sign_in_as(alex, server.url, "alex@example.org", PASSWORD)
        alex.get(f"{server.url}/rounds/{setup.round_id}")
        wait_until(alex, lambda d: d.execute_script("return !!window.io"), 5, "scripts loaded")
        assert "Nobody has asked for help." in text_of(alex, "#console-live")
        audit.check(alex, "supporter's console")

        # Ben joins without JavaScript; the round starts.
        ben.get(f"{server.url}/j/{setup.join_token}")
        tab_to(ben, "#display_name")
        keys(ben, "Ben")
        tab_to(ben, "input[type=checkbox]")
        keys(ben, Keys.SPACE)
        tab_to(ben, "form button[type=submit]", limit=40)
        keys_to_new_page(ben, Keys.ENTER)
        command(lead, setup, "start")
        ben.refresh()
        assert "Run by Sam Jones, Inclusion Works, with Alex Lee." in text_of(ben, ".room-bar")
        audit.check(ben, "participant page with the help button (no JavaScript)")
        assert not small_targets(ben)

        # He asks for help with the keyboard: Tab to the button, Enter.
        tab_to(ben, "#help-ask button", limit=40)
        keys_to_new_page(ben, Keys.ENTER)
        assert "We have told the facilitators." in text_of(ben, "main")
        assert "You asked for help at" in text_of(ben, "#help-status")
        audit.check(ben, "help asked (no JavaScript)")

        # It reaches Alex's console by itself, without a reload.
        wait_until(
            alex,
            lambda d: "Help requests: 1 waiting" in text_of(d, "#help-title"),
            5,
            "the request on the console",
        )
        assert text_of(alex, "#console-live .item-list").startswith("Ben\nasked at")
        audit.check(alex, "supporter's console with a help request")
        tab_to(alex, "#console-live form[action*='/help/'] button", limit=60)
        keys_to_new_page(alex, Keys.ENTER)
        assert "handled by Alex Lee" in text_of(alex, "#console-live .item-list")

        # Ben's next page says someone is coming.
        ben.refresh()
        assert text_of(ben, "#help-status") == (
            "A facilitator has seen your request and will help you."
        )
        audit.check(ben, "help handled (no JavaScript)")

        alex.get(f"{server.url}/rounds/{setup.round_id}/team")
        audit.check(alex, "the team page, as a supporter")
    assert not audit.violations
