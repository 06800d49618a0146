"""A round's data as downloadable files: answers, the map for Kumu and Gephi, and a ZIP."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, select

from facilitation import exports, gexf
from facilitation.answers import answer_labels
from facilitation.map_answers import (
    StatementRow,
    actor_answers,
    add_actor_answers,
    statements_csv,
)
from facilitation.map_graph import on_show, shown_as
from facilitation.results import step_result
from workshop.rounds import lifecycle
from workshop.rounds.answers import answers_by_person
from workshop.rounds.canvas import positioned_graph
from workshop.rounds.maps import map_data, names_of
from workshop.store.models import Answer, Experiment, Participant, Round, Tie


def answer_rows(db: Session, round_: Round) -> list[exports.AnswerRow]:
    """Every stored answer of a round, participants known only as P1, P2..."""
    questionnaire = lifecycle.questionnaire_of(round_)
    people = {
        p.id: f"P{p.number}"
        for p in db.exec(select(Participant).where(Participant.round_id == round_.id))
    }
    answers = {
        (a.participant_id, a.step_id): a.value
        for a in db.exec(select(Answer).where(Answer.round_id == round_.id))
    }
    names = names_of(db, [round_.id], questionnaire.codebook)
    rows = []
    for participant_id, pseudonym in sorted(people.items(), key=lambda p: int(p[1][1:])):
        for step in questionnaire.steps:
            if (participant_id, step.id) not in answers:
                continue
            words = answer_labels(step, answers[participant_id, step.id], names)
            rows.append(exports.AnswerRow(pseudonym, step.id, step.title, " | ".join(words)))
    return rows


def map_graph(db: Session, round_: Round):
    """The round's map as the exports write it, each actor where the canvas places it, with
    what people said of it in rating and sorting steps."""
    actors, ties = map_data(db, round_.id)
    _graph, positions = positioned_graph(db, round_.id)
    questionnaire = lifecycle.questionnaire_of(round_)
    graph = exports.export_graph(actors, ties, questionnaire.codebook, positions)
    by_person, hidden = answers_by_person(db, [round_.id])
    names = names_of(db, [round_.id], questionnaire.codebook)
    results = (
        step_result(step, by_person, hidden=hidden, names=names)
        for step in questionnaire.steps
        if step.type in ("rate-actors", "sort-actors")
    )
    add_actor_answers(graph, actor_answers(results))
    return graph


def statement_rows(db: Session, round_: Round) -> list[StatementRow]:
    """Every tie between actors on show, as each person stated it, in the order stated."""
    actors, _ties = map_data(db, round_.id)
    shown = shown_as(actors)
    by_id = {a.id: a for a in actors}
    people = {
        p.id: f"P{p.number}"
        for p in db.exec(select(Participant).where(Participant.round_id == round_.id))
    }
    kinds = {t.id: str(t.label) for t in lifecycle.questionnaire_of(round_).codebook.tie_kinds}
    rows = []
    query = select(Tie).where(Tie.round_id == round_.id).order_by(Tie.created_at, Tie.id)
    for tie in db.exec(query):
        source, target = by_id[shown[tie.source_id]], by_id[shown[tie.target_id]]
        if not (on_show(source) and on_show(target)) or source.id == target.id:
            continue
        rows.append(
            StatementRow(
                participant=people.get(tie.added_by, "imported"),
                source=source.name,
                target=target.name,
                kind=kinds.get(tie.kind, tie.kind),
                round=round_.name,
                when=tie.created_at.isoformat(timespec="seconds"),
            )
        )
    return rows


class RoundData:
    """What the files of one round are made from, each read once however many files use it."""

    def __init__(self, db: Session, round_: Round) -> None:
        self.db, self.round = db, round_

    @cached_property
    def graph(self):
        return map_graph(self.db, self.round)

    @cached_property
    def kumu_csvs(self) -> tuple[bytes, bytes]:
        return exports.kumu_csvs(self.graph)


# File name -> (what it is, how to make it). The README in the ZIP lists the words.
FILES: dict[str, tuple[Callable[[], str], Callable[[RoundData], bytes]]] = {
    "answers.csv": (
        lambda: _("Every answer: a row per participant per step. Participants are P1, P2..."),
        lambda d: exports.answers_csv(answer_rows(d.db, d.round)),
    ),
    "kumu.xlsx": (
        lambda: _("The map for Kumu: an Elements sheet and a Connections sheet."),
        lambda d: exports.kumu_xlsx(d.graph),
    ),
    "kumu-elements.csv": (
        lambda: _("Kumu's Elements sheet as CSV: ID, Label, Type, Description, Tags."),
        lambda d: d.kumu_csvs[0],
    ),
    "kumu-connections.csv": (
        lambda: _("Kumu's Connections sheet as CSV: ID, From, To, Type, Strength, Tags."),
        lambda d: d.kumu_csvs[1],
    ),
    "map.graphml": (
        lambda: _("The map as GraphML (yEd, Cytoscape, networkx)."),
        lambda d: exports.graphml(d.graph),
    ),
    "map.gexf": (
        lambda: _("The map as GEXF (Gephi)."),
        lambda d: gexf.round_gexf(d.graph, d.round.name),
    ),
    "map.json": (
        lambda: _("The map as node-link JSON (networkx, D3)."),
        lambda d: exports.node_link(d.graph),
    ),
    "statements.csv": (
        lambda: _(
            "Every connection as each person stated it: participant (P1, P2...), from, to, "
            "kind, round and when."
        ),
        lambda d: statements_csv(statement_rows(d.db, d.round)),
    ),
    "map.net": (
        lambda: _("The map for Pajek, UCINET, igraph and statnet (Pajek's .net)."),
        lambda d: exports.pajek(d.graph),
    ),
    "map-edges.csv": (
        lambda: _("The map as a plain edge list: source, target, weight, kinds."),
        lambda d: exports.edge_list(d.graph),
    ),
}


def map_counts(db: Session, round_: Round) -> exports.MapCounts:
    """What the round's map files count (no positions: counting needs none)."""
    actors, ties = map_data(db, round_.id)
    codebook = lifecycle.questionnaire_of(round_).codebook
    return exports.map_counts(exports.export_graph(actors, ties, codebook))


def counts_in_words(counts: exports.MapCounts) -> list[str]:
    """Each count of the map files with what it counts, so no two numbers surprise."""
    return [
        ngettext(
            "%(num)s name: an element in Kumu, a node in the other map files.",
            "%(num)s names: each an element in Kumu, a node in the other map files.",
            counts.actors,
        ),
        ngettext(
            "%(num)s connection: a pair of names tied, either way, as the map counts them.",
            "%(num)s connections: pairs of names tied, either way, as the map counts them.",
            counts.pairs,
        ),
        ngettext(
            "%(num)s edge in map.graphml, map.gexf and map.json: a pair tied both ways is two.",
            "%(num)s edges in map.graphml, map.gexf and map.json: a pair tied both ways is two.",
            counts.edges,
        ),
        ngettext(
            "%(num)s row in Kumu's Connections: one for each way and kind.",
            "%(num)s rows in Kumu's Connections: one for each way and kind.",
            counts.kumu_rows,
        ),
        ngettext(
            "%(num)s statement: what people said, each person once for each kind.",
            "%(num)s statements: what people said, each person once for each kind.",
            counts.statements,
        ),
    ]


def make_file(db: Session, round_: Round, name: str) -> bytes:
    """One file of FILES, or everything as a ZIP ("all.zip")."""
    if name == "all.zip":
        return everything(db, round_)
    return FILES[name][1](RoundData(db, round_))


def everything(db: Session, round_: Round) -> bytes:
    """Every file in one ZIP, with a README that says what each one is."""
    lines = [
        _("Roundtable: %(round)s", round=round_.name),
        _(
            "Questionnaire: %(id)s, version %(v)d",
            id=round_.questionnaire_id,
            v=round_.questionnaire_version,
        ),
        "",
        *(f"{name}: {words()}" for name, (words, _make) in FILES.items()),
        "",
    ]
    data = RoundData(db, round_)
    lines += [_("What the map files count:"), *counts_in_words(exports.map_counts(data.graph)), ""]
    lines += [*_answer_attributes(round_), ""]
    files = {name: make(data) for name, (_words, make) in FILES.items()}
    return exports.bundle(files, "\n".join(lines))


def _answer_attributes(round_: Round) -> list[str]:
    """What each attribute the answers add to the map files' actors holds."""
    lines = []
    for step in lifecycle.questionnaire_of(round_).steps:
        if step.type == "rate-actors":
            line = _(
                "%(names)s: the mean answer and how many answered, to “%(question)s”",
                names=f"{step.id}_mean, {step.id}_count",
                question=step.title,
            )
            lines.append(line)
        elif step.type == "sort-actors":
            line = _(
                "%(names)s: how many chose each answer, to “%(question)s”",
                names=f"{step.id}_chosen",
                question=step.title,
            )
            lines.append(line)
    return lines


def experiment_gexf(db: Session, experiment: Experiment) -> bytes:
    """All rounds of an experiment as one dynamic GEXF, in the order they were made."""
    rows = db.exec(
        select(Round).where(Round.experiment_id == experiment.id).order_by(Round.created_at)
    )
    return gexf.rounds_gexf([(r.name, map_graph(db, r)) for r in rows], experiment.name)
