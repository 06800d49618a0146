"""Facilitators set up projects, experiments and rounds, and open a round's console."""

import io
import re

from bs4 import BeautifulSoup

from questionnaires.loader import LIBRARY
from tests.conftest import make_setup, round_row, sign_in


def test_create_project_experiment_and_round(app, facilitator):
    response = facilitator.post_form("/projects", {"name": "Disability campaigners"})
    assert response.status_code == 302
    project_url = response.headers["Location"]
    response = facilitator.post_form(project_url, {"name": "Issue maps", "description": "Try it"})
    experiment_url = response.headers["Location"]
    html = facilitator.get(experiment_url).get_data(as_text=True)
    assert "Mapping our network layers" in html
    response = facilitator.post_form(experiment_url, {"questionnaire": "network-layers"})
    console_url = response.headers["Location"]
    round_id = int(console_url.rsplit("/", 1)[1])
    round_ = round_row(app, round_id)
    assert round_.status == "lobby"
    assert round_.name == "Mapping our network layers"
    assert round_.questionnaire_id == "network-layers"
    assert round_.step_count == 9
    assert "id: network-layers" in round_.questionnaire_source  # the snapshot
    html = facilitator.get(console_url).get_data(as_text=True)
    shown_code = re.search(r'class="join-code">([^<]+)<', html).group(1)
    assert shown_code.replace(" ", "") == round_.join_code
    assert round_.join_token in html
    listing = facilitator.get(experiment_url).get_data(as_text=True)
    assert listing.count("Waiting to start") == 1
    assert "Mapping our network layers (version 1)" in listing


def test_forms_say_what_is_missing(facilitator, setup):
    response = facilitator.post_form("/projects", {"name": "  "})
    assert response.status_code == 400
    assert "Enter a name for the project" in response.get_data(as_text=True)
    response = facilitator.post_form(
        f"/experiments/{setup.experiment_id}", {"questionnaire": "no-such-thing"}
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_qr_code_is_an_svg_of_the_join_link(facilitator, setup):
    response = facilitator.get(f"/rounds/{setup.round_id}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<svg")
    assert b"<title>Join link</title>" in response.data


def test_public_url_sets_the_join_link(database_url, setup):
    from tests.conftest import join, make_app

    app = make_app(database_url, PUBLIC_URL="https://workshop.example.org/")
    client = app.test_client()
    sign_in(client, setup.email)
    html = client.get(f"/rounds/{setup.round_id}").get_data(as_text=True)
    assert f"https://workshop.example.org/j/{setup.join_token}" in html
    poster = client.get(f"/rounds/{setup.round_id}/join-details").get_data(as_text=True)
    assert "https://workshop.example.org/</strong>" in poster
    participant = app.test_client()
    page = join(participant, setup)
    keep = participant.get(page).get_data(as_text=True)
    assert f"https://workshop.example.org{page}" in keep


def test_join_details_page_for_a_shared_screen(facilitator, setup):
    html = facilitator.get(f"/rounds/{setup.round_id}/join-details").get_data(as_text=True)
    code = setup.join_code
    assert f"{code[:3]} {code[3:]}" in html
    assert "qr.svg" in html


def upload(client, setup, content: bytes, filename: str = "mine.yaml", name: str = ""):
    data = {"upload-file": (io.BytesIO(content), filename), "upload-name": name}
    return client.post_form(
        f"/experiments/{setup.experiment_id}/upload", data, content_type="multipart/form-data"
    )


def rounds_in(app) -> int:
    from sqlmodel import select

    from workshop.store.db import session_scope
    from workshop.store.models import Round

    with app.app_context(), session_scope() as db:
        return len(db.exec(select(Round)).all())


GOOD = b"""id: our-own
title: Our own check-in
steps:
  - id: mood
    type: rating-scale
    title: How are you today?
    min_label: Low
    max_label: High
"""


def test_an_uploaded_questionnaire_starts_a_round_from_its_exact_text(app, facilitator, setup):
    response = upload(facilitator, setup, GOOD, name="Brent, May")
    assert response.status_code == 302
    round_ = round_row(app, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (round_.name, round_.questionnaire_id) == ("Brent, May", "our-own")
    assert round_.questionnaire_source == GOOD.decode()


def test_an_invalid_upload_lists_each_problem_and_starts_nothing(app, facilitator, setup):
    before = rounds_in(app)
    bad = GOOD.replace(b"type: rating-scale", b"type: dance") + b"surprise: 1\n"
    response = upload(facilitator, setup, bad)
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    listed = [a.get_text() for a in soup.select(".error-summary a")]
    assert any("mine.yaml, line 5, step 'mood': 'dance' is not a step type" in m for m in listed)
    assert any("'surprise' is not something a questionnaire can have" in m for m in listed)
    assert all(a["href"] == "#upload-file" for a in soup.select(".error-summary a"))
    assert soup.title.get_text().startswith("Error: ")
    assert rounds_in(app) == before


def test_an_upload_nested_too_deeply_is_refused_in_words(app, facilitator, setup):
    """Issue 17 (6): a questionnaire nested about 500 deep was a RecursionError and a 500."""
    before = rounds_in(app)
    for depth in (500, 60):  # too deep for the YAML reader itself; too deep for the checks
        nested = (
            GOOD + b"  - id: deep\n    type: reflection\n    title: " + b"[" * depth + b"]" * depth
        )
        response = upload(facilitator, setup, nested)
        assert response.status_code == 400, depth
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        listed = [a.get_text() for a in soup.select(".error-summary a")]
        assert any("nested too deeply: at most 40 levels" in m for m in listed), listed
    assert rounds_in(app) == before


def test_uploads_must_be_yaml_text(app, facilitator, setup):
    before = rounds_in(app)
    wrong_kind = upload(facilitator, setup, GOOD, filename="mine.docx")
    assert "The file must be a .yaml file" in wrong_kind.get_data(as_text=True)
    not_text = upload(facilitator, setup, b"\xff\xfe\x00binary")
    assert "This file is not plain text" in not_text.get_data(as_text=True)
    missing = facilitator.post_form(
        f"/experiments/{setup.experiment_id}/upload", {}, content_type="multipart/form-data"
    )
    assert "Choose a questionnaire file" in missing.get_data(as_text=True)
    assert rounds_in(app) == before


def test_another_facilitator_cannot_upload_into_an_experiment(app, setup):
    other = make_setup(app, email="kim@example.org")
    kim = app.test_client()
    sign_in(kim, other.email)
    assert upload(kim, setup, GOOD).status_code == 404


def test_preview_steps_through_a_questionnaire_as_participants_see_it(app, facilitator, setup):
    preview = "/questionnaires/network-layers/preview"
    html = facilitator.get(f"{preview}/1").get_data(as_text=True)
    assert "nothing you choose here is saved" in html
    assert "<h1" in html and "Welcome" in html
    soup = BeautifulSoup(facilitator.get(f"{preview}/2").get_data(as_text=True), "html.parser")
    assert soup.select_one(".step-count").get_text() == "Question 1 of 7"
    assert soup.h1.get_text(strip=True) == "How are you taking part today?"
    empty = facilitator.get(f"{preview}/2?try=1")
    assert empty.status_code == 400
    assert "Choose one answer" in empty.get_data(as_text=True)  # the participants' check
    chosen = facilitator.get(f"{preview}/2?try=1&answer=in-the-room")
    # The answer rides along, so that later steps follow skip logic as for a participant.
    assert chosen.headers["Location"] == f"{preview}/3?given=joining-from:in-the-room"
    assert facilitator.get(f"{preview}/10").status_code == 404
    assert facilitator.get("/questionnaires/no-such/preview/1").status_code == 404
    assert rounds_in(app) == 1  # previewing starts nothing


def test_preview_of_a_round_shows_its_own_snapshot(app, facilitator, setup):
    response = upload(facilitator, setup, GOOD)
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    html = facilitator.get(f"/rounds/{round_id}/preview/1").get_data(as_text=True)
    assert "How are you today?" in html
    kim_setup = make_setup(app, email="kim@example.org")
    kim = app.test_client()
    sign_in(kim, kim_setup.email)
    assert kim.get(f"/rounds/{round_id}/preview/1").status_code == 404
    assert app.test_client().get("/questionnaires/check-in/preview/1").status_code == 302


def test_an_upload_with_an_unknown_tie_kind_gets_the_checks_own_words(app, facilitator, setup):
    from tests.test_questionnaire_format import NETWORK

    before = rounds_in(app)
    bad = NETWORK.replace("tie_kinds: [works-with, funds]", "tie_kinds: [works-with, ally]")
    response = upload(facilitator, setup, bad.encode())
    assert response.status_code == 400
    listed = [
        a.get_text() for a in BeautifulSoup(response.data, "html.parser").select(".error-summary a")
    ]
    assert listed[0] == (
        "mine.yaml, line 21, step 'allies': tie kind 'ally' is not in the codebook; "
        "known kinds: works-with, funds"
    )
    assert rounds_in(app) == before
    assert upload(facilitator, setup, NETWORK.encode()).status_code == 302


def test_the_questionnaire_list_says_how_many_steps_in_words(facilitator, setup):
    experiment_url = f"/experiments/{setup.experiment_id}"

    def listed() -> dict[str, str]:
        page = BeautifulSoup(facilitator.get(experiment_url).get_data(as_text=True), "html.parser")
        return {o["value"]: o.get_text() for o in page.select("#questionnaire option")}

    options = listed()
    assert options["check-in"] == "Quick check-in (3 steps)"
    assert options["map-your-network"] == "Map your network (11 steps)"
    facilitator.get("/language/cy", query_string={"next": experiment_url})
    assert listed()["check-in"] == "Quick check-in (3 cham)"  # Welsh's own plural forms
    facilitator.get("/language/pl", query_string={"next": experiment_url})
    assert listed()["map-your-network"] == "Map your network (11 kroków)"


def test_a_files_problems_are_listed_in_the_pages_language(app, facilitator, setup):
    """The upload that starts a round lists what the checks found in Welsh on a Welsh page
    (the command line's English is unchanged)."""
    written = (LIBRARY / "check-in.yaml").read_text(encoding="utf-8")
    text = written.replace("cy: Sgwrs", "xx: Sgwrs")
    facilitator.get("/language/cy")
    page = facilitator.post_form(
        f"/experiments/{setup.experiment_id}/upload",
        {"upload-file": (io.BytesIO(text.encode()), "mine.yaml")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    listed = BeautifulSoup(page.get_data(as_text=True), "html.parser").select(".error-summary li")
    words = " ".join(item.get_text(" ") for item in listed)
    assert "mine.yaml, llinell" in words and "'xx'" in words
    assert "is not one of this questionnaire's languages" not in words
