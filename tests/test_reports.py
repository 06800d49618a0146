"""Round reports and comparisons: the numbers, the reflections, and who may see them."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.conftest import make_setup, sign_in
from tests.test_exports import mapped_round


def report_of(client, round_id: int) -> BeautifulSoup:
    response = client.get(f"/rounds/{round_id}/report")
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser")


def test_a_report_shows_each_steps_answers_as_numbers_beside_their_bars(app):
    setup, facilitator = mapped_round(app)
    page = report_of(facilitator, setup.round_id)
    step = page.select_one("#step-face-to-face").find_parent("section")
    assert "2 of 2 answered" in step.get_text()
    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")[:3]]
        for row in step.select("tbody tr")
    ]
    assert rows == [
        ["Age UK", "2", "100%"],
        ["=SUM(A1)", "1", "50%"],
        ["Mind", "1", "50%"],
        ["Shelter", "1", "50%"],
    ]
    widths = [rect["width"] for rect in step.select("svg.bar rect:nth-of-type(2)")]
    assert widths == ["100", "50", "50", "50"]  # each bar is its row's number
    unreached = page.select_one("#step-influence").find_parent("section").get_text()
    assert "The round did not reach this step." in unreached
    assert "4 actors, 2 ties, 1 cluster" in page.select_one(".summary-list").get_text()
    assert "Key connectors" in page.select_one(".measures").get_text()


def test_the_team_writes_a_reflection_that_the_report_keeps(app):
    setup, facilitator = mapped_round(app)
    url = f"/rounds/{setup.round_id}/report"
    saved = facilitator.post_form(
        url, {"tried": "Local maps first", "noticed": "Faith groups", "change": ""}
    )
    assert saved.status_code == 302
    page = report_of(facilitator, setup.round_id)
    assert page.select_one("#tried").get_text().strip() == "Local maps first"
    too_long = facilitator.post_form(url, {"tried": "x" * 5001})
    assert too_long.status_code == 400
    assert "Use 5,000 characters or fewer" in too_long.get_data(as_text=True)
    assert (
        report_of(facilitator, setup.round_id).select_one("#tried").get_text().strip()
        == "Local maps first"
    )


def test_only_the_rounds_facilitator_sees_its_report(app):
    setup, _facilitator = mapped_round(app)
    other = make_setup(app, email="other@example.org")
    stranger = app.test_client()
    sign_in(stranger, other.email)
    assert stranger.get(f"/rounds/{setup.round_id}/report").status_code == 404
    assert stranger.post_form(f"/rounds/{setup.round_id}/report", {"tried": "x"}).status_code == 404
    assert app.test_client().get(f"/rounds/{setup.round_id}/report").status_code == 302
