"""pydantic's validation errors, said in plain words for the people who write questionnaires."""

from __future__ import annotations

from typing import Any

from questionnaires.findings import N_, Said
from questionnaires.schema import STEP_TYPES


def plain_message(error: dict[str, Any]) -> str:
    """One validation error as a sentence that says what to change."""
    kind = error["type"]
    names = [part for part in error["loc"] if isinstance(part, str) and part not in STEP_TYPES]
    field = names[-1] if names else "the questionnaire"
    value = error.get("input")
    if kind == "missing":
        return Said(N_("'%(field)s' is missing"), field=field)
    if kind == "extra_forbidden":
        return Said(
            N_("'%(field)s' is not something a questionnaire can have here; check its spelling"),
            field=field,
        )
    if kind == "union_tag_invalid":
        return Said(
            N_("'%(tag)s' is not a step type; known types: %(types)s"),
            tag=error["ctx"]["tag"],
            types=", ".join(STEP_TYPES),
        )
    if kind == "union_tag_not_found":
        return Said(
            N_("the step has no 'type'; known types: %(types)s"), types=", ".join(STEP_TYPES)
        )
    if kind == "string_pattern_mismatch" and field == "id":
        return Said(
            N_(
                "'%(value)s' is not a readable id: use lower-case letters, digits and dashes, "
                "like 'key-allies'"
            ),
            value=value,
        )
    if kind == "string_type" and isinstance(value, bool):
        return Said(
            N_(
                "'%(field)s' must be words, but YAML reads yes, no, on and off as true or false; "
                "put the word in quotes, like 'yes'"
            ),
            field=field,
        )
    if kind == "too_short" and isinstance(value, list):
        return Said(
            N_("'%(field)s' needs at least %(least)s entries"),
            field=field,
            least=error["ctx"]["min_length"],
        )
    if kind == "string_too_short":
        return Said(N_("'%(field)s' is empty"), field=field)
    if kind == "string_too_long":
        return Said(
            N_("'%(field)s' is too long (at most %(most)s characters)"),
            field=field,
            most=error["ctx"]["max_length"],
        )
    message = error["msg"]  # pydantic's own words, in English only
    return f"'{field}': {message[0].lower()}{message[1:]}"
