"""What a facilitator's console shows about a round right now: who is here, who answered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from facilitation.answers import Tally, answer_labels
from facilitation.results import step_result
from facilitation.skip_logic import is_for
from questionnaires.schema import Step
from workshop.rounds import lifecycle, people
from workshop.rounds.maps import names_of
from workshop.rounds.results import hidden_ids
from workshop.store.models import Answer, Participant, Round
from workshop.web.wording import participant_label


@dataclass(frozen=True)
class PersonRow:
    """One participant as the console lists them."""

    id: int
    label: str
    present: bool
    answered: bool
    asked: bool = True  # False when skip logic leaves the shown step out for them


@dataclass(frozen=True)
class WrittenAnswer:
    """A text answer as the console shows it, with whether it is hidden from the group."""

    who: str  # empty for reflections: people were told they are shown without names
    text: str
    answer_id: int
    hidden: bool


@dataclass(frozen=True)
class ConsoleView:
    """The console's live panel."""

    step: Step | None
    people: tuple[PersonRow, ...]
    present: int
    answered: int
    asked: int  # how many people the shown step is for
    tally: Tally | None
    texts: tuple[WrittenAnswer, ...]  # for text answers, newest last

    @property
    def joined(self) -> int:
        """Everyone who has joined the round, here or not."""
        return len(self.people)


def console_view(db: Session, round_: Round, step: Step | None) -> ConsoleView:
    """Gather the live panel, with the answers to `step`, from the database (nothing cached)."""
    removed = people.removed_ids(db, round_.id)
    # The columns a row shows, not whole rows: hundreds of people, on every change.
    joined = [
        p
        for p in db.exec(
            select(Participant.id, Participant.number, Participant.display_name)
            .where(Participant.round_id == round_.id)
            .order_by(Participant.number)
        )
        if p.id not in removed
    ]
    present = people.present_ids(db, round_.id)
    rows: list[Answer] = []
    given: dict[int, dict] = {p.id: {} for p in joined}
    if step is not None:
        steps = [step.id] + ([step.show_if.step] if step.show_if else [])
        for answer in db.exec(
            select(Answer)
            .where(Answer.round_id == round_.id, col(Answer.step_id).in_(steps))
            .order_by(Answer.updated_at)
        ):
            given.setdefault(answer.participant_id, {})[answer.step_id] = answer.value
            if answer.step_id == step.id:
                rows.append(answer)
    # Answers kept from people since removed still count, as they do in the report.
    counted = [p for p in given if p not in removed or (step is not None and step.id in given[p])]
    result = None
    if step is not None:
        names = names_of(db, [round_.id], lifecycle.questionnaire_of(round_).codebook)
        result = step_result(step, given, people=counted, names=names)
    asked = {p.id for p in joined if step is None or is_for(step, given[p.id])}
    by_id = {p.id: p for p in joined}
    texts: tuple[WrittenAnswer, ...] = ()
    if result is not None and result.tally is not None and result.tally.texts:
        # Reflections are for the group, and people were told: shown without names.
        named = step.named_answers
        hidden = hidden_ids(db, round_.id)
        texts = tuple(
            WrittenAnswer(
                participant_label(by_id[a.participant_id]) if named else "",
                " ".join(answer_labels(step, a.value)),
                a.id,
                a.id in hidden,
            )
            for a in rows
            if a.value is not None and a.participant_id in by_id
        )
    answered_ids = {a.participant_id for a in rows}
    people_rows = tuple(
        PersonRow(p.id, participant_label(p), p.id in present, p.id in answered_ids, p.id in asked)
        for p in joined
    )
    return ConsoleView(
        step=step,
        people=people_rows,
        present=sum(1 for r in people_rows if r.present),
        answered=result.answered if result else 0,
        asked=result.asked if result else len(joined),
        tally=result.tally if result else None,
        texts=texts,
    )
