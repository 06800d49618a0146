"""What every stored row must satisfy, whatever was posted: `invalid_rows(app)` lists breaches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask
from sqlalchemy import JSON, BigInteger, Integer, String, Text, select
from sqlmodel import SQLModel

from facilitation.answers import AnswerRejected, check_answer
from facilitation.live_round import Status
from questionnaires.schema import Questionnaire, Stored
from workshop.rounds.lifecycle import questionnaire_of
from workshop.rounds.network import MAP_NAMES, MAP_TIES
from workshop.store.db import session_scope
from workshop.store.models import Round
from workshop.web.converters import TOKEN_PATTERN

# One-line text holds no control characters at all; long text may keep tabs and line breaks.
ONE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f]")
LONG_TEXT_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INT32 = (-(2**31), 2**31 - 1)  # PostgreSQL's INTEGER: a bigger number is a 500 there


def invalid_rows(app: Flask) -> list[str]:
    """Every breach of the rules below in the app's database, in words (empty: all valid)."""
    with app.app_context(), session_scope() as db:
        tables = {
            name: [dict(row._mapping) for row in db.connection().execute(select(table))]
            for name, table in SQLModel.metadata.tables.items()
        }
        rounds = {r.id: r for r in db.connection().execute(select(Round.__table__))}
        questionnaires = {
            round_id: questionnaire_of(Round(**dict(row._mapping)))
            for round_id, row in rounds.items()
        }
    problems = [*_columns(tables), *_foreign_keys(tables)]
    problems += _rounds_and_people(tables, questionnaires)
    problems += _answers(tables, questionnaires)
    problems += _map(tables, questionnaires)
    return problems


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(key)
            yield from _strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings_in(item)


def _columns(tables: dict[str, list[dict]]) -> Iterator[str]:
    """Declared lengths, clean text and numbers a 32-bit column can hold."""
    for name, table in SQLModel.metadata.tables.items():
        for row in tables[name]:
            for column in table.columns:
                value = row[column.name]
                where = f"{name} {row.get('id', '')} {column.name}"
                if value is None:
                    continue
                if isinstance(column.type, Text | JSON):
                    for text in _strings_in(value):
                        if LONG_TEXT_BAD.search(text):
                            yield f"{where}: control character in {text[:40]!r}"
                elif isinstance(column.type, String):
                    if column.type.length and len(value) > column.type.length:
                        yield f"{where}: {len(value)} characters, over {column.type.length}"
                    if ONE_LINE_BAD.search(value):
                        yield f"{where}: control character in {value[:40]!r}"
                elif (
                    isinstance(column.type, Integer)
                    and not isinstance(column.type, BigInteger)
                    and not INT32[0] <= int(value) <= INT32[1]
                ):
                    yield f"{where}: {value} does not fit a 32-bit column"


def _foreign_keys(tables: dict[str, list[dict]]) -> Iterator[str]:
    """Every reference points at a row that exists."""
    for name, table in SQLModel.metadata.tables.items():
        for column in table.columns:
            for key in column.foreign_keys:
                target = key.column
                present = {row[target.name] for row in tables[target.table.name]}
                for row in tables[name]:
                    if row[column.name] is not None and row[column.name] not in present:
                        missing = row[column.name]
                        yield f"{name} {row.get('id', '')} {column.name}: no {target} {missing}"


def _rounds_and_people(
    tables: dict[str, list[dict]], questionnaires: dict[int, Questionnaire]
) -> Iterator[str]:
    statuses = {s.value for s in Status}
    rounds = {r["id"]: r for r in tables["round"]}
    for r in rounds.values():
        if r["status"] not in statuses:
            yield f"round {r['id']}: status {r['status']!r}"
        if not 0 <= r["step_index"] <= r["furthest_index"] < r["step_count"]:
            yield f"round {r['id']}: step {r['step_index']} of {r['step_count']}"
        if r["step_count"] != len(questionnaires[r["id"]].steps):
            yield f"round {r['id']}: step count {r['step_count']} is not its questionnaire's"
    people = {p["id"]: p for p in tables["participant"]}
    for p in people.values():
        if not re.fullmatch(TOKEN_PATTERN, p["token"]):
            yield f"participant {p['id']}: token {p['token']!r}"
    # Rows that name a participant and a round: the same round.
    for name in ("answer", "actorrating", "helprequest", "presence", "removal"):
        for row in tables[name]:
            person = people.get(row["participant_id"])
            if person and person["round_id"] != row["round_id"]:
                yield f"{name} {row.get('id', '')}: participant of round {person['round_id']}"
    for row in tables["helprequest"]:
        count = rounds[row["round_id"]]["step_count"]
        if not 1 <= row["step_number"] <= count:
            yield f"helprequest {row['id']}: step {row['step_number']} of {count}"
    for row in tables["progress"]:
        count = rounds[people[row["participant_id"]]["round_id"]]["step_count"]
        if not 0 <= row["step_index"] <= row["furthest_index"] < count:
            yield f"progress {row['participant_id']}: step {row['step_index']} of {count}"
    for row in tables["steptimer"]:
        if not 0 <= row["step_index"] < rounds[row["round_id"]]["step_count"]:
            yield f"steptimer {row['round_id']}: step {row['step_index']}"
    for name in ("runsheetstep", "revealedstep"):
        for row in tables[name]:
            if questionnaires[row["round_id"]].step(row["step_id"]) is None:
                yield f"{name} {row['round_id']}: no step {row['step_id']!r}"
    for row in tables["runsheetstep"]:
        if row["minutes"] is not None and not 0 <= row["minutes"] <= 24 * 60:
            yield f"runsheetstep {row['round_id']}: {row['minutes']} minutes"
    answers = {a["id"]: a for a in tables["answer"]}
    for row in tables["hiddenanswer"]:
        answer = answers.get(row["answer_id"])
        if answer and answer["round_id"] != row["round_id"]:
            yield f"hiddenanswer {row['answer_id']}: answer of round {answer['round_id']}"
    for row in tables["selfpaced"]:
        if row["joins_round_id"] == row["round_id"]:
            yield f"selfpaced {row['round_id']}: joins itself"


def _as_submitted(value: Any) -> list[str]:
    """A stored answer as the form values that would give it."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _answers(
    tables: dict[str, list[dict]], questionnaires: dict[int, Questionnaire]
) -> Iterator[str]:
    """Answers only to steps the round has, with values the step accepts."""
    actors = {a["id"]: a for a in tables["actor"]}
    ties = {t["id"]: t for t in tables["tie"]}
    for answer in tables["answer"]:
        where = f"answer {answer['id']} ({answer['step_id']})"
        questionnaire = questionnaires[answer["round_id"]]
        step = {MAP_NAMES.id: MAP_NAMES, MAP_TIES.id: MAP_TIES}.get(
            answer["step_id"]
        ) or questionnaire.step(answer["step_id"])
        value = answer["value"]
        if step is None or not step.collects_answer:
            yield f"{where}: no such question in the round"
        elif step.adds_to_map:
            if value is not None and not isinstance(value, list):
                yield f"{where}: {value!r} is not a list"
                continue
            key, rows = ("tie", ties) if step.stores is Stored.TIES else ("actor", actors)
            for item in value or []:
                row = rows.get(item.get(key)) if isinstance(item, dict) else None
                if row is None or row["round_id"] != answer["round_id"]:
                    yield f"{where}: {item!r} is not a {key} of the round"
        else:
            try:
                accepted = check_answer(step, _as_submitted(value))
            except AnswerRejected as rejected:
                yield f"{where}: {value!r} is refused ({rejected})"
            else:
                if accepted != value:
                    yield f"{where}: {value!r} is stored, the step gives {accepted!r}"


def _map(tables: dict[str, list[dict]], questionnaires: dict[int, Questionnaire]) -> Iterator[str]:
    """Actors, ties and ratings within their round, their codebook and their scale."""
    actors = {a["id"]: a for a in tables["actor"]}
    people = {p["id"]: p for p in tables["participant"]}
    for actor in actors.values():
        codebook = questionnaires[actor["round_id"]].codebook
        imported = actor["step_id"] == "import"
        if not imported and actor["kind"] not in {k.id for k in codebook.actor_kinds}:
            yield f"actor {actor['id']}: kind {actor['kind']!r}"
        if actor["layer"] is not None and actor["layer"] not in {x.id for x in codebook.layers}:
            yield f"actor {actor['id']}: layer {actor['layer']!r}"
        merged = actors.get(actor["merged_into"])
        if merged and (merged["round_id"] != actor["round_id"] or merged["id"] == actor["id"]):
            yield f"actor {actor['id']}: merged into {merged['id']} of round {merged['round_id']}"
        if not actor["name"].strip():
            yield f"actor {actor['id']}: empty name"
    for tie in tables["tie"]:
        codebook = questionnaires[tie["round_id"]].codebook
        for end in ("source_id", "target_id"):
            actor = actors.get(tie[end])
            if actor and actor["round_id"] != tie["round_id"]:
                yield f"tie {tie['id']}: {end} is an actor of round {actor['round_id']}"
        if tie["source_id"] == tie["target_id"]:
            yield f"tie {tie['id']}: ties an actor to itself"
        if tie["step_id"] != "import" and tie["kind"] not in {k.id for k in codebook.tie_kinds}:
            yield f"tie {tie['id']}: kind {tie['kind']!r}"
        person = people.get(tie["added_by"])
        if person and person["round_id"] != tie["round_id"]:
            yield f"tie {tie['id']}: added by someone in round {person['round_id']}"
    for rating in tables["actorrating"]:
        questionnaire = questionnaires[rating["round_id"]]
        actor = actors.get(rating["actor_id"])
        if actor and actor["round_id"] != rating["round_id"]:
            yield f"actorrating {rating['id']}: actor of round {actor['round_id']}"
        step = questionnaire.step(rating["step_id"])
        if step.stores is not Stored.PLACEMENTS:
            yield f"actorrating {rating['id']}: step {rating['step_id']!r} rates nothing"
            continue
        allowed = {c.id for c in step.categories(questionnaire.codebook)}
        if str(rating["value"]) not in allowed or isinstance(rating["value"], bool):
            yield f"actorrating {rating['id']}: {rating['value']!r} is not on the scale"
