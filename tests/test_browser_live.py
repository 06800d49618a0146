"""Open pages follow what a facilitator changes: a hidden answer leaves an open participant
page, the measures come and go on an open map, and the console's old confirmations go.

One served app with three rounds, and two browsers: a 320 px phone with JavaScript (pages
change by themselves; a facilitator's console too), and a desktop without (a reload shows
the change). Facilitators and other participants act over
plain HTTP, as a browser would post.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser import (
    DESKTOP,
    Server,
    browsers,
    horizontal_overflow,
    served_app,
    sign_in_as,
    wait_until,
)
from tests.conftest import PASSWORD, Setup, make_app, make_setup
from tests.test_browser import console_is_live, open_page, press, text_of
from tests.test_browser_map import Client
from tests.test_kept_measures import LARGE, fill_map

pytestmark = pytest.mark.browser

PHONE_320 = (320, 640)
LIVE_SECONDS = 5.0  # how soon an open page must show the change
PRIVATE = "Call Bo on 07700 900123"


@dataclass
class Workshop:
    server: Server
    setup: Setup  # a check-in round, with a written answer ("hope")
    map_setup: Setup  # a map round
    console_setup: Setup  # a check-in round, for the console's own test
    large_setup: Setup  # a map round whose map is large: measures in the background
    whole_setup: Setup  # a map round taken from start to end


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workshop]:
    folder = tmp_path_factory.mktemp("browser-live")
    database_url = f"sqlite:///{folder / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)
    map_setup = make_setup(app, "lee@example.org", questionnaire="map-your-network")
    console_setup = make_setup(app, "kim@example.org")
    large_setup = make_setup(app, "ali@example.org", questionnaire="map-your-network")
    fill_map(app, large_setup.round_id, LARGE)
    whole_setup = make_setup(app, "nia@example.org", questionnaire="map-your-network")
    app.extensions["roundtable.engine"].dispose()
    with served_app(database_url, folder / "server.log") as running:
        yield Workshop(running, setup, map_setup, console_setup, large_setup, whole_setup)
        print(f"server log (end):\n{running.log_tail()}")


@dataclass
class People:
    amira: WebDriver  # a 320 px phone, JavaScript on (later, Sam's console on the same phone)
    ben: WebDriver  # desktop, JavaScript off


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Iterator[People]:
    profiles = tmp_path_factory.mktemp("live-profiles")
    wanted = [("amira", PHONE_320, True), ("ben", DESKTOP, False)]
    with browsers(profiles, wanted) as drivers:
        yield People(*drivers)


class Lead(Client):
    """The lead of one round, over HTTP."""

    def __init__(self, workshop: Workshop, setup: Setup) -> None:
        super().__init__(workshop.server.url)
        self.round_id = setup.round_id
        self.post("/sign-in", self.get("/sign-in"), email=setup.email, password=PASSWORD)

    def command(self, name: str) -> None:
        console = f"/rounds/{self.round_id}"
        self.post(f"{console}/command", self.get(console), command=name)

    def form(self, path: str, page: str, **fields: str) -> None:
        self.post(path, self.get(page), **fields)

    def answer_id(self, words: str) -> int:
        """The id of the answer with these words, from the console's hide buttons."""
        console = self.get(f"/rounds/{self.round_id}")
        for item in re.findall(r'<li class="answers__item.*?</li>', console, re.S):
            if words in item:
                return int(re.search(r"/answers/(\d+)/hidden", item).group(1))
        raise AssertionError(f"no answer with {words!r} on the console")


class Person(Client):
    """A participant of one round, over HTTP; `path` is their page."""

    def __init__(self, workshop: Workshop, setup: Setup, name: str) -> None:
        super().__init__(workshop.server.url)
        join = f"/j/{setup.join_token}"
        self.path = self.post(join, self.get(join), display_name=name, agree="y")
        assert self.path.startswith("/p/"), self.path


def mark_page(driver: WebDriver) -> None:
    """A mark a reload would lose."""
    driver.execute_script("window.samePage = true")


def console_is_connected(driver: WebDriver) -> None:
    """Wait until the console has fetched its live panel, whichever step's answers it shows
    (test_browser's console_is_live expects none: its address then ends in /live)."""
    wait_until(
        driver,
        lambda d: d.execute_script(
            "return performance.getEntriesByType('resource')"
            ".some(function (e) { return /\\/rounds\\/\\d+\\/live\\b/.test(e.name); })"
        ),
        what="the console to connect",
    )


def same_page(driver: WebDriver) -> bool:
    return driver.execute_script("return window.samePage === true")


def test_a_hidden_answer_leaves_open_pages(workshop: Workshop, people: People) -> None:
    lead = Lead(workshop, workshop.setup)
    amira = Person(workshop, workshop.setup, "Amira")
    ben = Person(workshop, workshop.setup, "Ben")
    bo = Person(workshop, workshop.setup, "Bo")
    for name in ("start", "next", "next"):  # "hope": a written answer
        lead.command(name)
    for person, words in ((amira, "Step-free access"), (ben, "Good tea"), (bo, PRIVATE)):
        person.post(f"{person.path}/steps/hope", person.get(person.path), answer=words)
    console = f"/rounds/{lead.round_id}"
    lead.form(f"{console}/steps/hope/reveal", console, shown="1")

    open_page(people.amira, workshop.server.url + amira.path)
    open_page(people.ben, workshop.server.url + ben.path)
    for driver in (people.amira, people.ben):
        assert PRIVATE in text_of(driver, ".group-answers")
    mark_page(people.amira)

    hidden = lead.answer_id(PRIVATE)
    lead.form(f"{console}/answers/{hidden}/hidden", console, hidden="1")
    pressed = time.monotonic()

    # With JavaScript, the open page loses the words by itself, without a reload.
    wait_until(
        people.amira,
        lambda d: "07700" not in text_of(d, "#conversation"),
        LIVE_SECONDS,
        "the hidden answer to leave Amira's open page",
    )
    print(f"\nhidden answer gone from the open page in {time.monotonic() - pressed:.2f} s")
    assert same_page(people.amira), "the page was reloaded"
    assert "Step-free access" in text_of(people.amira, ".group-answers")
    assert "1 answer is hidden from the group" in text_of(people.amira, ".group-answers")
    assert horizontal_overflow(people.amira) == []
    # Without JavaScript, the page shows it once reloaded.
    assert PRIVATE in text_of(people.ben, ".group-answers")
    people.ben.refresh()
    assert "07700" not in text_of(people.ben, "#conversation")
    assert "Good tea" in text_of(people.ben, ".group-answers")

    # Shown again: back on the open page.
    lead.form(f"{console}/answers/{hidden}/hidden", console, hidden="0")
    wait_until(
        people.amira,
        lambda d: PRIVATE in text_of(d, ".group-answers"),
        LIVE_SECONDS,
        "the answer to come back to Amira's open page",
    )
    assert same_page(people.amira), "the page was reloaded"


def test_showing_the_measures_updates_open_maps(workshop: Workshop, people: People) -> None:
    lead = Lead(workshop, workshop.map_setup)
    amira = Person(workshop, workshop.map_setup, "Amira")
    ben = Person(workshop, workshop.map_setup, "Ben")
    facilitator_map = f"/rounds/{lead.round_id}/map"
    lead.form(f"{facilitator_map}/display", facilitator_map, part="map", shown="1")
    for name in ("Age UK", "Food bank"):
        amira.post(f"{amira.path}/map", amira.get(f"{amira.path}/map"), form="name", name=name,
                   kind="organisation")  # fmt: skip
    open_page(people.amira, f"{workshop.server.url}{amira.path}/map")
    open_page(people.ben, f"{workshop.server.url}{ben.path}/map")
    wait_until(
        people.amira,
        lambda d: d.execute_script(
            "return !!document.getElementById('map-canvas').dataset.drawnAt"
        ),
        LIVE_SECONDS,
        "the map to be drawn",
    )
    for driver in (people.amira, people.ben):
        assert "What the map shows" not in text_of(driver, "main")
    mark_page(people.amira)

    lead.form(f"{facilitator_map}/display", facilitator_map, part="measures", shown="1")
    pressed = time.monotonic()
    wait_until(
        people.amira,
        lambda d: "Not connected to anyone yet" in text_of(d, "main"),
        LIVE_SECONDS,
        "the measures on Amira's open map",
    )
    print(f"\nmeasures on the open map in {time.monotonic() - pressed:.2f} s")
    assert same_page(people.amira), "the page was reloaded"
    assert "Age UK" in text_of(people.amira, "[data-map-part=measures]")
    assert horizontal_overflow(people.amira) == []
    people.ben.refresh()
    assert "Not connected to anyone yet" in text_of(people.ben, "main")

    lead.form(f"{facilitator_map}/display", facilitator_map, part="measures", shown="0")
    wait_until(
        people.amira,
        lambda d: "What the map shows" not in text_of(d, "main"),
        LIVE_SECONDS,
        "the measures to leave Amira's open map",
    )
    assert same_page(people.amira), "the page was reloaded"
    people.ben.refresh()
    assert "What the map shows" not in text_of(people.ben, "main")


def test_a_large_maps_measures_come_to_open_maps_once_worked_out(
    workshop: Workshop, people: People
) -> None:
    lead = Lead(workshop, workshop.large_setup)
    amira = Person(workshop, workshop.large_setup, "Amira")
    ben = Person(workshop, workshop.large_setup, "Ben")
    facilitator_map = f"/rounds/{lead.round_id}/map"
    for part in ("map", "measures"):
        lead.form(f"{facilitator_map}/display", facilitator_map, part=part, shown="1")

    # The first page ever asks for the measures, and does not wait for them.
    open_page(people.amira, f"{workshop.server.url}{amira.path}/map")
    opened = time.monotonic()
    mark_page(people.amira)
    assert "being worked out" in text_of(people.amira, "[data-map-part=measures]")
    wait_until(
        people.amira,
        lambda d: "Key connectors" in text_of(d, "[data-map-part=measures]"),
        LIVE_SECONDS,
        "the measures on Amira's open map",
    )
    print(f"\nmeasures on the open map {time.monotonic() - opened:.2f} s after it opened")
    assert same_page(people.amira), "the page was reloaded"
    assert "Worked out on" in text_of(people.amira, "[data-map-part=measures]")
    assert "clusters" in text_of(people.amira, "[data-map-part=summary]")
    assert horizontal_overflow(people.amira) == []

    # Without JavaScript: the last measures, at once.
    open_page(people.ben, f"{workshop.server.url}{ben.path}/map")
    words = text_of(people.ben, "[data-map-part=measures]")
    assert "Key connectors" in words and "Worked out on" in words


def test_old_confirmations_leave_the_console_as_it_changes(
    workshop: Workshop, people: People
) -> None:
    setup = workshop.console_setup
    lead = Lead(workshop, setup)
    amira = Person(workshop, setup, "Amira")
    lead.command("start")
    amira.post(f"{amira.path}/steps/feeling", amira.get(amira.path), answer="4")
    sam = people.amira  # a facilitator's console on a 320 px phone
    sign_in_as(sam, workshop.server.url, setup.email, PASSWORD)
    open_page(sam, f"{workshop.server.url}/rounds/{setup.round_id}")
    console_is_live(sam)
    press(
        sam,
        sam.find_element(
            By.XPATH, "//button[normalize-space()='Show these answers to participants']"
        ),
    )
    confirmed = "Participants can see the group's answers to this step now."
    loaded = time.monotonic()
    notice = sam.find_element(By.CSS_SELECTOR, "main > .notice")
    assert notice.text == confirmed and notice.get_attribute("role") == "status"
    console_is_connected(sam)
    mark_page(sam)

    # Someone joins: the live panel changes at once, but the confirmation stays a moment, to
    # be read; then it goes, as it no longer describes the whole page.
    Person(workshop, setup, "Ben")
    wait_until(
        sam, lambda d: "Ben" in text_of(d, "#console-live"), LIVE_SECONDS, "Ben on the console"
    )
    if time.monotonic() - loaded < 3:
        assert confirmed in text_of(sam, "main"), "the confirmation went before it could be read"
    wait_until(
        sam,
        lambda d: confirmed not in text_of(d, "main"),
        LIVE_SECONDS + 3,
        "the old confirmation to go",
    )
    print(f"\nthe confirmation went {time.monotonic() - loaded:.2f} s after the page loaded")
    assert same_page(sam), "the console was reloaded"
    assert "Hide these answers from participants" in text_of(sam, "#console-live")


def test_the_console_names_the_open_step_and_people_keep_the_map_after_the_end(
    workshop: Workshop, people: People
) -> None:
    """Issue 15 (5, 8) at 320 px, with JavaScript on and off. After hiding an answer and
    pressing Back, the console said "Running: step 8 of 11" above step 9's question; after
    the end, a participant's map page said the map was not shown."""
    setup = workshop.whole_setup
    lead = Lead(workshop, setup)
    amira = Person(workshop, setup, "Amira")
    lead.command("start")
    lead.command("next")  # face-to-face: names
    for name in ("Age UK", "Food bank"):
        amira.post(f"{amira.path}/steps/face-to-face", amira.get(amira.path), intent="add",
                   name=name, kind="organisation")  # fmt: skip
    for _ in range(7):
        lead.command("next")  # through the map (step 8) to "Who is missing" (step 9 of 11)
    amira.post(f"{amira.path}/steps/gaps", amira.get(amira.path), answer="The carers' centre")
    console = f"{workshop.server.url}/rounds/{setup.round_id}"

    def names_the_map_step(driver: WebDriver) -> bool:
        return "step 8 of 11" in text_of(driver, "#state-title") and (
            text_of(driver, ".panel--state .lead") == "Look at our map together"
        )

    # Without JavaScript: hide the answer (the console stays on its step), then Back.
    people.ben.set_window_size(*PHONE_320)
    try:
        sign_in_as(people.ben, workshop.server.url, setup.email, PASSWORD)
        open_page(people.ben, console)
        press(people.ben, people.ben.find_element(By.CSS_SELECTOR, "button[id^=hide-]"))
        assert "hidden from the group" in text_of(people.ben, "#console-live")
        press(people.ben, people.ben.find_element(By.ID, "command-back"))
        assert names_the_map_step(people.ben), text_of(people.ben, ".panel--state")
        assert horizontal_overflow(people.ben) == []
        lead.command("next")

        # With JavaScript: show it again, then Back over the socket. The live panel may be
        # replaced between finding a button and pressing it: find it again until it lands.
        sam = people.amira
        sign_in_as(sam, workshop.server.url, setup.email, PASSWORD)
        open_page(sam, console)
        console_is_live(sam)
        hide = "button[id^=hide-]"
        wait_until(sam, lambda d: d.find_element(By.CSS_SELECTOR, hide).click() or 1, 10, "Show")
        wait_until(
            sam,
            lambda d: "hidden from the group" not in text_of(d, "#console-live"),
            10,
            "the answer shown again",
        )
        console_is_connected(sam)
        mark_page(sam)
        wait_until(sam, lambda d: d.find_element(By.ID, "command-back").click() or 1, 10, "Back")
        wait_until(sam, names_the_map_step, LIVE_SECONDS, "the console to name the map step")
        assert same_page(sam), "the console was reloaded"
        assert horizontal_overflow(sam) == []

        # After the end, the people who made the map keep it, on both phones.
        lead.command("end")
        for driver in (people.ben, sam):
            open_page(driver, f"{workshop.server.url}{amira.path}/map")
            words = text_of(driver, "main")
            assert "not shown" not in words
            assert "Age UK" in words and "Food bank" in words
            assert horizontal_overflow(driver) == []
        wait_until(
            sam,
            lambda d: d.execute_script(
                "return !!document.getElementById('map-canvas').dataset.drawnAt"
            ),
            LIVE_SECONDS,
            "the final map to be drawn",
        )
    finally:
        people.ben.set_window_size(*DESKTOP)
