"""Every participant page, in every step type, in English, Arabic and Welsh, beyond axe.

Layla joins a round of tests/questionnaires/every-step.yaml (one step of each type) on a
320 px phone and does the whole round with the keyboard only: Tab and Shift+Tab to move,
arrows in radio groups and lists, Space and Enter to press, and typing into fields. Nothing
is clicked and no value is set by script. On every page she sees, the tests check:

- axe-core 4.x finds no WCAG 2.2 A/AA violation;
- nothing scrolls sideways at 320 CSS px (WCAG 1.4.10);
- every control is at least 24 by 24 CSS px, links inside sentences excepted (WCAG 2.5.8);
- Tabbing through the whole page, focus is always visible and never covered (2.4.7, 2.4.11);
- at 200% text size nothing is cut off and nothing scrolls sideways (WCAG 1.4.4);
- the page's own words pass the plain-language check (sentence length in every language;
  reading ease, a formula made for English, in English).

The live region must announce each new step, and changes to the map, without moving focus.
In Arabic the page must be right to left. Set ROUNDTABLE_SCREENSHOTS=/folder for screenshots.
"""

from __future__ import annotations

import os
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import textstat
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from questionnaires.loader import LIBRARY
from questionnaires.readability import hard_to_read, long_sentences
from tests.browser import (
    AxeAudit,
    Server,
    console_problems,
    cut_off,
    horizontal_overflow,
    keys,
    keys_to_new_page,
    save_screenshot,
    served_app,
    small_targets,
    start_chromium,
    tab_to,
    texts_on_page,
    wait_until,
    walk_focus,
)
from tests.conftest import ROOT, Setup, make_app, make_setup
from tests.test_browser_network import Facilitator, Workshop

pytestmark = pytest.mark.browser

QUESTIONNAIRES = ROOT / "tests" / "questionnaires"
PHONE_320 = (320, 720)
LIVE_SECONDS = 3.0
SHOTS = (
    Path(os.environ["ROUNDTABLE_SCREENSHOTS"]) if os.environ.get("ROUNDTABLE_SCREENSHOTS") else None
)
# Two names Layla adds, and one another participant adds while she looks at the map.
NAMES = {
    "en": ("Disability Wales", "Ward officer", "Food bank"),
    "ar": ("جمعية الصم", "مكتب البلدية", "بنك الطعام"),
    # Welsh: the interface in Welsh; this questionnaire has no Welsh, so its English shows,
    # marked as English.
    "cy": ("Anabledd Cymru", "Swyddog y ward", "Banc bwyd"),
}


@pytest.fixture(scope="module")
def workshops(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Workshop]]:
    """One served app; a round of the every-step questionnaire for each language."""
    folder = tmp_path_factory.mktemp("every-step")
    database_url = f"sqlite:///{folder / 'roundtable.db'}"
    app = make_app(database_url, QUESTIONNAIRE_DIRS=[LIBRARY, QUESTIONNAIRES])
    setups = {
        language: make_setup(app, f"{language}@example.org", questionnaire="every-step")
        for language in NAMES
    }
    app.extensions["roundtable.engine"].dispose()
    env = {"ROUNDTABLE_QUESTIONNAIRES": str(QUESTIONNAIRES)}
    with served_app(database_url, folder / "server.log", env=env) as running:
        yield {language: Workshop(running, setup, app) for language, setup in setups.items()}
        print(f"server log (end):\n{running.log_tail()}")


@pytest.fixture
def layla(tmp_path: Path) -> Iterator[WebDriver]:
    driver = start_chromium(tmp_path / "layla", PHONE_320)
    try:
        yield driver
    finally:
        driver.quit()


# --- the checks on every page ---------------------------------------------------------------


def plain_language_problems(blocks: list[str], language: str) -> list[str]:
    """The questionnaire rules for plain language, applied to the page's own words: short
    sentences in every language and, in English, a reading ease for the page as a whole
    (a formula made for running text, which says little of a five-word label)."""
    problems = [message for block in blocks for message in long_sentences(block)]
    if language == "en":
        text = " ".join(b if b[-1] in ".?!:" else b + "." for b in blocks)
        if message := hard_to_read(text):
            hardest = sorted(blocks, key=textstat.flesch_reading_ease)[:4]
            problems.append(f"{message}; hardest: {hardest}")
    return problems


@dataclass
class Checker:
    """Runs every check on each page Layla sees, and keeps a list of what it checked."""

    language: str
    audit: AxeAudit = field(default_factory=AxeAudit)
    pages: list[str] = field(default_factory=list)

    def page(self, driver: WebDriver, label: str) -> None:
        name = f"{label} ({self.language})"
        expected_direction = "rtl" if self.language == "ar" else "ltr"
        assert driver.execute_script("return document.documentElement.dir") == expected_direction
        assert driver.execute_script("return document.documentElement.lang") == self.language
        self.audit.check(driver, name)
        assert not horizontal_overflow(driver), f"{name}: {horizontal_overflow(driver)}"
        assert not small_targets(driver), f"{name}: small targets {small_targets(driver)}"
        assert not (problems := walk_focus(driver)), f"{name}: {problems}"
        words = plain_language_problems(texts_on_page(driver), self.language)
        assert not words, f"{name}: {words}"
        driver.execute_script("document.documentElement.style.fontSize = '200%'")
        try:
            assert not cut_off(driver), f"{name} at 200% text: cut off {cut_off(driver)}"
            overflow = horizontal_overflow(driver)
            assert not overflow, f"{name} at 200% text: {overflow}"
        finally:
            driver.execute_script("document.documentElement.style.fontSize = ''")
        # A form sent with a mistake comes back as 400, an ended session as 410, which the
        # console notes: not faults.
        problems = [p for p in console_problems(driver) if not re.search(r"status of 4(00|10)", p)]
        assert not problems, f"{name}: {problems}"
        save_screenshot(driver, SHOTS, f"every-step-{self.language}-{len(self.pages):02d}")
        self.pages.append(name)


# --- the keyboard, and the live region ------------------------------------------------------


def press(driver: WebDriver, selector: str, key: str = Keys.ENTER) -> None:
    """Tab to a control and press it (Enter or Space), waiting for the page it loads."""
    tab_to(driver, selector, limit=80)
    keys_to_new_page(driver, key)


def type_into(driver: WebDriver, selector: str, text: str) -> None:
    tab_to(driver, selector, limit=80)
    keys(driver, text)


def arrow_to(driver: WebDriver, group: str, presses: int) -> None:
    """Tab into a radio group (focus lands on its first radio) and choose with Down arrows
    (Space chooses the first)."""
    tab_to(driver, f"input[name='{group}']", limit=80)
    keys(driver, *([Keys.DOWN] * presses or [Keys.SPACE]))
    checked = driver.find_elements(By.CSS_SELECTOR, f"input[name='{group}']:checked")
    assert checked and checked[0] == driver.switch_to.active_element


def heading(driver: WebDriver) -> str:
    return driver.execute_script("return document.querySelector('h1').innerText.trim()")


def announced(driver: WebDriver, pattern: str, before) -> str:
    """Wait for the live region to say something matching `pattern`; focus must not move."""
    wait_until(
        driver,
        lambda d: re.search(pattern, d.find_element(By.ID, "announcer").text),
        LIVE_SECONDS,
        f"the live region to say /{pattern}/",
    )
    assert driver.switch_to.active_element == before, "a live update moved focus"
    return driver.find_element(By.ID, "announcer").text


def opens_next(
    driver: WebDriver, facilitator: Facilitator, number: int, total: int, command: str = "next"
) -> None:
    """The facilitator moves on; Layla's page follows and says so ("Question 3 of 10 is
    open"; for a step that is no question, its title), and her focus stays on the "Check
    for the next question" button she left it on."""
    before = tab_to(driver, ".check-next button", limit=80)
    driver.execute_script(
        "window.samePage = true; document.getElementById('announcer').textContent = ''"
    )
    facilitator.command(command)
    said = announced(driver, rf"\b{number}\b.*\b{total}\b" if number else r"\S", before)
    assert driver.execute_script("return window.samePage === true"), "the page reloaded"
    assert said


class OtherParticipant:
    """Someone else in the round, over plain HTTP, who adds a name while Layla watches."""

    def __init__(self, server: Server, setup: Setup) -> None:
        self.url = server.url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        join_path = f"/j/{setup.join_token}"
        with self.opener.open(self.url + join_path, timeout=10) as response:
            page = response.read().decode()
        fields = {"csrf_token": self._token(page), "display_name": "Sam", "agree": "y"}
        with self.opener.open(self.url + join_path, self._form(fields), timeout=10) as response:
            self.page_url = response.url

    @staticmethod
    def _token(page: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    @staticmethod
    def _form(fields: dict[str, str]) -> bytes:
        return urllib.parse.urlencode(fields).encode()

    def add_name(self, step_id: str, name: str) -> None:
        """Go back to an earlier name step, as its Change link does, and add one name."""
        step_url = f"{self.page_url}/steps/{step_id}"
        with self.opener.open(step_url, timeout=10) as response:
            token = self._token(response.read().decode())
        fields = {"csrf_token": token, "intent": "add", "name": name, "kind": "organisation"}
        with self.opener.open(step_url, self._form(fields), timeout=10) as response:
            assert response.status == 200


# --- the round ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar", "cy"])
def test_a_whole_round_by_keyboard_passes_every_check(
    language: str, workshops: dict[str, Workshop], layla: WebDriver
) -> None:
    started = time.monotonic()
    workshop = workshops[language]
    check = Checker(language)
    facilitator = Facilitator(workshop)
    first, second, third = NAMES[language]
    total = 10  # questions (information and map steps are not counted)

    layla.get(workshop.server.url + "/")
    if language != "en":  # she chooses her language first, from the bar at the top
        press(layla, f".language-bar a[lang='{language}']")
    check.page(layla, "enter a code")
    type_into(layla, "#code", workshop.setup.join_code)
    keys_to_new_page(layla, Keys.ENTER)
    check.page(layla, "join")
    type_into(layla, "#display_name", "Layla")
    tab_to(layla, "input[type=checkbox]")
    keys(layla, Keys.SPACE)
    press(layla, "form button[type=submit]")
    check.page(layla, "waiting room")

    # information
    opens_next(layla, facilitator, 0, total, "start")
    check.page(layla, "information step")

    # single choice: first sent with nothing chosen (the error summary takes focus), then
    # chosen with the arrow keys
    opens_next(layla, facilitator, 1, total)
    check.page(layla, "single choice")
    marked = layla.find_elements(By.CSS_SELECTOR, "h1 [lang='en']")
    assert bool(marked) == (language == "cy")  # the questionnaire has English and Arabic
    press(layla, "#now button[type=submit]")
    summary = layla.find_element(By.CSS_SELECTOR, "[data-error-summary]")
    assert layla.switch_to.active_element == summary
    check.page(layla, "single choice, nothing chosen")
    arrow_to(layla, "answer", 1)
    press(layla, "form[data-answer-form] button[type=submit]")
    check.page(layla, "single choice, answered")

    # multiple choice: Space ticks each box
    opens_next(layla, facilitator, 2, total)
    check.page(layla, "multiple choice")
    tab_to(layla, "input[name=answer]")
    keys(layla, Keys.SPACE, Keys.TAB, Keys.TAB, Keys.SPACE)
    press(layla, "#now button[type=submit]")

    # short text: Enter in the field sends it
    opens_next(layla, facilitator, 3, total)
    check.page(layla, "short text")
    type_into(layla, "#answer", "Deaf Access Cymru")
    keys_to_new_page(layla, Keys.ENTER)

    # long text
    opens_next(layla, facilitator, 4, total)
    check.page(layla, "long text")
    type_into(layla, "#answer", "To meet people. To find allies.")
    press(layla, "#now button[type=submit]")

    # rating scale
    opens_next(layla, facilitator, 5, total)
    check.page(layla, "rating scale")
    arrow_to(layla, "answer", 3)
    press(layla, "#now button[type=submit]", Keys.SPACE)

    # name actors: two names, each with its kind
    opens_next(layla, facilitator, 6, total)
    check.page(layla, "name actors, empty")
    for name, presses in ((first, 0), (second, 1)):
        type_into(layla, "#name", name)
        arrow_to(layla, "kind", presses)
        press(layla, "#now form[data-answer-form] button[type=submit]")
    check.page(layla, "name actors, two names")

    # connect actors: choose from the two lists with the arrow keys
    opens_next(layla, facilitator, 7, total)
    check.page(layla, "connect actors")
    tab_to(layla, "select#source", limit=80)
    keys(layla, Keys.DOWN)
    arrow_to(layla, "kind", 0)
    tab_to(layla, "select#target")
    keys(layla, Keys.DOWN, Keys.DOWN)
    press(layla, "#now form[data-answer-form] button[type=submit]")
    check.page(layla, "connect actors, one tie")

    # rate actors, then sort actors: one radio group per name
    for number, label in ((8, "rate actors"), (9, "sort actors")):
        opens_next(layla, facilitator, number, total)
        check.page(layla, label)
        groups = layla.execute_script(
            "return Array.from(new Set(Array.from("
            "document.querySelectorAll('#now input[type=radio]'), i => i.name)))"
        )
        assert len(groups) == 2, groups
        for group in groups:
            arrow_to(layla, group, 1)
        press(layla, "#now button[type=submit]")
        check.page(layla, f"{label}, answered")

    # look at the map: the map page announces what others add, and focus stays put
    opens_next(layla, facilitator, 0, total)
    check.page(layla, "look at the map")
    press(layla, "#now a[href$='/map']")
    wait_until(layla, lambda d: d.execute_script("return !!(window.Roundtable || {}).map"), 5)
    check.page(layla, "the map")
    pause = tab_to(layla, "#map-pause", limit=80)
    OtherParticipant(workshop.server, workshop.setup).add_name("names", third)
    said = announced(layla, r"\S", pause)
    one_new_name = layla.execute_script(
        "return Roundtable.plural(document.getElementById('map-canvas').dataset.newNames, 1)"
    )
    assert said == one_new_name, said  # "1 new name"; in Arabic "اسم جديد واحد"
    press(layla, ".back-link")

    # reflection
    opens_next(layla, facilitator, 10, total)
    check.page(layla, "reflection")
    type_into(layla, "#answer", "We know more people than we thought.")
    press(layla, "#now button[type=submit]")

    # change an earlier answer: its own page
    press(layla, "a.turn__change[href$='/steps/arrive']")
    check.page(layla, "change an answer")
    press(layla, ".back-link")

    # the display and reading choices
    press(layla, ".round-name a")
    check.page(layla, "preferences")
    tab_to(layla, "input[type=checkbox]")
    keys(layla, Keys.SPACE)
    press(layla, "main button[type=submit]")
    check.page(layla, "larger text chosen")

    # the end, then the accessibility statement
    before = tab_to(layla, ".check-next button", limit=80)
    facilitator.command("end")
    announced(layla, r"\S", before)
    check.page(layla, "ended")
    press(layla, ".site-footer a[href='/accessibility']")
    check.page(layla, "accessibility statement")
    layla.get(f"{workshop.server.url}/j/{workshop.setup.join_token}")
    check.page(layla, "joining a session that has ended")

    assert heading(layla)
    assert not check.audit.violations
    print(
        f"\n{language}: {len(check.pages)} pages, every check passed; axe-core "
        f"{check.audit.version} ({check.audit.seconds:.1f} s of "
        f"{time.monotonic() - started:.1f} s)"
    )
