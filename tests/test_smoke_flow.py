"""A quick whole journey through the test client: set up, join, run, answer, end."""

from tests.conftest import command, join


def test_whole_round_through_forms(app, setup, facilitator):
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    assert "Please wait for the start" in participant.get(page).get_data(as_text=True)

    assert command(facilitator, setup, "start").status_code == 302
    html = participant.get(page).get_data(as_text=True)
    assert "Question 1 of 3" in html
    assert "How are you feeling today?" in html

    response = participant.post_form(f"{page}/steps/feeling", {"answer": "4"})
    assert response.status_code == 302
    html = participant.get(page).get_data(as_text=True)
    assert "Your answer is saved." in html

    command(facilitator, setup, "next")
    html = participant.get(page).get_data(as_text=True)
    assert "Question 2 of 3" in html
    console = facilitator.get(f"/rounds/{setup.round_id}").get_data(as_text=True)
    assert "0 of 1 answered" in console
    command(facilitator, setup, "end")
    assert "The session has ended" in participant.get(page).get_data(as_text=True)
