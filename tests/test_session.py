"""The live round's state machine: every command, in every state."""

import pytest

from facilitation.live_round import (
    Command,
    CommandRefused,
    Refusal,
    RoundState,
    Status,
    answerable,
    apply,
    available_commands,
    new_round,
)


def run(state: RoundState, *commands: str) -> RoundState:
    for name in commands:
        state = apply(state, Command(name))
    return state


def test_a_new_round_waits_in_its_lobby():
    state = new_round(3)
    assert (state.status, state.step_index, state.step_count) == (Status.LOBBY, 0, 3)
    assert available_commands(state) == {Command.START, Command.END}


def test_start_opens_the_first_step():
    state = apply(new_round(3), Command.START)
    assert state.status is Status.RUNNING
    assert state.step_number == 1


def test_next_and_back_move_one_step_and_stop_at_the_ends():
    state = run(new_round(3), "start", "next", "next")
    assert state.step_number == 3
    with pytest.raises(CommandRefused) as refused:
        apply(state, Command.NEXT)
    assert refused.value.reason is Refusal.AT_LAST_STEP
    state = run(state, "back", "back")
    assert state.step_number == 1
    with pytest.raises(CommandRefused) as refused:
        apply(state, Command.BACK)
    assert refused.value.reason is Refusal.AT_FIRST_STEP


def test_back_remembers_the_furthest_step_so_late_answers_stay_open():
    state = run(new_round(4), "start", "next", "next", "back")
    assert state.step_index == 1
    assert state.furthest_index == 2
    assert answerable(state, 2)
    assert not answerable(state, 3)


def test_pause_and_resume_keep_the_step():
    state = run(new_round(3), "start", "next", "pause")
    assert (state.status, state.step_number) == (Status.PAUSED, 2)
    assert Command.PAUSE not in available_commands(state)
    state = run(state, "resume")
    assert (state.status, state.step_number) == (Status.RUNNING, 2)


@pytest.mark.parametrize(
    ("commands", "refused_command", "reason"),
    [
        ((), "next", Refusal.NOT_STARTED),
        ((), "pause", Refusal.NOT_STARTED),
        (("start",), "start", Refusal.ALREADY_STARTED),
        (("start",), "resume", Refusal.NOT_PAUSED),
        (("start", "pause"), "pause", Refusal.NOT_RUNNING),
        (("start", "end"), "next", Refusal.ENDED),
        (("end",), "start", Refusal.ENDED),
    ],
)
def test_commands_that_do_not_fit_are_refused_with_a_reason(commands, refused_command, reason):
    state = run(new_round(3), *commands)
    with pytest.raises(CommandRefused) as refused:
        apply(state, Command(refused_command))
    assert refused.value.reason is reason


def test_an_ended_round_takes_no_answers_and_no_commands():
    state = run(new_round(2), "start", "next", "end")
    assert state.status is Status.ENDED
    assert available_commands(state) == frozenset()
    assert not answerable(state, 0)


def test_the_lobby_takes_no_answers():
    assert not answerable(new_round(2), 0)


def test_a_round_needs_a_step():
    with pytest.raises(ValueError):
        new_round(0)
