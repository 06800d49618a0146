"""Join links and codes: unguessable, short, forgiving to type."""

from facilitation.join_codes import (
    ALPHABET,
    CODE_LENGTH,
    display_code,
    new_join_code,
    new_token,
    normalise_code,
)


def test_join_tokens_carry_at_least_128_bits():
    token = new_token()
    # token_urlsafe: 6 bits per character.
    assert len(token) * 6 >= 128
    assert len({new_token() for _ in range(1000)}) == 1000


def test_codes_have_no_look_alike_characters():
    for confusing in "0O1IL2Z5S8B":
        assert confusing not in ALPHABET
    code = new_join_code()
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(ALPHABET)


def test_codes_are_forgiving_about_case_spaces_and_dashes():
    assert normalise_code("ace 479") == "ACE479"
    assert normalise_code(" a-c-e-4-7-9 ") == "ACE479"
    assert normalise_code(display_code("ACE479")) == "ACE479"


def test_impossible_codes_are_none():
    for typed in ("", "ACE47", "ACE4790", "ACE47O", "ÀCE479", "x" * 40):
        assert normalise_code(typed) is None
