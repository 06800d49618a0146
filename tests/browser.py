"""Helpers for the real-browser tests: a served app, headless Chromium drivers, and axe-core.

Facts these follow (see /work/shared/guides/stack-notes.md): Debian's chromedriver is passed
explicitly so Selenium Manager never reaches the internet; axe-core 4.x comes from the npm
package, because axe-selenium-python 2.1.6 (Python 3.11) bundles axe-core 3.1 from 2018.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PHONE = (390, 844)
DESKTOP = (1280, 900)

T = TypeVar("T")


# --- the served app -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """The real `roundtable serve` (gevent + Socket.IO) in a subprocess."""

    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


@contextmanager
def served_app(
    database_url: str,
    log: Path,
    timeout: float = 20.0,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Serve the app (on a free port unless given, with `env` added to the environment)
    until the block ends; always stopped."""
    port = port or free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ROUNDTABLE_SECRET_KEY": "browser-test-secret",
        "ROUNDTABLE_NODE_MODULES": str(NODE_MODULES),
        **(env or {}),
    }
    command = [
        str(Path(sys.executable).parent / "roundtable"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped at start:\n{server.log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the server did not answer in {timeout} s:\n{server.log_tail()}"
                    ) from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# --- browsers -------------------------------------------------------------------------------


def start_chromium(
    user_data_dir: Path, size: tuple[int, int] = DESKTOP, javascript: bool = True
) -> WebDriver:
    """Headless Chromium through Debian's chromedriver, with a fresh profile."""
    os.environ["SE_AVOID_STATS"] = "true"  # no Selenium Manager, no statistics upload
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # for console_problems
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_window_size(*size)  # headless opens no narrower than 500 px otherwise
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(30)
    driver.javascript_enabled = javascript  # read by AxeAudit.check
    return driver


@contextmanager
def browsers(profiles: Path, wanted: list[tuple[str, tuple[int, int], bool]]):
    """Start several Chromiums at once ((name, size, javascript) each); quit them all after."""
    with ThreadPoolExecutor(len(wanted)) as pool:
        futures = [
            pool.submit(start_chromium, profiles / name, size, javascript)
            for name, size, javascript in wanted
        ]
    drivers = [future.result() for future in futures if future.exception() is None]
    try:
        for future in futures:
            if future.exception() is not None:
                raise future.exception()
        yield drivers
    finally:
        for driver in drivers:
            driver.quit()


def wait_until(
    driver: WebDriver,
    condition: Callable[[WebDriver], T],
    timeout: float = 5.0,
    what: str = "",
    ignore_all: bool = False,
) -> T:
    """Poll `condition` until it returns something truthy; fail with `what` and the URL.

    Live pages replace parts of themselves, so an element found a moment ago may be gone;
    `ignore_all` also rides out the driver's errors while a page is being replaced.
    """
    ignored = (
        (WebDriverException,)
        if ignore_all
        else (NoSuchElementException, StaleElementReferenceException)
    )
    try:
        return WebDriverWait(
            driver, timeout, poll_frequency=0.05, ignored_exceptions=ignored
        ).until(condition)
    except Exception as error:
        raise AssertionError(
            f"waited {timeout} s for {what or condition!r} on {driver.current_url}"
        ) from error


def console_problems(driver: WebDriver) -> list[str]:
    """What the browser's console said went wrong since the last call (the log is drained):
    script errors, failed loads and Content Security Policy refusals."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]


def page_text(driver: WebDriver) -> str:
    return driver.find_element("tag name", "body").text


def save_screenshot(driver: WebDriver, folder: Path | None, name: str) -> None:
    """A whole-page PNG when screenshots are wanted (ROUNDTABLE_SCREENSHOTS=folder)."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width, old_height = driver.get_window_size().values()
    driver.set_window_size(width, max(old_height, height + 140))
    try:
        driver.save_screenshot(str(folder / f"{name}.png"))
    finally:
        driver.set_window_size(width, old_height)


def horizontal_overflow(driver: WebDriver) -> list[str]:
    """Elements wider than the viewport (WCAG 1.4.10 reflow), as short descriptions."""
    return driver.execute_script(
        """
        var limit = document.documentElement.clientWidth, found = [];
        if (document.documentElement.scrollWidth <= limit) { return found; }
        document.querySelectorAll("body *").forEach(function (el) {
          var box = el.getBoundingClientRect();
          if (box.width && box.right > limit + 0.5) {
            var name = typeof el.className === "string" && el.className ? "." + el.className : "";
            found.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + name +
                       " right=" + Math.round(box.right));
          }
        });
        return found.slice(0, 10);
        """
    )


# --- the keyboard -------------------------------------------------------------------------
# Keys go to whatever has focus, as a keyboard's do: these never click, and never set a value
# by script. Use them to show a page works by keyboard alone.


def keys(driver: WebDriver, *pressed: str) -> None:
    """Press keys (or type text) on the focused element."""
    ActionChains(driver).send_keys(*pressed).perform()


def focus_description(driver: WebDriver) -> str:
    """The focused element in a few words: tag, id, name and what it says."""
    return driver.execute_script(
        """
        var el = document.activeElement;
        if (!el || el === document.body) { return "body"; }
        var words = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
               (el.name ? "[name=" + el.name + "]" : "") + (words ? " " + words.slice(0, 50) : "");
        """
    )


def tab_to(
    driver: WebDriver,
    selector: str,
    words: str = "",
    backwards: bool = False,
    limit: int = 25,
) -> WebElement:
    """Press Tab (Shift+Tab when `backwards`) until focus is on `selector` whose text holds
    `words`; fail, listing where focus went, if `limit` presses do not get there."""
    visited = []
    for _ in range(limit):
        if backwards:
            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(
                Keys.SHIFT
            ).perform()
        else:
            keys(driver, Keys.TAB)
        if driver.execute_script(
            "var el = document.activeElement, text = el.textContent || el.value || '';"
            "return el.matches(arguments[0]) && text.includes(arguments[1])",
            selector,
            words,
        ):
            return driver.switch_to.active_element
        visited.append(focus_description(driver))
    raise AssertionError(
        f"{limit} presses of {'Shift+' if backwards else ''}Tab did not reach {selector} {words!r}"
        f" on {driver.current_url}; focus went: {' > '.join(visited)}"
    )


def keys_to_new_page(driver: WebDriver, *pressed: str) -> None:
    """Press keys that load a new page (Enter on a button, say), and wait for that page."""
    driver.execute_script("window.leavingThisPage = true")  # a new page has a new window
    keys(driver, *pressed)
    wait_until(
        driver,
        lambda d: d.execute_script(
            "return !window.leavingThisPage && document.readyState === 'complete'"
        ),
        10,
        f"a new page after pressing keys on {driver.title!r}",
        ignore_all=True,
    )


def focus_is_visible(driver: WebDriver) -> bool:
    """Whether the focused element draws a focus indicator (an outline or a box shadow)."""
    return driver.execute_script(
        """
        var style = getComputedStyle(document.activeElement);
        var outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 &&
                      style.outlineColor !== "rgba(0, 0, 0, 0)";
        return outline || style.boxShadow !== "none";
        """
    )


# --- axe-core -------------------------------------------------------------------------------

# With JavaScript switched off for a page, WebDriver's own scripts still run (so axe can be
# injected and started) but the page's timers never fire, and axe.run() waits on
# setTimeout(..., 0) between rules. This stand-in runs zero-delay timers as microtasks and
# drops longer ones, which axe only uses as give-up guards (frame and preload time-outs).
# Measured: same results as a JavaScript-on browser on the same markup.
TIMERS_FOR_STATIC_PAGES = """
(function () {
  var pending = {}, next = 1;
  window.setTimeout = function (fn, ms) {
    var id = next++, args = Array.prototype.slice.call(arguments, 2);
    if (ms > 1) { return id; }
    pending[id] = true;
    Promise.resolve().then(function () {
      if (pending[id]) { delete pending[id]; fn.apply(window, args); }
    });
    return id;
  };
  window.clearTimeout = function (id) { delete pending[id]; };
})();
"""


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' '.join(map(str, node['target']))}  {summary[:200]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@dataclass
class AxeAudit:
    """Runs axe-core 4.x on pages and keeps what it found, page by page."""

    script: Path = AXE_SCRIPT
    tags: list[str] = field(default_factory=lambda: list(WCAG_TAGS))
    pages: list[str] = field(default_factory=list)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    incomplete: dict[str, list[str]] = field(default_factory=dict)
    version: str = ""
    seconds: float = 0.0

    def check(self, driver: WebDriver, label: str) -> dict[str, Any]:
        """Audit the page as it is now; record it, and fail at once on any violation."""
        started = time.monotonic()
        if not getattr(driver, "javascript_enabled", True):
            driver.execute_script(TIMERS_FOR_STATIC_PAGES)
        axe = Axe(driver, script_url=str(self.script))
        axe.inject()
        options = {"runOnly": {"type": "tag", "values": self.tags}, "resultTypes": ["violations"]}
        results = axe.run(options=json.dumps(options))
        self.seconds += time.monotonic() - started
        self.version = results["testEngine"]["version"]
        name = f"{label} [{driver.current_url}]"
        self.pages.append(name)
        self.incomplete[name] = sorted(item["id"] for item in results["incomplete"])
        if results["violations"]:
            self.violations[name] = results["violations"]
        assert not results["violations"], (
            f"axe-core {self.version} found WCAG problems on {name}:\n"
            + format_violations(results["violations"])
        )
        return results


# --- what axe cannot judge ------------------------------------------------------------------


def small_targets(driver: WebDriver, minimum: float = 24) -> list[str]:
    """Controls smaller than `minimum` CSS px either way (WCAG 2.5.8), except links inside a
    sentence, which the criterion exempts. Hidden and visually hidden controls are skipped."""
    return driver.execute_script(
        """
        var minimum = arguments[0], found = [];
        var controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
        document.querySelectorAll(controls).forEach(function (el) {
          var box = el.getBoundingClientRect();
          if (!box.width || !box.height || el.closest(".visually-hidden, [hidden]")) { return; }
          if (el.classList.contains("skip-link")) { return; }  // off screen until focused
          var parent = el.parentElement;
          var inline = el.tagName === "A" && getComputedStyle(el).display === "inline" &&
                       parent.textContent.trim().length > el.textContent.trim().length;
          if (inline) { return; }
          if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
            found.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " '" +
                       (el.textContent || el.value || "").trim().slice(0, 30) + "' " +
                       Math.round(box.width) + "x" + Math.round(box.height));
          }
        });
        return found;
        """,
        minimum,
    )


def focus_problem(driver: WebDriver) -> str:
    """Why the focused element cannot be seen ("" when it can): no focus indicator, outside
    the window, or covered by something else such as a sticky bar (WCAG 2.4.7, 2.4.11)."""
    if not focus_is_visible(driver):
        return f"no focus indicator on {focus_description(driver)}"
    return driver.execute_script(
        """
        // A link that wraps has a box per line: look at the first.
        var el = document.activeElement, box = el.getClientRects()[0] || el.getBoundingClientRect();
        if (box.bottom <= 0 || box.top >= innerHeight || box.right <= 0 || box.left >= innerWidth) {
          return "focus is outside the window";
        }
        var x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
        var y = Math.min(Math.max(box.top + Math.min(box.height, 40) / 2, 0), innerHeight - 1);
        var top = document.elementFromPoint(x, y);
        var ok = top && (top === el || el.contains(top) || (top.htmlFor && top.htmlFor === el.id) ||
                         (el.labels && Array.prototype.indexOf.call(el.labels, top) >= 0));
        var what = top ? top.tagName.toLowerCase() + "." + top.className : "?";
        return ok ? "" : "covered by " + what;
        """
    )


def walk_focus(driver: WebDriver, limit: int = 80) -> list[str]:
    """Tab through the whole page from its top, as a keyboard user would, and say where
    focus could not be seen. Ends where it began: back at the top of the page."""
    driver.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
    problems, seen = [], []
    for _ in range(limit):
        keys(driver, Keys.TAB)
        where = focus_description(driver)
        if where == "body" or (seen and where == seen[0]):
            break
        seen.append(where)
        problem = focus_problem(driver)
        if problem:
            problems.append(f"{where}: {problem}")
    driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    return problems


def cut_off(driver: WebDriver) -> list[str]:
    """Elements whose content is clipped (overflow hidden, and more inside than shown)."""
    return driver.execute_script(
        """
        var found = [];
        document.querySelectorAll("body *").forEach(function (el) {
          if (el.closest(".visually-hidden, [hidden], .map-canvas, .skip-link")) { return; }
          var style = getComputedStyle(el);
          var clipsX = /hidden|clip/.test(style.overflowX);
          var clipsY = /hidden|clip/.test(style.overflowY);
          if ((clipsX && el.scrollWidth > el.clientWidth + 1) ||
              (clipsY && el.scrollHeight > el.clientHeight + 1) ||
              (style.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1)) {
            found.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + el.className);
          }
        });
        return found.slice(0, 10);
        """
    )


def texts_on_page(driver: WebDriver) -> list[str]:
    """The page's own words, block by block, as they are read: the headings, paragraphs,
    list items, labels, legends, buttons and hints of its main part (the header and footer
    every page shares are left out, as are tables of data, names, and words in another
    language)."""
    return driver.execute_script(
        """
        var blocks = "h1, h2, h3, p, li, label, legend, button, summary, .hint";
        var texts = [];
        document.querySelectorAll("main").forEach(function (main) {
         main.querySelectorAll(blocks).forEach(function (el) {
          var skipped = "table, .item-list, .visually-hidden, [hidden], .keep-link__url";
          skipped += ", .language-bar";
          if (el.closest(skipped)) { return; }
          if (el.closest("[lang]") !== document.documentElement) { return; }  // not its words
          if (el.querySelector(blocks)) { return; }  // the innermost block only
          var text = el.innerText.replace(/\\s+/g, " ").trim();
          if (text) { texts.push(text); }
         });
        });
        return texts;
        """
    )


# --- getting in (by mouse: for tests about what comes after) ------------------------------


def sign_in_as(driver: WebDriver, base_url: str, email: str, password: str) -> None:
    """Sign a facilitator in, and wait for their projects page."""
    driver.get(f"{base_url}/sign-in")
    driver.find_element("id", "email").send_keys(email)
    driver.find_element("id", "password").send_keys(password)
    driver.find_element("css selector", "main form button[type=submit]").click()
    wait_until(driver, lambda d: "/projects" in d.current_url, 10, "signed in")


def join_as(driver: WebDriver, join_url: str, name: str = "") -> str:
    """Join a round from its join link (agreeing to the note); the participant's page."""
    driver.get(join_url)
    if name:
        driver.find_element("id", "display_name").send_keys(name)
    driver.find_element("css selector", "label[for=agree]").click()
    driver.find_element("css selector", "main form button[type=submit]").click()
    wait_until(driver, lambda d: "/p/" in d.current_url, 10, "the participant's page")
    return driver.current_url.split("#")[0]
