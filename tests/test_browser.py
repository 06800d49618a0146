"""A whole round in real browsers: a facilitator and two participants, one without JavaScript.

Headless Chromium (Debian's chromium and chromedriver) against the real `roundtable serve`.
axe-core 4.x from npm checks every page each person sees, error states included, for
WCAG 2.0, 2.1 and 2.2 A/AA. With JavaScript on, the participant's page must follow the
facilitator in place: no reload, a polite announcement, and focus left where it was.

Set ROUNDTABLE_SCREENSHOTS=/some/folder to keep screenshots at phone and desktop widths.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from tests.browser import (
    DESKTOP,
    PHONE,
    AxeAudit,
    Server,
    browsers,
    horizontal_overflow,
    page_text,
    save_screenshot,
    served_app,
    wait_until,
)
from workshop.app import create_app
from workshop.store.db import session_scope
from workshop.web.accounts import create_facilitator

# Never skipped: ./scripts/test installs Chromium and the npm assets, so a missing tool
# is a set-up fault and should fail loudly.
pytestmark = pytest.mark.browser

EMAIL = "sam@example.org"
PASSWORD = "correct horse battery"
LIVE_SECONDS = 2.0  # how soon a JavaScript page must follow the facilitator
SHOTS = (
    Path(os.environ["ROUNDTABLE_SCREENSHOTS"]) if os.environ.get("ROUNDTABLE_SCREENSHOTS") else None
)

QUESTIONS = [
    "How are you feeling today?",
    "Is there anything that would help you take part?",
    "What do you hope to get from today?",
]


# --- fixtures: one server, one browser per person, one axe audit, for the whole module ------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{folder / 'roundtable.db'}"
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "setup", "TESTING": True})
    with app.app_context(), session_scope() as db:
        create_facilitator(db, EMAIL, "Sam Jones", PASSWORD, "Inclusion Works")
    app.extensions["roundtable.engine"].dispose()
    with served_app(database_url, folder / "server.log") as running:
        yield running
        print(f"server log (end):\n{running.log_tail()}")


@dataclass
class People:
    facilitator: WebDriver  # desktop, JavaScript on
    amira: WebDriver  # phone, JavaScript on
    ben: WebDriver  # desktop, JavaScript off


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Iterator[People]:
    profiles = tmp_path_factory.mktemp("profiles")
    wanted = [("facilitator", DESKTOP, True), ("amira", PHONE, True), ("ben", DESKTOP, False)]
    with browsers(profiles, wanted) as drivers:
        yield People(*drivers)


@pytest.fixture(scope="module")
def audit() -> AxeAudit:
    return AxeAudit()


# --- small actions, as a person would do them -----------------------------------------------


def loaded(driver: WebDriver) -> None:
    wait_until(
        driver,
        lambda d: d.execute_script("return document.readyState") == "complete",
        what="the page to load",
    )


def open_page(driver: WebDriver, url: str) -> None:
    driver.get(url)
    loaded(driver)


def press(driver: WebDriver, element: WebElement) -> None:
    """Click something that loads a new page, and wait for that page."""
    driver.execute_script("window.leavingThisPage = true")  # a new page has a new window
    element.click()
    wait_until(
        driver,
        lambda d: d.execute_script(
            "return !window.leavingThisPage && document.readyState === 'complete'"
        ),
        10,
        f"a new page after the click on {driver.title!r}",
        ignore_all=True,
    )


def button(driver: WebDriver, words: str) -> WebElement:
    return driver.find_element(By.XPATH, f"//button[normalize-space()={words!r}]")


def fill(driver: WebDriver, field_id: str, text: str) -> None:
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


def choose(driver: WebDriver, label: str) -> None:
    """Tick a choice by its label's words, as a person clicking the words would."""
    driver.find_element(By.XPATH, f"//label[normalize-space()={label!r}]").click()


def choose_rating(driver: WebDriver, number: int) -> None:
    # The scale's radios are stretched, transparent, over their labels: use the keyboard.
    first = driver.find_element(By.CSS_SELECTOR, "input.scale__input")
    driver.execute_script("arguments[0].focus()", first)
    first.send_keys(" ")
    for _ in range(number - 1):
        driver.switch_to.active_element.send_keys("\ue014")  # ArrowRight
    checked = driver.find_element(By.CSS_SELECTOR, "input.scale__input:checked")
    assert checked.get_attribute("value") == str(number)


def heading(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def assert_error_state(driver: WebDriver, message: str, javascript: bool = True) -> None:
    """The GOV.UK error pattern: "Error:" title, a summary linking to the field, inline words."""
    assert driver.title.startswith("Error: "), driver.title
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "There is a problem" in summary.text
    link = summary.find_element(By.TAG_NAME, "a")
    assert message in link.text, link.text
    target = link.get_attribute("href").split("#", 1)[1]
    assert driver.find_elements(By.ID, target), f"the summary links to #{target}, not on the page"
    inline = driver.find_element(By.CSS_SELECTOR, ".error-message")
    assert message in inline.text
    if javascript:
        focused = driver.execute_script("return document.activeElement")
        assert focused == summary, "focus should move to the error summary"


def text_of(driver: WebDriver, selector: str) -> str:
    """Visible text, read in one go: live pages swap elements between two driver calls."""
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.innerText : ''", selector
    )


def now_text(driver: WebDriver) -> str:
    return text_of(driver, "#now")


# --- the round ------------------------------------------------------------------------------


def test_three_step_round_with_and_without_javascript(
    server: Server, people: People, audit: AxeAudit
) -> None:
    started = time.monotonic()
    delays: list[float] = []  # from the facilitator's press to the new step on Amira's phone
    url = server.url
    fac, amira, ben = people.facilitator, people.amira, people.ben

    # The facilitator signs in (a wrong password first) and sets up a round through the pages.
    open_page(fac, f"{url}/sign-in")
    audit.check(fac, "sign-in")
    fill(fac, "email", EMAIL)
    fill(fac, "password", "not the password")
    press(fac, button(fac, "Sign in"))
    assert_error_state(fac, "The email address or password is not right")
    audit.check(fac, "sign-in, wrong password")
    fill(fac, "password", PASSWORD)
    press(fac, button(fac, "Sign in"))
    assert heading(fac) == "Your projects"
    audit.check(fac, "projects, none yet")

    press(fac, button(fac, "Create project"))
    assert_error_state(fac, "Enter a name for the project")
    audit.check(fac, "projects, no name")
    fill(fac, "name", "Net Equality")
    press(fac, button(fac, "Create project"))
    audit.check(fac, "project")
    fill(fac, "name", "Local maps first")
    press(fac, button(fac, "Add experiment"))
    audit.check(fac, "experiment")
    experiment_url = fac.current_url

    # Before creating the round, the facilitator previews the questionnaire and trips
    # the participants' own check on its first question.
    press(fac, fac.find_element(By.LINK_TEXT, "Preview “Quick check-in”"))
    assert heading(fac) == QUESTIONS[0]
    press(fac, button(fac, "Save answer"))
    assert_error_state(fac, "Choose a number from 1 to 5")
    audit.check(fac, "preview, nothing chosen")
    choose_rating(fac, 3)
    press(fac, button(fac, "Save answer"))
    assert heading(fac) == QUESTIONS[1]
    audit.check(fac, "preview, question 2")
    open_page(fac, experiment_url)
    assert heading(fac) == "Local maps first"
    fac.find_element(By.CSS_SELECTOR, "#questionnaire option[value='check-in']").click()
    fill(fac, "name", "Greenwich, March")
    press(fac, button(fac, "Create round"))
    assert heading(fac) == "Greenwich, March"
    code = fac.find_element(By.CSS_SELECTOR, ".join-code").text
    join_link = fac.find_element(By.CSS_SELECTOR, ".join-link").get_attribute("href")
    console_url = fac.current_url
    console_is_live(fac)
    audit.check(fac, "console, waiting room")
    fac.execute_script("window.sameConsole = true")

    # Amira (phone, JavaScript) mistypes the code, then types it in lower case with spaces.
    open_page(amira, f"{url}/")
    audit.check(amira, "home")
    fill(amira, "code", "ZZZ 999")
    press(amira, button(amira, "Join"))
    assert_error_state(amira, "We could not find a session with that code")
    audit.check(amira, "home, wrong code")
    fill(amira, "code", " ".join(code.lower().replace(" ", "")))
    press(amira, button(amira, "Join"))
    assert heading(amira) == "Join Greenwich, March"
    audit.check(amira, "join")
    fill(amira, "display_name", "Amira")
    press(amira, button(amira, "Join the session"))
    assert_error_state(amira, "Tick the box to join")
    save_screenshot(amira, SHOTS, "join-error-phone-390")
    audit.check(amira, "join, box not ticked")
    choose(amira, "I understand and I want to join")
    press(amira, button(amira, "Join the session"))
    assert heading(amira) == "You are in. Please wait for the start."
    audit.check(amira, "waiting room")
    # Her page follows the round by itself, and says so.
    wait_until(amira, lambda d: "It will appear here by itself." in text_of(d, "#now"))

    # Ben (desktop, no JavaScript) opens the link and joins without a name.
    open_page(ben, join_link)
    assert ben.execute_script("return !!window.Roundtable") is False, "JavaScript should be off"
    audit.check(ben, "join (no JavaScript)")
    choose(ben, "I understand and I want to join")
    press(ben, button(ben, "Join the session"))
    assert heading(ben) == "You are in. Please wait for the start."
    audit.check(ben, "waiting room (no JavaScript)")
    # The join link again on Ben's device asks whether it is still him (a shared tablet).
    open_page(ben, join_link)
    assert heading(ben).startswith("Are you Participant ")
    audit.check(ben, "join link again (no JavaScript)")
    press(ben, ben.find_element(By.CSS_SELECTOR, "main a.button"))
    assert heading(ben) == "You are in. Please wait for the start."

    wait_until(
        fac,
        lambda d: "of 2 joined" in text_of(d, "#people-title"),
        what="the console to list both people",
    )

    # Question 1 (rating scale, required). Ben first tries to save without choosing.
    ready_for_live_update(amira)
    pressed = command(fac, "Start")
    delays.append(follows_in_place(amira, pressed, QUESTIONS[0], "Question 1 of 3 is open"))
    assert amira.title.startswith(QUESTIONS[0])
    console_follows(fac, 1)
    audit.check(amira, "question 1")
    choose_rating(amira, 4)
    press(amira, button(amira, "Save answer"))
    assert "Your answer is saved." in page_text(amira)
    audit.check(amira, "question 1, saved")

    check_for_next(ben, 1)
    audit.check(ben, "question 1 (no JavaScript)")
    press(ben, button(ben, "Save answer"))
    assert_error_state(ben, "Choose", javascript=False)
    save_screenshot(ben, SHOTS, "participant-error-desktop-1280")
    audit.check(ben, "question 1, nothing chosen (no JavaScript)")
    choose_rating(ben, 2)
    press(ben, button(ben, "Save answer"))
    assert "Your answer is saved." in page_text(ben)
    audit.check(ben, "question 1, saved (no JavaScript)")

    wait_until(
        fac,
        lambda d: "2 of 2 answered" in text_of(d, "#console-live"),
        what="the console to count both answers",
    )
    audit.check(fac, "console, question 1 answered")

    # Question 2 (several choices, optional). Ben skips it.
    ready_for_live_update(amira)
    pressed = command(fac, "Next")
    delays.append(follows_in_place(amira, pressed, QUESTIONS[1], "Question 2 of 3 is open"))
    assert amira.title.startswith(QUESTIONS[1])
    console_follows(fac, 2)
    audit.check(amira, "question 2")
    save_screenshot(amira, SHOTS, "participant-phone-390")
    amira.set_window_size(320, PHONE[1])
    assert not horizontal_overflow(amira), horizontal_overflow(amira)
    save_screenshot(amira, SHOTS, "participant-phone-320")
    amira.set_window_size(*PHONE)
    # Amira ticks a box but has not saved when the facilitator moves on: her choice stays,
    # she is told the group moved on, and saving late keeps her answer.
    choose(amira, "Captions or written notes")

    check_for_next(ben, 2)
    save_screenshot(ben, SHOTS, "participant-desktop-1280")
    audit.check(ben, "question 2 (no JavaScript)")
    press(ben, button(ben, "Save answer"))
    assert "You skipped this question." in now_text(ben)
    audit.check(ben, "question 2, skipped (no JavaScript)")

    ready_for_live_update(amira)
    command(fac, "Next")
    console_follows(fac, 3)
    wait_until(
        amira,
        lambda d: "moved the group on" in text_of(d, "#moved-on"),
        LIVE_SECONDS,
        "the moved-on notice",
    )
    assert heading(amira) == QUESTIONS[1], "an unsaved answer was replaced"
    assert amira.find_element(By.CSS_SELECTOR, "input[value=captions]").is_selected()
    wait_until(
        amira,
        lambda d: "Question 3 of 3 is open" in text_of(d, "#announcer"),
        LIVE_SECONDS,
        "the announcement of question 3",
    )
    audit.check(amira, "question 2 kept with its unsaved answer")
    press(amira, button(amira, "Save answer"))
    assert heading(amira) == QUESTIONS[2]
    assert "Captions or written notes" in text_of(amira, "#turn-needs")
    assert "Your answer is saved." in text_of(amira, "#turn-needs")
    audit.check(amira, "question 3, earlier answers above")
    fill(amira, "answer", "Meet people who work on housing")
    press(amira, button(amira, "Save answer"))
    audit.check(amira, "question 3, saved")

    check_for_next(ben, 3)
    fill(ben, "answer", "Ideas for our next campaign")
    press(ben, button(ben, "Save answer"))
    assert "Ideas for our next campaign" in now_text(ben)
    audit.check(ben, "question 3, saved (no JavaScript)")

    wait_until(
        fac,
        lambda d: "Ideas for our next campaign" in text_of(d, "#console-live"),
        what="the console to show Ben's words",
    )
    audit.check(fac, "console, question 3 answered")
    save_screenshot(fac, SHOTS, "console-desktop-1280")
    fac.set_window_size(*PHONE)
    save_screenshot(fac, SHOTS, "console-phone-390")
    fac.set_window_size(320, PHONE[1])
    assert not horizontal_overflow(fac), horizontal_overflow(fac)
    fac.set_window_size(*DESKTOP)

    # The facilitator ends the round, through the confirmation page.
    ready_for_live_update(amira)
    press(fac, fac.find_element(By.ID, "command-end"))
    assert heading(fac) == "End Greenwich, March?"
    audit.check(fac, "confirm end")
    press(fac, button(fac, "End the round"))
    pressed = time.monotonic()
    assert fac.current_url == console_url
    assert "Ended" in text_of(fac, "#state-title")
    audit.check(fac, "console, ended")

    amira_ended = "Thank you. The session has ended."
    delays.append(follows_in_place(amira, pressed, amira_ended, "The session has ended"))
    audit.check(amira, "ended")

    press(ben, button(ben, "Check for the next question"))
    assert heading(ben) == amira_ended
    audit.check(ben, "ended (no JavaScript)")
    open_page(ben, f"{url}/")
    fill(ben, "code", code)
    press(ben, button(ben, "Join"))
    assert heading(ben) == "This session has ended"
    audit.check(ben, "home, code of an ended round (no JavaScript)")

    assert not audit.violations
    print(
        f"\naxe-core {audit.version}: 0 violations on {len(audit.pages)} pages "
        f"({audit.seconds:.1f} s of {time.monotonic() - started:.1f} s); live updates "
        f"reached the phone in {', '.join(f'{delay:.2f}' for delay in delays)} s"
    )
    for page, rules in audit.incomplete.items():
        if rules:
            print(f"  needs review on {page}: {', '.join(rules)}")


# --- the live parts -------------------------------------------------------------------------


def console_is_live(fac: WebDriver) -> None:
    """Wait until the console's socket watches the round (it then fetches its live panel)."""
    wait_until(
        fac,
        lambda d: d.execute_script(
            "return performance.getEntriesByType('resource')"
            ".some(function (e) { return /\\/rounds\\/\\d+\\/live$/.test(e.name); })"
        ),
        what="the console to connect",
    )


def command(fac: WebDriver, words: str) -> float:
    """Press a console button (it goes over the socket); returns when it was pressed."""
    # The panel is replaced whenever someone comes, goes or answers: find the button afresh.
    wait_until(
        fac,
        lambda d: (
            d.find_element(By.XPATH, f"//button[normalize-space()={words!r}]").click() or True
        ),
        what=f"to press {words}",
    )
    return time.monotonic()


def console_follows(fac: WebDriver, step: int) -> None:
    """The console's live panel shows the open question, changed in place."""
    wait_until(
        fac,
        lambda d: (
            d.execute_script(
                "var live = document.getElementById('console-live');"
                "return [live.dataset.status, live.dataset.step]"
            )
            == ["running", str(step)]
        ),
        what=f"the console to show question {step}",
    )
    assert fac.execute_script("return window.sameConsole === true"), "the console was reloaded"
    assert f"step {step} of 3" in text_of(fac, "#state-title")
    assert QUESTIONS[step - 1] in text_of(fac, "#console-live")


def ready_for_live_update(amira: WebDriver) -> None:
    """Mark the page (a reload would lose the mark) and note where focus is, as left by use:
    after saving an answer it is on the open question's region (the #now the save lands on)."""
    amira.execute_script(
        "window.samePage = true;"
        "window.focusedBefore = document.activeElement;"
        "window.focusedBeforeId = document.activeElement.id;"
    )


def follows_in_place(amira: WebDriver, pressed: float, expected: str, announced: str) -> float:
    """Amira's page shows what the facilitator opened without a reload, says so politely,
    and leaves focus where it was. Returns how long it took after the button was pressed."""
    left = LIVE_SECONDS - (time.monotonic() - pressed)
    wait_until(amira, lambda d: expected in now_text(d), max(left, 0.1), f"{expected!r} in place")
    took = time.monotonic() - pressed
    assert amira.execute_script("return window.samePage === true"), "the page was reloaded"
    # Focus stays put: on the same element, or on its replacement with the same id.
    assert amira.execute_script(
        "return document.activeElement === window.focusedBefore ||"
        " (window.focusedBeforeId !== '' && document.activeElement.id === window.focusedBeforeId)"
    ), "a live update moved focus"
    left = LIVE_SECONDS - (time.monotonic() - pressed)
    wait_until(
        amira,
        lambda d: announced in text_of(d, "#announcer"),
        max(left, 0.1),
        f"the live region to say {announced!r}",
    )
    return took


def check_for_next(ben: WebDriver, step: int) -> None:
    """Without JavaScript, Ben reloads with the button and lands on the open question."""
    press(ben, button(ben, "Check for the next question"))
    assert ben.current_url.endswith("#now"), ben.current_url
    assert ben.switch_to.active_element.get_attribute("id") == "now"
    assert re.search(rf"Question {step} of 3", now_text(ben)), now_text(ben)
    assert heading(ben) == QUESTIONS[step - 1]
