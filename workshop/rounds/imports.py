"""Store a checked spreadsheet import on a round's map: every actor and tie, or none."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from facilitation.import_results import ImportResult
from facilitation.map_graph import MapActor, shown_as
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
    ties: int  # connections added (or made stronger)
    ties_known: int  # on the map already, said by as many as the file says: not added again


class ImportClashed(Exception):
    """The map kept changing under the import (people adding the same names at that
    moment); nothing was stored."""


def on_map(db: Session, round_id: int) -> list[str]:
    """The names on a round's map, for ties in a file to end at."""
    return list(db.exec(select(Actor.name).where(Actor.round_id == round_id)))


def store(db: Session, round_id: int, parsed: ImportResult, by: int, filename: str) -> Stored:
    """Add a checked file's actors and ties to the map, recorded as imported by facilitator
    `by`, in one transaction; then tell open maps and consoles. A name already on the map
    (case and spacing ignored) is that actor, not a second one; a tie on the map already is
    added only as far as the file says more people said it."""
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
    shown = shown_as(
        MapActor(a.id, a.name, a.kind, merged_into=a.merged_into) for a in actors.values()
    )
    said = _said(db, round_id, shown)
    rows = []
    known = 0
    for tie in parsed.ties:
        if tie.source_key not in actors or tie.target_key not in actors:
            raise ImportClashed  # a name on the map was removed while the file was read
        ends = (actors[tie.source_key].id, actors[tie.target_key].id)
        key = (shown[ends[0]], shown[ends[1]], tie.kind)
        # The file says how many people said it (Strength); the map is brought up to that,
        # so a file exported from this map adds nothing, and one from another adds it all.
        more = tie.strength - said.get(key, 0)
        if more <= 0:
            known += 1
            continue
        said[key] = tie.strength
        rows.extend(
            {
                "round_id": round_id,
                "source_id": ends[0],
                "target_id": ends[1],
                "kind": tie.kind,
                "added_by": None,
                "step_id": IMPORT_STEP,
                "created_at": now,
            }
            for _ in range(more)
        )
    if rows:  # thousands of ties: one statement, not thousands of objects
        db.exec(insert(Tie), params=rows)
    added = len(parsed.ties) - known
    return Stored(len(parsed.actors) - reused, reused, added, known)


def _said(db: Session, round_id: int, shown: dict[int, int]) -> dict[tuple, int]:
    """How many said each tie on the map, as the map files count them: between the actors
    the ends show as, each person once for each kind, each imported statement once."""
    rows = db.exec(
        select(Tie.id, Tie.source_id, Tie.target_id, Tie.kind, Tie.added_by).where(
            Tie.round_id == round_id
        )
    )
    who: dict[tuple, set] = {}
    for tie_id, source, target, kind, person in rows:
        key = (shown.get(source, source), shown.get(target, target), kind)
        who.setdefault(key, set()).add(("tie", tie_id) if person is None else person)
    return {key: len(people) for key, people in who.items()}
