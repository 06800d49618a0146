"""pydantic's validation errors, said in plain words for the people who write questionnaires."""

from __future__ import annotations

from typing import Any

from questionnaires.schema import STEP_TYPES


def plain_message(error: dict[str, Any]) -> str:
    """One validation error as a sentence that says what to change."""
    kind = error["type"]
    names = [part for part in error["loc"] if isinstance(part, str) and part not in STEP_TYPES]
    field = names[-1] if names else "the questionnaire"
    value = error.get("input")
    if kind == "missing":
        return f"'{field}' is missing"
    if kind == "extra_forbidden":
        return f"'{field}' is not something a questionnaire can have here; check its spelling"
    if kind == "union_tag_invalid":
        tag = error["ctx"]["tag"]
        return f"'{tag}' is not a step type; known types: {', '.join(STEP_TYPES)}"
    if kind == "union_tag_not_found":
        return f"the step has no 'type'; known types: {', '.join(STEP_TYPES)}"
    if kind == "string_pattern_mismatch" and field == "id":
        return (
            f"'{value}' is not a readable id: use lower-case letters, digits and dashes, "
            "like 'key-allies'"
        )
    if kind == "string_type" and isinstance(value, bool):
        return (
            f"'{field}' must be words, but YAML reads yes, no, on and off as true or false; "
            "put the word in quotes, like 'yes'"
        )
    if kind == "too_short" and isinstance(value, list):
        return f"'{field}' needs at least {error['ctx']['min_length']} entries"
    if kind == "string_too_short":
        return f"'{field}' is empty"
    if kind == "string_too_long":
        return f"'{field}' is too long (at most {error['ctx']['max_length']} characters)"
    message = error["msg"]
    return f"'{field}': {message[0].lower()}{message[1:]}"
