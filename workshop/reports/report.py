"""A round's report: every step's answers in numbers and words, who took part, the final map."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from sqlmodel import Session, col, select

from facilitation.answers import Tally, tally
from facilitation.map_diff import union_graph
from facilitation.skip_logic import is_for
from questionnaires.schema import Step
from workshop import pacing, rounds
from workshop.maps.measures_view import MeasureSection, measure_sections, measures_of, summary_line
from workshop.shared_map import round_graph
from workshop.store.models import Answer, HiddenAnswer, Participant, Round


@dataclass(frozen=True)
class StepReport:
    """One step of the round: how many were asked and answered, and what they said."""

    step: Step
    number: int | None  # the question's number, as participants saw it
    opened: bool  # False for steps the round never reached
    asked: int
    answered: int
    tally: Tally | None
    hidden: int = 0  # written answers a facilitator hid from shared views (not shown here)

    def percent(self, count: int) -> int:
        """A count as a whole percentage of the people who answered."""
        return round(100 * count / self.answered) if self.answered else 0


@dataclass(frozen=True)
class RoundReport:
    """Everything a round's report shows."""

    round: Round
    joined: int
    steps: tuple[StepReport, ...]
    map_summary: str
    measures: tuple[MeasureSection, ...]
    graph: nx.Graph  # the final map, for comparisons
    joining: tuple[Round, ...] = ()  # self-paced rounds whose answers are counted here


def round_report(session: Session, round_: Round) -> RoundReport:
    """Gather a round's report from the database."""
    questionnaire = rounds.questionnaire_of(round_)
    joining = pacing.joining_rounds(session, round_.id)
    ids = [round_.id, *(r.id for r in joining)]
    people = session.exec(select(Participant.id).where(col(Participant.round_id).in_(ids))).all()
    by_person: dict[int, dict] = {p: {} for p in people}
    hidden = set(
        session.exec(select(HiddenAnswer.answer_id).where(col(HiddenAnswer.round_id).in_(ids)))
    )
    hidden_given: set[tuple[int, str]] = set()  # (person, step) of answers hidden from view
    for answer in session.exec(select(Answer).where(col(Answer.round_id).in_(ids))):
        by_person.setdefault(answer.participant_id, {})[answer.step_id] = answer.value
        if answer.id in hidden:
            hidden_given.add((answer.participant_id, answer.step_id))
    opened = round_.furthest_index + 1 if round_.status != "lobby" else 0
    steps = []
    for index, step in enumerate(questionnaire.steps):
        asked = [p for p, answers in by_person.items() if is_for(step, answers)]
        given = [p for p in asked if step.id in by_person[p]]
        values = [by_person[p][step.id] for p in given if (p, step.id) not in hidden_given]
        steps.append(
            StepReport(
                step=step,
                number=questionnaire.question_number(step.id),
                opened=index < opened,
                asked=len(asked),
                answered=len(given),
                tally=tally(step, values) if step.collects_answer else None,
                hidden=len(given) - len(values),
            )
        )
    graph = round_graph(session, round_.id)
    for other in joining:  # one map: the same name in both rounds is one actor
        graph = union_graph(graph, round_graph(session, other.id))
    measures = measures_of(graph)
    return RoundReport(
        round=round_,
        joined=len(people),
        steps=tuple(steps),
        map_summary=summary_line(measures),
        measures=tuple(measure_sections(graph, measures)),
        graph=graph,
        joining=tuple(joining),
    )
