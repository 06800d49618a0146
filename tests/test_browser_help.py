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
from tests.conftest import PASSWORD, command, make_app, make_setup, on_team, sign_in
from tests.test_browser_map import Client
from workshop.store.db import session_scope
from workshop.web.accounts import create_facilitator

pytestmark = pytest.mark.browser


def text_of(driver, selector: str) -> str:
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText : ''", selector
    )


def focused_words(driver) -> str:
    return driver.execute_script("return document.activeElement.textContent.trim()")


class Participant(Client):
    """A participant over plain HTTP (forms posted as a browser posts them)."""

    def join(self, join_token: str, name: str) -> None:
        self.path = self.post(
            f"/j/{join_token}", self.get(f"/j/{join_token}"), display_name=name, agree="y"
        )

    def ask_for_help(self) -> None:
        self.post(f"{self.path}/help", self.get(self.path))


def test_a_help_request_without_javascript_reaches_a_supporters_console(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        create_facilitator(db, "alex@example.org", "Alex Lee", PASSWORD, "Deaf Access Cymru")
        on_team(db, setup.round_id, setup.facilitator_id, "alex@example.org")
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
        landmark = "main, aside, nav, header, footer, [role=region]"
        assert ben.execute_script(
            f"return !!document.getElementById('help-ask').closest('{landmark}')"
        )
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
        # ... and is said aloud, politely, as the heading says it (WCAG 4.1.3).
        wait_until(
            alex,
            lambda d: text_of(d, "#announcer") == "Help requests: 1 waiting",
            5,
            "the request announced",
        )
        audit.check(alex, "supporter's console with a help request")

        # Focus stays on the control Alex is on when the panel refreshes, whether a link
        # or a button without an id (WCAG 2.4.3): Carla joins, then asks for help too.
        tab_to(alex, "#console-live .console-links a", "Who runs this round", limit=80)
        carla = Participant(server.url)
        carla.join(setup.join_token, "Carla")
        wait_until(alex, lambda d: "Carla" in text_of(d, ".people"), 5, "Carla on the console")
        assert focused_words(alex) == "Who runs this round"
        tab_to(alex, "#console-live form[action*='/help/'] button", "Ben", backwards=True)
        carla.ask_for_help()
        wait_until(alex, lambda d: "2 waiting" in text_of(d, "#help-title"), 5, "Carla's request")
        assert focused_words(alex) == "Mark as handled Ben"
        wait_until(
            alex,
            lambda d: text_of(d, "#announcer") == "Help requests: 2 waiting",
            5,
            "the second request announced",
        )
        keys_to_new_page(alex, Keys.ENTER)
        assert "handled by Alex Lee" in text_of(alex, "#console-live .item-list")
        # The page lands on the help heading, and focus with it.
        assert focused_words(alex) == "Help requests: 1 waiting"

        # Ben's next page says someone is coming.
        ben.refresh()
        assert text_of(ben, "#help-status") == (
            "A facilitator has seen your request and will help you."
        )
        audit.check(ben, "help handled (no JavaScript)")

        alex.get(f"{server.url}/rounds/{setup.round_id}/team")
        audit.check(alex, "the team page, as a supporter")
    assert not audit.violations
