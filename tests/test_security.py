"""Security: cookie attributes, a fresh session at sign-in, backoff after failed sign-ins,
the security headers on every kind of response, and join links that stop when a round ends."""

from __future__ import annotations

import re
import time

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlmodel import select

from tests.browser import free_port
from tests.conftest import PASSWORD, command, join, make_app, make_setup, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Participant
from workshop.web.backoff import Backoff, keys_for

# --- cookies --------------------------------------------------------------------------------


def cookie_attributes(response, name: str = "session") -> dict[str, str]:
    """The attributes of the named cookie set by this response, lower-cased."""
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    parts = [part.strip() for part in header.split(";")[1:]]
    return {p.split("=")[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts}


def test_cookies_are_http_only_and_same_site_lax_but_not_secure_over_plain_http(app, setup):
    client = app.test_client()
    attributes = cookie_attributes(client.get(f"/j/{setup.join_token}"))
    assert "httponly" in attributes
    assert attributes["samesite"] == "Lax"
    assert "secure" not in attributes
    signed_in = sign_in(client, setup.email)
    assert "secure" not in cookie_attributes(signed_in)
    # No "remember me" cookie is ever set: a session ends with the browser or at sign-out.
    assert not [h for h in signed_in.headers.getlist("Set-Cookie") if "remember" in h]
    assert "Strict-Transport-Security" not in signed_in.headers


@pytest.mark.parametrize(
    "environment",
    [
        {"ROUNDTABLE_SECURE_COOKIES": "1"},
        {"ROUNDTABLE_PUBLIC_URL": "https://roundtable.example.org"},
        {
            "ROUNDTABLE_PUBLIC_URL": "HTTPS://Roundtable.example.org/",
            "ROUNDTABLE_SECURE_COOKIES": "0",
        },
    ],
)
def test_cookies_are_secure_when_asked_or_when_the_public_address_is_https(
    monkeypatch, database_url, environment
):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    app = make_app(database_url)
    setup = make_setup(app)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # as behind an HTTPS proxy
    joined = client.get(f"/j/{setup.join_token}")
    attributes = cookie_attributes(joined)
    assert {"secure", "httponly"} <= set(attributes)
    assert attributes["samesite"] == "Lax"
    assert joined.headers["Strict-Transport-Security"] == "max-age=31536000"
    signed_in = sign_in(client, setup.email)
    assert signed_in.status_code == 302
    assert {"secure", "httponly"} <= set(cookie_attributes(signed_in))


# --- a fresh session at sign-in --------------------------------------------------------------


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_sign_in_replaces_a_participants_session_and_sign_out_ends_it(app, setup):
    client = app.test_client()
    page = join(client, setup, "Sam at the back")
    before = session_cookie(client)
    with client.session_transaction() as db:
        assert db["rounds"]  # the participant's link, kept in the session
    sign_in(client, setup.email)
    after = session_cookie(client)
    assert after != before
    with client.session_transaction() as db:
        assert "rounds" not in db  # nothing from before sign-in survives
        assert set(db) <= {"_user_id", "_fresh", "_id", "facilitator_epoch", "csrf_token"}
    assert client.get(page).status_code == 200  # the link itself still works

    # The old cookie, replayed, is still only a participant's: no console.
    replay = app.test_client()
    replay.set_cookie("session", before)
    assert replay.get(f"/rounds/{setup.round_id}").status_code == 302

    # Sign-out ends the session: the cookie from when signed in no longer works.
    signed_in_cookie = session_cookie(client)
    client.post_form("/sign-out")
    stolen = app.test_client()
    stolen.set_cookie("session", signed_in_cookie)
    response = stolen.get(f"/rounds/{setup.round_id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_planted_session_does_not_survive_sign_in(app, setup):
    client = app.test_client()
    client.get("/")
    with client.session_transaction() as db:
        db["_user_id"] = "999"  # planted by someone who wants to share the session
        db["planted"] = "yes"
    planted = session_cookie(client)
    sign_in(client, setup.email)
    assert session_cookie(client) != planted
    with client.session_transaction() as db:
        assert "planted" not in db
        assert db["_user_id"] == str(setup.facilitator_id)


# --- backoff after failed sign-ins ------------------------------------------------------------


def fast_app(database_url: str, **extra) -> Flask:
    """An app whose waits are seconds, not minutes, so tests can wait them out."""
    settings = {"SIGN_IN_FAILURES": 3, "SIGN_IN_FIRST_WAIT": 1, "SIGN_IN_LONGEST_WAIT": 2}
    return make_app(database_url, **{**settings, **extra})


def attempt(client, email: str, password: str, address: str = "127.0.0.1"):
    token = client.csrf_token()
    return client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def error_text(response) -> str:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return " ".join(soup.select_one("main").get_text(" ").split())


TOO_MANY = "Too many tries. Wait 1 minute, then try again."


def test_after_a_few_failures_even_the_right_password_must_wait(database_url):
    app = fast_app(database_url)
    setup = make_setup(app)
    client = app.test_client()
    for _ in range(3):
        assert attempt(client, setup.email, "wrong").status_code == 400
    refused = attempt(client, setup.email, PASSWORD)
    assert refused.status_code == 429
    assert TOO_MANY in error_text(refused)
    assert "not right" not in error_text(refused)
    assert f'value="{setup.email}"' in refused.get_data(as_text=True)  # kept for the next try
    assert client.get("/projects").status_code == 302  # not signed in

    time.sleep(1.2)  # the wait is over: the right password works and clears the count
    assert attempt(client, setup.email, PASSWORD).status_code == 302
    client.post_form("/sign-out")
    for _ in range(2):
        assert attempt(client, setup.email, "wrong").status_code == 400
    assert attempt(client, setup.email, PASSWORD).status_code == 302


def test_the_wait_says_nothing_about_whether_the_email_exists(database_url):
    app = fast_app(database_url, SIGN_IN_FIRST_WAIT=60)
    setup = make_setup(app)
    pages = []
    for email, address in ((setup.email, "10.0.0.1"), ("nobody@example.org", "10.0.0.2")):
        client = app.test_client()
        for _ in range(3):
            attempt(client, email, "wrong", address)
        refused = attempt(client, email, "wrong", address)
        assert refused.status_code == 429
        pages.append(error_text(refused).replace(email, "EMAIL"))
    assert pages[0] == pages[1]
    assert TOO_MANY in pages[0]


def test_failures_count_per_email_and_per_address(database_url):
    app = fast_app(database_url, SIGN_IN_FIRST_WAIT=60)
    setup = make_setup(app)
    kim = make_setup(app, email="kim@example.org")
    client = app.test_client()

    # One address trying many emails is held back, for every email...
    for n in range(3):
        attempt(client, f"guess{n}@example.org", "wrong", "10.0.0.9")
    assert attempt(client, kim.email, PASSWORD, "10.0.0.9").status_code == 429
    # ...while people elsewhere sign in as usual.
    assert attempt(app.test_client(), kim.email, PASSWORD, "10.0.0.10").status_code == 302

    # One email tried from many addresses is held back, from every address.
    for n in range(3):
        attempt(client, setup.email.upper(), "wrong", f"10.0.1.{n}")
    assert attempt(app.test_client(), setup.email, PASSWORD, "10.0.1.200").status_code == 429


def test_signing_in_to_ones_own_account_does_not_clear_the_addresss_count(database_url):
    """Issue 17 (9): a right password cleared the address's failures too, so one address
    could guess at many emails without end, signing in to its own account between tries."""
    app = fast_app(database_url, SIGN_IN_FIRST_WAIT=60)
    mine = make_setup(app, email="kim@example.org")
    client = app.test_client()
    for n in range(2):
        assert attempt(client, f"guess{n}@example.org", "wrong", "10.0.2.1").status_code == 400
    assert attempt(client, mine.email, PASSWORD, "10.0.2.1").status_code == 302
    client.post_form("/sign-out")
    assert attempt(client, "guess2@example.org", "wrong", "10.0.2.1").status_code == 400
    # Three failures from this address in the window: held back, whatever the email.
    assert attempt(client, "guess3@example.org", "wrong", "10.0.2.1").status_code == 429
    # The email's own count was cleared: from elsewhere, it signs in at once.
    assert attempt(app.test_client(), mine.email, PASSWORD, "10.0.2.2").status_code == 302


def test_the_wait_doubles_up_to_the_longest(database_url):
    app = make_app(database_url)  # the real settings: 5 failures, 1 to 15 minutes
    keys = keys_for("sam@example.org", "10.0.0.1")
    with app.app_context():
        backoff: Backoff = app.extensions["roundtable.backoff"]
        waits = []
        for _ in range(10):
            backoff.failed(keys)
            waits.append(backoff.wait(keys))
        assert waits == [0, 0, 0, 0, 60, 120, 240, 480, 900, 900]

        make_setup(app)
        refused = attempt(app.test_client(), "sam@example.org", PASSWORD, "10.0.0.7")
        assert refused.status_code == 429
        assert "Too many tries. Wait 15 minutes, then try again." in error_text(refused)
        backoff.succeeded(keys)
        assert backoff.wait(keys) == 0


def test_behind_a_proxy_each_person_is_counted_by_their_own_address(database_url):
    app = fast_app(database_url, PROXIES=1, SIGN_IN_FIRST_WAIT=60)
    setup = make_setup(app)
    client = app.test_client()

    def through_proxy(email: str, password: str, person: str):
        token = client.csrf_token()
        return client.post(
            "/sign-in",
            data={"email": email, "password": password, "csrf_token": token},
            headers={"X-Forwarded-For": person},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},  # the proxy
        )

    for n in range(3):
        through_proxy(f"guess{n}@example.org", "wrong", "203.0.113.7")
    assert through_proxy(setup.email, PASSWORD, "203.0.113.7").status_code == 429
    assert through_proxy(setup.email, PASSWORD, "198.51.100.2").status_code == 302


@pytest.fixture
def redis_url(redis_server) -> str:
    return redis_server.url


def test_processes_share_the_count_through_the_message_queues_redis(database_url, redis_url):
    settings = {"SOCKETIO_MESSAGE_QUEUE": redis_url, "SIGN_IN_FIRST_WAIT": 60}
    first, second = fast_app(database_url, **settings), fast_app(database_url, **settings)
    setup = make_setup(first)
    for _ in range(3):
        attempt(first.test_client(), setup.email, "wrong", "10.0.0.1")
    refused = attempt(second.test_client(), setup.email, PASSWORD, "10.0.0.2")
    assert refused.status_code == 429
    assert TOO_MANY in error_text(refused)


def test_two_real_servers_share_the_count_through_redis(tmp_path, redis_url):
    import requests

    from tests.browser import served_app

    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)
    app.extensions["roundtable.engine"].dispose()
    env = {"ROUNDTABLE_MESSAGE_QUEUE": redis_url}

    def try_sign_in(base: str, password: str) -> requests.Response:
        browser = requests.Session()
        page = browser.get(f"{base}/sign-in", timeout=10).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return browser.post(
            f"{base}/sign-in",
            data={"email": setup.email, "password": password, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )

    with (
        served_app(database_url, tmp_path / "one.log", env=env) as one,
        served_app(database_url, tmp_path / "two.log", env=env) as two,
    ):
        for _ in range(5):
            assert try_sign_in(one.url, "wrong").status_code == 400
        refused = try_sign_in(two.url, PASSWORD)
        assert refused.status_code == 429
        text = BeautifulSoup(refused.text, "html.parser").select_one("main").get_text(" ")
        assert TOO_MANY in " ".join(text.split())


def test_sign_in_still_works_when_the_shared_store_is_down(database_url, caplog):
    port = free_port()  # nothing listens here
    app = fast_app(database_url, SOCKETIO_MESSAGE_QUEUE=f"redis://127.0.0.1:{port}/0")
    setup = make_setup(app)
    client = app.test_client()
    assert attempt(client, setup.email, "wrong").status_code == 400  # a plain error, no 500
    assert attempt(client, setup.email, PASSWORD).status_code == 302
    assert "sign-in backoff: the shared store cannot be reached" in caplog.text


# --- security headers --------------------------------------------------------------------------

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response, url: str) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (url, name)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'", url
    assert directives["style-src"] == "'self'", url
    assert "unsafe" not in csp, url
    assert directives["frame-ancestors"] == "'none'", url
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions, (url, feature)


def test_every_kind_of_response_carries_the_security_headers(app, setup, facilitator):
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    command(facilitator, setup, "start")
    round_ = f"/rounds/{setup.round_id}"
    seen = {}
    for client, urls in (
        (
            participant,
            [page, f"{page}/steps/feeling", f"{page}/preferences", f"{page}/my-answers.csv"],
        ),
        (
            facilitator,
            [
                "/projects",
                round_,
                f"{round_}/live",
                f"{round_}/map",
                f"{round_}/map/data.json",
                f"{round_}/qr.svg",
                f"{round_}/team",
                f"{round_}/report",
            ],
        ),
        (
            app.test_client(),
            ["/", "/sign-in", "/accessibility", f"/j/{setup.join_token}", "/nowhere"],
        ),
    ):
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            assert_security_headers(response, url)
            seen[url] = response.status_code
    html = facilitator.get(round_).get_data(as_text=True)
    assets = set(re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"?]+)', html))
    assert assets, "the console loads no scripts or styles?"
    for url in assets:
        response = facilitator.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
    bad_form = app.test_client().post("/sign-in", data={})  # no CSRF token: our error page
    assert bad_form.status_code == 400
    assert_security_headers(bad_form, "a form without its token")
    assert seen["/nowhere"] == 404


def test_peoples_data_is_never_kept_in_a_cache(app, setup, facilitator):
    """Issue 17 (10): your-data.json, the lead's per-person data, map/data.json,
    my-answers.csv and the exports were served without Cache-Control: no-store, so a
    shared device or a proxy could keep them. Scripts and pictures are still cached."""
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    command(facilitator, setup, "start")
    round_ = f"/rounds/{setup.round_id}"
    person = page.rsplit("/", 1)[1]
    with app.app_context(), session_scope() as db:
        amira = db.exec(select(Participant).where(Participant.token == person)).one()
    urls = {
        participant: [f"{page}/your-data", f"{page}/your-data.json", f"{page}/my-answers.csv"],
        facilitator: [
            f"{round_}/people/{amira.id}/data",
            f"{round_}/map/data.json",
            f"{round_}/export/answers.csv",
            f"{round_}/export/map.graphml",
            f"{round_}/export/all.zip",
            f"/experiments/{setup.experiment_id}/export/rounds.gexf",
        ],
    }
    for client, addresses in urls.items():
        for url in addresses:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == "no-store", url
    html = facilitator.get(round_).get_data(as_text=True)
    script = re.search(r'src="(/(?:static|vendor)/[^"?]+\.js)', html).group(1)
    assert "no-store" not in facilitator.get(script).headers.get("Cache-Control", "")


# --- join links once a round has ended --------------------------------------------------------


def test_join_links_stop_when_a_round_ends_but_people_in_it_keep_their_answers(
    app, setup, facilitator
):
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(facilitator, setup, "start")
    amira.post_form(f"{page}/steps/feeling", {"answer": "4"})
    command(facilitator, setup, "end")

    newcomer = app.test_client()
    for response in (
        newcomer.get(f"/j/{setup.join_token}"),  # the link, and the QR code that holds it
        newcomer.post_form(f"/j/{setup.join_token}", {"display_name": "Late", "agree": "y"}),
        newcomer.post_form("/", {"code": setup.join_code.lower()}),  # the short code
    ):
        assert response.status_code == 410
        text = error_text(response)
        assert "This session has ended" in text
        assert "you cannot join it now" in text
    # The QR code on the console still holds the same (now closed) link.
    assert facilitator.get(f"/rounds/{setup.round_id}/qr.svg").status_code == 200
    with app.app_context(), session_scope() as db:
        from sqlmodel import select

        from workshop.store.models import Participant

        assert len(db.exec(select(Participant)).all()) == 1  # nobody new joined

    # Someone who was in the round can still read and download what they gave.
    assert amira.get(page).status_code == 200
    assert "Thank you. The session has ended." in error_text(amira.get(page))
    download = amira.get(f"{page}/my-answers.csv")
    assert download.status_code == 200 and "How are you feeling today?" in download.text
    # Opening the join link again on the same device offers their own page (it asks first:
    # a shared device may be someone else's turn), and nobody new may join.
    again = amira.get(f"/j/{setup.join_token}").get_data(as_text=True)
    assert f'href="{page}"' in again and "No, this is not me</button>" in again
