"""Round reports and comparisons: the numbers, the reflections, and who may see them."""

from __future__ import annotations

from dataclasses import replace

from bs4 import BeautifulSoup

from tests.conftest import ROOT, command, join, make_app, make_setup, sign_in
from tests.test_exports import mapped_round
from tests.test_network_steps import add_name
from tests.test_shared_map import actor_ids
from workshop.rounds import lifecycle
from workshop.store.db import session_scope
from workshop.store.models import Experiment


def report_of(client, round_id: int) -> BeautifulSoup:
    response = client.get(f"/rounds/{round_id}/report")
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser")


def test_a_report_shows_each_steps_answers_as_numbers_beside_their_bars(app):
    setup, facilitator = mapped_round(app)
    page = report_of(facilitator, setup.round_id)
    step = page.select_one("#step-face-to-face").find_parent("section")
    assert "2 of 2 answered" in step.get_text()
    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")[:3]]
        for row in step.select("tbody tr")
    ]
    assert rows == [
        ["Age UK", "2", "100%"],
        ["=SUM(A1)", "1", "50%"],
        ["Mind", "1", "50%"],
        ["Shelter", "1", "50%"],
    ]
    widths = [rect["width"] for rect in step.select("svg.bar rect:nth-of-type(2)")]
    assert widths == ["100", "50", "50", "50"]  # each bar is its row's number
    unreached = page.select_one("#step-influence").find_parent("section").get_text()
    assert "The round did not reach this step." in unreached
    assert "4 names, 2 connections and 1 cluster" in page.select_one(".summary-list").get_text()
    assert "Key connectors" in page.select_one(".measures").get_text()


def test_the_team_writes_a_reflection_that_the_report_keeps(app):
    setup, facilitator = mapped_round(app)
    url = f"/rounds/{setup.round_id}/report"
    saved = facilitator.post_form(
        url, {"tried": "Local maps first", "noticed": "Faith groups", "change": ""}
    )
    assert saved.status_code == 302
    page = report_of(facilitator, setup.round_id)
    assert page.select_one("#tried").get_text().strip() == "Local maps first"
    too_long = facilitator.post_form(url, {"tried": "x" * 5001})
    assert too_long.status_code == 400
    assert "Use 5,000 characters or fewer" in too_long.get_data(as_text=True)
    assert (
        report_of(facilitator, setup.round_id).select_one("#tried").get_text().strip()
        == "Local maps first"
    )


def test_only_the_rounds_facilitator_sees_its_report(app):
    setup, _facilitator = mapped_round(app)
    other = make_setup(app, email="other@example.org")
    stranger = app.test_client()
    sign_in(stranger, other.email)
    assert stranger.get(f"/rounds/{setup.round_id}/report").status_code == 404
    assert stranger.post_form(f"/rounds/{setup.round_id}/report", {"tried": "x"}).status_code == 404
    assert app.test_client().get(f"/rounds/{setup.round_id}/report").status_code == 302


def two_rounds(app):
    """One experiment, two rounds: the second keeps Age UK, loses Mind, adds Shelter."""
    first = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        experiment = db.get(Experiment, first.experiment_id)
        loaded = app.extensions["roundtable.questionnaires"]["map-your-network"]
        second_round = lifecycle.create_round(db, experiment, loaded, "Greenwich, April")
        second = replace(first, round_id=second_round.id, join_token=second_round.join_token)
    facilitator = app.test_client()
    sign_in(facilitator, first.email)
    for setup, names, tie in (
        (first, ["Age UK", "Mind"], ("Age UK", "Mind")),
        (second, ["age uk", "Shelter"], ("age uk", "Shelter")),
    ):
        person = app.test_client()
        page = join(person, setup, "Amira")
        command(facilitator, setup, "start")
        command(facilitator, setup, "next")
        for name in names:
            add_name(person, page, "face-to-face", name, "organisation")
        for _ in range(3):
            command(facilitator, setup, "next")
        ids = actor_ids(app, setup)
        person.post_form(
            f"{page}/steps/key-allies",
            {"source": ids[tie[0]], "target": ids[tie[1]], "kind": "works-with"},
        )
    return first, second, facilitator


def test_two_rounds_compared_list_exactly_their_differences(app):
    first, _second, facilitator = two_rounds(app)
    experiment = BeautifulSoup(
        facilitator.get(f"/experiments/{first.experiment_id}").data, "html.parser"
    )
    url = experiment.select_one("a[href*='/compare']")["href"]
    page = BeautifulSoup(facilitator.get(url).data, "html.parser")
    lists = {
        section.h4.get_text(strip=True): [li.get_text(strip=True) for li in section.select("li")]
        for section in page.select(".diff-list")
    }
    assert lists == {
        "Names added (1)": ["Shelter"],
        "Names lost (1)": ["Mind"],
        "Names kept (1)": ["age uk"],
        "Connections added (1)": ["age uk – Shelter"],
        "Connections lost (1)": ["Age UK – Mind"],
        "Connections kept (0)": [],
    }
    assert len(page.select(".diff-map__svg rect")) == 1  # one square: one actor added
    assert len(page.select(".diff-map__svg circle[stroke-dasharray]")) == 1  # one lost
    measures = [
        [c.get_text(strip=True) for c in row.select("th, td")]
        for row in page.select("table")[0].select("tbody tr")
    ]
    assert measures[0] == ["Names", "2", "2", "0"] and measures[1] == ["Connections", "1", "1", "0"]
    face = page.select_one("#compare-face-to-face").find_parent("section")
    assert [h.get_text() for h in face.select("h4")] == ["Greenwich, March", "Greenwich, April"]


def test_comparing_needs_two_rounds_of_ones_own_experiment(app):
    first, second, facilitator = two_rounds(app)
    url = f"/experiments/{first.experiment_id}/compare"
    one = facilitator.get(f"{url}?round={first.round_id}")
    assert one.status_code == 400 and "Choose at least two rounds" in one.get_data(as_text=True)
    odd = facilitator.get(f"{url}?round=%C2%B2&round=99999999999999999999&round={first.round_id}")
    assert odd.status_code == 400
    saved = facilitator.post_form(
        f"{url}?round={first.round_id}&round={second.round_id}", {"tried": "Two boroughs"}
    )
    assert saved.status_code == 302
    assert "Two boroughs" in facilitator.get(f"/rounds/{first.round_id}/report").get_data(
        as_text=True
    )
    other = make_setup(app, email="other@example.org")
    stranger = app.test_client()
    sign_in(stranger, other.email)
    assert stranger.get(f"{url}?round={first.round_id}&round={second.round_id}").status_code == 404


def test_a_round_keeps_the_questionnaire_it_ran_when_the_file_changes(tmp_path, database_url):
    folder = tmp_path / "mine"
    folder.mkdir()
    source = (ROOT / "questionnaires/library/check-in.yaml").read_text()
    own = source.replace("id: check-in", "id: our-check-in")
    (folder / "ours.yaml").write_text(own)
    app = make_app(database_url, QUESTIONNAIRE_DIRS=[folder])
    setup = make_setup(app, questionnaire="our-check-in")
    (folder / "ours.yaml").write_text(own.replace("How are you feeling", "What is on your mind"))
    edited = make_app(database_url, QUESTIONNAIRE_DIRS=[folder])  # a restart reads the edit
    assert (
        "What is on your mind"
        in edited.extensions["roundtable.questionnaires"]["our-check-in"].source
    )
    facilitator = edited.test_client()
    sign_in(facilitator, setup.email)
    report = facilitator.get(f"/rounds/{setup.round_id}/report").get_data(as_text=True)
    assert "How are you feeling" in report and "What is on your mind" not in report
    experiment = facilitator.get(f"/experiments/{setup.experiment_id}").get_data(as_text=True)
    assert "(version 1)" in experiment
