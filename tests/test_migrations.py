"""Alembic migrations, on SQLite and on this machine's PostgreSQL: no row is ever lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import JSON, Engine, MetaData, Table, create_engine, inspect, select, text
from sqlmodel import SQLModel
from sqlmodel import select as select_rows

from tests.conftest import ROOT, join, make_app, make_setup
from workshop.store.db import make_engine, session_scope
from workshop.store.migrate import BASELINE, alembic_config, head, upgrade_to_head
from workshop.store.models import Actor, ActorRating, Answer, Participant, Tie, as_utc

ROWS_PER_TABLE = 3


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path: Path):
    """An engine on a new, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def migrate(engine: Engine, revision: str) -> None:
    """Run the migrations up to `revision`, as the `alembic upgrade` command does."""
    plain = create_engine(engine.url)  # as env.py's: SQLite's foreign keys off, for batch mode
    with plain.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    plain.dispose()


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_the_migrations_build_exactly_the_models(engine):
    """A model changed without a migration shows up here as a difference."""
    migrate(engine, "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    assert revision_of(engine) == head()


def test_a_new_database_is_made_from_the_models_and_marked_at_head(engine):
    upgrade_to_head(engine)
    assert revision_of(engine) == head()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def value_for(table: Table, column, index: int, made: dict[str, list[dict]]) -> Any:
    """A value for one column of row `index`, from the column's type (and its foreign key)."""
    for key in column.foreign_keys:
        target = key.column
        if target.table.name == table.name:
            return None  # a row pointing at a row of its own table (actor.merged_into)
        return made[target.table.name][index][target.name]
    if isinstance(column.type, JSON):
        return {"row": index, "words": ["Age UK", "Shelter Cymru"]}
    kind = column.type.python_type
    if kind is bool:
        return index % 2 == 0
    if kind is int:
        return index + 1
    if kind is float:
        return index + 0.25
    if kind is datetime:
        return datetime(2026, 3, 1, 9, 30, tzinfo=UTC) + timedelta(minutes=index)
    if kind is str:
        length = getattr(column.type, "length", None) or 40
        return f"{column.name[:4]}-{index}-ü"[:length]
    raise AssertionError(f"no value for {table.name}.{column.name} ({column.type})")


def populate(engine: Engine) -> dict[str, list[dict]]:
    """Rows in every table that is there now, parents first, from the reflected schema."""
    metadata = MetaData()
    metadata.reflect(engine)
    made: dict[str, list[dict]] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [
                {column.name: value_for(table, column, i, made) for column in table.columns}
                for i in range(ROWS_PER_TABLE)
            ]
            connection.execute(table.insert(), rows)
            made[table.name] = rows
    return made


def contents(engine: Engine, tables: list[str]) -> dict[str, list[dict]]:
    """Every row of these tables, in key order."""
    metadata = MetaData()
    metadata.reflect(engine, only=tables)
    with engine.connect() as connection:
        return {
            name: [
                dict(row._mapping)
                for row in connection.execute(
                    select(metadata.tables[name]).order_by(
                        *metadata.tables[name].primary_key.columns
                    )
                )
            ]
            for name in tables
        }


def test_a_populated_database_from_the_first_revision_keeps_every_row(engine):
    migrate(engine, BASELINE)
    made = populate(engine)
    assert len(made) == len(inspect(engine).get_table_names()) - 1  # all but alembic_version
    before = contents(engine, list(made))

    upgrade_to_head(engine)  # what the app does at start

    assert revision_of(engine) == head()
    after = contents(engine, list(made))
    for name, rows in before.items():
        assert len(after[name]) == len(rows) == ROWS_PER_TABLE, name
        for old, new in zip(rows, after[name], strict=True):
            # Columns a later revision added may be new; every old value is still there.
            assert {key: new[key] for key in old} == old, name
    # A few values read back as they went in: JSON, text with an accent, a time with its zone.
    assert after["answer"][0]["value"] == {"row": 0, "words": ["Age UK", "Shelter Cymru"]}
    assert after["facilitator"][2]["name"] == "name-2-ü"
    assert as_utc(after["round"][1]["ended_at"]) == datetime(2026, 3, 1, 9, 31, tzinfo=UTC)


def make_old_way(engine: Engine) -> None:
    """A database as every install before Alembic has it: create_all's tables, no version.

    The baseline revision was generated from those very models, so it makes the same tables;
    today's models may have moved on, so create_all now would make a newer schema.
    """
    migrate(engine, BASELINE)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))


def copy_rows(source: Engine, target: Engine) -> None:
    """Copy every row into the target's (older) tables, parents first, in the columns it has."""
    old, new = MetaData(), MetaData()
    old.reflect(target)
    new.reflect(source)
    with source.connect() as reading, target.begin() as writing:
        for table in old.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [new.tables[table.name].c[column.name] for column in table.columns]
            rows = [dict(row._mapping) for row in reading.execute(select(*columns))]
            if rows:
                writing.execute(table.insert(), rows)
            if target.dialect.name == "postgresql" and "id" in table.c:
                # Rows came with their ids: the next id must follow them, as it would have.
                writing.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'(SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"), false)'
                    )
                )


def row_counts(engine: Engine) -> dict[str, int]:
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    with engine.connect() as connection:
        return {n: connection.scalar(text(f'SELECT count(*) FROM "{n}"')) for n in names}


def test_a_database_made_before_alembic_is_adopted_with_its_rows(engine, tmp_path: Path):
    # Real rows, made by the app's own code (on a scratch database of today's schema), in a
    # database of the old schema.
    writer = make_app(f"sqlite:///{tmp_path / 'scratch.db'}")
    setup = make_setup(writer)
    page = join(writer.test_client(), setup, "Amira")
    make_old_way(engine)
    copy_rows(writer.extensions["roundtable.engine"], engine)
    writer.extensions["roundtable.engine"].dispose()
    assert revision_of(engine) is None
    before = row_counts(engine)
    assert before["facilitator"] == before["round"] == before["participant"] == 1

    app = make_app(engine.url.render_as_string(hide_password=False))

    assert revision_of(engine) == head()
    after = row_counts(engine)  # with any table a later revision made, empty
    assert {name: after[name] for name in before} == before
    assert not any(after[name] for name in set(after) - set(before))
    assert "Amira" in app.test_client().get(page).get_data(as_text=True)
    join(app.test_client(), setup, "Bryn")  # and it takes new rows
    assert row_counts(engine)["participant"] == 2
    app.extensions["roundtable.engine"].dispose()


def test_a_database_from_before_some_tables_existed_gets_them_when_adopted(engine):
    make_old_way(engine)
    with engine.begin() as connection:  # as a version from before run sheets made it
        connection.execute(text("DROP TABLE runsheetstep"))
        connection.execute(text("DROP TABLE steptimer"))

    upgrade_to_head(engine)

    assert revision_of(engine) == head()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_two_processes_starting_at_once_on_one_new_database_both_come_up(
    kind: str, request, tmp_path: Path
):
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    go = tmp_path / "go"
    script = (
        "import os, sys, time\n"
        "from workshop.app import create_app\n"
        "ready, go = sys.argv[1:3]\n"
        "open(ready, 'w').close()\n"
        "while not os.path.exists(go):\n"
        "    time.sleep(0.002)\n"
        "app = create_app({'DATABASE_URL': sys.argv[3], 'TESTING': True})\n"
        "print('up')\n"
    )
    env = {**os.environ, "ROUNDTABLE_SECRET_KEY": "test-secret"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path / f"ready{i}"), str(go), url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"ready{i}").exists() for i in range(2)):  # both imported
            assert time.monotonic() < deadline and all(p.poll() is None for p in processes)
            time.sleep(0.01)
        go.touch()
        results = [process.communicate(timeout=60) for process in processes]
    finally:
        for process in processes:
            process.kill()
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
        assert out.strip() == "up"
    engine = make_engine(url)
    assert revision_of(engine) == head()
    assert set(inspect(engine).get_table_names()) >= set(SQLModel.metadata.tables)
    engine.dispose()


def roundtable(*args: str, url: str) -> subprocess.CompletedProcess:
    """The real `roundtable` command, on the database at `url`."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "roundtable"), *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "ROUNDTABLE_SECRET_KEY": "test-secret"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_the_db_commands_show_and_upgrade_an_old_database(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    engine = make_engine(url)
    make_old_way(engine)

    shown = roundtable("db", "current", url=url).stdout
    assert "Revision: made before migrations" in shown
    assert revision_of(engine) is None  # looking changed nothing

    upgraded = roundtable("db", "upgrade", url=url).stdout
    assert "Was at: made before migrations" in upgraded
    assert f"Now at: {head()} (the newest)" in upgraded
    assert revision_of(engine) == head()
    assert f"Revision: {head()} (the newest)" in roundtable("db", "current", url=url).stdout
    engine.dispose()


def test_old_network_answers_get_the_ids_of_what_was_chosen_in_any_language(engine, tmp_path):
    """Answers stored before 0002_chosen_ids: a connection known only by its tie and Welsh
    words, categories and a tie kind stored as Welsh words, a sorted name with no id."""
    writer = make_app(f"sqlite:///{tmp_path / 'scratch.db'}")
    setup = make_setup(writer, questionnaire="map-your-network")
    join(writer.test_client(), setup, "Amira")
    with writer.app_context(), session_scope() as db:
        person = db.exec(select_rows(Participant)).one().id
        age, shelter = (
            Actor(
                round_id=setup.round_id,
                name=name,
                key=name.casefold(),
                kind="organisation",
                step_id="face-to-face",
            )
            for name in ("Age UK", "Shelter Cymru")
        )
        db.add_all([age, shelter])
        db.flush()
        tie = Tie(
            round_id=setup.round_id,
            source_id=age.id,
            target_id=shelter.id,
            added_by=person,
            kind="Yn gweithio gyda",
            step_id="key-allies",
        )
        db.add(tie)
        db.flush()
        some_contact = "Rhywfaint o gysylltiad bob hyn a hyn"
        old = {
            "key-allies": [{"tie": tie.id, "label": "Age UK yn gweithio gyda Shelter Cymru"}],
            "closeness": [
                {"actor": age.id, "label": f"Age UK: {some_contact}"},
                {"actor": shelter.id, "name": "Shelter Cymru", "value": "close", "label": "x"},
            ],
            "influence": [{"actor": age.id, "label": "Age UK: 4"}],
        }
        for step_id, value in old.items():
            db.add(
                Answer(round_id=setup.round_id, participant_id=person, step_id=step_id, value=value)
            )
        db.add(
            ActorRating(
                round_id=setup.round_id,
                actor_id=age.id,
                participant_id=person,
                step_id="closeness",
                value=some_contact,
            )
        )
        db.commit()
        ids = age.id, shelter.id, tie.id
    migrate(engine, BASELINE)
    copy_rows(writer.extensions["roundtable.engine"], engine)
    writer.extensions["roundtable.engine"].dispose()

    upgrade_to_head(engine)

    after = contents(engine, ["answer", "actorrating", "tie"])
    values = {row["step_id"]: row["value"] for row in after["answer"]}
    age_id, shelter_id, tie_id = ids
    assert values["key-allies"] == [
        {
            "tie": tie_id,
            "label": "Age UK yn gweithio gyda Shelter Cymru",
            "source": age_id,
            "target": shelter_id,
            "kind": "works-with",
        }
    ]
    assert values["closeness"] == [
        {
            "actor": age_id,
            "name": "Age UK",
            "value": "some-contact",
            "label": f"Age UK: {some_contact}",
        },
        {"actor": shelter_id, "name": "Shelter Cymru", "value": "close", "label": "x"},
    ]
    assert values["influence"] == [
        {"actor": age_id, "name": "Age UK", "value": 4, "label": "Age UK: 4"}
    ]
    assert [row["value"] for row in after["actorrating"]] == ["some-contact"]
    assert [row["kind"] for row in after["tie"]] == ["works-with"]
