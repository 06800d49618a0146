"""Bad input the fuzz tests found, kept as plain regression tests: a clear refusal, never a 500."""

from __future__ import annotations

import io

from sqlmodel import select

from tests.conftest import sign_in
from workshop.store.db import session_scope
from workshop.store.models import Participant, Project, Round, RunSheetStep


def test_a_multipart_part_without_a_name_is_ignored(client, setup):
    """Werkzeug keeps a nameless part under the key None; the CSRF check then failed."""
    nameless = {"\r": "", "file": (io.BytesIO(b"x"), "x.csv")}
    response = client.post("/", data=nameless)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_a_map_import_with_a_nameless_part_is_refused_plainly(app, setup, client):
    sign_in(client, setup.email)
    data = {"\r": [""], "file": (io.BytesIO(b"name,kind\n"), "q.yaml")}
    response = client.post(f"/rounds/{setup.round_id}/map/import", data=data)
    assert response.status_code == 400


def test_run_sheet_notes_lose_control_characters(app, setup, facilitator):
    """Notes were only stripped: a NUL was stored (PostgreSQL refuses NUL in text)."""
    url = f"/rounds/{setup.round_id}/run-sheet"
    response = facilitator.post_form(url, {"notes-feeling": "Go\x00 slowly\x1b\nthen stop"})
    assert response.status_code == 302
    with app.app_context(), session_scope() as db:
        notes = {r.step_id: r.notes for r in db.exec(select(RunSheetStep))}
    assert notes["feeling"] == "Go slowly\nthen stop"
    assert facilitator.post_form(url, {"notes-needs": "\x00"}).status_code == 302


def test_one_line_names_keep_no_line_breaks_or_tabs(app, setup, facilitator):
    """Names were cleaned of NUL and the like, but kept line breaks and tabs inside."""
    assert facilitator.post_form("/projects", {"name": "Net\nEquality\t group"}).status_code == 302
    round_form = {"questionnaire": "check-in", "name": "Round\r\none", "pace": "live"}
    assert (
        facilitator.post_form(f"/experiments/{setup.experiment_id}", round_form).status_code == 302
    )
    person = app.test_client()
    person.post_form(f"/j/{setup.join_token}", {"display_name": "Sam\r\nJones", "agree": "y"})
    with app.app_context(), session_scope() as db:
        assert "Net Equality group" in {p.name for p in db.exec(select(Project))}
        assert "Round one" in {r.name for r in db.exec(select(Round))}
        assert [p.display_name for p in db.exec(select(Participant))] == ["Sam Jones"]
