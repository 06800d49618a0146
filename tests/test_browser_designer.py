"""The designer in real browsers: a questionnaire made from nothing on a 320 px phone without
JavaScript (a choice with skip logic after it, names with a codebook, Welsh, Easy Read),
previewed, run as a round and downloaded for `questionnaire check --strict`; every page
state checked by axe-core in English and Arabic at 320 and 1280 px; steps reordered by
keyboard alone."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from questionnaires.drafts import Draft
from questionnaires.loader import LIBRARY
from tests.browser import (
    DESKTOP,
    AxeAudit,
    browsers,
    keys_to_new_page,
    served_app,
    sign_in_as,
    tab_to,
    wait_until,
)
from tests.conftest import PASSWORD, make_app, make_setup
from tests.test_browser_team_accounts import looks_right, text_of
from workshop.rounds import designs
from workshop.store.db import session_scope

pytestmark = pytest.mark.browser
PHONE = (320, 720)


def fill(driver, values: dict[str, str]) -> None:
    for field_id, text in values.items():
        box = driver.find_element(By.ID, field_id)
        box.clear()
        box.send_keys(text)


def press(driver, css: str) -> None:
    """Activate a button from the keyboard, as a person without a mouse would."""
    button = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].focus()", button)
    keys_to_new_page(driver, Keys.ENTER)


def tick(driver, field_id: str) -> None:
    box = driver.find_element(By.ID, field_id)
    if not box.is_selected():
        driver.execute_script("arguments[0].click()", box)


def download(driver, url: str) -> str:
    """Fetch a file with the browser's sign-in, as its download link would."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookies})) as got:
        return got.read().decode()


def test_a_questionnaire_is_made_from_nothing_without_javascript_on_a_phone(tmp_path: Path):
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    with (
        served_app(database_url, tmp_path / "server.log") as server,
        browsers(tmp_path, [("ola", PHONE, False)]) as (ola,),
    ):
        sign_in_as(ola, server.url, setup.email, PASSWORD)
        ola.find_element(By.LINK_TEXT, "Net Equality").click()
        ola.find_element(By.PARTIAL_LINK_TEXT, "Questionnaires").click()
        looks_right(ola, audit, "questionnaires, none yet")

        # A title left out: the error says so, and nothing is made.
        press(ola, "form[aria-labelledby=new-title] button")
        assert "Enter a title" in text_of(ola, ".error-summary")
        looks_right(ola, audit, "a new questionnaire without a title")
        fill(ola, {"title": "Who we work with"})
        press(ola, "form[aria-labelledby=new-title] button")
        assert "Who we work with" in text_of(ola, "h1")
        looks_right(ola, audit, "an empty questionnaire")

        # Welsh beside English.
        tick(ola, "languages-cy")
        press(ola, "form[aria-labelledby=about] button")
        fill(
            ola, {"title-cy": "Pwy rydym yn gweithio gyda nhw", "title-en-easy": "Who we work with"}
        )
        fill(ola, {"title-cy-easy": "Pwy rydym yn gweithio gyda nhw"})
        press(ola, "form[aria-labelledby=about] button")
        looks_right(ola, audit, "title in English and Welsh")

        # The codebook: two kinds of name, in both languages.
        ola.find_element(By.PARTIAL_LINK_TEXT, "Codebook").click()
        fill(ola, {"actor_kinds-new-en": "Organisation", "actor_kinds-new-cy": "Sefydliad"})
        press(ola, ".designer-form > button")
        fill(ola, {"actor_kinds-new-en": "Person", "actor_kinds-new-cy": "Person"})
        press(ola, ".designer-form > button")
        assert ola.find_element(By.ID, "actor_kinds-1-cy").get_attribute("value") == "Person"
        looks_right(ola, audit, "codebook with two kinds of name")
        ola.find_element(By.CSS_SELECTOR, ".back-link").click()

        # A choice step: its problems show beside its fields until it is filled in.
        tick(ola, "step_type-" + str(_type_number(ola, "One choice")))
        press(ola, "form[aria-labelledby=add-title] button")
        looks_right(ola, audit, "a new choice step, with its problems")
        assert "is empty. Fill it in." in text_of(ola, "fieldset#title")
        fill(
            ola,
            {
                "title-en": "Do you work with councils?",
                "title-en-easy": "Do you work with the council?",
                "title-cy": "Ydych chi'n gweithio gyda chynghorau?",
                "title-cy-easy": "Ydych chi'n gweithio gyda'r cyngor?",
                "options-new-en": "Yes",
                "options-new-cy": "Ydw",
            },
        )
        press(ola, "#step-settings > button")
        fill(ola, {"options-new-en": "No", "options-new-cy": "Nac ydw"})
        press(ola, "#step-settings > button")
        assert "problem" not in text_of(ola, "main").lower().split("who sees")[0]
        looks_right(ola, audit, "a finished choice step")
        ola.find_element(By.CSS_SELECTOR, ".back-link").click()

        # Names, with the codebook's kinds, shown only to those who said yes.
        tick(ola, "step_type-" + str(_type_number(ola, "Name people and groups")))
        press(ola, "form[aria-labelledby=add-title] button")
        fill(
            ola,
            {
                "title-en": "Which councils do you work with?",
                "title-en-easy": "Which councils?",
                "title-cy": "Gyda pha gynghorau ydych chi'n gweithio?",
                "title-cy-easy": "Pa gynghorau?",
            },
        )
        tick(ola, "actor_kinds-1")
        tick(ola, "show_if-1")  # people who answered the choice step ...
        tick(ola, "show_if-1-1")  # ... with its first answer, "Yes"
        press(ola, "#step-settings > button")
        looks_right(ola, audit, "a name step with skip logic")
        ola.find_element(By.CSS_SELECTOR, ".back-link").click()
        assert "No problems found" in text_of(ola, "main")

        # Saved as version 1, previewed in Welsh Easy Read, run as a round.
        press(ola, "#save-version")
        assert "Saved version 1. Rounds can use it now." in text_of(ola, "main")
        looks_right(ola, audit, "overview, version 1 saved")
        overview = ola.current_url.split("#")[0]
        ola.find_element(By.PARTIAL_LINK_TEXT, "Preview").click()
        looks_right(ola, audit, "preview, step 1")
        ola.find_element(By.CSS_SELECTOR, "nav.versions a[lang=cy]").click()
        ola.find_element(By.CSS_SELECTOR, "nav.versions a[href$='easy-read=1']").click()
        assert "Ydych chi'n gweithio gyda'r cyngor?" in text_of(ola, "main")

        text = download(ola, f"{overview}/download")
        (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
        checked = subprocess.run(
            [
                sys.executable,
                "-m",
                "workshop",
                "questionnaire",
                "check",
                "--strict",
                str(tmp_path / "mine.yaml"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert Draft(text).step_ids() == ["single-choice", "name-actors"]

        ola.get(f"{server.url}/experiments/{setup.experiment_id}")
        Select(ola.find_element(By.ID, "questionnaire")).select_by_visible_text(
            "Who we work with (2 steps)"
        )
        press(ola, "#create-round")
        assert "/rounds/" in ola.current_url
        assert "Who we work with" in text_of(ola, "main")


def _type_number(driver, words: str) -> int:
    labels = driver.find_elements(By.CSS_SELECTOR, "#step_type .choice__label")
    return 1 + [label.text.split("\n")[0].startswith(words) for label in labels].index(True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_designer_page_passes_axe_at_both_widths_and_steps_move_by_keyboard(
    tmp_path: Path, language: str
):
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)
    with app.app_context(), session_scope() as db:
        source = (LIBRARY / "campaign-pies.yaml").read_text(encoding="utf-8")
        slug = designs.create(db, 1, Draft(source))
        broken = Draft((LIBRARY / "check-in.yaml").read_text(encoding="utf-8"))
        broken.steps[0].pop("min_label")
        broken.steps[1]["options"][0]["id"] = "Not An Id"
        # Two kinds of name with one id: the codebook's own problem.
        broken.data["codebook"] = {
            "actor_kinds": [{"id": "same", "label": "A"}, {"id": "same", "label": "B"}]
        }
        broken_slug = designs.create(db, 1, broken)
        designs.save_version(db, designs.find(db, 1, slug), setup.facilitator_id)
        changed = designs.find(db, 1, slug)
        moved = Draft(changed.source)
        moved.move_step("ties", 0)
        designs.change(db, changed, moved)
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    wanted = [("phone", PHONE, False), ("desktop", DESKTOP, True)]
    with (
        served_app(database_url, tmp_path / "server.log") as server,
        browsers(tmp_path, wanted) as drivers,
    ):
        base = f"{server.url}/projects/1/questionnaires"
        for driver in drivers:
            sign_in_as(driver, server.url, setup.email, PASSWORD)
            driver.get(f"{server.url}/language/{language}?next=/projects")
            width = driver.get_window_size()["width"]
            pages = [
                ("list", base),
                ("overview", f"{base}/{slug}"),
                ("codebook", f"{base}/{slug}/codebook"),
                ("step, names", f"{base}/{slug}/steps/working-on-it"),
                ("step, connect", f"{base}/{slug}/steps/ties"),
                ("step, sort", f"{base}/{slug}/steps/slices"),
                ("overview with problems", f"{base}/{broken_slug}"),
                ("step with problems", f"{base}/{broken_slug}/steps/feeling"),
                ("choice step with problems", f"{base}/{broken_slug}/steps/needs"),
                ("codebook with problems", f"{base}/{broken_slug}/codebook"),
                ("what changed", f"{base}/{slug}/versions/compare"),
                ("preview", f"{base}/{slug}/preview/1"),
                ("preview at phone width", f"{base}/{slug}/preview/2?width=phone"),
            ]
            for label, url in pages:
                driver.get(url)
                looks_right(driver, audit, f"{label}, {language}, {width} px")

        # Keyboard only: Tab to a step's "Move down" and press Enter; focus is not lost.
        desktop = drivers[1]
        desktop.get(f"{base}/{slug}")
        before = Draft(download(desktop, f"{base}/{slug}/download")).step_ids()
        tab_to(desktop, "button[value=down]", limit=60)
        keys_to_new_page(desktop, Keys.ENTER)
        after = Draft(download(desktop, f"{base}/{slug}/download")).step_ids()
        assert after == [before[1], before[0], *before[2:]]
        assert desktop.current_url.endswith(f"#step-{before[0]}")


def test_with_javascript_a_step_saves_as_you_go_and_its_checks_show_at_once(tmp_path: Path):
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)
    with app.app_context(), session_scope() as db:
        broken = Draft((LIBRARY / "check-in.yaml").read_text(encoding="utf-8"))
        broken.steps[0].pop("min_label")
        slug = designs.create(db, 1, broken)
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    with (
        served_app(database_url, tmp_path / "server.log") as server,
        browsers(tmp_path, [("desktop", DESKTOP, True)]) as (driver,),
    ):
        sign_in_as(driver, server.url, setup.email, PASSWORD)
        page = f"{server.url}/projects/1/questionnaires/{slug}/steps/feeling"
        driver.get(page)
        assert "is empty" in text_of(driver, "#min_label")
        driver.execute_script("window.stillThisPage = true")
        box = driver.find_element(By.ID, "min_label-en")
        box.send_keys("Not great")
        box.send_keys(Keys.TAB)  # leaving the box saves it
        wait_until(
            driver,
            lambda d: "Saved." in text_of(d, "[data-save-status]"),
            10,
            "the save status",
        )
        assert driver.execute_script("return window.stillThisPage === true")  # no page load
        # Welsh and Arabic are still missing: the checks say so beside the field, at once.
        assert "is empty" not in text_of(driver, "#min_label")
        assert "there is no 'cy' text" in text_of(driver, "#min_label")
        assert "field--error" in driver.find_element(By.ID, "min_label").get_attribute("class")
        described = driver.find_element(By.ID, "min_label").get_attribute("aria-describedby")
        assert "min_label-error-1" in described.split()
        looks_right(driver, audit, "a step saved as you go, with its problems")
        box = driver.find_element(By.ID, "min_label-cy")
        box.send_keys("Ddim yn dda iawn")
        driver.find_element(By.ID, "min_label-ar").send_keys("لستُ على ما يرام")
        driver.find_element(By.ID, "min_label-ar").send_keys(Keys.ENTER)  # Enter saves too
        wait_until(
            driver,
            lambda d: "No problems on this step" in text_of(d, "[data-save-status]"),
            10,
            "no problems left",
        )
        assert "field--error" not in driver.find_element(By.ID, "min_label").get_attribute("class")
        text = download(driver, f"{server.url}/projects/1/questionnaires/{slug}/download")
        assert "min_label:\n      en: Not great\n      cy: Ddim yn dda iawn\n" in text
