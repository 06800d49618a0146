"""One vocabulary for the map: every page counts the same names and connections, in the
glossary's words (a name, a connection), and lists read as the language reads them."""

from __future__ import annotations

from flask_babel import force_locale

from tests.conftest import command
from tests.test_help_and_team import page_of, words
from tests.test_shared_map import actor_ids, mapped  # noqa: F401  (a fixture)
from workshop.store.db import session_scope
from workshop.store.models import Actor
from workshop.web.i18n import as_list


def test_the_map_page_and_the_map_step_count_the_same_things_in_the_same_words(app, mapped):  # noqa: F811
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = mapped
    ids = actor_ids(app, setup)
    with app.app_context(), session_scope() as db:  # tidied: one merged, one hidden
        db.get(Actor, ids["Inclusion Ldn"]).merged_into = ids["Inclusion London"]
        db.get(Actor, ids["Shelter"]).hidden = True
        db.commit()
    for _ in range(3):
        command(facilitator, setup, "next")  # the-map
    # Two statements tie the same two names (works with, funds): one connection.
    expected = "3 names, 1 connection"

    url = f"/rounds/{setup.round_id}/map"
    facilitator.post_form(f"{url}/display", {"part": "measures", "shown": "1"})
    map_page = page_of(amira, f"{amira_page}/map")
    assert words(map_page, "[data-map-part=summary]") == f"{expected} and 1 cluster."
    assert map_page.select_one("#map-canvas")["aria-label"].startswith(f"The map: {expected}")
    step = page_of(amira, amira_page)
    assert f"{expected}." in words(step, "#now")
    listed = [
        " ".join(li.get_text(" ").split()) for li in step.select("#now .item-list")[1].select("li")
    ]
    assert listed == ["Inclusion London works with Age UK; Inclusion London funds Age UK"]
    console = page_of(facilitator, f"/rounds/{setup.round_id}")
    assert f"{expected}." in words(console, "#console-live")
    facilitator_map = page_of(facilitator, f"/rounds/{setup.round_id}/map")
    assert words(facilitator_map, ".lead").startswith(f"{expected} and 1 cluster")

    # No page speaks of actors or ties to participants: not the map, nor their own data.
    data = [page_of(amira, f"{amira_page}/{part}") for part in ("your-data", "your-data/delete")]
    for page in (map_page, step, *data):
        text = page.select_one("main").get_text(" ").lower()
        for word in (" actor", " tie ", " ties", "tied "):
            assert word not in text, (word, text)
        assert "outline:" not in text
    # Nor to facilitators: the map they tidy has names and connections too.
    text = facilitator_map.select_one("main").get_text(" ").lower()
    assert " actor" not in text and " tie" not in text, text
    legend = [" ".join(li.get_text(" ").split()) for li in map_page.select(".legend__item")]
    assert "This outline means: We meet online" in legend


def test_welsh_lists_say_a_or_ac_as_welsh_does(app):
    with app.test_request_context(), force_locale("cy"):
        assert as_list(["Age UK", "Mind"]) == "Age UK a Mind"
        assert as_list(["Mind", "Age UK"]) == "Mind ac Age UK"
        assert as_list(["Mind", "Shelter", "Elan"]) == "Mind, Shelter ac Elan"
        assert "a(c)" not in as_list(["Un", "Dau", "Tri"])
