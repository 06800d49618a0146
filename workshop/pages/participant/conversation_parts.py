"""The conversation's parts, each rendered once for all who see the same: the open question
for everyone who has not answered it yet, and each earlier answer once per person."""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import current_app, session
from markupsafe import Markup

from facilitation.conversation import Conversation
from facilitation.live_round import Status
from workshop.pages.shared.shared_render import put_in, taken_out
from workshop.web.i18n import language_code

# A step change makes every open page fetch its conversation in the same second: hundreds of
# people, in a few languages and display variants. The open question is the same for all of
# them until they answer, but for their own link and form token, which stand in the kept
# render as these and are put back for each person.
_TOKEN = "rtPersonTokenStandIn000"  # a valid token, so that url_for accepts it
MOST = 20_000  # renders kept (a few KB each), the least recently used dropped first

RENDERS: Counter[str] = Counter()  # parts rendered by this process, by template (for benches)


@dataclass(frozen=True)
class Parts:
    """The open question's HTML, and each earlier turn's, in order."""

    now: Markup
    earlier: tuple[Markup, ...]


def parts_of(context: dict[str, Any], easy_read: bool) -> Parts:
    """Render (or reuse) every part of this person's conversation."""
    view: Conversation = context["view"]
    language = language_code()
    group_versions = context["group_versions"]
    token = context["participant"].token
    turns = []
    for turn in view.earlier:
        key = (
            "turn",
            context["participant"].id,
            turn.version,
            group_versions.get(turn.step.id),
            view.state.is_open,
            context["saved"] == turn.step.id,
            language,
            easy_read,
        )
        render = lambda t=turn: _render("_turn.html", context, turn=t, state=view.state)  # noqa: E731
        turns.append(Markup(_kept(key, render)))
    return Parts(_now(context, language, easy_read, token), tuple(turns))


def _now(context: dict[str, Any], language: str, easy_read: bool, token: str) -> Markup:
    view: Conversation = context["view"]
    current = view.current
    shared = (
        "_flashes" not in session  # a message is for one person
        and context["net"] is None  # network steps list the person's own names and ties
        and context["schedule"] is None  # in people's own time, each is somewhere else
        and (current is None or not current.answered)
    )
    if not shared:
        return Markup(_render("_now.html", context))
    timer = context["timer"]
    key = (
        "now",
        context["round"].id,
        view.version,
        context["map_shown"],
        (context["ends_at"](timer), context["minutes_left"](timer)) if timer else None,
        context["group_versions"].get(current.step.id) if current else None,
        context["title"],
        context["facilitator"].name if view.state.status is Status.LOBBY else None,  # waiting
        language,
        easy_read,
    )
    html = _kept(key, lambda: taken_out(_render("_now.html", context, participant=_StandIn())))
    return Markup(put_in(html, {_TOKEN: token}))


@dataclass(frozen=True)
class _StandIn:
    token: str = _TOKEN


def _render(name: str, context: dict[str, Any], **changes: Any) -> str:
    # Straight from Jinja: the page's context is all a part needs (Flask's render_template
    # would run every context processor, and their queries, once per part).
    RENDERS[name] += 1
    template = current_app.jinja_env.get_template(f"participant/{name}")
    return template.render(**{**context, **changes})


def _kept(key: tuple, render) -> str:
    kept: OrderedDict[tuple, str] = current_app.extensions.setdefault(
        "roundtable.conversation_parts", OrderedDict()
    )  # per app: its rounds are its database's
    html = kept.get(key)
    if html is None:
        html = kept[key] = render()
        if len(kept) > MOST:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    return html
