"""A participant's page asks the database a few questions, not a dozen: a room of hundreds
loads its pages in the same second."""

from __future__ import annotations

from sqlalchemy import event

from tests.conftest import command, join


def statements(app, fetch) -> list[str]:
    seen: list[str] = []

    def counted(_conn, _cursor, statement, *_args):
        seen.append(statement.split("\n")[0][:80])

    engine = app.extensions["roundtable.engine"]
    event.listen(engine, "before_cursor_execute", counted)
    try:
        assert fetch().status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return seen


def test_a_question_and_its_live_update_take_a_few_queries(app, setup, facilitator):
    person = app.test_client()
    page = join(person, setup, "Amira")
    command(facilitator, setup, "start")
    person.get(page)  # the first visit notes the person as here (one write)
    person.post_form(f"{page}/steps/feeling", {"answer": "4"})
    command(facilitator, setup, "next")

    # The participant with their round, their answers, the revealed steps. Around a whole
    # page, the bar: the help request, and the team (two) and presence count when the kept
    # ones are older than their few seconds. Before: 8, 9 and 13.
    assert len(statements(app, lambda: person.get(f"{page}?part=conversation"))) <= 3
    assert len(statements(app, lambda: person.get(f"{page}/steps/needs"))) <= 6
    assert len(statements(app, lambda: person.get(page))) <= 7
