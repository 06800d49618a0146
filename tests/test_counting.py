"""Network answers counted by what was chosen: the same in every language, merged names as one,
and rating and sorting steps shown to the group as tables."""

from __future__ import annotations

import csv
import io

from bs4 import Tag
from sqlmodel import select

from tests.conftest import CheckedClient, command
from tests.test_network_steps import actors_of, add_name, soup_of
from workshop.store.db import session_scope
from workshop.store.models import Answer

CLOSENESS = [["Name", "Close. We talk often.", "Some contact now and then", "No contact yet"]]


def rows_of(table: Tag | None) -> list[list[str]]:
    """A table as the words in its cells, a list per row, headings included."""
    assert table is not None, "no table"
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in table.select("tr")
        if tr.select("th, td")
    ]


def console_table(facilitator: CheckedClient, round_id: int, step_id: str) -> list[list[str]]:
    live = soup_of(facilitator, f"/rounds/{round_id}/live?step={step_id}")
    return rows_of(live.select_one("#console-live table"))


def report_table(facilitator: CheckedClient, round_id: int, step_id: str) -> list[list[str]]:
    report = soup_of(facilitator, f"/rounds/{round_id}/report")
    return rows_of(report.select_one(f"section[aria-labelledby=step-{step_id}] table"))


def answers_csv(facilitator: CheckedClient, round_id: int, step_id: str) -> list[str]:
    data = facilitator.get(f"/rounds/{round_id}/export/answers.csv").get_data()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    return [row["answer"] for row in rows if row["step"] == step_id]


def both_name(people, pages, names: list[str]) -> None:
    for client, page in zip(people, pages, strict=True):
        for name in names:
            add_name(client, page, "face-to-face", name, "organisation")


def test_answers_in_welsh_and_english_are_counted_by_what_was_chosen(app, live_round):
    setup, facilitator, people, pages = live_round
    assert people[1].get("/language/cy").status_code == 302  # Bo answers in Welsh
    both_name(people, pages, ["Age UK", "Shelter Cymru"])
    for _ in range(3):
        command(facilitator, setup, "next")  # key-allies
    actors = actors_of(app, setup)
    age, shelter = actors["Age UK"].id, actors["Shelter Cymru"].id
    for client, page in zip(people, pages, strict=True):
        tie = {"intent": "add", "source": age, "target": shelter, "kind": "works-with"}
        assert client.post_form(f"{page}/steps/key-allies", tie).status_code == 302
    with app.app_context(), session_scope() as db:  # Bo saw his words in Welsh
        labels = [
            a.value[0]["label"]
            for a in db.exec(select(Answer).where(Answer.step_id == "key-allies"))
        ]
    assert sorted(labels) == [
        "Age UK works with Shelter Cymru",
        "Age UK yn gweithio gyda Shelter Cymru",
    ]
    tied = [["Answer", "People"], ["Age UK works with Shelter Cymru", "2"]]
    assert console_table(facilitator, setup.round_id, "key-allies") == tied
    for _ in range(2):
        command(facilitator, setup, "next")  # closeness: sort
    for client, page in zip(people, pages, strict=True):
        placed = {f"actor-{age}": "some-contact", f"actor-{shelter}": "close"}
        assert client.post_form(f"{page}/steps/closeness", placed).status_code == 302
    sorted_ = [*CLOSENESS, ["Age UK", "0", "2", "0"], ["Shelter Cymru", "2", "0", "0"]]
    assert console_table(facilitator, setup.round_id, "closeness") == sorted_
    assert report_table(facilitator, setup.round_id, "closeness") == sorted_
    assert report_table(facilitator, setup.round_id, "key-allies")[1][:2] == tied[1]
    assert (
        answers_csv(facilitator, setup.round_id, "closeness")
        == ["Age UK: Some contact now and then | Shelter Cymru: Close. We talk often."] * 2
    )


def test_merged_names_are_counted_as_the_name_they_now_show_as(app, live_round):
    setup, facilitator, people, pages = live_round
    amira, bo = people
    add_name(amira, pages[0], "face-to-face", "Ladywell Ward Cllr", "person")
    add_name(bo, pages[1], "face-to-face", "Ladywell ward councillor", "person")
    for _ in range(4):
        command(facilitator, setup, "next")  # influence: rate actors
    actors = actors_of(app, setup)
    cllr, councillor = actors["Ladywell Ward Cllr"].id, actors["Ladywell ward councillor"].id
    amira.post_form(f"{pages[0]}/steps/influence", {f"actor-{cllr}": "4"})
    bo.post_form(f"{pages[1]}/steps/influence", {f"actor-{councillor}": "5"})
    merge = {"action": "merge", "into": councillor}
    assert (
        facilitator.post_form(f"/rounds/{setup.round_id}/map/actors/{cllr}", merge).status_code
        == 302
    )
    rated = [["Name", "Average", "People"], ["Ladywell ward councillor", "4.5", "2"]]
    assert console_table(facilitator, setup.round_id, "influence") == rated
    assert [row[:3] for row in report_table(facilitator, setup.round_id, "influence")] == rated
    assert sorted(answers_csv(facilitator, setup.round_id, "influence")) == [
        "Ladywell ward councillor: 4",
        "Ladywell ward councillor: 5",
    ]
    named = [row[:2] for row in report_table(facilitator, setup.round_id, "face-to-face")]
    assert named == [["Answer", "People"], ["Ladywell ward councillor", "2"]]


def test_rating_and_sorting_steps_are_shown_to_the_group_as_tables(app, live_round):
    setup, facilitator, people, pages = live_round
    amira, bo = people
    assert bo.get("/language/cy").status_code == 302
    both_name(people, pages, ["Age UK"])
    for _ in range(4):
        command(facilitator, setup, "next")  # influence
    age = actors_of(app, setup)["Age UK"].id
    amira.post_form(f"{pages[0]}/steps/influence", {f"actor-{age}": "5"})
    bo.post_form(f"{pages[1]}/steps/influence", {f"actor-{age}": "4"})
    console = soup_of(facilitator, f"/rounds/{setup.round_id}/live?step=influence")
    reveal = console.select_one("form.reveal-form")
    assert reveal is not None, "the rating step offers no way to show the group"
    assert facilitator.post_form(reveal["action"], {"shown": "1"}).status_code == 302
    shown = soup_of(amira, pages[0]).select_one("#now .group-answers")
    assert rows_of(shown.select_one("table"))[1][:3] == ["Age UK", "4.5", "2"]
    command(facilitator, setup, "next")  # closeness
    amira.post_form(f"{pages[0]}/steps/closeness", {f"actor-{age}": "close"})
    bo.post_form(f"{pages[1]}/steps/closeness", {f"actor-{age}": "close"})
    console = soup_of(facilitator, f"/rounds/{setup.round_id}/live?step=closeness")
    facilitator.post_form(console.select_one("form.reveal-form")["action"], {"shown": "1"})
    welsh = soup_of(bo, pages[1]).select_one("#now .group-answers")
    assert rows_of(welsh.select_one("table")) == [
        [
            "Enw",
            "Agos. Rydyn ni'n siarad yn aml.",
            "Rhywfaint o gysylltiad bob hyn a hyn",
            "Dim cysylltiad eto",
        ],
        ["Age UK", "2", "0", "0"],
    ]


def test_one_persons_tie_through_two_merged_names_counts_once_in_the_exports(app, live_round):
    setup, facilitator, (amira, _bo), (page, _bo_page) = live_round
    for name in ("Age UK", "Ladywell Ward Cllr", "Ladywell ward councillor"):
        add_name(amira, page, "face-to-face", name, "person")
    for _ in range(3):
        command(facilitator, setup, "next")  # key-allies
    actors = actors_of(app, setup)
    age = actors["Age UK"].id
    cllr, councillor = actors["Ladywell Ward Cllr"].id, actors["Ladywell ward councillor"].id
    for target in (cllr, councillor):
        tie = {"intent": "add", "source": age, "target": target, "kind": "works-with"}
        assert amira.post_form(f"{page}/steps/key-allies", tie).status_code == 302
    merge = {"action": "merge", "into": councillor}
    url = f"/rounds/{setup.round_id}/map/actors/{cllr}"
    assert facilitator.post_form(url, merge).status_code == 302
    tied = [["Answer", "People"], ["Age UK works with Ladywell ward councillor", "1"]]
    assert console_table(facilitator, setup.round_id, "key-allies") == tied
    data = facilitator.get(f"/rounds/{setup.round_id}/export/kumu-connections.csv").get_data()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    ends = {"age-uk": "Age UK", "ladywell-ward-councillor": "Ladywell ward councillor"}
    assert [(ends[row[1]], ends[row[2]], *row[3:]) for row in rows[1:]] == [
        ("Age UK", "Ladywell ward councillor", "Works with", "1", "")
    ]


def test_one_person_rating_both_merged_names_is_one_person_in_the_average(app, live_round):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = live_round
    for name in ("Ladywell Ward Cllr", "Ladywell ward councillor"):
        add_name(amira, amira_page, "face-to-face", name, "person")
    add_name(bo, bo_page, "face-to-face", "Ladywell ward councillor", "person")
    for _ in range(4):
        command(facilitator, setup, "next")  # influence: rate actors
    actors = actors_of(app, setup)
    cllr, councillor = actors["Ladywell Ward Cllr"].id, actors["Ladywell ward councillor"].id
    amira.post_form(
        f"{amira_page}/steps/influence", {f"actor-{cllr}": "4", f"actor-{councillor}": "4"}
    )
    bo.post_form(f"{bo_page}/steps/influence", {f"actor-{councillor}": "2"})
    merge = {"action": "merge", "into": councillor}
    url = f"/rounds/{setup.round_id}/map/actors/{cllr}"
    assert facilitator.post_form(url, merge).status_code == 302
    rated = [["Name", "Average", "People"], ["Ladywell ward councillor", "3.0", "2"]]
    assert console_table(facilitator, setup.round_id, "influence") == rated
