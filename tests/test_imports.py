"""Imports: a round's map from a spreadsheet of actors and ties, all or nothing."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import gevent
import pytest
import requests
from bs4 import BeautifulSoup
from openpyxl import Workbook
from sqlmodel import func, select

from facilitation.import_results import MAX_ACTORS, MAX_ISSUES, Problem
from facilitation.map_import import read_map_file
from questionnaires.schema import Codebook, Term, TieKind
from tests.browser import served_app
from tests.conftest import PASSWORD, join, make_app, make_setup, sign_in
from tests.test_exports import download, mapped_round
from tests.test_server_restart import csrf
from workshop.rounds import lifecycle
from workshop.store.db import session_scope
from workshop.store.models import Actor, Experiment, Tie

KINDS = "An organisation, A group or network, A person or a role, A campaign"
LAYERS = "We meet face to face, We meet online, We would like to know them"
TIE_KINDS = "Works with, Is an ally of, Funds, Would like to know"
BOOK = Codebook(
    actor_kinds=[
        Term(id="organisation", label="An organisation"),
        Term(id="group", label="A group"),
    ],
    tie_kinds=[TieKind(id="funds", label="Funds"), TieKind(id="ally", label="Is an ally of")],
    layers=[Term(id="online", label="We meet online"), Term(id="offline", label="Face to face")],
)


def kumu_xlsx(elements: list[tuple], connections: list[tuple] | None = None) -> bytes:
    """A workbook in Kumu's layout: an Elements sheet, and a Connections sheet if given."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Elements"
    for row in (("Label", "Type", "Description", "Tags"), *elements):
        sheet.append(row)
    if connections is not None:
        sheet = book.create_sheet("Connections")
        for row in (("From", "To", "Type", "Strength", "Tags"), *connections):
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, round_id: int, data: bytes, filename: str):
    return client.post_form(
        f"/rounds/{round_id}/map/import",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def problems(response) -> list[str]:
    """The error summary's items, in order."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    links = soup.select(".error-summary__list a")
    assert all(a["href"] == "#file" for a in links) and soup.select_one("#file") is not None
    return [a.get_text(" ", strip=True) for a in links]


def flashed(client, round_id: int) -> list[str]:
    soup = BeautifulSoup(client.get(f"/rounds/{round_id}/map").data, "html.parser")
    return [n.get_text(" ", strip=True) for n in soup.select(".notice--success")]


def counts(app, round_id: int) -> tuple[int, int]:
    with app.app_context(), session_scope() as db:
        actors = db.exec(select(func.count()).where(Actor.round_id == round_id)).one()
        ties = db.exec(select(func.count()).where(Tie.round_id == round_id)).one()
        return actors, ties


@pytest.fixture
def mapped(app):
    """A map-your-network round in its waiting room, and its facilitator signed in."""
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    return setup, facilitator


def member_names(count: int) -> list[str]:
    """Distinct, realistic-looking organisation names (not "Member 1", "Member 2"...,
    which all look alike and would each be offered for merging)."""
    rng = random.Random(6)
    first = ["Age", "Mind", "Shelter", "Carers", "Deaf", "Pride", "Food", "Youth", "Arts"]
    first += ["Inclusion", "Disability", "Refugee", "Tenants", "Women's", "Climate", "Bike"]
    middle = ["Aid", "Trust", "Network", "Forum", "Alliance", "Collective", "Hub", "Action"]
    places = ["Cymru", "London", "Leeds", "Bristol", "Hull", "Derby", "Kent", "Fife", "Bath"]
    places += ["York", "Luton", "Wigan", "Oban", "Ayr", "Troon", "Hove", "Ely", "Rye"]
    names: dict[str, None] = {}
    while len(names) < count:
        words = [rng.choice(first), rng.choice(middle), rng.choice(places)]
        names[f"{' '.join(words)} {rng.randrange(1, 99)}"] = None
    return list(names)


def test_a_network_of_1000_members_and_2000_ties_lands_whole_and_fast(app, mapped):
    setup, facilitator = mapped
    names = member_names(1000)
    types = ["An organisation", "group", "A PERSON OR A ROLE", "campaign"]  # labels or ids
    layers = ["We meet face to face", "online|health", "", "housing"]  # a layer among tags
    elements = [(n, types[i % 4], "A member", layers[i % 4]) for i, n in enumerate(names)]
    pairs = {(i, (i + k) % 1000) for i in range(1000) for k in (1, 17)}
    kinds = ["Works with", "ally", "FUNDS", "would-like-to-know"]
    connections = [(names[a], names[b], kinds[a % 4], 1, "") for a, b in sorted(pairs) if a != b]
    assert len(connections) == 2000
    data = kumu_xlsx(elements, connections)
    started = time.perf_counter()
    response = upload(facilitator, setup.round_id, data, "members.xlsx")
    took = time.perf_counter() - started
    print(f"\nimport of 1,000 actors and 2,000 ties ({len(data):,} bytes): {took:.2f} s")
    assert response.status_code == 302, problems(response)
    assert response.headers["Location"].endswith(f"/rounds/{setup.round_id}/map#message")
    started = time.perf_counter()
    messages = flashed(facilitator, setup.round_id)
    print(f"the facilitator's map page with them: {time.perf_counter() - started:.2f} s")
    assert messages == ["Added 1,000 names and 2,000 connections from members.xlsx."]
    assert counts(app, setup.round_id) == (1000, 2000)
    with app.app_context(), session_scope() as db:
        actors = {a.name: a for a in db.exec(select(Actor))}
        ties = db.exec(select(Tie)).all()
    assert all(a.added_by is None and a.step_id == "import" for a in actors.values())
    assert all(t.added_by is None and t.step_id == "import" for t in ties)
    first, second, third = (actors[names[i]] for i in range(3))
    assert (first.kind, first.layer) == ("organisation", "offline")
    assert (second.kind, second.layer) == ("group", "online")
    assert (third.kind, third.layer) == ("person", None)
    assert {t.kind for t in ties} == {"works-with", "ally", "funds", "would-like-to-know"}
    assert took < 10


def test_names_on_the_map_are_reused_and_a_second_import_adds_nothing_twice(app, mapped):
    setup, facilitator = mapped
    with app.app_context(), session_scope() as db:
        db.add(
            Actor(round_id=setup.round_id, name="Age UK", key="age uk", kind="group", step_id="x")
        )
        db.commit()
    data = kumu_xlsx(
        [("age  UK", "organisation", "", ""), ("Mind", "group", "", ""), ("MIND", "group", "", "")],
        [("Mind", "Age UK", "Funds", 1, ""), ("mind", "age uk", "funds", 1, "")],
    )
    assert upload(facilitator, setup.round_id, data, "network.xlsx").status_code == 302
    assert flashed(facilitator, setup.round_id) == [
        "Added 1 name and 1 connection from network.xlsx.",
        "1 name was on the map already, so it was not added again.",
        "1 row repeated a name from an earlier row: it was added once.",
        "1 connection was in the file twice, or on the map already as strong as the file "
        "says: it was not added again.",
    ]
    assert counts(app, setup.round_id) == (2, 1)
    with app.app_context(), session_scope() as db:
        age = db.exec(select(Actor).where(Actor.key == "age uk")).one()
    assert (age.name, age.kind) == ("Age UK", "group")  # kept as it was
    # Ties alone, in a CSV, between actors already on the map.
    ties = b"From,To,Type\nAge UK,Mind,Is an ally of\n"
    assert upload(facilitator, setup.round_id, ties, "ties.csv").status_code == 302
    assert (
        flashed(facilitator, setup.round_id)[0] == "Added 0 names and 1 connection from ties.csv."
    )
    assert upload(facilitator, setup.round_id, data, "network.xlsx").status_code == 302
    assert flashed(facilitator, setup.round_id)[:2] == [
        "Added 0 names and 0 connections from network.xlsx.",
        "2 names were on the map already, so they were not added again.",
    ]
    assert counts(app, setup.round_id) == (2, 2)
    # The round's record says who added which file.
    console = facilitator.get(f"/rounds/{setup.round_id}").get_data(as_text=True)
    assert "added names and connections from ties.csv" in console


def another_round(app, setup) -> int:
    """A new map-your-network round in the setup's experiment, "Again"."""
    with app.app_context(), session_scope() as db:
        experiment = db.get(Experiment, setup.experiment_id)
        loaded = app.extensions["roundtable.questionnaires"]["map-your-network"]
        return lifecycle.create_round(db, experiment, loaded, "Again").id


def test_roundtables_own_kumu_export_imports_into_a_new_round(app):
    setup, facilitator = mapped_round(app)
    exported = download(facilitator, f"/rounds/{setup.round_id}/export/kumu.xlsx")
    fresh = another_round(app, setup)
    assert upload(facilitator, fresh, exported, "kumu.xlsx").status_code == 302
    with app.app_context(), session_scope() as db:
        actors = db.exec(select(Actor).where(Actor.round_id == fresh)).all()
        by_id = {a.id: a for a in actors}
        ties = db.exec(select(Tie).where(Tie.round_id == fresh)).all()
    assert sorted(a.name for a in actors) == ["=SUM(A1)", "Age UK", "Mind", "Shelter"]
    assert {a.name: a.layer for a in actors}["Age UK"] == "offline"
    stated = [(by_id[t.source_id].name, by_id[t.target_id].name, t.kind) for t in ties]
    # Kumu's Strength is how many said it (issue 17, point 16): two people said Age UK
    # funds Mind, so the new round's file says two as well.
    assert sorted(stated) == [
        ("Age UK", "Mind", "funds"),
        ("Age UK", "Mind", "funds"),
        ("Shelter", "Age UK", "ally"),
    ]
    again = download(facilitator, f"/rounds/{fresh}/export/kumu-connections.csv")
    first = download(facilitator, f"/rounds/{setup.round_id}/export/kumu-connections.csv")
    assert again == first


def test_a_rounds_own_kumu_file_imported_back_changes_no_count(app):
    """Issue 17 (16): importing a round's own export back into it added every connection
    again, without a word, so every weight grew."""
    setup, facilitator = mapped_round(app)
    base = f"/rounds/{setup.round_id}/export"
    before = {name: download(facilitator, f"{base}/{name}") for name in ("kumu.xlsx", "map.json")}
    assert upload(facilitator, setup.round_id, before["kumu.xlsx"], "kumu.xlsx").status_code == 302
    assert flashed(facilitator, setup.round_id) == [
        "Added 0 names and 0 connections from kumu.xlsx.",
        "4 names were on the map already, so they were not added again.",
        "2 connections were in the file twice, or on the map already as strong as the file "
        "says: they were not added again.",
    ]
    assert download(facilitator, f"{base}/map.json") == before["map.json"]


def test_several_names_in_to_are_a_connection_to_each():
    """Issue 17 (16): Kumu reads "Mind | Shelter" in a To cell as two connections."""
    data = b"Label,Type\nAge UK,group\nMind,group\nShelter,group\n"
    ties = b"From,To,Type,Strength\nAge UK,Mind | Shelter,Funds,3\n"
    assert read_map_file(data, "m.csv", BOOK).ok
    result = read_map_file(ties, "m.csv", BOOK, on_map=["Age UK", "Mind", "Shelter"])
    assert [(t.source, t.target, t.kind, t.strength) for t in result.ties] == [
        ("Age UK", "Mind", "funds", 3),
        ("Age UK", "Shelter", "funds", 3),
    ]


TOO_LONG = "x" * 121
BAD_FILES = {
    "unknown kind": (
        b"Label,Type\nAge UK,An organisation\nMind,Charity\n",
        "members.csv",
        f"Row 3, column B (Type): 'Charity' is not one of the kinds here; known kinds: {KINDS}",
    ),
    "unknown layer": (
        b"Name,Type,Layer\nAge UK,group,Virtual\n",
        "members.csv",
        f"Row 2, column C (Layer): 'Virtual' is not a layer here; known layers: {LAYERS}",
    ),
    "missing name": (
        b"Label,Type\nAge UK,group\n ,group\n",
        "members.csv",
        "Row 3, column A (Label): there is no name here; write one, or delete the row",
    ),
    "name too long": (
        f"Label,Type\n{TOO_LONG},group\n".encode(),
        "members.csv",
        f"Row 2, column A (Label): '{'x' * 59}…' is too long; a name can have at most 120 "
        "characters",
    ),
    "connection to an unknown name": (
        kumu_xlsx([("Age UK", "group", "", "")], [("Age UK", "Nobody", "Funds", 1, "")]),
        "members.xlsx",
        "Connections sheet, row 2, column B (To): 'Nobody' is not a name in this file or on "
        "the map; check its spelling, or add it to the names",
    ),
    "unknown tie kind": (
        kumu_xlsx(
            [("Age UK", "group", "", ""), ("Mind", "group", "", "")],
            [("Age UK", "Mind", "Hates", 1, "")],
        ),
        "members.xlsx",
        f"Connections sheet, row 2, column C (Type): 'Hates' is not one of the kinds of "
        f"connection here; known kinds: {TIE_KINDS}",
    ),
    "a Strength that is not a number of people": (
        kumu_xlsx(
            [("Age UK", "group", "", ""), ("Mind", "group", "", "")],
            [("Age UK", "Mind", "Funds", "Strong", "")],
        ),
        "members.xlsx",
        "Connections sheet, row 2, column D (Strength): 'Strong' is not a Strength that can "
        "be read; write how many people said it, a whole number from 1 to 1,000, or leave it "
        "empty for one",
    ),
    "missing header": (
        b"Organisation,Type\nAge UK,group\n",
        "members.csv",
        "Row 1: there is no Label column; add a column headed Label (or Name) with the names",
    ),
    "wrong file type": (
        b"\xd0\xcf\x11\xe0 an old Excel file",
        "members.xls",
        "The file must be a .csv, .xlsx or .ods file. In your spreadsheet, choose Save As, then "
        "CSV UTF-8 or Excel Workbook (.xlsx).",
    ),
    "UTF-8 with one broken byte": (
        "Label,Type\nCafé Cymru,group\nMind,group\n".encode() + b"Age\xff UK,group\n",
        "members.csv",
        "Row 4: the file is not UTF-8 text from here on. In your spreadsheet, save it as "
        "CSV UTF-8 and try again.",
    ),
    "not text": (
        b"Label,Type\nAge UK,group\n" + bytes(range(128, 256)) * 8,
        "members.csv",
        "Row 3: the file is not UTF-8 text from here on. In your spreadsheet, save it as "
        "CSV UTF-8 and try again.",
    ),
    "empty file": (
        b"",
        "members.csv",
        "The file is empty. Put the names in a column headed Label (or Name).",
    ),
    "not an OpenDocument spreadsheet": (
        b"PK\x03\x04 not really a zip",
        "members.ods",
        "The file could not be read as an OpenDocument spreadsheet. Open it in your "
        "spreadsheet, save it as ODF Spreadsheet (.ods) or CSV UTF-8 and try again.",
    ),
    "not a workbook": (
        b"Label,Type\nAge UK,group\n",
        "members.xlsx",
        "The file could not be read as an Excel workbook. Open it in your spreadsheet, save "
        "it as Excel Workbook (.xlsx) and try again.",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_each_problem_is_named_by_row_and_column_and_nothing_is_added(app, mapped, case):
    setup, facilitator = mapped
    data, filename, expected = BAD_FILES[case]
    response = upload(facilitator, setup.round_id, data, filename)
    assert response.status_code == 400
    assert problems(response) == [expected]
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.title.get_text().startswith("Error: Import names from a spreadsheet")
    assert "Nothing was added to the map" in soup.select_one("#file-error").get_text()
    assert soup.select_one("#file")["aria-describedby"] == "file-hint file-error"
    assert counts(app, setup.round_id) == (0, 0)


def test_one_bad_row_in_a_thousand_adds_nothing_and_every_problem_is_listed(app, mapped):
    setup, facilitator = mapped
    names = member_names(1000)
    elements = [(n, "group", "", "") for n in names]
    elements[499] = (names[499], "Charity", "", "")
    connections = [(names[i], names[i + 1], "Funds", 1, "") for i in range(999)]
    response = upload(facilitator, setup.round_id, kumu_xlsx(elements, connections), "m.xlsx")
    assert response.status_code == 400
    assert problems(response) == [
        f"Elements sheet, row 501, column B (Type): 'Charity' is not one of the kinds here; "
        f"known kinds: {KINDS}"
    ]
    assert counts(app, setup.round_id) == (0, 0)
    # Many problems: the first fifty are listed, and the rest counted.
    bad = "Label,Type\n" + "".join(f"Name {i},Charity\n" for i in range(60))
    response = upload(facilitator, setup.round_id, bad.encode(), "m.csv")
    listed = problems(response)
    assert len(listed) == MAX_ISSUES + 1 and listed[-1] == "And 10 more problems."
    assert listed[0].startswith("Row 2, column B (Type): 'Charity'")
    assert counts(app, setup.round_id) == (0, 0)


def test_a_file_over_the_size_limit_is_refused_in_words(app, mapped):
    setup, facilitator = mapped
    big = b"Label,Type\n" + b"A name that goes on and on,group\n" * 300_000  # about 10 MB
    response = upload(facilitator, setup.round_id, big, "members.csv")
    assert response.status_code == 413
    assert problems(response) == [
        "The file is larger than 8 MB. Split it into smaller files and add them one after another."
    ]
    # Larger than other forms may send, but within this page's limit: read.
    about = b"A member since 2019, working across the county on housing and care"
    rows = b"".join(b"Name %d,group,%s\n" % (i, about) for i in range(4000))
    medium = b"Label,Type,Description\n" + rows
    assert len(medium) > app.config["MAX_CONTENT_LENGTH"]
    assert upload(facilitator, setup.round_id, medium, "members.csv").status_code == 302
    assert counts(app, setup.round_id) == (4000, 0)


def test_only_the_rounds_facilitator_can_import(app, mapped):
    setup, _facilitator = mapped
    url = f"/rounds/{setup.round_id}/map/import"
    other = app.test_client()
    make_setup(app, email="other@example.org")
    sign_in(other, "other@example.org")
    assert other.get(url).status_code == 404
    assert upload(other, setup.round_id, b"Label,Type\nAge UK,group\n", "m.csv").status_code == 404
    participant = app.test_client()
    join(participant, setup, "Amira")
    for response in (
        participant.get(url),
        upload(participant, setup.round_id, b"Label,Type\nAge UK,group\n", "m.csv"),
    ):
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]
    assert counts(app, setup.round_id) == (0, 0)


def test_a_post_without_the_forms_token_is_refused(app, mapped):
    setup, facilitator = mapped
    response = facilitator.post(
        f"/rounds/{setup.round_id}/map/import",
        data={"file": (io.BytesIO(b"Label,Type\nAge UK,group\n"), "m.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and b"This form has expired" in response.data
    assert counts(app, setup.round_id) == (0, 0)


def test_the_page_is_linked_from_the_map_and_lists_the_rounds_words(app, mapped):
    setup, facilitator = mapped
    soup = BeautifulSoup(facilitator.get(f"/rounds/{setup.round_id}/map").data, "html.parser")
    link = soup.find("a", string="Import names from a spreadsheet")
    page = facilitator.get(link["href"])
    assert page.status_code == 200
    text = BeautifulSoup(page.data, "html.parser").get_text(" ", strip=True)
    assert all(word in text for word in ("An organisation", "We meet online", "Is an ally of"))
    # In the words people read: names and connections, never the code's actors and ties.
    assert re.findall(r"\b(?:actors?|ties?)\b", text, re.IGNORECASE) == []
    missing = upload(facilitator, setup.round_id, b"", "")
    assert problems(missing) == ["Choose a .csv, .xlsx or .ods file"]


def test_an_ended_round_takes_no_import(app, mapped):
    setup, facilitator = mapped
    from tests.conftest import command

    command(facilitator, setup, "start")
    command(facilitator, setup, "end")
    response = upload(facilitator, setup.round_id, b"Label,Type\nAge UK,group\n", "m.csv")
    assert response.status_code == 400 and b"The round has ended" in response.data
    assert counts(app, setup.round_id) == (0, 0)


# The reading itself, without the app.


def test_kumu_csv_with_a_mark_semicolons_tags_and_blank_rows():
    data = "\ufeffNAME;type;Tags\nAge UK;a group;health|face to face\n;;\nMind;organisation;\n"
    result = read_map_file(data.encode(), "m.CSV", BOOK)
    assert result.ok, result.issues
    assert [(a.name, a.kind, a.layer) for a in result.actors] == [
        ("Age UK", "group", "offline"),
        ("Mind", "organisation", None),
    ]


def test_a_layer_twice_a_tie_to_itself_and_a_missing_kind_are_problems():
    data = (
        "Label,Type,Tags\nAge UK,,We meet online|Face to face\nMind,group,\n"
        "From,To\n"  # just a row here: a CSV is elements or ties, not both
    )
    result = read_map_file(data.encode(), "m.csv", BOOK)
    found = [(i.row, i.column, i.problem) for i in result.issues]
    assert found == [
        (2, "B", Problem.MISSING_KIND),
        (2, "C", Problem.TWO_LAYERS),
        (4, "B", Problem.UNKNOWN_KIND),
    ]
    assert result.actors == [] and result.ties == []
    ties = read_map_file(b"From,To,Type\nAge UK,age uk,funds\n", "t.csv", BOOK, ["Age UK"])
    assert [(i.column, i.problem) for i in ties.issues] == [("B", Problem.SAME_ACTOR)]


def test_one_kind_need_not_be_written_and_the_actor_limit_holds():
    one = Codebook(actor_kinds=[Term(id="group", label="A group")])
    result = read_map_file(b"Name\nAge UK\nMind\n", "m.csv", one)
    assert [(a.name, a.kind) for a in result.actors] == [("Age UK", "group"), ("Mind", "group")]
    rows = "".join(f"Name {i}\n" for i in range(MAX_ACTORS + 1))
    over = read_map_file(f"Name\n{rows}".encode(), "m.csv", one)
    assert [(i.row, i.problem) for i in over.issues] == [(MAX_ACTORS + 2, Problem.TOO_MANY_ACTORS)]


def test_a_broken_csv_or_workbook_is_a_problem_never_an_exception():
    broken_quote = read_map_file(b'Label,Type\nMind,group\n"Age UK,group\n', "m.csv", BOOK)
    assert [(i.row, i.problem) for i in broken_quote.issues] == [(3, Problem.UNREADABLE_ROW)]
    assert broken_quote.actors == []
    for data in (b"PK\x03\x04 not really a zip", kumu_xlsx([])[:200], b"\x00" * 50):
        result = read_map_file(data, "m.xlsx", BOOK)
        assert [i.problem for i in result.issues] == [Problem.NOT_XLSX]
    headers_only = read_map_file(kumu_xlsx([], []), "m.xlsx", BOOK)
    assert [i.problem for i in headers_only.issues] == [Problem.NO_ROWS]
    no_map = read_map_file(b"Label\nAge UK\n", "m.csv", Codebook())
    assert [i.problem for i in no_map.issues] == [Problem.NO_MAP]


def test_a_csv_cell_too_long_to_read_is_called_that_not_an_unclosed_quote(mapped):
    """Issue 17 (11): a 7 MB single-cell CSV was blamed on an unclosed quotation mark; the
    real cause is the CSV reader's field size limit."""
    setup, facilitator = mapped
    data = b"Label,Type\nMind,group\n" + b"A" * 7_000_000 + b",group\n"
    response = upload(facilitator, setup.round_id, data, "members.csv")
    assert response.status_code == 400
    [problem] = problems(response)
    assert "Row 3" in problem and "too long to read (more than 131,072 characters)" in problem
    assert "quotation mark" not in problem
    assert counts(facilitator.application, setup.round_id) == (0, 0)


def workbook_without_dimension(rows: int, tail: str = "") -> bytes:
    """An .xlsx whose Elements sheet has `rows` names and no <dimension> (as some programs
    write it), then `tail` inside its sheet data: 1,000,000 rows zip to a few MB."""
    import zipfile

    plain = zipfile.ZipFile(io.BytesIO(kumu_xlsx([])))
    body = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Name {i}</t></is></c>'
        f'<c r="B{i}" t="inlineStr"><is><t>group</t></is></c></row>'
        for i in range(2, rows + 2)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        'Label</t></is></c><c r="B1" t="inlineStr"><is><t>Type</t></is></c></row>'
        f"{body}{tail}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in plain.infolist():
            data = sheet.encode() if info.filename.endswith("sheet1.xml") else plain.read(info)
            archive.writestr(info.filename, data)
    return out.getvalue()


def test_a_workbook_without_its_size_is_read_only_as_far_as_needed(mapped):
    """Issue 17 (5): a 317 KB .xlsx of 1,000,000 rows with no <dimension> froze the server
    for 20-27 s: opening it read the whole sheet looking for its size. Past the row limit
    nothing more may be read: here the sheet breaks after 20,000 rows, which reading it
    whole would meet (and call the file unreadable)."""
    broken_later = workbook_without_dimension(20_000, tail="<row><c><v>unclosed")
    result = read_map_file(broken_later, "m.xlsx", BOOK)
    assert [(i.row, i.problem) for i in result.issues] == [
        (MAX_ACTORS + 2, Problem.TOO_MANY_ACTORS)
    ]
    setup, facilitator = mapped
    response = upload(facilitator, setup.round_id, broken_later, "members.xlsx")
    assert response.status_code == 400
    assert "at most 5,000" in problems(response)[0]
    # With fewer rows, every one is read, as before.
    small = read_map_file(workbook_without_dimension(3), "m.xlsx", BOOK)
    assert [a.name for a in small.actors] == ["Name 2", "Name 3", "Name 4"]


def test_the_room_is_served_while_a_big_workbook_is_read(mapped):
    """Issue 17 (5): on gevent, reading an upload held the whole server: a 5,000-row
    workbook took about a second, and in that time no socket or timer in the room was
    served. The read now runs in a native thread; the loop goes on ticking meanwhile."""
    setup, facilitator = mapped
    rows = [(name, "An organisation", "", "") for name in member_names(MAX_ACTORS)]
    data = kumu_xlsx([*rows[:-1], (rows[-1][0], "A submarine", "", "")])  # refused at the end
    ticks: list[float] = []

    def ticker() -> None:  # stands for the sockets' pings and the room's timers
        while True:
            ticks.append(time.perf_counter())
            gevent.sleep(0.001)

    tick = gevent.spawn(ticker)
    gevent.sleep(0.01)
    started = time.perf_counter()
    request = gevent.spawn(upload, facilitator, setup.round_id, data, "members.xlsx")
    response = request.get(timeout=60)
    ended = time.perf_counter()
    tick.kill()
    assert response.status_code == 400
    assert "A submarine" in " ".join(problems(response))
    during = [t for t in ticks if started < t < ended]
    assert len(during) >= 20, f"{len(during)} ticks in {ended - started:.2f} s of reading"


def test_the_real_server_answers_pages_while_a_workbook_is_read(tmp_path):
    """Issue 17 (5), as `roundtable serve` runs (gevent, the standard library patched):
    while a workbook of 5,000 names and 20,000 connections is read (about a second), other
    people's pages are still answered. Its last row names an unknown kind: nothing is stored,
    so the reading is the whole of the request."""
    database = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database)
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    app.extensions["roundtable.engine"].dispose()
    names = member_names(MAX_ACTORS)
    rng = random.Random(5)
    ties = [(rng.choice(names), rng.choice(names), "Works with") for _ in range(20_000)]
    ties = [tie for tie in ties if tie[0] != tie[1]] + [(names[0], names[1], "Sings to")]
    data = kumu_xlsx([(name, "An organisation", "", "") for name in names], ties)
    with served_app(database, tmp_path / "server.log") as server:
        laptop = requests.Session()
        form = laptop.get(f"{server.url}/sign-in", timeout=10).text
        fields = {"email": setup.email, "password": PASSWORD, "csrf_token": csrf(form)}
        laptop.post(f"{server.url}/sign-in", data=fields, timeout=10)
        address = f"{server.url}/rounds/{setup.round_id}/map/import"
        token = csrf(laptop.get(address, timeout=10).text)
        answered = 0
        with ThreadPoolExecutor(1) as pool:
            posted = pool.submit(
                laptop.post,
                address,
                data={"csrf_token": token},
                files={"file": ("members.xlsx", data)},
                timeout=60,
            )
            while not posted.done():  # someone else's phone, loading the join page
                if requests.get(server.url, timeout=30).ok and not posted.done():
                    answered += 1
                time.sleep(0.02)
            response = posted.result()
    assert response.status_code == 400 and "Sings to" in response.text, server.log_tail()
    assert counts(app, setup.round_id) == (0, 0)
    assert answered >= 10, f"{answered} pages answered while it was read"


ENCODED = {
    # Excel's "CSV" on a Western European computer: Windows-1252, semicolons.
    "Windows-1252": ("Label;Type\nCafé Cymru;group\nCrèche Saint-Rémy;group\n", "cp1252"),
    # Excel's "Unicode Text": UTF-16 with a byte order mark, tabs.
    "UTF-16": ("Label\tType\nمنظمة الشباب\tgroup\nCafé Cymru\tgroup\n", "utf-16"),
}


@pytest.mark.parametrize("encoding", ENCODED)
def test_a_csv_in_the_encodings_spreadsheets_write_is_read_and_said(app, mapped, encoding):
    """Issue 17 (17): a CSV that was not UTF-8 was refused, though Excel writes Windows-1252
    "CSV" and UTF-16 "Unicode Text". It is read, and the page says how, so that a name that
    looks wrong can be put right."""
    setup, facilitator = mapped
    text, codec = ENCODED[encoding]
    response = upload(facilitator, setup.round_id, text.encode(codec), "members.csv")
    assert response.status_code == 302
    messages = flashed(facilitator, setup.round_id)
    assert messages[0] == "Added 2 names from members.csv."
    assert messages[1] == (
        f"The file was not saved as UTF-8, so it was read as {encoding}. If any name looks "
        "wrong, save the file as CSV UTF-8 and import it again."
    )
    with app.app_context(), session_scope() as db:
        names = set(db.exec(select(Actor.name).where(Actor.round_id == setup.round_id)))
    assert names == {row.split(text[5])[0] for row in text.splitlines()[1:]}


def test_a_short_polish_csv_is_read_in_polands_code_page():
    """A short Windows-1250 file reads as well in Windows-1252 ("£ódŸ"): a round in Polish
    tries Polish's code page first."""
    data = "Label,Type\nŁódź,group\n".encode("cp1250")
    result = read_map_file(data, "m.csv", BOOK, languages=["pl"])
    assert [a.name for a in result.actors] == ["Łódź"]
    assert result.encoding == "cp1250"


def ods(sheets: dict[str, list[tuple]], more: str = "") -> bytes:
    """An OpenDocument spreadsheet, as LibreOffice saves one, with these sheets and rows
    (and `more` rows, as XML, at the end of the last sheet)."""
    office = "urn:oasis:names:tc:opendocument:xmlns"
    body = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>"
            + "".join(
                '<table:table-cell office:value-type="string">'
                f"<text:p>{cell}</text:p></table:table-cell>"
                for cell in row
            )
            + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    body = body.removesuffix("</table:table>") + more + "</table:table>"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="{office}:office:1.0" '
        f'xmlns:table="{office}:table:1.0" xmlns:text="{office}:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<manifest:manifest xmlns:manifest="{office}:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return out.getvalue()


def test_an_ods_from_libreoffice_imports_like_an_xlsx(app, mapped):
    """Issue 17 (17): .ods (LibreOffice, Google Sheets' OpenDocument download) was refused."""
    setup, facilitator = mapped
    data = ods(
        {
            "Elements": [("Label", "Type"), ("Café Cymru", "group"), ("Mind", "organisation")],
            "Connections": [
                ("From", "To", "Type", "Strength"),
                ("Mind", "Café Cymru", "Funds", "2"),
            ],
        }
    )
    assert upload(facilitator, setup.round_id, data, "network.ods").status_code == 302
    assert flashed(facilitator, setup.round_id)[0] == (
        "Added 2 names and 1 connection from network.ods."
    )
    assert counts(app, setup.round_id) == (2, 2)  # Strength 2: two statements
    problem = ods({"Sheet1": [("Label", "Type"), ("Mind", "Charity")]})
    response = upload(facilitator, setup.round_id, problem, "more.ods")
    assert problems(response) == [
        f"Sheet1 sheet, row 2, column B (Type): 'Charity' is not one of the kinds here; known "
        f"kinds: {KINDS}"
    ]


def test_an_ods_that_repeats_a_row_a_million_times_is_refused_unread(app, mapped):
    """An .ods can say "this row, 100,000 times, each cell 100 times" in a few hundred bytes:
    calamine made the 10 million cells (1.3 GB, 3 s). Such a file is refused from what it
    says, before it is read; LibreOffice's own repeated empty rows are no such file."""
    setup, facilitator = mapped
    filled = (
        '<table:table-row table:number-rows-repeated="100000">'
        '<table:table-cell table:number-columns-repeated="100" office:value-type="string">'
        "<text:p>Mind</text:p></table:table-cell></table:table-row>"
    )
    bomb = ods({"Elements": [("Label", "Type")]}, more=filled)
    assert len(bomb) < 2_000
    response = upload(facilitator, setup.round_id, bomb, "members.ods")
    assert problems(response) == [
        "This workbook holds too much to read. Keep only its Elements and Connections sheets, "
        "or save it as CSV UTF-8, and try again."
    ]
    empty = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    saved = ods({"Elements": [("Label", "Type"), ("Mind", "group")]}, more=empty)
    assert upload(facilitator, setup.round_id, saved, "members.ods").status_code == 302


def test_roundtables_own_kumu_connections_csv_imports_alone_between_names_on_the_map(app):
    """Kumu's connections name elements by ID ("age-uk"): the connections CSV, imported on
    its own into a round that has the names, still finds them."""
    setup, facilitator = mapped_round(app)
    base = f"/rounds/{setup.round_id}/export"
    elements = download(facilitator, f"{base}/kumu-elements.csv")
    connections = download(facilitator, f"{base}/kumu-connections.csv")
    fresh = another_round(app, setup)
    assert upload(facilitator, fresh, elements, "kumu-elements.csv").status_code == 302
    assert upload(facilitator, fresh, connections, "kumu-connections.csv").status_code == 302
    again = download(facilitator, f"/rounds/{fresh}/export/kumu-connections.csv")
    assert again == connections


def test_a_name_with_a_bar_in_it_is_one_target_not_two():
    """Kumu splits To at "|"; a name on the map that has one is still one name."""
    ties = b"From,To,Type\nAge UK,Mind | Body,Funds\nAge UK,Mind | Shelter,Funds\n"
    result = read_map_file(ties, "m.csv", BOOK, on_map=["Age UK", "Mind | Body", "Mind", "Shelter"])
    assert [(t.source, t.target) for t in result.ties] == [
        ("Age UK", "Mind | Body"),
        ("Age UK", "Mind"),
        ("Age UK", "Shelter"),
    ]
