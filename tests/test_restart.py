"""A new app over the same database carries on the round where it was: nothing is lost."""

from bs4 import BeautifulSoup

from tests.conftest import command, join, make_app, sign_in


def test_a_restarted_server_continues_the_round_at_the_same_step(database_url, app, setup):
    before = app.test_client()
    sign_in(before, setup.email)
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    command(before, setup, "start")
    participant.post_form(f"{page}/steps/feeling", {"answer": "4"})
    command(before, setup, "next")

    restarted = make_app(database_url)  # a fresh process's app: nothing shared in memory
    phone = restarted.test_client()
    soup = BeautifulSoup(phone.get(page).get_data(as_text=True), "html.parser")
    assert soup.select_one(".step-count").get_text() == "Question 2 of 3"
    assert "4" in soup.select_one("#turn-feeling .turn__answer").get_text()

    socket = restarted.extensions["socketio"].test_client(
        restarted, namespace="/participant", auth={"token": page.rsplit("/", 1)[1]}
    )
    (state,) = [e["args"][0] for e in socket.get_received("/participant")]
    assert (state["status"], state["step_number"]) == ("running", 2)

    facilitator = restarted.test_client()
    sign_in(facilitator, setup.email)
    assert command(facilitator, setup, "next").status_code == 302
    assert "Question 3 of 3" in phone.get(page).get_data(as_text=True)
    assert [e["args"][0]["step_number"] for e in socket.get_received("/participant")] == [3]
