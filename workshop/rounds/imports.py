"""Store a checked spreadsheet import on a round's map: every actor and tie, or none."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from facilitation.import_results import ImportResult
from workshop.realtime import publish
from workshop.rounds import map_updates, measures, team
from workshop.store.models import Actor, Tie, utcnow
from workshop.store.on_commit import on_commit
from workshop.web.wording import RecordAction

IMPORT_STEP = "import"  # the step_id of imported actors and ties (added_by is None)


@dataclass(frozen=True)
class Stored:
    """What an import changed on the map."""

    actors: int  # added
    reused: int  # named in the file, and on the map already: kept as they were
    ties: int  # added
    ties_known: int  # imported before (the same two actors, the same kind): not added again


class ImportClashed(Exception):
    """The map kept changing under the import (people adding the same names at that
    moment); nothing was stored."""


def on_map(db: Session, round_id: int) -> list[str]:
    """The names on a round's map, for ties in a file to end at."""
    return list(db.exec(select(Actor.name).where(Actor.round_id == round_id)))


def store(db: Session, round_id: int, parsed: ImportResult, by: int, filename: str) -> Stored:
    """Add a checked file's actors and ties to the map, recorded as imported by facilitator
    `by`, in one transaction; then tell open maps and consoles. A name already on the map
    (case and spacing ignored) is that actor, not a second one; a tie an earlier import
    added is not added twice."""
    for _attempt in range(3):
        try:
            stored = _add(db, round_id, parsed)
            team.record(db, round_id, by, RecordAction.IMPORT, filename)
            on_commit(db, publish.console_changed, round_id, "map")
            on_commit(db, map_updates.publish_changes, db, round_id)
            on_commit(db, measures.schedule, round_id)
            db.commit()
        except IntegrityError:  # someone added one of the names just now: read again
            db.rollback()
            continue
        except ImportClashed:
            db.rollback()
            raise
        return stored
    raise ImportClashed


def _add(db: Session, round_id: int, parsed: ImportResult) -> Stored:
    actors = {a.key: a for a in db.exec(select(Actor).where(Actor.round_id == round_id))}
    reused = 0
    now = utcnow()
    for imported in parsed.actors:
        if imported.key in actors:
            reused += 1
            continue
        actor = Actor(
            round_id=round_id,
            name=imported.name,
            key=imported.key,
            kind=imported.kind,
            layer=imported.layer,
            added_by=None,
            step_id=IMPORT_STEP,
            created_at=now,
        )
        db.add(actor)
        actors[imported.key] = actor
    db.flush()  # the new actors' ids (and the one-name-per-actor check) now
    earlier = db.exec(
        select(Tie.source_id, Tie.target_id, Tie.kind).where(
            Tie.round_id == round_id, Tie.step_id == IMPORT_STEP
        )
    )
    seen = {tuple(row) for row in earlier}
    rows = []
    for tie in parsed.ties:
        if tie.source_key not in actors or tie.target_key not in actors:
            raise ImportClashed  # a name on the map was removed while the file was read
        key = (actors[tie.source_key].id, actors[tie.target_key].id, tie.kind)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "round_id": round_id,
                "source_id": key[0],
                "target_id": key[1],
                "kind": tie.kind,
                "added_by": None,
                "step_id": IMPORT_STEP,
                "created_at": now,
            }
        )
    if rows:  # thousands of ties: one statement, not thousands of objects
        db.exec(insert(Tie), params=rows)
    return Stored(len(parsed.actors) - reused, reused, len(rows), len(parsed.ties) - len(rows))
