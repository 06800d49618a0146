"""A map people can read: with twenty long names, no name covers another or is cut at the edge
of the projector view or the difference map; one-way ties ("funds") have arrows; and at 320 px
the map in words fits the screen, with JavaScript on and off.

The label boxes are read from what the browser drew: vis-network's box of each actor (its
shape and its name) on the canvas, and each name's box in the difference map's SVG.
Screenshots go to ROUNDTABLE_SCREENSHOTS, or to the test's temporary folder (printed).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from facilitation.network import actor_key
from tests.browser import (
    DESKTOP,
    AxeAudit,
    Server,
    browsers,
    served_app,
    wait_until,
)
from tests.conftest import PASSWORD, Setup, make_app, make_setup
from workshop.rounds import lifecycle
from workshop.store.db import session_scope
from workshop.store.models import Actor, Experiment, Tie

pytestmark = pytest.mark.browser

NARROW = (320, 800)
FIRST = [
    "Lewisham Disability Coalition",
    "Lewisham Council",
    "Greenwich Citizens Advice Bureau",
    "South East London Mental Health Network",
    "Deptford Community Food Bank Partnership",
    "Inclusion London Deaf and Disabled People's Organisations Forum",
    "Age UK Lewisham and Southwark",
    "Catford Tenants and Residents Association",
    "Sydenham Garden Wellbeing Project",
    "Lewisham Refugee and Migrant Network",
    "Goldsmiths University Community Engagement Team",
    "Voluntary Action Lewisham",
    "Brockley Youth Football and Mentoring Club",
    "Bellingham Community Project",
    "NHS South East London Integrated Care Board",
    "Lewisham Local History Society",
    "Carers Lewisham",
    "Blackheath Wheelchair Users Walking Group",
    "The Albany Arts Centre",
    "Metro Charity LGBTQ+ Wellbeing Service",
]
# The second round keeps fourteen names, loses six and adds six.
SECOND = [
    *FIRST[:14],
    "Forest Hill Ramblers for Everyone",
    "Lee Green Men's Shed Woodworking Collective",
    "Ladywell Playtower Community Trust",
    "Downham Nutrition Partnership",
    "Lewisham Speaking Up Self Advocacy Group",
    "Rushey Green Time Bank",
]
FUNDERS = {
    "Lewisham Council": FIRST[2:8],
    "NHS South East London Integrated Care Board": FIRST[8:12],
}


@dataclass
class Seeded:
    server: Server
    setup: Setup
    second_round_id: int
    funds: list[tuple[int, int]]  # (funder, funded) actor ids in the first round


def _seed(db, round_id: int, names: list[str]) -> dict[str, int]:
    """The names, each tied to the next ("works with"), and the funders' one-way ties."""
    ids = {}
    for name in names:
        actor = Actor(round_id=round_id, name=name, key=actor_key(name), kind="organisation")
        actor.step_id = "import"
        db.add(actor)
        db.flush()
        ids[name] = actor.id
    for a, b in itertools.pairwise(names):
        db.add(
            Tie(
                round_id=round_id,
                source_id=ids[a],
                target_id=ids[b],
                kind="works-with",
                step_id="import",
            )
        )
    for funder, funded in FUNDERS.items():
        for name in funded:
            if funder in ids and name in ids:
                db.add(
                    Tie(
                        round_id=round_id,
                        source_id=ids[funder],
                        target_id=ids[name],
                        kind="funds",
                        step_id="import",
                    )
                )
    db.commit()
    return ids


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    folder = tmp_path_factory.mktemp("map-labels")
    database_url = f"sqlite:///{folder / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        experiment = db.get(Experiment, setup.experiment_id)
        loaded = app.extensions["roundtable.questionnaires"]["map-your-network"]
        second = lifecycle.create_round(db, experiment, loaded, "Greenwich, April")
        ids = _seed(db, setup.round_id, FIRST)
        _seed(db, second.id, SECOND)
        second_id = second.id
    funds = [(ids[f], ids[n]) for f, names in FUNDERS.items() for n in names]
    app.extensions["roundtable.engine"].dispose()
    with served_app(database_url, folder / "server.log", timeout=60) as running:
        yield Seeded(running, replace(setup), second_id, funds)


@pytest.fixture(scope="module")
def drivers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebDriver, WebDriver]]:
    """Sam with JavaScript on and Ben with it off, both signed in as the facilitator."""
    profiles = tmp_path_factory.mktemp("label-profiles")
    with browsers(profiles, [("sam", DESKTOP, True), ("ben", DESKTOP, False)]) as pair:
        yield tuple(pair)


@pytest.fixture(scope="module")
def signed_in(drivers, seeded: Seeded) -> tuple[WebDriver, WebDriver]:
    for driver in drivers:
        driver.get(f"{seeded.server.url}/sign-in")
        driver.find_element(By.ID, "email").send_keys(seeded.setup.email)
        driver.find_element(By.ID, "password").send_keys(PASSWORD + "\n")
        wait_until(driver, lambda d: "/sign-in" not in d.current_url, 5, "signed in")
    return drivers


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("ROUNDTABLE_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("label-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def overlapping(boxes: dict[str, dict]) -> list[tuple[str, str]]:
    """Pairs of names whose boxes ({left, top, right, bottom}) share any area."""
    return [
        (a, b)
        for (a, p), (b, q) in itertools.combinations(boxes.items(), 2)
        if p["left"] < q["right"]
        and q["left"] < p["right"]
        and p["top"] < q["bottom"]
        and q["top"] < p["bottom"]
    ]


def outside(boxes: dict[str, dict], frame: dict) -> list[str]:
    return [
        name
        for name, b in boxes.items()
        if b["left"] < frame["left"]
        or b["top"] < frame["top"]
        or b["right"] > frame["right"]
        or b["bottom"] > frame["bottom"]
    ]


# Each box as {left, top, right, bottom} in the page's pixels.
RECT = "function rect(b) { return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; }"
CANVAS_BOXES = (
    RECT
    + """
var network = window.Roundtable.map.network, canvas = document.querySelector("#map-canvas canvas");
var frame = canvas.getBoundingClientRect(), boxes = {};
window.Roundtable.map.nodes.forEach(function (node) {
  var b = network.getBoundingBox(node.id);
  var a = network.canvasToDOM({ x: b.left, y: b.top });
  var z = network.canvasToDOM({ x: b.right, y: b.bottom });
  boxes[node.label] = rect({ left: frame.left + a.x, top: frame.top + a.y,
                             right: frame.left + z.x, bottom: frame.top + z.y });
});
return { boxes: boxes, frame: rect(frame) };
"""
)


def drawn_map(driver: WebDriver, url: str) -> dict:
    driver.get(url)
    wait_until(
        driver,
        lambda d: d.execute_script('return document.getElementById("map-canvas").dataset.drawnAt'),
        10,
        "the canvas to be drawn",
    )
    return driver.execute_script(CANVAS_BOXES)


@pytest.mark.parametrize("page", ["projector", "facilitator map"])
def test_names_on_the_drawn_map_never_overlap_or_leave_the_canvas(signed_in, seeded, shots, page):
    sam, _ben = signed_in
    path = f"/rounds/{seeded.setup.round_id}/map" + ("/projector" if page == "projector" else "")
    drawn = drawn_map(sam, seeded.server.url + path)
    assert len(drawn["boxes"]) == 20
    shot = shots / f"map-labels-{page.replace(' ', '-')}-1280.png"
    sam.save_screenshot(str(shot))  # the window as measured: 1280 px wide
    print(f"\nscreenshot: {shot}")
    assert not overlapping(drawn["boxes"]), overlapping(drawn["boxes"])
    assert not outside(drawn["boxes"], drawn["frame"]), outside(drawn["boxes"], drawn["frame"])
    # Big enough to read on a shared screen: the view is not shrunk to nothing to make room.
    heights = [b["bottom"] - b["top"] for b in drawn["boxes"].values()]
    assert min(heights) >= 16, heights


def test_one_way_ties_have_arrows_pointing_the_way_they_go(signed_in, seeded):
    sam, _ben = signed_in
    drawn_map(sam, f"{seeded.server.url}/rounds/{seeded.setup.round_id}/map/projector")
    arrows = sam.execute_script(
        """
        var out = {};
        Object.values(window.Roundtable.map.network.body.edges).forEach(function (e) {
          var a = e.options.arrows;
          var ends = [];
          if (a.to.enabled) { ends.push([e.fromId, e.toId]); }
          if (a.from.enabled) { ends.push([e.toId, e.fromId]); }
          out[e.id] = ends;
        });
        return out;
        """
    )
    pointing = sorted(tuple(end) for ends in arrows.values() for end in ends)
    assert pointing == sorted(seeded.funds)  # "works with" has no direction: no arrows
    legend = sam.find_element(By.CSS_SELECTOR, ".legend").text
    assert "An arrow shows which way a one-way connection goes." in legend


DIFF_BOXES = (
    RECT
    + """
var svg = document.querySelector(".diff-map__svg"), boxes = {};
svg.querySelectorAll("text").forEach(function (t) {
  boxes[t.textContent] = rect(t.getBoundingClientRect());
});
svg.querySelectorAll("circle, rect").forEach(function (s, i) {
  boxes["shape " + i] = rect(s.getBoundingClientRect());
});
return { boxes: boxes, frame: rect(svg.getBoundingClientRect()) };
"""
)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_names_on_the_difference_map_never_overlap_or_leave_it(
    signed_in, seeded, shots, javascript
):
    driver = signed_in[0 if javascript else 1]
    driver.get(
        f"{seeded.server.url}/experiments/{seeded.setup.experiment_id}/compare"
        f"?round={seeded.setup.round_id}&round={seeded.second_round_id}"
    )
    drawn = driver.execute_script(DIFF_BOXES)
    names = [n for n in drawn["boxes"] if not n.startswith("shape ")]
    assert len(names) == 26, names  # 20 + 6 added
    shot = shots / f"difference-map-1280-{'js' if javascript else 'no-js'}.png"
    figure = driver.find_element(By.CSS_SELECTOR, ".diff-map")
    bottom = driver.execute_script("return arguments[0].getBoundingClientRect().bottom", figure)
    driver.set_window_size(DESKTOP[0], int(bottom) + 200)  # the whole figure in the window
    try:
        figure.screenshot(str(shot))
    finally:
        driver.set_window_size(*DESKTOP)
    print(f"\nscreenshot: {shot}")
    assert not overlapping(drawn["boxes"]), overlapping(drawn["boxes"])
    assert not outside(drawn["boxes"], drawn["frame"]), outside(drawn["boxes"], drawn["frame"])


WIDER_THAN_SCREEN = """
var limit = document.documentElement.clientWidth, found = [];
document.querySelectorAll("[data-map-part=table], [data-map-part=table] *").forEach(function (e) {
  var box = e.getBoundingClientRect();
  if (box.width && box.right > limit + 0.5) { found.push(e.tagName + " right=" + box.right); }
});
return { scroll: document.documentElement.scrollWidth, wide: found.slice(0, 5) };
"""


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_at_320_px_the_map_in_words_is_one_card_per_name_that_fits(
    signed_in, seeded, shots, javascript
):
    driver = signed_in[0 if javascript else 1]
    driver.set_window_size(*NARROW)
    try:
        driver.get(f"{seeded.server.url}/rounds/{seeded.setup.round_id}/map")
        assert driver.execute_script("return window.innerWidth") == NARROW[0]
        fit = driver.execute_script(WIDER_THAN_SCREEN)
        driver.execute_script("document.querySelector('.map-table').scrollIntoView()")
        shot = shots / f"map-in-words-320-{'js' if javascript else 'no-js'}.png"
        driver.save_screenshot(str(shot))
        print(f"\nscreenshot: {shot}")
        assert fit["scroll"] <= NARROW[0] and fit["wide"] == [], fit
        # Each card says what each of its lines is, as the table's headings do when wide.
        card = driver.execute_script(
            "return document.querySelector('.map-table tbody tr').innerText.split('\\n')"
        )
        assert card[0] == "Age UK Lewisham and Southwark", card
        assert [line for line in card if ":" in line and "(" not in line] == [
            "Kind: An organisation",
            "Layer: –",
            "Connections: 3",
            "Connected to:",
        ], card
        AxeAudit().check(driver, f"map in words at 320 px, javascript {javascript}")
    finally:
        driver.set_window_size(*DESKTOP)


def test_when_wide_the_map_in_words_is_a_table_with_no_repeated_words(signed_in, seeded):
    sam, _ben = signed_in
    sam.get(f"{seeded.server.url}/rounds/{seeded.setup.round_id}/map")
    row = sam.find_elements(By.CSS_SELECTOR, ".map-table tbody tr")[0]
    cells = [c.text.split("\n")[0] for c in row.find_elements(By.CSS_SELECTOR, "th, td")][:4]
    assert cells == ["Age UK Lewisham and Southwark", "An organisation", "–", "3"], cells
