"""Network steps in real browsers, by keyboard alone: naming people and groups, then connecting
them, with and without JavaScript.

A round of the built-in `map-your-network` questionnaire on the real `roundtable serve`. Amira
(JavaScript on, a 360 px phone) and Ben (JavaScript off, desktop) use only keys: Tab and
Shift+Tab to move, typing into the focused field, arrow keys in radio groups and selects,
Space and Enter to press. Nothing is clicked and no value is set by script. axe-core checks
every state of the pages they see, and the database must hold what they added.

Set ROUNDTABLE_SCREENSHOTS=/some/folder to keep screenshots at 360 px and 1280 px.
"""

from __future__ import annotations

import os
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from flask import Flask
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from sqlmodel import select

from tests.browser import (
    DESKTOP,
    AxeAudit,
    Server,
    browsers,
    focus_description,
    focus_is_visible,
    horizontal_overflow,
    keys,
    keys_to_new_page,
    save_screenshot,
    served_app,
    tab_to,
    wait_until,
)
from tests.conftest import PASSWORD, Setup, make_app, make_setup
from tests.test_browser import assert_error_state, heading, text_of
from workshop.store.db import session_scope
from workshop.store.models import Actor, Participant, Tie

pytestmark = pytest.mark.browser

PHONE_360 = (360, 800)
LIVE_SECONDS = 2.0
SHOTS = (
    Path(os.environ["ROUNDTABLE_SCREENSHOTS"]) if os.environ.get("ROUNDTABLE_SCREENSHOTS") else None
)
NAME_STEP = "Who do you meet face to face?"
CONNECT_STEP = "Who works with whom?"


# --- fixtures: the served round, a facilitator over plain HTTP, two browsers, one audit -----


@dataclass
class Workshop:
    server: Server
    setup: Setup
    app: Flask  # on the same database: for reading what was stored


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workshop]:
    folder = tmp_path_factory.mktemp("browser-network")
    database_url = f"sqlite:///{folder / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    app.extensions["roundtable.engine"].dispose()
    with served_app(database_url, folder / "server.log") as running:
        yield Workshop(running, setup, app)
        print(f"server log (end):\n{running.log_tail()}")


class Facilitator:
    """The facilitator's commands, posted to the real server as the console's form does.
    (The console itself is tested in test_browser.py; here it only moves the round on.)"""

    def __init__(self, workshop: Workshop) -> None:
        self.url = workshop.server.url
        self.round_id = workshop.setup.round_id
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self._get("/sign-in")
        self._post("/sign-in", page, email=workshop.setup.email, password=PASSWORD)

    def _get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=10) as response:
            return response.read().decode()

    def _post(self, path: str, page: str, **fields: str) -> str:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        with self.opener.open(self.url + path, data, timeout=10) as response:
            return response.read().decode()

    def command(self, name: str) -> None:
        console = f"/rounds/{self.round_id}"
        self._post(f"{console}/command", self._get(console), command=name)


@dataclass
class People:
    amira: WebDriver  # a 360 px phone, JavaScript on
    ben: WebDriver  # desktop, JavaScript off


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Iterator[People]:
    profiles = tmp_path_factory.mktemp("network-profiles")
    wanted = [("amira", PHONE_360, True), ("ben", DESKTOP, False)]
    with browsers(profiles, wanted) as drivers:
        yield People(*drivers)


@pytest.fixture(scope="module")
def audit() -> AxeAudit:
    return AxeAudit()


# --- keyboard steps, as a person would take them --------------------------------------------


def tab_and_type(driver: WebDriver, field_id: str, text: str, backwards: bool = False) -> None:
    field = tab_to(driver, f"#{field_id}", backwards=backwards)
    assert focus_is_visible(driver), f"no visible focus on #{field_id}"
    keys(driver, text)
    assert field.get_attribute("value") == text


def choose_kind(driver: WebDriver, arrows: list[str], expected: str) -> None:
    """Tab into the kind radios (focus lands on the first when none is chosen), then move with
    the arrow keys, which choose as they move; Space chooses the first without moving."""
    first = tab_to(driver, "input[name=kind]")
    assert first.get_attribute("id") == "kind", focus_description(driver)
    assert focus_is_visible(driver), "no visible focus on the first kind"
    keys(driver, *(arrows or [Keys.SPACE]))
    checked = driver.find_element(By.CSS_SELECTOR, "input[name=kind]:checked")
    assert checked == driver.switch_to.active_element
    label = driver.find_element(By.CSS_SELECTOR, f"label[for={checked.get_attribute('id')}]")
    assert label.text == expected, label.text


def choose_from_list(driver: WebDriver, field_id: str, pressed: list[str], expected: str) -> None:
    """Tab to a select and choose with arrow keys or by typing the first letters, as on a
    closed list (no pop-up)."""
    tab_to(driver, f"select#{field_id}")
    assert focus_is_visible(driver), f"no visible focus on #{field_id}"
    keys(driver, *pressed)
    chosen = driver.execute_script(
        "var s = document.getElementById(arguments[0]); return s.options[s.selectedIndex].text",
        field_id,
    )
    assert chosen == expected, f"#{field_id} shows {chosen!r}, not {expected!r}"


def press_button(driver: WebDriver, words: str, key: str = Keys.ENTER) -> None:
    """Tab to a button by its words and press it with Enter (or Space); wait for the page."""
    tab_to(driver, "button", words)
    assert focus_is_visible(driver), f"no visible focus on the {words!r} button"
    keys_to_new_page(driver, key)


def add_name(driver: WebDriver, name: str, arrows: list[str], kind: str) -> None:
    tab_and_type(driver, "name", name)
    choose_kind(driver, arrows, kind)
    press_button(driver, "Add to my list")


def your_list(driver: WebDriver) -> list[str]:
    """The names (or connections) in "Your list", read as a screen reader would hear them."""
    return driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('.item-list__label'),"
        " function (e) { return e.textContent.trim(); })"
    )


def shows_list(driver: WebDriver, expected: list[str]) -> None:
    assert your_list(driver) == expected
    if expected:
        assert f"Your list ({len(expected)})" in text_of(driver, "main")
    buttons = driver.find_elements(By.CSS_SELECTOR, ".item-list__remove button")
    assert [b.get_attribute("textContent").strip() for b in buttons] == [
        f"Remove {item}" for item in expected
    ]


def check_for_next(ben: WebDriver, title: str) -> None:
    """Without JavaScript, Ben asks for the open question with the button, by keyboard."""
    press_button(ben, "Check for the next question")
    assert heading(ben) == title


def follows_to(amira: WebDriver, title: str) -> None:
    wait_until(amira, lambda d: title in text_of(d, "#now"), LIVE_SECONDS, f"{title!r} in place")


def notice(driver: WebDriver) -> str:
    return text_of(driver, "#now > .notice, main > .notice")


def shots(driver: WebDriver, name: str) -> None:
    """The page at 360 px and at 1280 px (a JavaScript page), back to 360 px after."""
    if SHOTS is None:
        return
    save_screenshot(driver, SHOTS, f"{name}-phone-360")
    driver.set_window_size(*DESKTOP)
    save_screenshot(driver, SHOTS, f"{name}-desktop-1280")
    driver.set_window_size(*PHONE_360)


def fits_360(driver: WebDriver) -> None:
    """Nothing wider than a 360 px window (less its scroll bar, which phones draw over)."""
    assert driver.execute_script("return window.innerWidth") == 360
    assert not horizontal_overflow(driver), horizontal_overflow(driver)


def join(driver: WebDriver, url: str, name: str) -> None:
    driver.get(url)
    if name:
        tab_and_type(driver, "display_name", name)
    tab_to(driver, "input[type=checkbox]")
    keys(driver, Keys.SPACE)
    press_button(driver, "Join the session")
    assert heading(driver) == "You are in. Please wait for the start."


# --- the round ------------------------------------------------------------------------------


def test_name_and_connect_by_keyboard_with_and_without_javascript(
    workshop: Workshop, people: People, audit: AxeAudit
) -> None:
    started = time.monotonic()
    amira, ben = people.amira, people.ben
    facilitator = Facilitator(workshop)
    join_url = f"{workshop.server.url}/j/{workshop.setup.join_token}"
    join(amira, join_url, "Amira")
    join(ben, join_url, "Ben")
    assert ben.execute_script("return !!window.Roundtable") is False, "JavaScript should be off"

    facilitator.command("start")  # the welcome: information only
    facilitator.command("next")  # "face-to-face": name actors
    follows_to(amira, NAME_STEP)

    # Ben, without JavaScript, first presses "Add to my list" with nothing written.
    check_for_next(ben, NAME_STEP)
    audit.check(ben, "name step, empty (no JavaScript)")
    press_button(ben, "Add to my list")
    assert_error_state(ben, "Write a name", javascript=False)
    audit.check(ben, "name step, no name written (no JavaScript)")
    add_name(ben, "Disability Wales", [Keys.DOWN, Keys.UP], "An organisation")
    assert "Added “Disability Wales” to your list." in notice(ben)
    shows_list(ben, ["Disability Wales"])
    add_name(ben, "Local food bank", [Keys.DOWN], "A group or network")
    shows_list(ben, ["Disability Wales", "Local food bank"])
    audit.check(ben, "name step, two names (no JavaScript)")

    # Amira's page was drawn before Ben named anyone: using the name field fetches the
    # names given since (issue 15: the list stayed empty until the page was reloaded).
    amira.find_element(By.ID, "name").click()
    wait_until(
        amira,
        lambda d: (
            [
                o.get_attribute("value")
                for o in d.find_elements(By.CSS_SELECTOR, "datalist#known-names option")
            ]
            == ["Disability Wales", "Local food bank"]
        ),
        5,
        "the names Ben gave, offered on her open page",
    )
    # Amira (phone, JavaScript) also presses Add first; focus goes to the error summary.
    audit.check(amira, "name step, empty")
    fits_360(amira)
    press_button(amira, "Add to my list")
    assert_error_state(amira, "Write a name")
    audit.check(amira, "name step, no name written")
    save_screenshot(amira, SHOTS, "name-actors-error-phone-360")
    # From the summary, its link takes her to the field.
    tab_to(amira, ".error-summary a", "Write a name")
    keys(amira, Keys.ENTER)
    wait_until(amira, lambda d: d.switch_to.active_element.get_attribute("id") == "name")
    # Ben's name is offered as a suggestion; she writes it her own way, and chooses a kind.
    known = amira.find_elements(By.CSS_SELECTOR, "datalist#known-names option")
    assert [o.get_attribute("value") for o in known] == ["Disability Wales", "Local food bank"]
    assert amira.find_element(By.ID, "name").get_attribute("list") == "known-names"
    keys(amira, "disability wales")
    choose_kind(amira, [Keys.DOWN, Keys.DOWN], "A person or a role")
    press_button(amira, "Add to my list")
    # One actor for the round: the name as Ben wrote it, and the kind he chose.
    assert notice(amira) == (
        "Added “Disability Wales”. Someone else named them already, as: An organisation."
    )
    shows_list(amira, ["Disability Wales"])
    audit.check(amira, "name step, one name")
    add_name(amira, "Ward officer", [Keys.DOWN, Keys.DOWN], "A person or a role")
    shows_list(amira, ["Disability Wales", "Ward officer"])
    audit.check(amira, "name step, two names")
    fits_360(amira)
    shots(amira, "name-actors-two-names")

    # A third name, then she takes it off again: Shift+Tab back up to its Remove button.
    add_name(amira, "Brent Mencap", [], "An organisation")
    shows_list(amira, ["Disability Wales", "Ward officer", "Brent Mencap"])
    tab_to(amira, "#name")
    tab_to(amira, "button[name=remove]", "Remove Brent Mencap", backwards=True)
    assert focus_is_visible(amira), "no visible focus on Remove"
    keys_to_new_page(amira, Keys.SPACE)
    assert notice(amira) == "Removed “Brent Mencap” from your list."
    shows_list(amira, ["Disability Wales", "Ward officer"])
    audit.check(amira, "name step, one removed")

    with workshop.app.app_context(), session_scope() as db:
        who = {p.display_name: p.id for p in db.exec(select(Participant))}
        actors = db.exec(select(Actor).where(Actor.round_id == workshop.setup.round_id))
        stored = sorted((a.name, a.kind, a.added_by, a.step_id, a.layer) for a in actors)
    assert stored == [
        ("Disability Wales", "organisation", who["Ben"], "face-to-face", "offline"),
        ("Local food bank", "group", who["Ben"], "face-to-face", "offline"),
        ("Ward officer", "person", who["Amira"], "face-to-face", "offline"),
    ]  # and Brent Mencap, named by nobody now, is gone

    for _ in range(3):  # online, would-like-to-know, then "key-allies": connect actors
        facilitator.command("next")
    follows_to(amira, CONNECT_STEP)
    audit.check(amira, "connect step, nothing yet")
    fits_360(amira)

    # Amira: "Ward officer is an ally of Disability Wales". She types the first letter of
    # a name in one list and uses the arrow keys in the other.
    choose_from_list(amira, "source", ["w"], "Ward officer")
    choose_kind(amira, [Keys.DOWN], "Is an ally of")
    choose_from_list(amira, "target", [Keys.DOWN], "Disability Wales")
    press_button(amira, "Add connection")
    assert notice(amira) == "Added: Ward officer is an ally of Disability Wales."
    shows_list(amira, ["Ward officer is an ally of Disability Wales"])
    audit.check(amira, "connect step, one connection")
    fits_360(amira)
    shots(amira, "connect-actors-one-connection")

    # Ben first forgets to choose who, then connects two names.
    check_for_next(ben, CONNECT_STEP)
    audit.check(ben, "connect step, nothing yet (no JavaScript)")
    press_button(ben, "Add connection")
    assert_error_state(ben, "Choose who", javascript=False)
    audit.check(ben, "connect step, nobody chosen (no JavaScript)")
    save_screenshot(ben, SHOTS, "connect-actors-error-desktop-1280")
    choose_from_list(ben, "source", ["l"], "Local food bank")
    choose_kind(ben, [], "Works with")
    choose_from_list(ben, "target", [Keys.DOWN, Keys.DOWN, Keys.DOWN], "Ward officer")
    press_button(ben, "Add connection")
    shows_list(ben, ["Local food bank works with Ward officer"])
    audit.check(ben, "connect step, one connection (no JavaScript)")

    with workshop.app.app_context(), session_scope() as db:
        names = {a.id: a.name for a in db.exec(select(Actor))}
        ties = db.exec(select(Tie).where(Tie.round_id == workshop.setup.round_id))
        stored = sorted(
            (names[t.source_id], t.kind, names[t.target_id], t.added_by, t.step_id) for t in ties
        )
    assert stored == [
        ("Local food bank", "works-with", "Ward officer", who["Ben"], "key-allies"),
        ("Ward officer", "ally", "Disability Wales", who["Amira"], "key-allies"),
    ]

    # The group moves on: Amira's page follows by itself. Her lists were left at
    # "Choose a name", which is no unsaved answer to keep her back for.
    facilitator.command("next")
    follows_to(amira, "How much can each one change things?")
    assert not amira.find_elements(By.ID, "moved-on")

    assert not audit.violations
    print(
        f"\naxe-core {audit.version}: 0 violations on {len(audit.pages)} pages "
        f"({audit.seconds:.1f} s of {time.monotonic() - started:.1f} s)"
    )
    for page, rules in audit.incomplete.items():
        if rules:
            print(f"  needs review on {page}: {', '.join(rules)}")
