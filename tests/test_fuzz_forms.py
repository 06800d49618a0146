"""Generated form posts to every POST route: never a 5xx, never an invalid row stored.

The routes come from the app's URL map, so a new route is fuzzed without anyone adding
it here; its fields come from the forms on the app's own pages (see fuzz_world.py).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from tests.conftest import PASSWORD, make_app, sign_in
from tests.fuzz_world import QUESTIONNAIRES, SUPPORTER, World, build_world
from tests.invariants import invalid_rows

EXAMPLES = int(
    os.environ.get("FUZZ_EXAMPLES", "20")
)  # per route: about 30 routes, each on its own copy of the round


def post_rules() -> list[Rule]:
    """Every route that takes a POST, read from a fresh app's URL map."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(f"sqlite:///{folder}/routes.db")
        rules = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())]
        app.extensions["roundtable.engine"].dispose()
    return sorted(rules, key=lambda r: r.rule)


RULES = {rule.endpoint: rule for rule in post_rules()}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


def test_every_post_route_can_be_filled_in_and_is_fuzzed(world):
    for rule in RULES.values():
        try:
            world.url_values(rule)
        except KeyError as missing:
            pytest.fail(f"{rule.rule}: no value for {missing}; add it to fuzz_world.build_world")
    # The forms were found on the app's pages for nearly every route (a safety net for
    # the crawl itself: if it finds nothing, the fuzzing posts only noise).
    assert len(set(RULES) - set(world.fields)) <= 2, set(RULES) - set(world.fields)


# --- values -------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "0",
    "-1",
    "1.5",
    "1e308",
    "NaN",
    "inf",
    "99999999999999999999999999",
    str(2**63),
    str(2**31),
    "²",
    "٣",
    "null",
    "[]",
    "{}",
    "true",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "名前",
]
long_text = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from(["x", "é", "\x00", "名", "\n", "ab "]),
    st.integers(100, 20_000),
)
# A control character inside real words: stripping the ends does not remove it.
inside = st.builds(
    lambda a, c, b: a + c + b,
    st.sampled_from(["Age", "Sam", "5"]),
    st.sampled_from(["\x00", "\n", "\t", "\r\n", "\x7f", "\x1b", "\u2028"]),
    st.sampled_from(["UK", "Jones", "0"]),
)
text = st.one_of(
    st.sampled_from(NASTY),
    inside,
    st.text(max_size=80),
    st.text(st.characters(codec="utf-8", min_codepoint=0, max_codepoint=0x3000), max_size=200),
    st.integers().map(str),
    long_text,
)


def values_for(known: set[str]) -> st.SearchStrategy[list[str]]:
    """A field's values: 0 to 3 of them, from the form's own values and nasty text."""
    one = st.one_of(st.sampled_from(sorted(known)), text) if known else text
    return st.lists(one, max_size=3)


# Plausible words, among them the ones that get somewhere: the round's code, our accounts.
words = st.sampled_from(["Age UK", "Layla", "5", "Plan", "sam@example.org", PASSWORD, SUPPORTER])
FILES = [
    (QUESTIONNAIRES / "every-step.yaml").read_bytes(),
    b"name,kind\nAge UK,organisation\nBarnardo's,organisation\n",
]


@st.composite
def form_data(draw, fields: dict[str, set[str]], files: set[str]) -> dict:
    """Half the time a form as the page would send it, with one nasty value or none; else
    any of its fields, with 0 to 3 values each, plus fields no form has."""
    data: dict
    if draw(st.booleans()):
        data = {
            name: [draw(st.sampled_from(sorted(known - {""})) if known - {""} else words)]
            for name, known in fields.items()
        }
        if fields and draw(st.booleans()):
            data[draw(st.sampled_from(sorted(fields)))] = [draw(text)]
        return _with_files(draw, data, files)
    chosen = draw(st.sets(st.sampled_from(sorted(fields)), max_size=len(fields))) if fields else []
    data = {name: draw(values_for(fields[name])) for name in chosen}
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=20), st.lists(text, max_size=2)))
    for name, values in extra.items():
        data.setdefault(name, values)
    return _with_files(draw, data, files)


def _with_files(draw, data: dict, files: set[str]) -> dict:
    for name in files:
        if draw(st.booleans()):
            content = draw(
                st.one_of(st.sampled_from(FILES), st.binary(max_size=2000), text.map(str.encode))
            )
            filename = draw(
                st.sampled_from(["q.yaml", "map.xlsx", "map.csv", "", "../x", "名.yaml"])
            )
            data[name] = (io.BytesIO(content), filename)
    return data


# --- the property ---------------------------------------------------------------------------


def client_for(app, world: World, rule: Rule):
    """The person a route is for: the round's lead for facilitator routes, else a visitor
    (a participant's pages are theirs by the token in the URL)."""
    client = app.test_client()
    if not rule.rule.startswith(("/p/", "/j/", "/sign-in")) and rule.rule != "/":
        assert sign_in(client, world.email).status_code == 302
    return client


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_no_form_post_errors_or_stores_an_invalid_row(endpoint: str, world: World, tmp_path: Path):
    rule = RULES[endpoint]
    app = world.app(tmp_path)
    client = client_for(app, world, rule)
    adapter = app.url_map.bind("localhost")
    token = client.csrf_token()
    fields, files = world.fields.get(endpoint, {}), world.files.get(endpoint, set())
    assert invalid_rows(app) == [], "the world itself is invalid"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        args=st.fixed_dictionaries(
            {name: st.sampled_from(options) for name, options in world.url_values(rule).items()}
        ),
        data=form_data(fields, files),
        csrf=st.sampled_from(["valid", "valid", "valid", "none", "wrong"]),
    )
    def post(args: dict, data: dict, csrf: str):
        for name in [n for n in data if n.endswith("csrf_token")]:  # a prefixed form's too
            data[name] = token
        if csrf != "none":
            data["csrf_token"] = token if csrf == "valid" else "not-a-token"
        response = client.post(adapter.build(endpoint, args), data=data)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, body[-2000:]
        assert "Traceback" not in body
        problems = invalid_rows(app)
        assert problems == [], problems

    post()


def test_the_checker_sees_a_bad_row(world: World, tmp_path: Path):
    """The invariants are not vacuous: an answer a step refuses is reported."""
    from sqlmodel import select

    from workshop.store.db import session_scope
    from workshop.store.models import Answer

    app = world.app(tmp_path)
    with app.app_context(), session_scope() as db:
        answer = db.exec(select(Answer).where(Answer.step_id == "feeling")).first()
        answer.value = 99
        db.add(answer)
        db.commit()
    assert any(re.search(r"feeling.*99", p) for p in invalid_rows(app))
