"""Bad requests get plain-language pages: never a stack trace, never a bare error."""

import pytest

from tests.conftest import make_app


@pytest.fixture
def fragile_app(database_url):
    app = make_app(database_url)

    @app.get("/explode")
    def explode():
        raise RuntimeError("secret internals")

    return app


def test_unexpected_errors_show_a_calm_page_without_internals(fragile_app):
    response = fragile_app.test_client().get("/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in html
    assert "Your answers so far are safe" in html
    assert "secret internals" not in html
    assert "RuntimeError" not in html


def test_missing_pages_say_what_to_check(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Check the link or code you were given" in response.get_data(as_text=True)


def test_huge_ids_in_urls_are_not_found(client):
    assert client.get("/rounds/99999999999999999999999").status_code == 404


def test_forms_without_a_csrf_token_are_refused_and_explained(app, setup):
    client = app.test_client()
    response = client.post("/", data={"code": setup.join_code})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    response = client.post(f"/j/{setup.join_token}", data={"agree": "y"})
    assert response.status_code == 400


def test_wrong_method_is_explained(client):
    response = client.delete("/")
    assert response.status_code == 405
    assert "Sorry, that did not work" in response.get_data(as_text=True)


def test_oversized_posts_are_refused(client):
    response = client.post("/", data={"code": "x" * 400_000})
    assert response.status_code == 413
    assert "That was too much to send" in response.get_data(as_text=True)


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_have_no_inline_script(client, setup):
    for url in ("/", f"/j/{setup.join_token}", "/sign-in"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html
        assert "<script src=" in html


def test_browser_assets_come_from_the_app_not_a_cdn(client):
    response = client.get("/vendor/socket.io.min.js")
    assert response.status_code == 200
    assert b"Socket.IO v4." in response.data[:200]
    assert client.get("/vendor/../../pyproject.toml").status_code == 404
    assert client.get("/vendor/axe.min.js").status_code == 404  # test-only asset, not served
