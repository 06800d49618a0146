"""Read questionnaire files from disk into validated Questionnaire objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from questionnaires.cross_checks import cross_reference_problems
from questionnaires.easy_read import easy_read_problems
from questionnaires.findings import Finding, Location, step_id_at
from questionnaires.languages import language_problems, localise
from questionnaires.lines import line_of
from questionnaires.messages import plain_message
from questionnaires.readability import readability_problems
from questionnaires.schema import BY_LANGUAGE, ONE_TEXT, STEP_TYPES, Questionnaire

LIBRARY = Path(__file__).parent / "library"


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be used, with a message in plain words."""


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """A questionnaire, texts in its main language, with the file text it came from (kept
    as the round's snapshot, and read again for other languages)."""

    questionnaire: Questionnaire
    source: str
    path: Path


@dataclass(frozen=True)
class Report:
    """What checking a file found: the questionnaire (when it is usable), errors, warnings."""

    questionnaire: Questionnaire | None
    errors: tuple[Finding, ...]
    warnings: tuple[Finding, ...]


def check(text: str, name: str = "questionnaire") -> Report:
    """Check questionnaire YAML in two passes (shape, then cross-references) and for
    plain language; every finding names the file, the line and the step."""
    try:
        root, data = _read_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or "it cannot be read"
        return Report(None, (Finding(name, line, None, f"this is not valid YAML: {reason}"),), ())
    except RecursionError:  # PyYAML reads nested lists and mappings by recursion
        return Report(None, (Finding(name, None, None, TOO_DEEP),), ())
    if (deep := _too_deep(root)) is not None:
        return Report(None, (Finding(name, deep.start_mark.line + 1, None, TOO_DEEP),), ())
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        message = f"expected a questionnaire (id, title, steps...), found {found}"
        return Report(None, (Finding(name, 1, None, message),), ())

    def finding(location: Location, message: str) -> Finding:
        line = line_of(root, location)
        return Finding(name, line, step_id_at(data, location), message, location)

    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as error:
        errors = tuple(
            finding(_where(e), plain_message({**e, "loc": _where(e)})) for e in error.errors()
        )
        return Report(None, errors, ())
    problems = [*cross_reference_problems(questionnaire), *language_problems(questionnaire)]
    errors = tuple(finding(loc, msg) for loc, msg in problems)
    hints = [*readability_problems(data), *easy_read_problems(questionnaire)]
    warnings = tuple(finding(loc, msg) for loc, msg in hints)
    return Report(None if errors else questionnaire, errors, warnings)


# A questionnaire nests about eight lists and mappings deep; the checks that follow walk
# the data by recursion, and one file nested 500 deep was a RecursionError (a 500 page).
MOST_NESTED = 40
TOO_DEEP = f"lists and sections are nested too deeply: at most {MOST_NESTED} levels"


def _too_deep(root: yaml.Node | None) -> yaml.Node | None:
    """The first node nested deeper than MOST_NESTED, found without recursion."""
    waiting = [(root, 1)] if root is not None else []
    while waiting:
        node, depth = waiting.pop()
        if depth > MOST_NESTED:
            return node
        if isinstance(node, yaml.SequenceNode):
            waiting.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            waiting.extend((child, depth + 1) for pair in node.value for child in pair)
    return None


def _read_yaml(text: str) -> tuple[yaml.Node | None, object]:
    """Parse once: the node tree (for line numbers) and the data built from it."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return root, loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()


def _where(error: dict) -> Location:
    # pydantic names the forms of a text and a step's type as tags in the path; the file
    # has neither, and the designer finds the field by the path.
    location = tuple(
        part
        for number, part in enumerate(error["loc"])
        if part not in (ONE_TEXT, BY_LANGUAGE)
        and not (number == 2 and error["loc"][0] == "steps" and part in STEP_TYPES)
    )
    # An unknown step type is reported on the step: point at its 'type' line instead.
    if error["type"] == "union_tag_invalid":
        return (*location, "type")
    return location


def parse(text: str, name: str = "questionnaire") -> Questionnaire:
    """Parse and validate questionnaire YAML text; QuestionnaireError lists every error."""
    report = check(text, name)
    if report.questionnaire is None:
        raise QuestionnaireError("\n".join(str(e) for e in report.errors))
    return report.questionnaire


@lru_cache(maxsize=64)
def _parse_once(source: str) -> Questionnaire:
    return parse(source, "snapshot")


@lru_cache(maxsize=256)
def snapshot(source: str, language: str | None = None, easy_read: bool = False) -> Questionnaire:
    """A checked questionnaire file's text, parsed once, with its texts in one language
    (the main one unless asked), in Easy Read where asked and given."""
    questionnaire = _parse_once(source)
    return localise(questionnaire, language or questionnaire.language, easy_read)


def load(path: Path) -> LoadedQuestionnaire:
    """Load one questionnaire file (its texts in its main language)."""
    text = path.read_text(encoding="utf-8")
    parse(text, path.name)  # errors name the file
    return LoadedQuestionnaire(snapshot(text), text, path)


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
