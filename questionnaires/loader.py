"""Read questionnaire files from disk into validated Questionnaire objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from questionnaires.schema import Questionnaire

LIBRARY = Path(__file__).parent / "library"


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be used, with a message in plain words."""


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """A questionnaire with the file text it came from (kept as the round's snapshot)."""

    questionnaire: Questionnaire
    source: str
    path: Path


def parse(text: str, name: str = "questionnaire") -> Questionnaire:
    """Parse and validate questionnaire YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise QuestionnaireError(f"{name}: this is not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise QuestionnaireError(f"{name}: expected a questionnaire, found {type(data).__name__}")
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}"
            for e in error.errors()
        )
        raise QuestionnaireError(f"{name}: {problems}") from error


def load(path: Path) -> LoadedQuestionnaire:
    """Load one questionnaire file."""
    text = path.read_text(encoding="utf-8")
    return LoadedQuestionnaire(parse(text, path.name), text, path)


def load_all(folders: Iterable[Path] = (LIBRARY,)) -> dict[str, LoadedQuestionnaire]:
    """Every questionnaire in these folders, by id; a duplicate id is an error."""
    found: dict[str, LoadedQuestionnaire] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            loaded = load(path)
            qid = loaded.questionnaire.id
            if qid in found:
                raise QuestionnaireError(
                    f"{path.name}: id '{qid}' is also used by {found[qid].path}"
                )
            found[qid] = loaded
    return found
