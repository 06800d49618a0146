"""The shared map in real browsers: drawn, kept live by deltas, paused by keyboard, and safe.

A round of the built-in `map-your-network` questionnaire on the real `roundtable serve`.
Sam, the facilitator (desktop, JavaScript on), watches the map while Chris (plain HTTP, the
name form posted as a browser posts it) names people; the canvas must follow without a
reload, announce the change politely, and hold still while paused. Amira (a 360 px phone,
JavaScript on) and Ben (desktop, JavaScript off) look at the participants' map. axe-core
checks every map page. Names written to break out of HTML or script must show as the text
people typed, run nothing, and the console must report no script errors or refused content.

Set ROUNDTABLE_SCREENSHOTS=/some/folder to keep screenshots (map pages at 1280 and 360 px).
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
from typing import Any

import pytest
from flask import Flask
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from sqlmodel import select

from tests.browser import (
    DESKTOP,
    AxeAudit,
    Server,
    browsers,
    console_problems,
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
from tests.test_browser import heading, text_of
from tests.test_browser_network import add_name
from workshop.store.db import session_scope
from workshop.store.models import Actor

pytestmark = pytest.mark.browser

PHONE_360 = (360, 800)
LIVE_SECONDS = 5.0  # how soon an open map must show a stored change
SHOTS = (
    Path(os.environ["ROUNDTABLE_SCREENSHOTS"]) if os.environ.get("ROUNDTABLE_SCREENSHOTS") else None
)
NASTY_NAMES = [
    "<img src=x onerror=alert(1)>",
    "</script><script>window.pwned=1</script>",
    '" onmouseover="window.pwned=1',
]


# --- fixtures: the served round, three browsers, one audit ----------------------------------


@dataclass
class Workshop:
    server: Server
    setup: Setup
    app: Flask  # on the same database: for reading what was stored


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workshop]:
    folder = tmp_path_factory.mktemp("browser-map")
    database_url = f"sqlite:///{folder / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    app.extensions["roundtable.engine"].dispose()
    with served_app(database_url, folder / "server.log") as running:
        yield Workshop(running, setup, app)
        print(f"server log (end):\n{running.log_tail()}")


@dataclass
class People:
    sam: WebDriver  # the facilitator: desktop, JavaScript on
    amira: WebDriver  # a 360 px phone, JavaScript on
    ben: WebDriver  # desktop, JavaScript off


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Iterator[People]:
    profiles = tmp_path_factory.mktemp("map-profiles")
    wanted = [("sam", DESKTOP, True), ("amira", PHONE_360, True), ("ben", DESKTOP, False)]
    with browsers(profiles, wanted) as drivers:
        yield People(*drivers)


@pytest.fixture(scope="module")
def audit() -> AxeAudit:
    return AxeAudit()


# --- people over plain HTTP: forms posted as a browser posts them ---------------------------


class Client:
    """A cookie-keeping HTTP client that posts forms with the page's CSRF token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, page: str, **fields: str) -> str:
        """Post to `path` with the CSRF token from `page`; the path landed on after redirects."""
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        with self.opener.open(self.url + path, data, timeout=10) as response:
            assert response.status == 200, response.status
            return urllib.parse.urlsplit(response.geturl()).path


class FacilitatorHttp(Client):
    def __init__(self, workshop: Workshop) -> None:
        super().__init__(workshop.server.url)
        self.round_id = workshop.setup.round_id
        self.post("/sign-in", self.get("/sign-in"), email=workshop.setup.email, password=PASSWORD)

    def command(self, name: str) -> None:
        console = f"/rounds/{self.round_id}"
        self.post(f"{console}/command", self.get(console), command=name)

    def rename(self, actor_id: int, name: str) -> None:
        page = f"/rounds/{self.round_id}/map/actors/{actor_id}"
        landed = self.post(page, self.get(page), action="rename", name=name)
        assert landed == f"/rounds/{self.round_id}/map", landed


class ParticipantHttp(Client):
    def __init__(self, workshop: Workshop, name: str) -> None:
        super().__init__(workshop.server.url)
        join = f"/j/{workshop.setup.join_token}"
        self.path = self.post(join, self.get(join), display_name=name, agree="y")
        assert self.path.startswith("/p/"), self.path

    def add_name(self, name: str, kind: str) -> None:
        """The name form of the open name-actors step, as the conversation page has it."""
        self.post(
            f"{self.path}/steps/face-to-face",
            self.get(self.path),
            intent="add",
            name=name,
            kind=kind,
        )


# --- what a page shows ----------------------------------------------------------------------

CANVAS_STATE = """
var box = document.getElementById("map-canvas");
var map = window.Roundtable && window.Roundtable.map;
return {
  drawn: box.dataset.drawnAt || null,
  label: box.getAttribute("aria-label"),
  fallback: box.querySelector(".map-canvas__fallback") ? box.innerText.trim() : null,
  nodes: map ? Object.keys(map.network.getPositions()).length : null,
  edges: map ? map.edges.length : null,
  labels: map ? map.nodes.get().map(function (n) { return n.label; }).sort() : null,
  marker: window.sameMapPage || null,
  navigations: performance.getEntriesByType("navigation").length,
  announced: (document.getElementById("announcer") || {}).textContent || ""
};
"""


def canvas(driver: WebDriver) -> dict[str, Any]:
    return driver.execute_script(CANVAS_STATE)


def open_drawn_map(driver: WebDriver, url: str) -> dict[str, Any]:
    """Open a map page and wait until the canvas is drawn (map.js sets data-drawn-at)."""
    driver.get(url)
    wait_until(driver, lambda d: canvas(d)["drawn"], LIVE_SECONDS, "the canvas to be drawn")
    state = canvas(driver)
    assert state["fallback"] is None, "the no-JavaScript words should be gone once drawn"
    return state


def out_of_view(driver: WebDriver) -> list[str]:
    """Nodes whose shape or name is not wholly inside the canvas, as it is drawn now."""
    return driver.execute_script(
        """
        var network = window.Roundtable.map.network;
        var canvas = document.querySelector("#map-canvas canvas"), out = [];
        window.Roundtable.map.nodes.forEach(function (node) {
          var b = network.getBoundingBox(node.id);
          var a = network.canvasToDOM({ x: b.left, y: b.top });
          var z = network.canvasToDOM({ x: b.right, y: b.bottom });
          if (a.x < 0 || a.y < 0 || z.x > canvas.clientWidth || z.y > canvas.clientHeight) {
            out.push(node.label);
          }
        });
        return out;
        """
    )


def table_names(driver: WebDriver) -> list[str]:
    """The actors' names in the map's table, exactly as text (without hidden "(tidy)")."""
    return driver.execute_script(
        """
        return Array.prototype.map.call(
          document.querySelectorAll(".map-table tbody th[scope=row]"), function (th) {
            var copy = th.cloneNode(true);
            copy.querySelectorAll(".visually-hidden").forEach(function (e) { e.remove(); });
            return copy.textContent;
          });
        """
    )


def nothing_ran(driver: WebDriver, where: str) -> None:
    """No alert, no `window.pwned`, no element or attribute made out of a name."""
    try:
        alert = driver.switch_to.alert
        words = alert.text
        alert.dismiss()
        raise AssertionError(f"an alert opened on {where}: {words!r}")
    except NoAlertPresentException:
        pass
    found = driver.execute_script(
        "return {pwned: typeof window.pwned, made: Array.prototype.map.call("
        " document.querySelectorAll('img[src=x], [onerror], [onmouseover], main script'),"
        " function (e) { return e.outerHTML.slice(0, 120); })}"
    )
    assert found == {"pwned": "undefined", "made": []}, f"{where}: {found}"


def console_is_clean(driver: WebDriver, where: str) -> None:
    # The map library is built from vis-network's esnext builds, which add no <style>
    # elements: the page's policy (style-src 'self') has nothing to refuse.
    problems = console_problems(driver)
    assert not problems, f"the console on {where} reported:\n" + "\n".join(problems)


def fits_360(driver: WebDriver) -> None:
    assert driver.execute_script("return window.innerWidth") == 360
    assert not horizontal_overflow(driver), horizontal_overflow(driver)


def actor_ids(workshop: Workshop) -> dict[str, int]:
    with workshop.app.app_context(), session_scope() as db:
        actors = db.exec(select(Actor).where(Actor.round_id == workshop.setup.round_id))
        return {a.name: a.id for a in actors}


def sign_in(driver: WebDriver, workshop: Workshop) -> None:
    driver.get(f"{workshop.server.url}/sign-in")
    driver.find_element(By.ID, "email").send_keys(workshop.setup.email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    tab_to(driver, "button", "Sign in")
    keys_to_new_page(driver, Keys.ENTER)
    assert "/sign-in" not in driver.current_url, driver.current_url


# --- the map --------------------------------------------------------------------------------


def test_shared_map_draws_follows_pauses_and_stays_safe(
    workshop: Workshop, people: People, audit: AxeAudit
) -> None:
    started = time.monotonic()
    sam, amira, ben = people.sam, people.amira, people.ben
    url, round_id = workshop.server.url, workshop.setup.round_id
    map_url = f"{url}/rounds/{round_id}/map"

    facilitator = FacilitatorHttp(workshop)
    facilitator.command("start")
    facilitator.command("next")  # "face-to-face": name actors
    chris = ParticipantHttp(workshop, "Chris")
    amira_path = ParticipantHttp(workshop, "Amira").path
    ben_path = ParticipantHttp(workshop, "Ben").path
    chris.add_name("Disability Wales", "organisation")
    chris.add_name("Disabilty Wales", "organisation")  # a typo: offered as a look-alike
    chris.add_name("Local food bank", "group")

    # 1. Sam's map: drawn from data.json, the words for no JavaScript gone, no problems.
    sign_in(sam, workshop)
    console_problems(sam)  # drain what the sign-in pages said
    state = open_drawn_map(sam, map_url)
    assert state["nodes"] == 3, state
    assert state["labels"] == ["Disability Wales", "Disabilty Wales", "Local food bank"]
    assert sam.find_element(By.ID, "map-pause").is_displayed()
    assert "Names that look alike" in text_of(sam, "main")
    audit.check(sam, "facilitator map")
    console_is_clean(sam, "the facilitator map")
    save_screenshot(sam, SHOTS, "facilitator-map-desktop-1280")

    # 2. A name added while the map is open: one more node, in place, said politely.
    sam.execute_script("window.sameMapPage = 'not reloaded'")
    chris.add_name("Ward officer", "person")
    wait_until(sam, lambda d: canvas(d)["nodes"] == 4, LIVE_SECONDS, "a 4th node on the canvas")
    state = canvas(sam)
    assert state["marker"] == "not reloaded" and state["navigations"] == 1, state
    assert "Ward officer" in state["labels"]
    assert state["label"] == "The map: 4 names, 0 connections", state["label"]
    wait_until(sam, lambda d: "new name" in canvas(d)["announced"], LIVE_SECONDS, "an announcement")
    assert canvas(sam)["announced"] == "1 new name"
    # The words around the map follow too: the summary line, the measures and the table.
    wait_until(
        sam,
        lambda d: text_of(d, "[data-map-part=summary]").startswith("4 names"),
        LIVE_SECONDS + 5,
        "the summary line to count 4 names",
    )
    assert "Ward officer" in text_of(sam, "[data-map-part=table]")

    # Paused by keyboard (Tab to the button, Space): the next change waits, and says so.
    button = tab_to(sam, "#map-pause", "Pause live updates", limit=40)
    assert focus_is_visible(sam), "no visible focus on the pause button"
    keys(sam, Keys.SPACE)
    # Its words change, so it is not also a toggle (aria-pressed) that says the opposite.
    assert button.get_attribute("aria-pressed") is None
    assert button.text == "Resume live updates"
    chris.add_name("Brent Mencap", "organisation")
    wait_until(sam, lambda _: "waiting" in button.text, LIVE_SECONDS, "changes waiting")
    assert button.text == "Resume live updates (1 change waiting)"
    state = canvas(sam)
    assert state["nodes"] == 4 and "Brent Mencap" not in state["labels"], state
    assert state["label"] == "The map: 4 names, 0 connections", state["label"]
    # Resumed: what waited is drawn at once.
    keys(sam, Keys.SPACE)
    assert button.get_attribute("aria-pressed") is None
    assert button.text == "Pause live updates"
    state = canvas(sam)
    assert state["nodes"] == 5 and "Brent Mencap" in state["labels"], state
    assert state["label"] == "The map: 5 names, 0 connections", state["label"]
    assert state["marker"] == "not reloaded" and state["navigations"] == 1, state
    assert sam.switch_to.active_element == button, "focus should stay on the button"
    console_is_clean(sam, "the facilitator map, after live changes")

    # 3. The participants' map: not shown until Sam shows it (or a map step opens).
    amira.get(f"{url}{amira_path}/map")
    assert heading(amira) == "The map is not shown now"
    audit.check(amira, "participant map, not shown yet")
    tab_to(sam, "button", "Show the map to participants", backwards=True, limit=40)
    keys_to_new_page(sam, Keys.ENTER)
    assert "Participants can see the map now." in text_of(sam, "main")
    state = open_drawn_map(amira, f"{url}{amira_path}/map")
    assert state["nodes"] == 5, state
    assert amira.find_element(By.ID, "map-pause").is_displayed()
    audit.check(amira, "participant map")
    fits_360(amira)
    assert not out_of_view(amira), out_of_view(amira)
    console_is_clean(amira, "the participant map")
    save_screenshot(amira, SHOTS, "participant-map-phone-360")

    ben.get(f"{url}{ben_path}/map")
    assert heading(ben) == "Our map"
    state = ben.execute_script(CANVAS_STATE)
    assert state["drawn"] is None and "needs JavaScript" in state["fallback"], state
    assert not ben.find_element(By.ID, "map-pause").is_displayed()  # its controls stay hidden
    assert len(table_names(ben)) == 5
    audit.check(ben, "participant map (no JavaScript)")
    console_is_clean(ben, "the participant map (no JavaScript)")

    # A facilitator's tidying reaches the participants' open map too.
    amira.execute_script("window.sameMapPage = 'not reloaded'")
    ids = actor_ids(workshop)
    facilitator.rename(ids["Brent Mencap"], "Brent Mencap Trust")
    wait_until(
        amira,
        lambda d: "Brent Mencap Trust" in canvas(d)["labels"],
        LIVE_SECONDS,
        "the renamed node on Amira's map",
    )
    state = canvas(amira)
    assert "Brent Mencap" not in state["labels"] and state["marker"] == "not reloaded", state
    wait_until(
        amira,
        lambda d: canvas(d)["announced"] == "1 other change to the map",
        LIVE_SECONDS,
        "an announcement of the rename",
    )

    # Ben, with the keyboard only and no JavaScript, connects two names on the map page:
    # "Connect [Ward officer] to [Local food bank] as [Works with]". Sam's map draws the tie.
    ben.get(f"{url}{ben_path}/map")
    tab_to(ben, "select#source", limit=120)
    keys(ben, "w")
    tab_to(ben, "select#target")
    keys(ben, "l")
    first_kind = tab_to(ben, "input[name=tie_kind]")
    assert first_kind.get_attribute("id") == "tie-kind", focus_description(ben)
    assert focus_is_visible(ben), "no visible focus on the first kind of tie"
    keys(ben, Keys.SPACE)
    tab_to(ben, "button", "Add connection")
    keys_to_new_page(ben, Keys.ENTER)
    assert "Added: Ward officer works with Local food bank." in text_of(ben, "main")
    ward = next(
        row
        for row in ben.find_elements(By.CSS_SELECTOR, ".map-table tbody tr")
        if row.find_element(By.CSS_SELECTOR, "th").text == "Ward officer"
    )
    assert "Local food bank (Works with)" in ward.text
    audit.check(ben, "participant map, after connecting (no JavaScript)")
    wait_until(sam, lambda d: canvas(d)["edges"] == 1, LIVE_SECONDS, "the tie on Sam's map")

    # The projector's view and the tidy page.
    state = open_drawn_map(sam, f"{map_url}/projector")
    assert state["nodes"] == 5, state
    assert not sam.find_elements(By.ID, "map-pause"), "the projector view has no controls"
    assert not out_of_view(sam), out_of_view(sam)
    # A window made narrower, then wider (a shared screen gone full size): the whole map is
    # fitted to its box again each time, not only scaled with its width.
    for size in [(800, 600), (1600, 600)]:
        sam.set_window_size(*size)
        time.sleep(0.2)
        wait_until(sam, lambda d: not out_of_view(d), LIVE_SECONDS, f"the map in view at {size}")
    sam.set_window_size(*DESKTOP)
    audit.check(sam, "projector map")
    console_is_clean(sam, "the projector map")
    sam.get(f"{map_url}/actors/{ids['Ward officer']}")
    assert heading(sam) == "Tidy “Ward officer”"
    audit.check(sam, "tidy an actor")
    console_is_clean(sam, "the tidy page")

    # 4. Names meant to break out of HTML or script, typed into the name form by keyboard.
    amira.get(f"{url}{amira_path}")
    for name in NASTY_NAMES:
        add_name(amira, name, [], "An organisation")
    nothing_ran(amira, "Amira's conversation page")
    listed = amira.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('.item-list__label'),"
        " function (e) { return e.textContent.trim(); })"
    )
    assert listed == NASTY_NAMES, listed
    console_is_clean(amira, "Amira's conversation page")
    ids = actor_ids(workshop)
    assert set(NASTY_NAMES) <= set(ids), sorted(ids)

    named = ["Disability Wales", "Disabilty Wales", "Local food bank", "Ward officer"]
    everyone = sorted([*named, "Brent Mencap Trust", *NASTY_NAMES])
    pages = [
        (sam, map_url, "the facilitator map"),
        (sam, f"{map_url}/projector", "the projector map"),
        (amira, f"{url}{amira_path}/map", "the participant map"),
    ]
    for driver, page, where in pages:
        state = open_drawn_map(driver, page)
        assert state["labels"] == everyone, (where, state["labels"])
        if "projector" not in page:
            assert sorted(table_names(driver)) == everyone, (where, table_names(driver))
        nothing_ran(driver, where)
        console_is_clean(driver, where)
    audit.check(amira, "participant map, with odd names")
    ben.get(f"{url}{ben_path}/map")
    assert sorted(table_names(ben)) == everyone

    # 5. The drawing by keyboard: its focus stop has a role and a name, and says its keys;
    # + zooms in however it is typed (Shift+= here), and the number pad's minus zooms out.
    drawn = open_drawn_map(sam, map_url)
    tab_to(sam, "#map-canvas .vis-network", limit=60)
    stop = sam.execute_script(
        "var el = document.activeElement, keys = el.getAttribute('aria-describedby');"
        "return {role: el.getAttribute('role'), name: el.getAttribute('aria-label'),"
        " keys: keys && document.getElementById(keys).textContent,"
        " inImage: !!el.closest('[role=img]')}"
    )
    assert stop == {
        "role": "application",
        "name": drawn["label"],
        "keys": "With a keyboard: Tab to the drawing, then move it with the arrow keys."
        " Press + to zoom in and - to zoom out.",
        "inImage": False,
    }, stop
    scale = "return Roundtable.map.network.getScale()"
    before = sam.execute_script(scale)
    keys(sam, "+")
    zoomed_in = wait_until(sam, lambda d: d.execute_script(scale) > before * 1.1, 2, "zoom in")
    keys(sam, Keys.SUBTRACT)
    wait_until(sam, lambda d: d.execute_script(scale) < zoomed_in * 0.9, 2, "zoom out")

    # 6. "No movement", chosen on Amira's preferences page: the map jumps to new names
    # rather than gliding, as it does for the system's own reduced-motion setting.
    amira.get(f"{url}{amira_path}/preferences")
    amira.find_element(By.CSS_SELECTOR, "label[for=reduced_motion]").click()
    amira.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_until(amira, lambda d: "/preferences" not in d.current_url, 10, "the choice saved")
    open_drawn_map(amira, f"{url}{amira_path}/map")
    # map.js frames the map itself (network.moveTo), once names are measured and moved apart.
    amira.execute_script(
        "var network = Roundtable.map.network, move = network.moveTo; window.moves = [];"
        "network.moveTo = function (options) {"
        "  moves.push(options); return move.call(this, options); };"
    )
    chris.add_name("Newport Mind", "organisation")
    wait_until(amira, lambda d: d.execute_script("return moves.length"), LIVE_SECONDS, "a move")
    moves = amira.execute_script("return moves")
    assert drawn["label"].startswith("The map: ")
    # No glide: no animation, or one of no time (how vis-network moves without one).
    assert all(
        move.get("animation") in (False, None) or move["animation"].get("duration") == 0
        for move in moves
    ), moves
    nothing_ran(ben, "the participant map (no JavaScript)")
    console_is_clean(ben, "the participant map (no JavaScript)")
    for name in NASTY_NAMES:
        sam.get(f"{map_url}/actors/{ids[name]}")
        assert heading(sam) == f"Tidy “{name}”"
        assert sam.find_element(By.ID, "name").get_attribute("value") == name
        nothing_ran(sam, f"the tidy page of {name!r}")
        console_is_clean(sam, f"the tidy page of {name!r}")
    audit.check(sam, "tidy an actor with an odd name")
    sam.get(f"{url}/rounds/{round_id}")
    wait_until(sam, lambda d: d.execute_script("return document.readyState") == "complete")
    nothing_ran(sam, "the console")
    console_is_clean(sam, "the console")

    assert not audit.violations
    print(
        f"\naxe-core {audit.version}: 0 violations on {len(audit.pages)} pages "
        f"({audit.seconds:.1f} s of {time.monotonic() - started:.1f} s)"
    )
    for page, rules in audit.incomplete.items():
        if rules:
            print(f"  needs review on {page}: {', '.join(rules)}")
