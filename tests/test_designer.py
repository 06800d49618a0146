"""The questionnaire designer, through its pages: files go in and come back byte for byte,
every form sent back unchanged leaves the file as it was, steps move without dragging, the
checks' findings sit beside their fields, and a round starts only from a ready version."""

from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from questionnaires.drafts import Draft, unique_slug
from questionnaires.loader import LIBRARY, check
from tests.conftest import CheckedClient, make_setup, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Project, Round

BUILT_IN = sorted(LIBRARY.glob("*.yaml"))


@pytest.fixture
def lead(app, setup) -> CheckedClient:
    client = app.test_client()
    sign_in(client, setup.email)
    return client


@pytest.fixture
def project_id(app, setup) -> int:
    with app.app_context(), session_scope() as db:
        return db.exec(select(Project.id).where(Project.owner_id == setup.facilitator_id)).one()


def upload(client: CheckedClient, project_id: int, text: str, name: str = "mine.yaml") -> str:
    """Open a file in the designer; the address of its overview."""
    response = client.post_form(
        f"/projects/{project_id}/questionnaires/upload",
        {"upload-file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def edited(values: dict) -> dict:
    """A step form as its page sends it: the fields given, and the settings they belong to
    named as shown (only those are read)."""
    shown = {re.split(r"[.-]", key)[0] for key in values}
    return {**values, "shown": sorted(shown)}


def as_sent(form) -> list[tuple[str, str]]:
    """What a browser sends for a form left as it is: boxes as filled, ticked boxes only."""
    sent = []
    for control in form.select("input, textarea, select"):
        name = control.get("name")
        if not name or control.get("type") in ("submit", "file"):
            continue
        if control.name == "textarea":
            sent.append((name, control.text.removeprefix("\n")))
        elif control.name == "select":
            chosen = control.select_one("option[selected]") or control.select_one("option")
            sent.append((name, chosen.get("value", chosen.text) if chosen else ""))
        elif control.get("type") in ("checkbox", "radio"):
            if control.has_attr("checked"):
                sent.append((name, control.get("value", "on")))
        else:
            sent.append((name, control.get("value", "")))
    return sent


def send_back(client: CheckedClient, url: str, form_selector: str) -> None:
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    form = page.select_one(form_selector)
    response = client.post(form.get("action") or url, data=MultiDict(as_sent(form)))
    assert response.status_code == 302, (url, response.get_data(as_text=True)[:1500])


def downloaded(client: CheckedClient, overview: str) -> str:
    response = client.get(f"{overview}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", BUILT_IN, ids=[p.stem for p in BUILT_IN])
def test_a_built_in_file_comes_back_the_same_after_every_form_is_sent_back(lead, project_id, path):
    """Nothing is lost in a round trip: upload, send back every form of the designer as it
    was shown (about, each step, the codebook), download: the same bytes."""
    text = path.read_text(encoding="utf-8")
    overview = upload(lead, project_id, text, path.name)
    assert downloaded(lead, overview) == text
    send_back(lead, overview, "form[aria-labelledby=about]")
    for step_id in Draft(text).step_ids():
        send_back(lead, f"{overview}/steps/{step_id}", "#step-settings")
    send_back(lead, f"{overview}/codebook", "form.designer-form")
    assert downloaded(lead, overview) == text


def test_a_questionnaire_made_from_nothing_runs_a_round(app, lead, project_id, setup):
    made = lead.post_form(
        f"/projects/{project_id}/questionnaires",
        {"title": "Who we work with", "start_from": "", "language": "en"},
    )
    overview = made.headers["Location"]
    assert overview.endswith("/questionnaires/who-we-work-with")
    step = lead.post_form(f"{overview}/steps", {"step_type": "single-choice", "position": ""})
    page = step.headers["Location"]
    lead.post_form(
        page, edited({"title.en": "How did you hear of us?", "options-new.en": "A friend"})
    )
    lead.post_form(
        page,
        edited(
            {
                "title.en": "How did you hear of us?",
                "options-0-id": "a-friend",
                "options-0.en": "A friend",
                "options-new.en": "The radio",
                "required": "y",
            }
        ),
    )
    text = downloaded(lead, overview)
    report = check(text)
    assert report.errors == () and report.questionnaire is not None, report.errors
    assert [o.id for o in report.questionnaire.steps[0].options] == ["a-friend", "the-radio"]

    # Not yet a version: nothing for a round to run.
    experiment = f"/experiments/{setup.experiment_id}"
    assert "How did you hear" not in lead.get(experiment).get_data(as_text=True)
    assert lead.post_form(f"{overview}/versions").status_code == 302
    page = BeautifulSoup(lead.get(experiment).get_data(as_text=True), "html.parser")
    option = page.find("option", string=re.compile("Who we work with"))
    assert option is not None
    made = lead.post_form(experiment, {"questionnaire": option["value"], "pace": "live"})
    assert made.status_code == 302
    with app.app_context(), session_scope() as db:
        round_ = db.exec(select(Round).order_by(Round.id.desc())).first()
        assert round_.questionnaire_id == "who-we-work-with"
        assert round_.questionnaire_version == 1
        assert "version: 1" in round_.questionnaire_source


def test_a_version_with_problems_is_a_draft_no_round_can_start_from(lead, project_id, setup):
    made = lead.post_form(
        f"/projects/{project_id}/questionnaires",
        {"title": "Half done", "start_from": "", "language": "en"},
    )
    overview = made.headers["Location"]
    lead.post_form(f"{overview}/steps", {"step_type": "rating-scale", "position": ""})
    lead.post_form(f"{overview}/versions")
    page = lead.get(overview).get_data(as_text=True)
    assert "Version 1" in page and "(draft)" in page
    experiment = lead.get(f"/experiments/{setup.experiment_id}").get_data(as_text=True)
    assert "Half done" not in experiment
    # Even a hand-made request cannot start it.
    response = lead.post_form(
        f"/experiments/{setup.experiment_id}", {"questionnaire": "project-1", "pace": "live"}
    )
    assert response.status_code == 400


def test_what_the_checks_find_shows_beside_its_field(lead, project_id):
    made = lead.post_form(
        f"/projects/{project_id}/questionnaires",
        {"title": "Scales", "start_from": "", "language": "en"},
    )
    overview = made.headers["Location"]
    page = lead.post_form(f"{overview}/steps", {"step_type": "rating-scale", "position": ""})
    url = page.headers["Location"]
    # A number that is not one is kept as typed, and the checks say so beside it.
    lead.post_form(
        url, edited({"title.en": "How sure are you?", "max": "ten", "min_label.en": "Not"})
    )
    html = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    assert html.select_one("#max")["value"] == "ten"
    beside = html.select_one("#max").find_parent("div", class_="field")
    assert "integer" in beside.get_text(" ")
    missing = html.select_one("fieldset#max_label")
    assert "is empty. Fill it in." in missing.get_text(" ")
    assert html.select_one("#max")["aria-describedby"].split()[-1] == "max-error-1"
    # The overview counts the step's problems and links to it.
    overview_page = BeautifulSoup(lead.get(overview).get_data(as_text=True), "html.parser")
    links = [a["href"] for a in overview_page.select(".error-summary a")]
    assert url.split("localhost")[-1] in links


def test_steps_move_up_down_and_to_a_place_without_dragging(lead, project_id):
    text = (LIBRARY / "check-in.yaml").read_text(encoding="utf-8")
    overview = upload(lead, project_id, text)
    lead.post_form(f"{overview}/steps/hope/move", {"direction": "up", "to": "3"})
    assert Draft(downloaded(lead, overview)).step_ids() == ["feeling", "hope", "needs"]
    lead.post_form(f"{overview}/steps/feeling/move", {"to": "3"})
    assert Draft(downloaded(lead, overview)).step_ids() == ["hope", "needs", "feeling"]
    lead.post_form(f"{overview}/steps/hope/move", {"direction": "down", "to": "1"})
    assert Draft(downloaded(lead, overview)).step_ids() == ["needs", "hope", "feeling"]
    lead.post_form(f"{overview}/steps/hope/remove")
    assert Draft(downloaded(lead, overview)).step_ids() == ["needs", "feeling"]
    # The comment at the top of the file is still there.
    assert downloaded(lead, overview).startswith("# A short opening round")


def test_skip_logic_is_chosen_from_earlier_answers(lead, project_id):
    text = (LIBRARY / "check-in.yaml").read_text(encoding="utf-8")
    overview = upload(lead, project_id, text)
    url = f"{overview}/steps/hope"
    page = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    sent = [(k, v) for k, v in as_sent(page.select_one("#step-settings")) if k != "show_if"]
    sent += [("show_if", "needs"), ("show_if-needs", "breaks"), ("show_if-needs", "captions")]
    assert lead.post(url, data=MultiDict(sent)).status_code == 302
    report = check(downloaded(lead, overview))
    assert report.questionnaire is not None, report.errors
    condition = report.questionnaire.step("hope").show_if
    assert (condition.step, condition.any_of) == ("needs", ["breaks", "captions"])
    # The page shows the choice it holds.
    page = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    assert page.select_one("input[name=show_if][value=needs]").has_attr("checked")
    ticked = [box["value"] for box in page.select("input[name=show_if-needs][checked]")]
    assert ticked == ["breaks", "captions"]


def test_a_file_that_is_not_a_questionnaire_is_refused_in_plain_words(lead, project_id):
    response = lead.post_form(
        f"/projects/{project_id}/questionnaires/upload",
        {"upload-file": (io.BytesIO(b"- just\n- a list\n"), "list.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This is not a questionnaire file" in response.get_data(as_text=True)


def test_another_facilitators_questionnaires_are_not_found(app, lead, project_id):
    text = (LIBRARY / "check-in.yaml").read_text(encoding="utf-8")
    overview = upload(lead, project_id, text)
    other = make_setup(app, email="kim@example.org")
    stranger = app.test_client()
    sign_in(stranger, other.email)
    assert stranger.get(overview).status_code == 404
    assert stranger.get(f"{overview}/download").status_code == 404


def test_readable_ids_are_made_from_words():
    assert unique_slug("Key allies!", []) == "key-allies"
    assert unique_slug("Key allies", ["key-allies"]) == "key-allies-2"
    assert unique_slug("Cymraeg: Pwy?", []) == "cymraeg-pwy"
    assert unique_slug("من نعرف", [], fallback="option") == "option"


def test_texts_keep_their_form_and_gain_languages():
    draft = Draft("id: q\ntitle: Hello\nlanguage: en\nsteps: []\n")
    draft.set_text((), "title", {"en": "Hello", "cy": "", "en-easy": ""})
    assert "title: Hello\n" in draft.text()
    draft.set_text((), "title", {"en": "Hello", "cy": "Helo", "en-easy": "Hi"})
    assert "title:\n  en: Hello\n  cy: Helo\n  en-easy: Hi\n" in draft.text()
    draft.set_text((), "title", {"en": "Hello", "cy": "", "en-easy": "Hi"})
    assert "cy:" not in draft.text()


def test_answers_yes_and_no_stay_words_in_the_file(lead, project_id):
    """YAML 1.1 (the checks' reader) reads yes, no, on and off as true or false: the designer
    writes them quoted, so an answer "Yes" is an answer, and its id 'yes' an id."""
    made = lead.post_form(
        f"/projects/{project_id}/questionnaires",
        {"title": "Yes", "start_from": "", "language": "en"},
    )
    overview = made.headers["Location"]
    step = lead.post_form(f"{overview}/steps", {"step_type": "single-choice", "position": ""})
    page = step.headers["Location"]
    lead.post_form(page, edited({"title.en": "On", "options-new.en": "Yes"}))
    yes = {"options-0-id": "yes", "options-0.en": "Yes"}
    lead.post_form(page, edited({"title.en": "On", **yes, "options-new.en": "No"}))
    report = check(downloaded(lead, overview))
    assert report.errors == (), report.errors
    assert report.questionnaire.id == "yes" and report.questionnaire.title == "Yes"
    assert [(o.id, o.label) for o in report.questionnaire.steps[0].options] == [
        ("yes", "Yes"),
        ("no", "No"),
    ]


def test_the_designer_pages_name_every_step_type_and_setting(lead, project_id):
    """Each step type can be added, and its page shows every setting with our words (never
    the file's field names)."""
    from questionnaires.schema import STEP_TYPES

    made = lead.post_form(
        f"/projects/{project_id}/questionnaires",
        {"title": "Every kind", "start_from": "", "language": "en"},
    )
    overview = made.headers["Location"]
    for step_type in STEP_TYPES:
        page = lead.post_form(f"{overview}/steps", {"step_type": step_type, "position": ""})
        html = BeautifulSoup(
            lead.get(page.headers["Location"]).get_data(as_text=True), "html.parser"
        )
        labels = " ".join(tag.get_text(" ") for tag in html.select("label, legend"))
        assert "_" not in labels, (step_type, labels)


def test_every_step_type_setting_and_choice_has_words():
    """A new step type, setting or choice cannot reach the designer without its words."""
    from questionnaires.schema import STEP_CLASSES, STEP_TYPES
    from questionnaires.settings import Kind, settings_of
    from workshop.pages.designer.words import CHOICE_WORDS, SETTING_WORDS, STEP_TYPE_WORDS

    assert set(STEP_TYPE_WORDS) == set(STEP_TYPES)
    for cls in STEP_CLASSES:
        for setting in settings_of(cls):
            assert setting.name in SETTING_WORDS, (cls.__name__, setting.name)
            if setting.kind is Kind.CHOICE:
                assert set(CHOICE_WORDS[setting.name]) == set(setting.choices), setting.name


def test_what_changed_between_versions_is_shown_step_by_step(lead, project_id):
    text = (LIBRARY / "check-in.yaml").read_text(encoding="utf-8")
    overview = upload(lead, project_id, text)
    lead.post_form(f"{overview}/versions")
    lead.post_form(f"{overview}/steps/hope/move", {"direction": "up"})
    url = f"{overview}/steps/feeling"
    page = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    sent = MultiDict(as_sent(page.select_one("#step-settings")))
    sent["title.cy"] = "Sut wyt ti heddiw?"
    lead.post(url, data=sent)
    lead.post_form(f"{overview}/steps", {"step_type": "information", "position": ""})
    lead.post_form(f"{overview}/versions")

    page = BeautifulSoup(
        lead.get(f"{overview}/versions/compare?from=1&to=2").get_data(as_text=True), "html.parser"
    )
    said = " ".join(page.select_one("main").get_text(" ").split())
    assert "From version 1 to version 2" in said
    assert "Step “hope” Moved from place 3 to place 2." in said
    assert "Step “needs”" not in said  # it stayed where it was, as it was
    assert "Step “feeling” 1 setting changed: Question or heading › Welsh" in said
    assert "Sut ydych chi'n teimlo heddiw?" in said and "Sut wyt ti heddiw?" in said
    assert "Step “information” Added, at place 4." in said


def test_the_preview_follows_skip_logic(lead, project_id):
    """check-in with "hope" shown only to people who need breaks: a preview that answers
    "captions" goes from "needs" past "hope" to the end; one that answers "breaks" reaches it."""
    draft = Draft((LIBRARY / "check-in.yaml").read_text(encoding="utf-8"))
    draft.add_step("information")
    draft.set_text(("steps", 3), "title", {"en": "Thank you", "cy": "Diolch", "ar": "شكرًا"})
    draft.set_condition("hope", "needs", ["breaks"])
    overview = upload(lead, project_id, draft.text())
    preview = f"{overview}/preview"
    tried = lead.get(f"{preview}/2", query_string={"try": "1", "answer": "captions"})
    assert tried.status_code == 302
    assert "/preview/4?given=needs:captions" in tried.headers["Location"]
    landed = lead.get(tried.headers["Location"]).get_data(as_text=True)
    assert "Step 3 was skipped" in landed and "Thank you" in landed
    tried = lead.get(f"{preview}/2", query_string={"try": "1", "answer": "breaks"})
    assert "/preview/3?given=needs:breaks" in tried.headers["Location"]
    assert "What do you hope" in lead.get(tried.headers["Location"]).get_data(as_text=True)


def test_a_save_asked_for_as_json_answers_with_each_fields_findings(lead, project_id):
    """What designer.js receives: the message and what the checks found, field by field."""
    made = lead.post_form(
        f"/projects/{project_id}/questionnaires",
        {"title": "Quick", "start_from": "", "language": "en"},
    )
    overview = made.headers["Location"]
    step = lead.post_form(f"{overview}/steps", {"step_type": "short-text", "position": ""})
    url = step.headers["Location"]
    reply = lead.post_form(url, edited({"title.en": ""}), headers={"Accept": "application/json"})
    assert reply.status_code == 200
    assert reply.json["message"] == "Saved. 1 problem to fix on this step."
    assert reply.json["findings"]["title"]["errors"] == [
        "“Question or heading” is empty. Fill it in."
    ]
    reply = lead.post_form(url, edited({"title.en": "Hi"}), headers={"Accept": "application/json"})
    assert reply.json["message"] == "Saved. No problems on this step."
    assert reply.json["findings"]["title"] == {"errors": [], "warnings": []}


def test_a_new_main_language_keeps_every_text_in_its_own_language():
    written = "id: q\ntitle: Hello\nlanguage: en\nsteps:\n  - id: a\n    type: information\n"
    draft = Draft(written + "    title: Hi\n")
    draft.set_main_language("cy")
    text = draft.text()
    assert "title:\n  en: Hello\n" in text and "    title:\n      en: Hi\n" in text
    assert "language: cy\nlanguages: [cy, en]\n" in text


def test_a_step_form_sent_twice_removes_and_adds_once(lead, project_id):
    """Rows name their answer's id: sent again (a double click, a resend, a second tab), the
    form removes the answer it showed, not the one now in its place, and adds its new
    answer once."""
    overview = upload(lead, project_id, (LIBRARY / "check-in.yaml").read_text(encoding="utf-8"))
    url = f"{overview}/steps/needs"
    page = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    sent = MultiDict(as_sent(page.select_one("#step-settings")))
    sent["options-1-remove"] = "y"  # "A slower pace"
    sent["options-new.en"] = "Maybe later"
    for _twice in range(2):
        assert lead.post(url, data=sent).status_code == 302
    options = Draft(downloaded(lead, overview)).steps[1]["options"]
    assert [o["id"] for o in options] == ["breaks", "captions", "one-to-one", "maybe-later"]


INFO = "  - id: b\n    type: information\n"  # a step after the odd one
ODD = {
    "a step that is not one": "steps:\n  - just words\n  - id: b\n    type: information\n",
    "answers that are words": (
        "steps:\n  - id: a\n    type: single-choice\n    title: T\n    options: [Yes, No]\n"
    ),
    "a codebook that is a list": "codebook: [x]\nsteps:\n  - id: a\n    type: name-actors\n",
    "kinds named, no codebook": (
        "steps:\n  - id: a\n    type: name-actors\n    title: T\n    actor_kinds: [person]\n"
    ),
    "languages as the main language": "language: [en, cy]\nsteps: []\n",
    "a language Babel does not know": "languages: [en, xx]\nsteps:\n" + INFO,
    "skip logic in words": (
        "steps:\n  - id: a\n    type: single-choice\n    options: []\n"
        "  - id: b\n    type: information\n    show_if: a\n"
    ),
    "skip logic on a later step": (
        "steps:\n  - id: a\n    type: information\n    title: A\n    show_if:\n      step: b\n"
        "      any_of: [x]\n  - id: b\n    type: single-choice\n    title: B\n"
    ),
    "a scale a billion long": (
        "steps:\n  - id: a\n    type: rating-scale\n    max: 1000000000\n"
        "  - id: b\n    type: information\n"
    ),
    "steps that are a mapping": "steps:\n  a: 1\n",
    "fallbacks in words": "languages: [en, cy]\nfallbacks: en\nsteps: []\n",
    "a step whose id is a number": "steps:\n  - id: 3\n    type: single-choice\n" + INFO,
    "a type that is a list": "steps:\n  - id: a\n    type: [information]\n" + INFO,
    "two steps of one type before": (
        "steps:\n  - id: single-choice\n    type: single-choice\n"
        "    options: [{id: a, label: A}, {id: b, label: B}]\n"
        "  - id: single-choice-2\n    type: single-choice\n    options: [{id: c, label: C}]\n"
        "  - id: c\n    type: information\n"
    ),
}


@pytest.mark.parametrize("text", ODD.values(), ids=ODD.keys())
def test_an_odd_file_opens_on_every_page_and_forms_sent_back_lose_nothing(lead, project_id, text):
    """A file made by hand can be anything: every designer page opens it (no server error,
    no duplicate ids), and each form sent back as shown leaves the file as it was."""
    written = "id: odd\ntitle: Odd\n" + text
    overview = upload(lead, project_id, written)
    listed = f"/projects/{project_id}/questionnaires"
    pages = [listed, overview, f"{overview}/codebook", f"{overview}/versions/compare"]
    steps = Draft(written).steps
    pages += [
        f"{overview}/steps/{s['id']}"
        for s in steps
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    ]
    for url in pages:
        response = lead.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code != 200:
            continue
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for form in page.select("form.designer-form"):
            sent = lead.post(form.get("action") or url, data=MultiDict(as_sent(form)))
            assert sent.status_code in (302, 400), (url, sent.status_code)
        assert downloaded(lead, overview) == written, url


def test_a_text_sent_back_unchanged_stays_as_written(lead, project_id):
    """An empty Welsh version is not written as "None", and a block of lines comes back
    from a browser's box (CR LF line endings) as it was."""
    written = (
        "id: lines\ntitle:\n  en: Lines\n  cy:\nlanguage: en\nlanguages: [en, cy]\n"
        "fallbacks: {cy: en}\nsteps:\n  - id: a\n    type: information\n    title: A\n"
        "    text: |\n      Line one.\n      Line two.\n"
    )
    overview = upload(lead, project_id, written)
    url = f"{overview}/steps/a"
    page = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    sent = MultiDict(
        (name, value.replace("\n", "\r\n"))
        for name, value in as_sent(page.select_one("#step-settings"))
    )
    assert lead.post(url, data=sent).status_code == 302
    send_back(lead, overview, "form[aria-labelledby=about]")
    assert downloaded(lead, overview) == written


def test_what_the_checks_say_is_in_the_pages_language(app, lead, project_id):
    """A Welsh page says the checker's findings in Welsh; the command line's English stays."""
    from questionnaires.loader import check as check_file

    overview = upload(lead, project_id, (LIBRARY / "check-in.yaml").read_text(encoding="utf-8"))
    url = f"{overview}/steps/hope"
    page = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    sent = MultiDict(as_sent(page.select_one("#step-settings")))
    sent["title.cy"] = ""  # the Welsh title taken out: the checks miss it
    lead.post(url, data=sent)
    english = [str(f) for f in check_file(downloaded(lead, overview)).errors]
    assert any("there is no 'cy' text" in message for message in english)
    lead.get("/language/cy")
    beside = BeautifulSoup(lead.get(url).get_data(as_text=True), "html.parser")
    said = beside.select_one("fieldset#title").get_text(" ")
    assert "there is no" not in said
    assert "'cy'" in said and "fallbacks: {cy: en}" in said


def test_a_place_that_is_not_a_number_moves_nothing(lead, project_id):
    """A place like "²" reads as a digit to isdigit, and int() refused it: a 500."""
    overview = upload(lead, project_id, (LIBRARY / "check-in.yaml").read_text(encoding="utf-8"))
    for place in ("²", "0", "4", "one"):
        moved = lead.post_form(f"{overview}/steps/hope/move", {"to": place})
        assert moved.status_code == 302, place
    assert Draft(downloaded(lead, overview)).step_ids() == ["feeling", "needs", "hope"]
