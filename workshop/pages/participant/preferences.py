"""A participant's display and reading choices, remembered for the round in their cookie."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from flask import session as cookie
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


@dataclass(frozen=True)
class Preferences:
    """How the pages look and read for this person: all off until they choose."""

    larger_text: bool = False
    high_contrast: bool = False
    easy_read: bool = False
    read_aloud: bool = False
    reduced_motion: bool = False

    @property
    def body_classes(self) -> str:
        """The classes the page's body carries, one per choice that is on."""
        return " ".join(
            f"pref-{f.name.replace('_', '-')}" for f in fields(self) if getattr(self, f.name)
        )


class PreferencesForm(FlaskForm):
    """One checkbox per choice."""

    larger_text = BooleanField(_l("Larger text"))
    high_contrast = BooleanField(_l("High contrast: light text on a dark page"))
    easy_read = BooleanField(_l("Easy Read: simpler words, where the questions have them"))
    read_aloud = BooleanField(_l("A button that reads each question aloud"))
    reduced_motion = BooleanField(_l("No movement on the page"))


def preferences_of(round_id: int) -> Preferences:
    """This person's choices for a round (none yet: everything off)."""
    stored = cookie.get("preferences", {}).get(str(round_id), {})
    known = {f.name for f in fields(Preferences)}
    return Preferences(**{k: bool(v) for k, v in stored.items() if k in known})


def remember(round_id: int, form: PreferencesForm) -> Preferences:
    """Keep the form's choices for this round."""
    chosen = Preferences(**{f.name: bool(getattr(form, f.name).data) for f in fields(Preferences)})
    cookie["preferences"] = {**cookie.get("preferences", {}), str(round_id): asdict(chosen)}
    return chosen
