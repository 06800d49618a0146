"""A round's report: every step's answers in numbers and words, who took part, the final map."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from sqlmodel import Session

from facilitation.map_diff import union_graph
from facilitation.results import StepResult, step_result
from workshop.pages.shared.measures import (
    MeasureSection,
    measure_sections,
    measures_of,
    names_in,
    summary_line,
)
from workshop.rounds import answers, lifecycle, self_paced
from workshop.rounds.maps import names_of, round_graph
from workshop.store.models import Round


@dataclass(frozen=True)
class RoundReport:
    """Everything a round's report shows."""

    round: Round
    joined: int
    steps: tuple[StepResult, ...]
    map_summary: str
    measures: tuple[MeasureSection, ...]
    graph: nx.Graph  # the final map, for comparisons
    joining: tuple[Round, ...] = ()  # self-paced rounds whose answers are counted here


def round_report(db: Session, round_: Round) -> RoundReport:
    """Gather a round's report from the database."""
    questionnaire = lifecycle.questionnaire_of(round_)
    joining = self_paced.joining_rounds(db, round_.id)
    ids = [round_.id, *(r.id for r in joining)]
    by_person, hidden_given = answers.answers_by_person(db, ids)
    opened = round_.furthest_index + 1 if round_.status != "lobby" else 0
    names = names_of(db, ids, questionnaire.codebook)
    steps = [
        step_result(
            step,
            by_person,
            hidden=hidden_given,
            number=questionnaire.question_number(step.id),
            opened=index < opened,
            names=names,
        )
        for index, step in enumerate(questionnaire.steps)
    ]
    graph = round_graph(db, round_.id)
    for other in joining:  # one map: the same name in both rounds is one actor
        graph = union_graph(graph, round_graph(db, other.id))
    measures = measures_of(graph)
    return RoundReport(
        round=round_,
        joined=len(by_person),
        steps=tuple(steps),
        map_summary=summary_line(measures.actors, measures.ties, len(measures.clusters)),
        measures=tuple(measure_sections(measures, names_in(graph))),
        graph=graph,
        joining=tuple(joining),
    )
