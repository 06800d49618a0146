"""Reports, comparisons and imports in a real browser: zero axe violations, at 1280 and 360 px."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser import DESKTOP, AxeAudit, horizontal_overflow, served_app, start_chromium
from tests.conftest import PASSWORD, make_app
from tests.test_reports import two_rounds

pytestmark = pytest.mark.browser


def test_report_comparison_and_import_pages_pass_axe(tmp_path) -> None:
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    first, second, _facilitator = two_rounds(app)
    app.extensions["roundtable.engine"].dispose()
    audit = AxeAudit()
    with served_app(database_url, tmp_path / "server.log") as server:
        driver = start_chromium(tmp_path / "profile", DESKTOP)
        try:
            driver.get(f"{server.url}/sign-in")
            driver.find_element(By.ID, "email").send_keys(first.email)
            driver.find_element(By.ID, "password").send_keys(PASSWORD + "\n")
            compare = (
                f"/experiments/{first.experiment_id}/compare"
                f"?round={first.round_id}&round={second.round_id}"
            )
            pages = {
                "round report": f"/rounds/{first.round_id}/report",
                "comparison": compare,
                "comparison, one round chosen": compare.split("&")[0],
                "experiment": f"/experiments/{first.experiment_id}",
                "map import": f"/rounds/{first.round_id}/map/import",
            }
            for width in (DESKTOP[0], 360):
                driver.set_window_size(width, DESKTOP[1])
                for name, path in pages.items():
                    driver.get(server.url + path)
                    assert driver.find_element(By.TAG_NAME, "h1").text, name
                    audit.check(driver, f"{name} at {width} px")
                    assert not horizontal_overflow(driver), (name, width)
        finally:
            driver.quit()
    assert not audit.violations
    print(f"\naxe-core {audit.version}: 0 violations on {len(audit.pages)} pages")
