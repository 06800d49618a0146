"""What a facilitator's console shows about a round right now: who is here, who answered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from facilitation.answers import Tally, answer_labels, tally
from facilitation.skip_logic import is_for
from questionnaires.schema import Step
from workshop import rounds
from workshop.removals import removed_ids
from workshop.results import hidden_ids
from workshop.store.models import Answer, Participant, Round
from workshop.wording import participant_label


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


def console_view(session: Session, round_: Round, step: Step | None) -> ConsoleView:
    """Gather the live panel, with the answers to `step`, from the database (nothing cached)."""
    removed = removed_ids(session, round_.id)
    people = [
        p
        for p in session.exec(
            select(Participant)
            .where(Participant.round_id == round_.id)
            .order_by(Participant.number)
        )
        if p.id not in removed
    ]
    present = rounds.present_ids(session, round_.id)
    answers: list[Answer] = []
    if step is not None:
        answers = list(
            session.exec(
                select(Answer)
                .where(Answer.round_id == round_.id, Answer.step_id == step.id)
                .order_by(Answer.updated_at)
            )
        )
    answered_ids = {a.participant_id for a in answers}
    by_id = {p.id: p for p in people}
    texts: tuple[WrittenAnswer, ...] = ()
    step_tally = None
    if step is not None and step.collects_answer:
        step_tally = tally(step, [a.value for a in answers])
        if not step_tally.counts:
            # Reflections are for the group, and people were told: shown without names.
            named = step.type != "reflection"
            hidden = hidden_ids(session, round_.id)
            texts = tuple(
                WrittenAnswer(
                    participant_label(by_id[a.participant_id]) if named else "",
                    " ".join(answer_labels(step, a.value)),
                    a.id,
                    a.id in hidden,
                )
                for a in answers
                if a.value is not None and a.participant_id in by_id
            )
    asked = _asked(session, round_, step, people)
    rows = tuple(
        PersonRow(p.id, participant_label(p), p.id in present, p.id in answered_ids, p.id in asked)
        for p in people
    )
    return ConsoleView(
        step=step,
        people=rows,
        present=sum(1 for r in rows if r.present),
        # Answers kept from people since removed still count, as they do in the tally.
        answered=len(answered_ids & (asked | removed)),
        asked=len(asked | (answered_ids & removed)),
        tally=step_tally,
        texts=texts,
    )


def _asked(session: Session, round_: Round, step: Step | None, people) -> set[int]:
    """Ids of the participants the step is for (skip logic may leave some out)."""
    if step is None or step.show_if is None:
        return {p.id for p in people}
    earlier = {
        a.participant_id: a.value
        for a in session.exec(
            select(Answer).where(Answer.round_id == round_.id, Answer.step_id == step.show_if.step)
        )
    }
    return {p.id for p in people if is_for(step, {step.show_if.step: earlier.get(p.id)})}
