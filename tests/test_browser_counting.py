"""One round in English and Welsh side by side: every view of its results counts the same.

Amira (English, JavaScript on) and Bryn (Welsh, JavaScript off) name, connect, rate and sort
in a `map-your-network` round on the real server. The facilitator merges the two names the
same councillor was given and shows the rating and sorting steps to the group. The console,
the report, the comparison, each person's own screen and every export that carries a count
(answers.csv, Kumu, GraphML, GEXF, JSON, and the same files in the ZIP) must agree.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select
from sqlmodel import select

from tests.browser import (
    DESKTOP,
    AxeAudit,
    browsers,
    horizontal_overflow,
    join_as,
    served_app,
    sign_in_as,
    wait_until,
)
from tests.conftest import PASSWORD, make_app, make_setup
from tests.test_browser_network import Facilitator, Workshop
from workshop.rounds import lifecycle
from workshop.store.db import session_scope
from workshop.store.models import Actor, Answer, Experiment

pytestmark = pytest.mark.browser

NARROW = (320, 800)
CLLR, COUNCILLOR = "Ladywell Ward Cllr", "Ladywell ward councillor"
TIED = [["Age UK works with Ladywell ward councillor", "2"]]
RATED = [["Age UK", "4.5", "2"], [COUNCILLOR, "4.5", "2"]]
SORTED = [["Age UK", "0", "2", "0"], [COUNCILLOR, "2", "0", "0"]]
NAMED = [["Age UK", "2"], [COUNCILLOR, "2"]]


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workshop]:
    """The round, and a second round of the same experiment to compare it with."""
    folder = tmp_path_factory.mktemp("browser-counting")
    database_url = f"sqlite:///{folder / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        loaded = app.extensions["roundtable.questionnaires"]["map-your-network"]
        lifecycle.create_round(db, db.get(Experiment, setup.experiment_id), loaded, "Lewisham")
    app.extensions["roundtable.engine"].dispose()
    with served_app(database_url, folder / "server.log") as running:
        yield Workshop(running, setup, app)
        print(f"server log (end):\n{running.log_tail()}")


@dataclass
class Drivers:
    amira: WebDriver  # English, JavaScript on
    bryn: WebDriver  # Welsh, JavaScript off
    lead: WebDriver  # the facilitator


@pytest.fixture(scope="module")
def drivers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drivers]:
    profiles = tmp_path_factory.mktemp("counting-profiles")
    wanted = [("amira", DESKTOP, True), ("bryn", DESKTOP, False), ("lead", DESKTOP, True)]
    with browsers(profiles, wanted) as started:
        yield Drivers(*started)


# --- what people do, and what is stored ------------------------------------------------------


def items_stored(workshop: Workshop, step_id: str) -> int:
    """How many items everyone's answers to a network step hold."""
    with workshop.app.app_context(), session_scope() as db:
        answers = db.exec(select(Answer).where(Answer.step_id == step_id)).all()
        return sum(len(a.value or []) for a in answers)


def send(driver: WebDriver, workshop: Workshop, step_id: str, items: int) -> None:
    """Submit the open step's form and wait until the answer is stored."""
    form = driver.find_element(By.CSS_SELECTOR, "#now form[data-answer-form]")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(driver, lambda _d: items_stored(workshop, step_id) >= items, 10, "stored")


def choose(driver: WebDriver, name: str, value: str) -> None:
    """Tick a radio button from the keyboard (Space on it), as a person may."""
    radio = driver.find_element(By.CSS_SELECTOR, f"#now input[name='{name}'][value='{value}']")
    radio.send_keys(Keys.SPACE)
    assert radio.is_selected()


def actor_ids(workshop: Workshop) -> dict[str, int]:
    with workshop.app.app_context(), session_scope() as db:
        return {a.name: a.id for a in db.exec(select(Actor))}


def table_of(driver: WebDriver, css: str) -> list[list[str]]:
    """The body rows of the first table inside `css`, as the words in their cells (read at
    once: the console's live part is redrawn whenever anything changes)."""
    rows = driver.execute_script(
        "var t = document.querySelector(arguments[0] + ' table');"
        "return t && Array.prototype.map.call(t.querySelectorAll('tbody tr'), function (r) {"
        "  return Array.prototype.map.call(r.querySelectorAll('th, td'), function (c) {"
        "    return c.textContent.replace(/\\s+/g, ' ').trim(); }); });",
        css,
    )
    assert rows is not None, f"no table in {css} on {driver.current_url}"
    return rows


REVEAL = "form.reveal-form button"
HIDE = "Hide these answers from participants"


def reveal(lead: WebDriver) -> None:
    """Show the console's step to the group. The live part may be redrawn under the pointer:
    then press the new button."""
    wait_until(lead, lambda d: d.find_element(By.CSS_SELECTOR, REVEAL).click() or 1, 10, "", True)
    wait_until(lead, lambda d: HIDE in d.find_element(By.CSS_SELECTOR, REVEAL).text, 10, HIDE, True)


def download(lead: Facilitator, path: str) -> bytes:
    with lead.opener.open(lead.url + path, timeout=20) as response:
        return response.read()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def edge_weights(graph: nx.DiGraph) -> list[tuple[str, str, int]]:
    labels = nx.get_node_attributes(graph, "label")
    return sorted((labels[s], labels[t], int(d["weight"])) for s, t, d in graph.edges(data=True))


# --- the round ------------------------------------------------------------------------------


def test_console_report_comparison_screens_and_exports_agree_across_languages_and_merges(
    workshop: Workshop, drivers: Drivers
) -> None:
    url, setup = workshop.server.url, workshop.setup
    amira, bryn, lead = drivers.amira, drivers.bryn, drivers.lead
    steering = Facilitator(workshop)
    bryn.get(f"{url}/language/cy")
    pages = {
        amira: join_as(amira, f"{url}/j/{setup.join_token}", "Amira"),
        bryn: join_as(bryn, f"{url}/j/{setup.join_token}", "Bryn"),
    }
    assert bryn.find_element(By.TAG_NAME, "html").get_attribute("lang") == "cy"
    steering.command("start")
    steering.command("next")  # face-to-face: name actors
    names = {amira: ["Age UK", CLLR], bryn: ["Age UK", COUNCILLOR]}
    stored = 0
    for driver, given in names.items():
        for name in given:
            driver.get(pages[driver])
            driver.find_element(By.CSS_SELECTOR, "#now input#name").send_keys(name)
            choose(driver, "kind", "organisation")
            stored += 1
            send(driver, workshop, "face-to-face", stored)
    actors = actor_ids(workshop)
    age, cllr, councillor = actors["Age UK"], actors[CLLR], actors[COUNCILLOR]
    for _ in range(3):
        steering.command("next")  # key-allies: connect, "works with"
    for number, (driver, target) in enumerate(((amira, cllr), (bryn, councillor)), start=1):
        driver.get(pages[driver])
        Select(driver.find_element(By.ID, "source")).select_by_value(str(age))
        Select(driver.find_element(By.ID, "target")).select_by_value(str(target))
        choose(driver, "kind", "works-with")
        send(driver, workshop, "key-allies", number)
    steering.command("next")  # influence: rate
    ratings = {amira: {age: "5", cllr: "4"}, bryn: {age: "4", councillor: "5"}}
    for number, (driver, given) in enumerate(ratings.items(), start=1):
        driver.get(pages[driver])
        for actor, value in given.items():
            choose(driver, f"actor-{actor}", value)
        send(driver, workshop, "influence", 2 * number)
    steering.command("next")  # closeness: sort
    placed = {amira: {age: "some-contact", cllr: "close"}}
    placed[bryn] = {age: "some-contact", councillor: "close"}
    for number, (driver, given) in enumerate(placed.items(), start=1):
        driver.get(pages[driver])
        for actor, value in given.items():
            choose(driver, f"actor-{actor}", value)
        send(driver, workshop, "closeness", 2 * number)

    # The facilitator merges the two names of one councillor.
    sign_in_as(lead, url, setup.email, PASSWORD)
    lead.get(f"{url}/rounds/{setup.round_id}/map/actors/{cllr}")
    Select(lead.find_element(By.ID, "into")).select_by_value(str(councillor))
    lead.find_element(By.CSS_SELECTOR, "button[name=action][value=merge]").click()
    wait_until(lead, lambda d: "now shows as" in d.find_element(By.TAG_NAME, "main").text, 10)

    # The console: each step counted once, in English, with the merged name.
    console = f"{url}/rounds/{setup.round_id}"
    expected = {"face-to-face": NAMED, "key-allies": TIED, "influence": RATED, "closeness": SORTED}
    for step_id, rows in expected.items():
        lead.get(f"{console}?step={step_id}")
        assert [r[: len(rows[0])] for r in table_of(lead, "#console-live")] == rows, step_id
    audit = AxeAudit()
    audit.check(lead, "console: names by category")

    # Shown to the group: the same counts on Amira's screen (live) and on Bryn's, in Welsh.
    for step_id in ("influence", "closeness"):
        lead.get(f"{console}?step={step_id}")
        reveal(lead)
    wait_until(amira, lambda d: d.find_elements(By.CSS_SELECTOR, "#now .group-answers"), 10)
    assert table_of(amira, "#now .group-answers") == SORTED
    assert table_of(amira, "#turn-influence .group-answers")[:2] == [[*r, ""] for r in RATED]
    bryn.get(pages[bryn])
    assert table_of(bryn, "#now .group-answers") == SORTED
    headings = bryn.find_elements(By.CSS_SELECTOR, "#now .group-answers thead th")
    assert [h.text for h in headings][1] == "Agos. Rydyn ni'n siarad yn aml."
    audit.check(bryn, "Welsh participant: the group's sorting")
    bryn.set_window_size(*NARROW)  # the table scrolls inside its own box; the page does not
    bryn.get(pages[bryn])
    assert not horizontal_overflow(bryn), horizontal_overflow(bryn)
    bryn.set_window_size(*DESKTOP)
    audit.check(amira, "English participant: the group's sorting")

    # The report and the comparison (this round first) say the same.
    lead.get(f"{url}/rounds/{setup.round_id}/report")
    for step_id, rows in expected.items():
        got = table_of(lead, f"section[aria-labelledby=step-{step_id}]")
        assert [r[: len(rows[0])] for r in got] == rows, step_id
    lead.get(
        f"{url}/experiments/{setup.experiment_id}/compare?round={setup.round_id}"
        f"&round={setup.round_id + 1}"
    )
    for step_id, rows in expected.items():
        got = table_of(lead, f"section[aria-labelledby=compare-{step_id}] .side-by-side__round")
        assert [r[: len(rows[0])] for r in got] == rows, step_id

    # Every export that carries a count, alone and in the ZIP.
    base = f"/rounds/{setup.round_id}/export"
    files = {name: download(steering, f"{base}/{name}") for name in ("answers.csv", "all.zip")}
    archive = zipfile.ZipFile(io.BytesIO(files["all.zip"]))
    for name in ("kumu-connections.csv", "kumu-elements.csv", "map.graphml", "map.gexf"):
        files[name] = download(steering, f"{base}/{name}")
    files["map.json"] = download(steering, f"{base}/map.json")
    for name in ("answers.csv", "kumu-connections.csv", "kumu-elements.csv", "map.json"):
        assert archive.read(name) == files[name], name
    answers = {(row[0], row[1]): row[3] for row in csv_rows(files["answers.csv"])[1:]}
    sorted_words = f"Age UK: Some contact now and then | {COUNCILLOR}: Close. We talk often."
    assert answers["P1", "closeness"] == answers["P2", "closeness"] == sorted_words
    assert answers["P1", "influence"] == f"Age UK: 5 | {COUNCILLOR}: 4"
    assert answers["P2", "influence"] == f"Age UK: 4 | {COUNCILLOR}: 5"
    tie_words = "Age UK works with Ladywell ward councillor"
    assert answers["P1", "key-allies"] == answers["P2", "key-allies"] == tie_words
    labels = {row[0]: row[1] for row in csv_rows(files["kumu-elements.csv"])[1:]}
    assert list(labels.values()) == ["Age UK", COUNCILLOR]
    connections = [
        [labels[row[1]], labels[row[2]], *row[3:]]  # From and To name elements by ID
        for row in csv_rows(files["kumu-connections.csv"])[1:]
    ]
    assert connections == [["Age UK", COUNCILLOR, "Works with", "2", ""]]
    weights = [("Age UK", COUNCILLOR, 2)]
    for name, read in (("map.graphml", nx.read_graphml), ("map.gexf", nx.read_gexf)):
        assert edge_weights(read(io.BytesIO(archive.read(name)))) == weights, name
        assert edge_weights(read(io.BytesIO(files[name]))) == weights, name
    graph = nx.node_link_graph(json.loads(files["map.json"]))
    assert edge_weights(graph) == weights
