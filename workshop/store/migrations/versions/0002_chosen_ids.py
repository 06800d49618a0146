"""Network answers keep the ids of what was chosen, so they count the same in every language.

A connection in an answer gains its two actors and its kind (from its tie); a category or
rating given as words (in any of the questionnaire's languages, as its codebook and options
give them) becomes the id they stand for, in answers, ratings and ties alike. What cannot be
read is left as it was.

Revision ID: 0002_chosen_ids
Revises: 0001_baseline
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0002_chosen_ids"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

TIES = ("connect-actors",)
PLACEMENTS = ("sort-actors", "rate-actors")
MAP_TIES = "on-the-map-ties"  # the map page's own connections, stored as a step's

answer = sa.table(
    "answer",
    sa.column("id", sa.Integer),
    sa.column("round_id", sa.Integer),
    sa.column("step_id", sa.String),
    sa.column("value", sa.JSON),
)
tie = sa.table(
    "tie",
    sa.column("id", sa.Integer),
    sa.column("round_id", sa.Integer),
    sa.column("source_id", sa.Integer),
    sa.column("target_id", sa.Integer),
    sa.column("kind", sa.String),
)
rating = sa.table(
    "actorrating",
    sa.column("id", sa.Integer),
    sa.column("round_id", sa.Integer),
    sa.column("step_id", sa.String),
    sa.column("value", sa.JSON),
)
actor = sa.table("actor", sa.column("id", sa.Integer), sa.column("name", sa.String))
round_ = sa.table("round", sa.column("id", sa.Integer), sa.column("questionnaire_source", sa.Text))


def _words(label: object) -> list[str]:
    """Every language's words for one label (a text, or texts by language)."""
    if isinstance(label, dict):
        return [str(v) for v in label.values() if isinstance(v, str)]
    return [str(label)] if isinstance(label, str) else []


def _by_words(terms: Iterable[object]) -> dict[str, str]:
    """Each entry's words in every language (case ignored) to its id."""
    found: dict[str, str] = {}
    for term in terms:
        if isinstance(term, dict) and "id" in term:
            for words in _words(term.get("label")):
                found[words.casefold()] = str(term["id"])
    return found


def _read(source: str | None) -> dict:
    try:
        data = yaml.safe_load(source or "")
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _categories(step: dict, codebook: dict) -> tuple[set[str], dict[str, str]]:
    """A placement step's category ids, and its words in every language to those ids."""
    if step.get("type") == "rate-actors":
        low, high = int(step.get("min", 1)), int(step.get("max", 5))
        numbers = [str(n) for n in range(low, high + 1)]
        return set(numbers), {n: n for n in numbers}
    terms = step.get("options") or codebook.get("layers") or []
    ids = {str(t["id"]) for t in terms if isinstance(t, dict) and "id" in t}
    return ids, _by_words(terms)


def _category_of(item: dict, ids: set[str], words: dict[str, str]) -> str | None:
    """The id of a placed item's category: its value, or the words its label ends with."""
    value = item.get("value")
    if value is not None and str(value) in ids:
        return None  # already an id
    if isinstance(value, str) and value.casefold() in words:
        return words[value.casefold()]
    label = str(item.get("label", ""))
    for text, term_id in sorted(words.items(), key=lambda w: -len(w[0])):
        if label.casefold().endswith(": " + text):
            return term_id
    return None


def _placed(step: dict, value: str) -> int | str:
    return int(value) if step.get("type") == "rate-actors" else value


def upgrade() -> None:
    db = op.get_bind()
    names = {row.id: row.name for row in db.execute(sa.select(actor.c.id, actor.c.name))}
    for round_id, source in db.execute(sa.select(round_.c.id, round_.c.questionnaire_source)):
        questionnaire = _read(source)
        codebook = questionnaire.get("codebook") or {}
        if not isinstance(codebook, dict):
            continue
        tie_kinds = _by_words(codebook.get("tie_kinds") or [])
        steps = {
            str(s["id"]): s
            for s in questionnaire.get("steps") or []
            if isinstance(s, dict) and "id" in s
        }
        steps[MAP_TIES] = {"type": "connect-actors"}
        ties = {row.id: row for row in db.execute(sa.select(tie).where(tie.c.round_id == round_id))}
        for row in ties.values():  # a kind stored as its words
            kind = tie_kinds.get(str(row.kind).casefold())
            if kind is not None and kind != row.kind:
                db.execute(tie.update().where(tie.c.id == row.id).values(kind=kind))
        for row in db.execute(sa.select(rating).where(rating.c.round_id == round_id)):
            step = steps.get(row.step_id)
            if step is None or step.get("type") not in PLACEMENTS:
                continue
            ids, words = _categories(step, codebook)
            found = _category_of({"value": row.value}, ids, words)
            if found is not None:
                db.execute(
                    rating.update().where(rating.c.id == row.id).values(value=_placed(step, found))
                )
        rows = db.execute(sa.select(answer).where(answer.c.round_id == round_id)).all()
        for row in rows:
            step = steps.get(row.step_id)
            if step is None or not isinstance(row.value, list):
                continue
            if step.get("type") in TIES:
                items = [_tie_ids(item, ties, tie_kinds) for item in row.value]
            elif step.get("type") in PLACEMENTS:
                ids, words = _categories(step, codebook)
                items = [_placement_ids(item, step, ids, words, names) for item in row.value]
            else:
                continue
            if items != row.value:
                db.execute(answer.update().where(answer.c.id == row.id).values(value=items))


def _tie_ids(item: object, ties: dict, tie_kinds: dict[str, str]) -> object:
    """A connection with its two actors and kind, from its tie."""
    if not isinstance(item, dict) or "kind" in item or item.get("tie") not in ties:
        return item
    row = ties[item["tie"]]
    kind = tie_kinds.get(str(row.kind).casefold(), row.kind)
    return {**item, "source": row.source_id, "target": row.target_id, "kind": kind}


def _placement_ids(
    item: object, step: dict, ids: set[str], words: dict[str, str], names: dict[int, str]
) -> object:
    """A placed name with its category's id (and its name, as the count shows it)."""
    if not isinstance(item, dict) or not isinstance(item.get("actor"), int):
        return item
    found = _category_of(item, ids, words)
    changed = dict(item)
    if found is not None:
        changed["value"] = _placed(step, found)
    if "name" not in changed and item["actor"] in names:
        changed["name"] = names[item["actor"]]
    return changed


def downgrade() -> None:
    """Nothing to undo: the ids added sit beside the words, which earlier versions count."""
