"""A questionnaire being designed: its YAML file changed in place, so that comments, key order
and layout survive every edit, and a file saved without a change reads back byte for byte."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString

from questionnaires.findings import Location
from questionnaires.parts import PARTICIPANT_TEXTS

Path = tuple[str | int, ...]  # from the file's top to one mapping: ("steps", 2, "options", 0)


class DraftError(ValueError):
    """Text the designer cannot open: not YAML, or not a questionnaire's mapping."""


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, order and quoting are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long text onto a new line
    yaml.indent(mapping=2, sequence=4, offset=2)  # the built-in files' layout
    return yaml


class Draft:
    """One questionnaire's YAML, open for change. Every change leaves the rest as written."""

    def __init__(self, text: str) -> None:
        try:
            data = _yaml().load(text)
        except (YAMLError, RecursionError) as error:
            raise DraftError(f"this is not valid YAML: {error}") from None
        if not isinstance(data, CommentedMap):
            raise DraftError("expected a questionnaire (id, title, steps...)")
        self.data = data

    @classmethod
    def blank(cls, questionnaire_id: str, title: str, language: str) -> Draft:
        """A questionnaire with a title and no steps yet."""
        draft = cls("version: 1\n")
        _put(draft.data, "id", questionnaire_id)
        _put(draft.data, "title", title)
        _put(draft.data, "language", language)
        _put(draft.data, "steps", CommentedSeq())
        return draft

    def text(self) -> str:
        """The file as it reads now."""
        out = io.StringIO()
        _yaml().dump(self.data, out)
        return out.getvalue()

    @property
    def main_language(self) -> str:
        value = self.data.get("language")
        return value if isinstance(value, str) else "en"

    def at(self, path: Path) -> CommentedMap:
        """The mapping at `path`; KeyError if there is none."""
        node: Any = self.data
        for part in path:
            try:
                node = node[part]
            except (IndexError, TypeError) as error:
                raise KeyError(path) from error
        if not isinstance(node, CommentedMap):
            raise KeyError(path)
        return node

    # Steps -----------------------------------------------------------------------------

    @property
    def steps(self) -> CommentedSeq:
        """The steps (reading never changes the file: none written, an empty list)."""
        steps = self.data.get("steps")
        return steps if isinstance(steps, CommentedSeq) else CommentedSeq()

    def step_ids(self) -> list[str]:
        return [str(step.get("id")) for step in self.steps if isinstance(step, Mapping)]

    def step_index(self, step_id: str) -> int:
        """Where the step is; KeyError if no step has this id."""
        for index, step in enumerate(self.steps):
            if isinstance(step, Mapping) and step.get("id") == step_id:
                return index
        raise KeyError(step_id)

    def add_step(self, step_type: str, position: int | None = None) -> str:
        """A new step of this type (at `position`, else last), untitled; its new id.
        DraftError if the file's steps are not a list (nothing of it is changed)."""
        if "steps" not in self.data or self.data["steps"] is None:
            _put(self.data, "steps", CommentedSeq())
        steps = self.data["steps"]
        if not isinstance(steps, CommentedSeq):
            raise DraftError("the steps are not a list")
        step_id = unique_slug(step_type, self.step_ids())
        step = CommentedMap([("id", _as_written(step_id)), ("type", step_type)])
        where = len(steps) if position is None else max(0, min(position, len(steps)))
        steps.insert(where, step)
        return step_id

    def remove_step(self, step_id: str) -> None:
        del self.steps[self.step_index(step_id)]

    def move_step(self, step_id: str, position: int) -> None:
        """Put the step at `position` (0 first; beyond the end, last)."""
        steps = self.steps
        step = steps.pop(self.step_index(step_id))
        steps.insert(max(0, min(position, len(steps))), step)

    def set_condition(self, step_id: str, earlier: str | None, any_of: list[str]) -> None:
        """Show the step only to people who answered `earlier` with one of `any_of`; to
        everyone when `earlier` is None."""
        step = self.steps[self.step_index(step_id)]
        if earlier is None:
            step.pop("show_if", None)
            return
        old = step.get("show_if")
        if isinstance(old, Mapping) and old.get("step") == earlier:
            written = old.get("any_of")
            listed = written if isinstance(written, list) else [written]
            if {str(v) for v in listed if v is not None} != set(any_of):
                old["any_of"] = _flow(any_of)
            return
        condition = CommentedMap([("step", _as_written(earlier)), ("any_of", _flow(any_of))])
        _put(step, "show_if", condition)

    # Texts and settings ---------------------------------------------------------------

    def set_text(self, path: Path, name: str, versions: Mapping[str, str]) -> None:
        """Set a text's versions ({"en": ..., "cy": ..., "en-easy": ...}) as a form sent
        them. A version emptied is taken out; one the same but for spaces at its ends or a
        browser's line endings is left as written. One version in the main language stays
        a plain string."""
        owner = self.at(path)
        given = {key: _one_line_end(value) for key, value in versions.items()}
        given = {key: value for key, value in given.items() if value.strip()}
        old = owner.get(name)
        if isinstance(old, Mapping):
            for key in list(old):
                if key in versions and key not in given and _said(old[key]):
                    del old[key]
            for key, value in given.items():
                if not _same(old.get(key), value):
                    old[key] = _as_written(_ends_as(old.get(key), value))
            if not old:
                del owner[name]
            return
        main = self.main_language
        if isinstance(old, str) and set(given) <= {main} and _same(old, given.get(main, "")):
            return
        if not given:
            if _said(old):
                del owner[name]
        elif list(given) == [main]:
            _put(owner, name, _ends_as(old, given[main]))
        else:
            if _said(old) and main not in versions:
                given = {main: old, **given}
            words = ((key, _as_written(value.strip())) for key, value in given.items())
            _put(owner, name, CommentedMap(words))

    def set_value(self, path: Path, name: str, value: Any, default: Any = None) -> None:
        """Set one setting; a setting not written in the file stays out while it is the
        default, and None takes it out."""
        owner = self.at(path)
        if name in owner:
            if value is None:
                del owner[name]
            elif owner[name] != value:
                owner[name] = _flow(value) if isinstance(value, list) else _as_written(value)
        elif value is not None and value != default:
            _put(owner, name, _flow(value) if isinstance(value, list) else value)

    def set_main_language(self, code: str) -> None:
        """Make `code` the language every text is written in first. A text written once
        (in the old main language) says so from now on, and the old main language stays
        one of the questionnaire's languages: no text changes its language by this."""
        old = self.main_language
        if code == old:
            return
        for owner, name in _texts(self.data):
            value = owner[name]
            if isinstance(value, str):
                owner[name] = CommentedMap([(old, value)])
        listed = [c for c in self.data.get("languages") or [old] if c != code]
        self.set_value((), "languages", [code, *listed])
        self.set_value((), "language", code)

    # Lists of items with ids and labels: options, and the codebook's kinds and layers ----

    def items(self, path: Path, name: str) -> CommentedSeq:
        """The list (empty if there is none: reading never adds one to the file)."""
        found = self.at(path).get(name) if self._has(path) else None
        return found if isinstance(found, CommentedSeq) else CommentedSeq()

    def _has(self, path: Path) -> bool:
        try:
            self.at(path)
        except KeyError:
            return False
        return True

    def add_item(self, path: Path, name: str, label: str, **more: Any) -> str:
        """A new item labelled `label` in the main language, its id made from the label."""
        if path == ("codebook",) and not self._has(path):
            _put(self.data, "codebook", CommentedMap())
        owner = self.at(path)
        listed = owner.get(name)
        if listed is not None and not isinstance(listed, CommentedSeq):
            raise DraftError(f"'{name}' is not a list")
        if listed is None:
            listed = CommentedSeq()
            _put(owner, name, listed)
        taken = [str(item.get("id")) for item in listed if isinstance(item, Mapping)]
        item_id = unique_slug(label, taken, fallback=name.rstrip("s").split("_")[-1])
        item = [("id", item_id), ("label", label), *more.items()]
        listed.append(CommentedMap((key, _as_written(value)) for key, value in item))
        return item_id

    def remove_items(self, path: Path, name: str, indexes: Iterable[int]) -> None:
        listed = self.items(path, name)
        for index in sorted(set(indexes), reverse=True):
            if 0 <= index < len(listed):
                del listed[index]
        if not listed and self._has(path):
            self.at(path).pop(name, None)


def _one_line_end(text: str) -> str:
    """A box's words with a browser's CR LF line endings made LF, as files write them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _said(value: Any) -> bool:
    """Whether a written text says anything (an empty or missing one says nothing)."""
    return isinstance(value, str) and value.strip() != ""


def _ends_as(old: Any, new: str) -> str:
    """New words without spaces at their ends; ending with a line break where the old
    text did (a block of lines in the file keeps its form)."""
    words = new.strip()
    return words + "\n" if isinstance(old, str) and old.endswith("\n") else words


def _same(old: Any, new: str) -> bool:
    return isinstance(old, str) and old.strip() == new.strip()


def _texts(node: Any) -> Iterable[tuple[CommentedMap, str]]:
    """(mapping, key) for every text participants read, anywhere in the file."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if key in PARTICIPANT_TEXTS and isinstance(value, str | Mapping):
                yield node, key
            else:
                yield from _texts(value)
    elif isinstance(node, CommentedSeq):
        for item in node:
            yield from _texts(item)


def _flow(values: list) -> CommentedSeq:
    """A short list written on one line, [a, b], as the built-in files write them."""
    seq = CommentedSeq(_as_written(value) for value in values)
    seq.fa.set_flow_style()
    return seq


# Where each key goes when it is new: the order the built-in files use.
_ORDER = [
    "id",
    "type",
    "picture",
    "title",
    "help",
    "text",
    "description",
    "version",
    "language",
    "languages",
    "fallbacks",
    "show_if",
    "required",
    "actors",
    "actor_kinds",
    "tie_kinds",
    "layer",
    "min",
    "max",
    "min_label",
    "max_label",
    "max_length",
    "max_actors",
    "max_ties",
    "options",
    "codebook",
    "steps",
]


def _put(owner: CommentedMap, name: str, value: Any) -> None:
    """Set a key; a new one goes where the built-in files put it, not at the end."""
    value = _as_written(value)
    if name in owner:
        owner[name] = value
        return
    rank = _ORDER.index(name) if name in _ORDER else len(_ORDER)
    keys = list(owner)
    position = next(
        (i for i, key in enumerate(keys) if key in _ORDER and _ORDER.index(key) > rank),
        len(keys),
    )
    owner.insert(position, name, value)


_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def _as_written(value: Any) -> Any:
    """A string quoted where the checks' YAML reader (YAML 1.1) would read it as something
    else: an answer "Yes" or an id "no" would come back as true or false."""
    plain = isinstance(value, str) and not isinstance(value, ScalarString)
    if plain and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR:
        return SingleQuotedScalarString(value)
    return value


def unique_slug(words: str, taken: Iterable[str], fallback: str = "step") -> str:
    """A readable id made from words ("Key allies!" -> "key-allies"), not one of `taken`."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40].strip("-") or fallback
    taken = set(taken)
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def step_of(location: Location) -> int | None:
    """The index of the step a checker's location is in, if it is in one."""
    if len(location) >= 2 and location[0] == "steps" and isinstance(location[1], int):
        return location[1]
    return None
