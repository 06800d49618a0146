"""A team that sets itself up: invitations by link, new passwords, email, the first-run page."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.browser import free_port
from tests.conftest import PASSWORD, command, make_app, make_setup, sign_in
from tests.test_help_and_team import add_facilitator, join_team, page_of, words
from workshop.store.db import session_scope
from workshop.store.models import Facilitator, OneTimeLink, utcnow

NEW_PASSWORD = "a long new password"


class Inbox:
    """A real SMTP server's handler (aiosmtpd): keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, seconds: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.url = f"smtp://127.0.0.1:{controller.port}"
    yield handler
    controller.stop()


@pytest.fixture
def mailing_app(database_url, inbox):
    return make_app(database_url, SMTP_URL=inbox.url, MAIL_FROM="Roundtable <rt@example.org>")


def the_link(html: str) -> str:
    """The one-time link shown on a page, as a path on this site."""
    link = BeautifulSoup(html, "html.parser").select_one("input#link")["value"]
    return re.sub(r"^https?://[^/]+", "", link)


def link_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def invite(lead, round_id: int, email: str):
    return lead.post_form(f"/rounds/{round_id}/team", {"email": email})


def account(name: str = "Kim Patel", password: str = NEW_PASSWORD, again: str | None = None):
    return {
        "name": name,
        "organisation": "Mind Cymru",
        "password": password,
        "again": password if again is None else again,
    }


def links(app) -> list[OneTimeLink]:
    with app.app_context(), session_scope() as db:
        return list(db.exec(select(OneTimeLink)).all())


# --- invitations ----------------------------------------------------------------------------


def test_a_lead_invites_someone_without_an_account_and_they_join_the_team(app, setup, facilitator):
    made = invite(facilitator, setup.round_id, " Kim@Example.org ")
    assert made.status_code == 200
    assert "Send this link to kim@example.org" in words(
        BeautifulSoup(made.get_data(as_text=True), "html.parser"), "main"
    )
    link = the_link(made.get_data(as_text=True))
    (stored,) = links(app)
    token = link.rsplit("/", 1)[1]  # kept only as its hash
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored.model_dump())
    team = page_of(facilitator, f"/rounds/{setup.round_id}/team")
    assert "kim@example.org" in words(team, "#invitations")

    kim = app.test_client()
    page = page_of(kim, link)
    assert "Sam Jones invites you to help run this round" in words(page, "main")
    slip = kim.post_form(link, account(again="another password"))
    assert slip.status_code == 400
    assert "The two passwords are not the same" in slip.get_data(as_text=True)
    joined = kim.post_form(link, account())
    assert joined.status_code == 302
    assert joined.headers["Location"] == f"/rounds/{setup.round_id}"
    console = page_of(kim, f"/rounds/{setup.round_id}")  # signed in, on the team
    assert "Welcome. You can now help run Greenwich, March." in words(console, "main")
    # A supporter, as the lead chose: helps, does not steer.
    assert command(kim, setup, "start").status_code == 404
    team = page_of(facilitator, f"/rounds/{setup.round_id}/team")
    assert "Kim Patel, Mind Cymru Supporter" in words(team, ".item-list")
    assert team.select_one("#invitations") is None
    assert "Sam Jones invited Kim Patel to help" in words(
        page_of(facilitator, f"/rounds/{setup.round_id}"), "#console-live"
    )
    # The link worked once; the password works from now on.
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "It has been used already" in again.get_data(as_text=True)
    assert sign_in(app.test_client(), "kim@example.org", NEW_PASSWORD).status_code == 302


def test_a_second_press_of_the_same_invitation_makes_one_account(app, setup, facilitator):
    link = the_link(invite(facilitator, setup.round_id, "kim@example.org").get_data(as_text=True))
    first, second = app.test_client(), app.test_client()
    tokens = [client.csrf_token() for client in (first, second)]
    assert first.post(link, data={**account(), "csrf_token": tokens[0]}).status_code == 302
    late = second.post(link, data={**account("Kim P"), "csrf_token": tokens[1]})
    assert late.status_code == 410
    with app.app_context(), session_scope() as db:
        assert (
            len(db.exec(select(Facilitator).where(Facilitator.email == "kim@example.org")).all())
            == 1
        )


def test_an_invitation_lasts_a_week_and_then_is_refused_plainly(app, setup, facilitator):
    link = the_link(invite(facilitator, setup.round_id, "kim@example.org").get_data(as_text=True))
    stored = links(app)[0]
    lasts = stored.expires_at - stored.created_at
    assert timedelta(days=7) - timedelta(seconds=5) < lasts <= timedelta(days=7)
    with app.app_context(), session_scope() as db:
        row = db.get(OneTimeLink, stored.id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.add(row)
        db.commit()
    for method in ("get", "post_form"):
        response = getattr(app.test_client(), method)(link)
        assert response.status_code == 410
        assert "It is too old" in response.get_data(as_text=True)
    # An expired invitation is no longer pending.
    assert page_of(facilitator, f"/rounds/{setup.round_id}/team").select_one("#invitations") is None


def test_unknown_links_are_refused_plainly(app, setup):
    client = app.test_client()
    for path in ("/invitations/", "/new-password/"):
        response = client.get(path + "x" * 43)
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)
        assert client.post_form(path + "x" * 43, account()).status_code == 404
        assert client.get(path + "short").status_code == 404


def test_the_lead_cancels_an_invitation_and_inviting_again_makes_a_new_link(
    app, setup, facilitator
):
    first = the_link(invite(facilitator, setup.round_id, "kim@example.org").get_data(as_text=True))
    second = the_link(invite(facilitator, setup.round_id, "kim@example.org").get_data(as_text=True))
    assert app.test_client().get(first).status_code == 404  # replaced by the second
    assert app.test_client().get(second).status_code == 200
    team = page_of(facilitator, f"/rounds/{setup.round_id}/team")
    cancel = team.select("#invitations form")
    assert len(cancel) == 1
    cancelled = facilitator.post_form(cancel[0]["action"])
    assert cancelled.status_code == 302
    assert "The invitation is cancelled" in facilitator.get(cancelled.headers["Location"]).get_data(
        as_text=True
    )
    assert app.test_client().get(second).status_code == 404
    assert facilitator.post_form(cancel[0]["action"]).status_code == 404  # gone already


def test_someone_with_an_account_signs_in_and_joins_with_one_press(app, setup, facilitator):
    link = the_link(invite(facilitator, setup.round_id, "kim@example.org").get_data(as_text=True))
    with app.app_context(), session_scope() as db:
        from workshop.web.accounts import create_facilitator

        create_facilitator(db, "kim@example.org", "Kim Patel", PASSWORD)
    kim = app.test_client()
    page = page_of(kim, link)
    assert "Have a Roundtable account with kim@example.org?" in words(page, "main")
    # The link is no password: making a second account for the email is refused.
    again = kim.post_form(link, account())
    assert again.status_code == 400
    assert "There is already an account for kim@example.org. Sign in with it" in words(
        BeautifulSoup(again.get_data(as_text=True), "html.parser"), "main"
    )
    sign_in_url = page.select_one("main a[href^='/sign-in']")["href"]
    signed_in = kim.post_form(sign_in_url, {"email": "kim@example.org", "password": PASSWORD})
    assert signed_in.headers["Location"] == link  # back to the invitation
    joined = kim.post_form(link)
    assert joined.headers["Location"] == f"/rounds/{setup.round_id}"
    assert "Welcome. You can now help run Greenwich, March." in words(
        page_of(kim, joined.headers["Location"]), "main"
    )
    assert "Kim Patel" in words(page_of(facilitator, f"/rounds/{setup.round_id}/team"), "main")


def test_inviting_tells_the_lead_nothing_of_who_has_an_account(app, setup, facilitator):
    """Issue 17 (11): an email with an account joined the team at once, by name, and one
    without got a link, so any facilitator could learn who has an account. Both now get a
    link; the page it opens is the same; nobody is on the team until they say yes."""
    add_facilitator(app, "alex@example.org", "Alex Lee")
    seen = []
    for email in ("alex@example.org", "nobody@example.org"):
        made = invite(facilitator, setup.round_id, email)
        assert made.status_code == 200
        html = made.get_data(as_text=True)
        opened = words(page_of(app.test_client(), the_link(html)), "main")
        shown = words(BeautifulSoup(html, "html.parser"), "main")
        seen.append((shown.replace(email, "EMAIL"), opened.replace(email, "EMAIL")))
    assert seen[0] == seen[1]
    team = page_of(facilitator, f"/rounds/{setup.round_id}/team")
    assert "Alex Lee" not in words(team, "main")
    assert all(email in words(team, "#invitations") for email in ("alex@", "nobody@"))
    # Signed in with another account, the link says whom it is for and changes nothing.
    other = add_facilitator(app, "jo@example.org", "Jo Evans")
    link = the_link(invite(facilitator, setup.round_id, "alex@example.org").get_data(as_text=True))
    assert "This invitation is for alex@example.org" in words(page_of(other, link), "main")
    assert other.post_form(link).status_code == 200
    assert "Jo Evans" not in words(page_of(facilitator, f"/rounds/{setup.round_id}/team"), "main")


def test_only_the_lead_invites_cancels_and_makes_password_links(app, setup, facilitator):
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(facilitator, setup.round_id, "alex@example.org", supporter)
    invite(facilitator, setup.round_id, "kim@example.org")
    other = make_setup(app, email="jo@example.org")
    stranger = app.test_client()
    sign_in(stranger, other.email)
    team = page_of(facilitator, f"/rounds/{setup.round_id}/team")
    cancel = team.select_one("#invitations form")["action"]
    reset = team.select_one("form[action$='/password-link']")["action"]
    before = links(app)
    for who in (supporter, stranger):
        assert invite(who, setup.round_id, "lee@example.org").status_code == 404
        assert who.post_form(cancel).status_code == 404
        assert who.post_form(reset).status_code == 404
    assert links(app) == before
    # The lead's own account is not a supporter's: no password link for it from here.
    lead_reset = f"/rounds/{setup.round_id}/team/{setup.facilitator_id}/password-link"
    assert facilitator.post_form(lead_reset).status_code == 404


# --- new passwords --------------------------------------------------------------------------


def test_without_email_forgetting_says_the_same_for_everyone_and_shows_no_link(app, setup):
    said = []
    for email in (setup.email, "nobody@example.org"):
        response = app.test_client().post_form("/forgot-password", {"email": email})
        assert response.status_code == 200
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert page.select_one("input#link") is None
        said.append(words(page, "main"))
    assert said[0] == said[1]
    assert "Ask the lead of a round you help run" in said[0]
    assert links(app) == []


def test_the_lead_makes_a_new_password_link_for_a_supporter(app, setup, facilitator):
    alex = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(facilitator, setup.round_id, "alex@example.org", alex)
    team = page_of(facilitator, f"/rounds/{setup.round_id}/team")
    made = facilitator.post_form(team.select_one("form[action$='/password-link']")["action"])
    assert made.status_code == 200
    link = the_link(made.get_data(as_text=True))
    stored = next(made for made in links(app) if made.purpose != "invitation")
    assert timedelta(minutes=59) < stored.expires_at - stored.created_at <= timedelta(hours=1)

    laptop = app.test_client()
    assert "For the account alex@example.org" in words(page_of(laptop, link), "main")
    short = laptop.post_form(link, {"password": "short", "again": "short"})
    assert "Use a password of at least 10 characters" in short.get_data(as_text=True)
    saved = laptop.post_form(link, {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert saved.status_code == 302
    assert laptop.get("/projects").status_code == 200
    assert alex.get("/projects").status_code == 302  # signed out everywhere else
    assert sign_in(app.test_client(), "alex@example.org", PASSWORD).status_code == 400
    assert sign_in(app.test_client(), "alex@example.org", NEW_PASSWORD).status_code == 302
    assert app.test_client().get(link).status_code == 410
    assert "Sam Jones made a new-password link for Alex Lee" in words(
        page_of(facilitator, f"/rounds/{setup.round_id}"), "#console-live"
    )


def test_asking_for_new_passwords_over_and_over_is_slowed(app, setup):
    client = app.test_client()
    statuses = [
        client.post_form("/forgot-password", {"email": setup.email}).status_code for _ in range(7)
    ]
    assert statuses[:5] == [200] * 5
    refused = client.post_form("/forgot-password", {"email": setup.email})
    assert refused.status_code == 429
    assert "Too many tries" in refused.get_data(as_text=True)


def test_bad_input_to_the_account_forms_is_named_not_a_500(app, setup):
    client = app.test_client()
    response = client.post_form("/forgot-password", {"email": "not an address"})
    assert response.status_code == 400
    assert "Write an email address like name@example.org" in response.get_data(as_text=True)
    assert client.post("/forgot-password", data={"email": setup.email}).status_code == 400


# --- email ----------------------------------------------------------------------------------


def test_with_email_the_new_password_link_goes_only_to_the_account(mailing_app, inbox):
    app = mailing_app
    setup = make_setup(app)
    client = app.test_client()
    for email in ("nobody@example.org", setup.email):
        response = client.post_form("/forgot-password", {"email": email})
        assert "we have sent it a link" in response.get_data(as_text=True)
        assert BeautifulSoup(response.data, "html.parser").select_one("input#link") is None
    (message,) = inbox.wait_for(1)
    time.sleep(0.2)
    assert len(inbox.messages) == 1  # nothing to the unknown address
    assert message["To"] == setup.email
    assert message["From"] == "Roundtable <rt@example.org>"
    link = link_in(message)
    saved = client.post_form(link, {"password": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert saved.status_code == 302
    assert sign_in(app.test_client(), setup.email, NEW_PASSWORD).status_code == 302


def test_with_email_an_invitation_is_sent_and_still_shown(mailing_app, inbox):
    app = mailing_app
    setup = make_setup(app)
    lead = app.test_client()
    sign_in(lead, setup.email)
    made = invite(lead, setup.round_id, "kim@example.org")
    assert "We have emailed the link to kim@example.org." in made.get_data(as_text=True)
    (message,) = inbox.wait_for(1)
    assert message["To"] == "kim@example.org"
    assert "Sam Jones invites you" in message["Subject"]
    assert link_in(message) == the_link(made.get_data(as_text=True))
    assert app.test_client().post_form(link_in(message), account()).status_code == 302


def test_when_email_fails_the_invitation_is_kept_and_the_link_shown(database_url):
    app = make_app(database_url, SMTP_URL=f"smtp://127.0.0.1:{free_port()}")  # nobody there
    setup = make_setup(app)
    lead = app.test_client()
    sign_in(lead, setup.email)
    made = invite(lead, setup.round_id, "kim@example.org")
    assert made.status_code == 200
    assert "The email could not be sent." in made.get_data(as_text=True)
    assert app.test_client().get(the_link(made.get_data(as_text=True))).status_code == 200


# --- the first run --------------------------------------------------------------------------


def set_up_form(email: str = "ola@example.org", **changes) -> dict:
    return {**account("Ola Nowak"), "email": email, **changes}


def test_a_fresh_install_opens_on_the_set_up_page_until_an_account_exists(app):
    client = app.test_client()
    to_sign_in = client.get("/projects")
    assert to_sign_in.status_code == 302
    to_set_up = client.get(to_sign_in.headers["Location"])
    assert to_set_up.headers["Location"] == "/set-up"
    assert "Set up Roundtable" in words(page_of(client, "/set-up"), "h1")
    slip = client.post_form("/set-up", set_up_form(email="", again="different words"))
    assert slip.status_code == 400
    problems = words(BeautifulSoup(slip.data, "html.parser"), ".error-summary")
    assert "Enter your email address" in problems
    assert "The two passwords are not the same" in problems
    made = client.post_form("/set-up", set_up_form())
    assert made.status_code == 302
    assert "Roundtable is set up, and you are signed in." in words(
        page_of(client, "/projects"), "main"
    )
    # From now on the page is gone, and the sign-in page is itself again.
    later = app.test_client()
    assert later.get("/set-up").headers["Location"] == "/sign-in"
    assert later.post_form("/set-up", set_up_form(email="eve@example.org")).status_code == 302
    assert later.get("/sign-in").status_code == 200
    assert sign_in(later, "eve@example.org", NEW_PASSWORD).status_code == 400
    assert sign_in(later, "ola@example.org", NEW_PASSWORD).status_code == 302


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_app(request, database_url):
    url = database_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    app = make_app(url)
    yield app
    app.extensions["roundtable.engine"].dispose()


def test_two_people_setting_up_at_once_make_one_account(any_database_app):
    app = any_database_app
    clients = [app.test_client() for _ in range(4)]
    tokens = [client.csrf_token() for client in clients]
    start = threading.Barrier(len(clients))
    statuses = []

    def set_up(n: int) -> None:
        start.wait()
        data = {**set_up_form(email=f"person{n}@example.org"), "csrf_token": tokens[n]}
        statuses.append(clients[n].post("/set-up", data=data).status_code)

    threads = [threading.Thread(target=set_up, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(clients)
    # One of them has the account and is signed in to it; the others are asked to sign in.
    assert sorted(client.get("/projects").status_code for client in clients) == [200, 302, 302, 302]
    with app.app_context(), session_scope() as db:
        assert len(db.exec(select(Facilitator)).all()) == 1
