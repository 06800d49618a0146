"""The console's live panel: rendered once for every console watching, and never older than a
change the console was told of."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from flask import template_rendered

from tests.conftest import command, join, round_row, sign_in
from tests.test_help_and_team import add_facilitator, join_team
from tests.test_sockets import facilitator_socket, send

PANEL = "facilitator/_live.html"


def answered(html: str) -> str:
    return re.search(r"(\d+) of (\d+) answered", html).group(0)


def renders_of(app):
    """The panel renders this app makes, as Flask reports them."""
    seen: list[str] = []

    def rendered(_sender, template, context, **_extra):
        if template.name == PANEL:
            seen.append(template.name)

    template_rendered.connect(rendered, app, weak=False)
    return seen


def test_a_console_told_of_an_answer_sees_it_and_others_share_that_render(app, setup, facilitator):
    colleague = app.test_client()  # the same lead on a second screen, e.g. the shared one
    sign_in(colleague, setup.email)
    console = facilitator_socket(app, facilitator)
    assert send(console, "watch", {"round": setup.round_id}) == {"ok": True}
    person = app.test_client()
    page = join(person, setup, "Amira")
    command(facilitator, setup, "start")
    live = f"/rounds/{setup.round_id}/live"
    assert answered(facilitator.get(live).get_data(as_text=True)) == "0 of 1 answered"
    renders = renders_of(app)

    console.get_received("/facilitator")
    person.post_form(f"{page}/steps/feeling", {"answer": "4"})
    (change,) = [
        e["args"][0] for e in console.get_received("/facilitator") if e["name"] == "console_changed"
    ]
    first = facilitator.get(f"{live}?since={change['at']}").get_data(as_text=True)
    second = colleague.get(f"{live}?since={change['at']}").get_data(as_text=True)

    assert answered(first) == answered(second) == "1 of 1 answered"
    assert renders == [PANEL]  # one render for both consoles
    # Each console's forms carry its own token: the colleague's works for the colleague.
    token = re.search(r'name="csrf_token" value="([^"]+)"', second).group(1)
    moved = colleague.post(
        f"/rounds/{setup.round_id}/command", data={"command": "next", "csrf_token": token}
    )
    assert moved.status_code == 302
    assert round_row(app, setup.round_id).step_index == 1


def test_a_panel_asked_for_again_after_a_change_is_rendered_again(app, setup, facilitator):
    person = app.test_client()
    page = join(person, setup, "Amira")
    command(facilitator, setup, "start")
    live = f"/rounds/{setup.round_id}/live"
    facilitator.get(live)
    renders = renders_of(app)
    console = facilitator_socket(app, facilitator)
    send(console, "watch", {"round": setup.round_id})
    console.get_received("/facilitator")
    person.post_form(f"{page}/steps/feeling", {"answer": "4"})
    (change,) = [
        e["args"][0] for e in console.get_received("/facilitator") if e["name"] == "console_changed"
    ]
    # Within the second, a console that was told of nothing newer may get the kept panel;
    # one that was told of the answer never does.
    assert answered(facilitator.get(f"{live}?since={change['at']}").get_data(as_text=True)) == (
        "1 of 1 answered"
    )
    assert renders == [PANEL]


def people_rows(html: str) -> list[str]:
    """The people list's rows as the console shows them, each in words."""
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in soup.select(".people__row")]


def test_each_persons_row_follows_them_and_the_viewers_rights(app, setup, facilitator):
    """Issue 16: rows of the people list are kept between renders, so a room of 1,000 is
    not drawn again on every change. A kept row must still change when its person answers;
    a supporter, who may not remove people, never gets the lead's rows, nor a Welsh
    reader the English ones."""
    live = f"/rounds/{setup.round_id}/live"
    amira, bo = app.test_client(), app.test_client()
    page = join(amira, setup, "Amira")
    join(bo, setup, "Bo")
    command(facilitator, setup, "start")
    assert people_rows(facilitator.get(live).get_data(as_text=True)) == [
        "Amira here not yet Remove Amira Their data Amira",
        "Bo here not yet Remove Bo Their data Bo",
    ]
    amira.post_form(f"{page}/steps/feeling", {"answer": "4"})
    assert people_rows(facilitator.get(live).get_data(as_text=True)) == [
        "Amira here answered Remove Amira Their data Amira",
        "Bo here not yet Remove Bo Their data Bo",
    ]
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee", "Deaf Access Cymru")
    join_team(facilitator, setup.round_id, "alex@example.org", supporter)
    assert people_rows(supporter.get(live).get_data(as_text=True)) == [
        "Amira here answered",
        "Bo here not yet",
    ]
    supporter.get("/language/cy")
    assert people_rows(supporter.get(live).get_data(as_text=True)) == [
        "Amira yma wedi ateb",
        "Bo yma ddim eto",
    ]
