"""Facilitator accounts: sign in, sign out, the CLI, and pages that need sign-in."""

from urllib.parse import unquote

from sqlmodel import select

from tests.conftest import PASSWORD, join, make_setup, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Facilitator

FACILITATOR_PAGES = [
    "/projects",
    "/projects/{project}",
    "/experiments/{experiment}",
    "/rounds/{round}",
    "/rounds/{round}/live",
    "/rounds/{round}/end",
    "/rounds/{round}/join-details",
    "/rounds/{round}/qr.svg",
]


def urls(setup):
    return [
        u.format(project=1, experiment=setup.experiment_id, round=setup.round_id)
        for u in FACILITATOR_PAGES
    ]


def test_passwords_are_stored_as_slow_salted_hashes(app, setup):
    with app.app_context(), session_scope() as db:
        stored = db.exec(select(Facilitator)).one().password_hash
    assert PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_sign_in_and_out(app, setup):
    client = app.test_client()
    response = sign_in(client, "SAM@example.org ")  # case and spaces do not matter
    assert response.status_code == 302
    assert response.headers["Location"] == "/projects"
    assert "Net Equality" in client.get("/projects").get_data(as_text=True)
    client.post_form("/sign-out")
    response = client.get("/projects")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_wrong_password_gets_a_plain_error_and_keeps_the_email(app, setup):
    client = app.test_client()
    response = sign_in(client, setup.email, "wrong password")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "The email address or password is not right" in html
    assert f'value="{setup.email}"' in html
    assert "<title>Error: Sign in" in html


def test_empty_sign_in_names_each_field(app):
    client = app.test_client()
    html = client.post_form("/sign-in", {}).get_data(as_text=True)
    assert 'href="#email"' in html
    assert 'href="#password"' in html


def test_sign_in_only_redirects_within_the_site(app, setup):
    client = app.test_client()
    token = client.csrf_token()
    response = client.post(
        "/sign-in?next=//evil.example/x",
        data={"email": setup.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/projects"


def test_sign_in_rotates_the_session(app, setup):
    client = app.test_client()
    client.get("/")
    with client.session_transaction() as db:
        db["planted"] = "by someone else"
    sign_in(client, setup.email)
    with client.session_transaction() as db:
        assert "planted" not in db


def test_every_facilitator_page_needs_sign_in(app, setup):
    client = app.test_client()
    for url in urls(setup):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/sign-in" in response.headers["Location"], url
    response = client.post(f"/rounds/{setup.round_id}/command", data={"command": "start"})
    assert response.status_code in (302, 400)


def test_another_facilitator_cannot_see_or_steer_a_round(app, setup):
    other = make_setup(app, email="kim@example.org")
    client = app.test_client()
    sign_in(client, other.email)
    for url in urls(setup)[1:]:  # all but the list of one's own projects
        assert client.get(url).status_code == 404, url
    assert "Net Equality" in client.get("/projects").get_data(as_text=True)  # Kim's own
    assert f"/projects/{1}" not in client.get("/projects").get_data(as_text=True)
    response = client.post_form(f"/rounds/{setup.round_id}/command", {"command": "start"})
    assert response.status_code == 404


def test_participants_cannot_reach_facilitator_pages(app, setup):
    from tests.conftest import join

    participant = app.test_client()
    join(participant, setup)
    assert participant.get(f"/rounds/{setup.round_id}").status_code == 302
    response = participant.post_form(f"/rounds/{setup.round_id}/command", {"command": "start"})
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_create_facilitator_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-facilitator",
            "--email",
            "Ana@Example.org",
            "--name",
            "Ana",
            "--organisation",
            "HEAR",
        ],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created facilitator Ana <ana@example.org>" in result.output
    again = runner.invoke(
        args=["create-facilitator", "--email", "ana@example.org", "--name", "Ana"],
        input="a long password\na long password\n",
    )
    assert again.exit_code != 0
    assert "already a facilitator" in again.output
    short = runner.invoke(
        args=["create-facilitator", "--email", "b@example.org", "--name", "B"],
        input="short\nshort\n",
    )
    assert short.exit_code != 0
    client = app.test_client()
    assert sign_in(client, "ana@example.org", "a long password").status_code == 302


def test_demo_command_is_idempotent_and_says_how_to_sign_in(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0
    assert "demo@roundtable.example" in first.output
    client = app.test_client()
    assert sign_in(client, "demo@roundtable.example", "demo-facilitator").status_code == 302
    html = client.get("/projects").get_data(as_text=True)
    assert html.count("Net Equality (demo)") == 1


def test_a_cookie_copied_before_sign_out_no_longer_works(app, setup):
    laptop = app.test_client()
    sign_in(laptop, setup.email)
    thief = app.test_client()
    with laptop.session_transaction() as original, thief.session_transaction() as copy:
        copy.update(original)
    assert thief.get("/projects").status_code == 200
    laptop.post_form("/sign-out")
    assert thief.get("/projects").status_code == 302
    again = app.test_client()
    sign_in(again, setup.email)  # signing in again works as before
    assert again.get("/projects").status_code == 200


# Browsers drop tabs and newlines from an address and read "\" as "/": each of these would
# leave the site, and a newline in a header was a 500.
LEAVING = ["/%09/evil.example/phish", "/%0A/evil.example", "/%0D%0A/x", "/\\evil.example",
           "/%5C/evil.example", "//evil.example", "https://evil.example/", "/ /evil.example",
           "/%7F/evil.example"]  # fmt: skip


def test_no_next_address_leaves_the_site_or_fails(app, setup):
    """Issue 17, points 3 and 6: `/language/en?next=/%09/evil.example/phish` answered
    `Location: //evil.example`, and a newline in `next` was a 500. So did help's `next`."""
    visitor = app.test_client()
    for next_ in LEAVING:
        response = visitor.get(f"/language/cy?next={next_}")
        assert response.status_code == 302, next_
        assert response.headers["Location"] == "/", (next_, response.headers["Location"])
    assert visitor.get("/language/en?next=/about").headers["Location"] == "/about"

    amira = app.test_client()
    page = join(amira, setup, "Amira")
    for next_ in LEAVING:
        response = amira.post_form(f"{page}/help", {"next": unquote(next_)})
        assert response.headers["Location"] == page, next_

    for next_ in LEAVING:
        client = app.test_client()
        response = client.post(
            f"/sign-in?next={next_}",
            data={"email": setup.email, "password": PASSWORD, "csrf_token": client.csrf_token()},
        )
        assert response.headers["Location"] == "/projects", next_
