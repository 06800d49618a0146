"""Helpers for the real-browser tests: a served app, headless Chromium drivers, and the three
checkers (axe-core, IBM Equal Access, the Nu HTML checker) run on every page state.

Facts these follow (see /work/shared/guides/stack-notes.md): Debian's chromedriver is passed
explicitly so Selenium Manager never reaches the internet; axe-core 4.x comes from the npm
package, because axe-selenium-python 2.1.6 (Python 3.11) bundles axe-core 3.1 from 2018.
IBM Equal Access (`accessibility-checker-engine`) and the Nu checker (`vnu-jar`, run on Java)
are npm packages too.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
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
IBM_SCRIPT = NODE_MODULES / "accessibility-checker-engine" / "ace.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
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
    timeout: float = 60.0,
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
    start_nu_checker()
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
        function scrolledInside(el) {  // inside a box that scrolls by itself: allowed
          for (var up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (/auto|scroll|hidden|clip/.test(getComputedStyle(up).overflowX)) { return true; }
          }
          return false;
        }
        document.querySelectorAll("body *").forEach(function (el) {
          var box = el.getBoundingClientRect();
          if (box.width && box.right > limit + 0.5 && !scrolledInside(el)) {
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


# --- IBM Equal Access -----------------------------------------------------------------------

# Where an IBM rule contradicts WCAG, the HTML standard or axe-core: (rule, words in the
# element's markup, the reason). Nothing else is allowed: every other IBM violation fails.
IBM_ALLOWED: list[tuple[str, str, str]] = [
    (
        "input_autocomplete_valid",
        'autocomplete="username"',
        "The HTML standard lets an email field be autocomplete=username (the sign-in name that"
        " password managers fill, WCAG 3.3.8); the Nu checker and axe accept it, IBM does not.",
    ),
]


def ibm_allowed(found: dict[str, Any]) -> bool:
    return any(
        found["rule"] == rule and words in found["snippet"] for rule, words, _ in IBM_ALLOWED
    )


def ibm_violations(driver: WebDriver) -> list[dict[str, Any]]:
    """IBM Equal Access's WCAG 2.2 A/AA violations on the page as it is now (only definite
    failures: its "potential" and "recommendation" levels need a person to judge)."""
    if not driver.execute_script("return typeof window.ace === 'object'"):
        driver.execute_script(IBM_SCRIPT.read_text(encoding="utf-8") + "\nwindow.ace = ace;")
    report = driver.execute_async_script(
        """
        var done = arguments[arguments.length - 1];
        new ace.Checker().check(document, ["WCAG_2_2"]).then(function (report) {
          done(report.results.filter(function (r) {
            return r.value[0] === "VIOLATION" && r.value[1] === "FAIL";
          }).map(function (r) {
            return {rule: r.ruleId, message: r.message, path: r.path.dom, snippet: r.snippet};
          }));
        }, function (error) { done([{rule: "checker-error", message: String(error),
                                     path: "", snippet: ""}]); });
        """
    )
    return [found for found in report if not ibm_allowed(found)]


def format_ibm(found: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"- {item['rule']}: {item['message']}\n    {item['path']}  {item['snippet'][:160]}"
        for item in found[:20]
    )


# --- the Nu HTML checker --------------------------------------------------------------------

# The Nu checker runs as a small web service on Java, started once for the whole test run on
# first use (about 2 s), so that each page costs one local HTTP request rather than a JVM start.
_vnu: dict[str, Any] = {}
_vnu_lock = threading.Lock()  # browsers start in threads of their own


def start_nu_checker() -> None:
    """Start the Nu checker's service, if not yet started, without waiting for it (browsers
    call this as they start, so the JVM warms up while Chromium does)."""
    with _vnu_lock:
        if "process" in _vnu:
            return
        port = free_port()
        _vnu["process"] = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        atexit.register(_vnu["process"].terminate)
        _vnu["url"] = f"http://127.0.0.1:{port}/?out=json"


def nu_errors(html: str) -> list[str]:
    """The Nu HTML checker's errors (not its warnings) on a page's markup, one line each."""
    start_nu_checker()
    request = urllib.request.Request(
        _vnu["url"], data=html.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    deadline = time.monotonic() + 180  # the JVM takes 2-12 s to start; minutes when busy
    while True:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                messages = json.load(response)["messages"]
            break
        except OSError:
            if _vnu["process"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Nu HTML checker did not start (is Java there?)") from None
            time.sleep(0.2)
    lines = html.splitlines()
    return [
        f"line {m.get('lastLine')}: {m['message']}  <<{lines[m['lastLine'] - 1][:160].strip()}>>"
        if m.get("lastLine")
        else m["message"]
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def page_markup(driver: WebDriver) -> str:
    """The page's markup as the browser holds it now (after its scripts ran), with a doctype."""
    return "<!DOCTYPE html>\n" + driver.execute_script("return document.documentElement.outerHTML")


# --- display preferences and reflow ---------------------------------------------------------

# A participant's display choices that change how a page looks (participant/preferences.py
# puts them on the body as classes, on pages with the participant's room bar). Each such page
# state is checked again with each choice on, by setting the class on the same page (the same
# state, no second journey), with the checks that choice can change: colours for high
# contrast; reflow and target sizes for larger text. "No movement" changes no look, and Easy
# Read changes the words on the server, so neither is set here.
CONTRAST_RULES = ["color-contrast", "link-in-text-block"]
LARGER_TEXT_RULES = ["target-size"]
NARROWEST = 320  # CSS px: WCAG 1.4.10 reflow


@contextmanager
def body_class(driver: WebDriver, name: str) -> Iterator[None]:
    """The page with a class on its body for the length of the block."""
    added = driver.execute_script(
        "var on = !document.body.classList.contains(arguments[0]);"
        "document.body.classList.add(arguments[0]); return on;",
        name,
    )
    try:
        yield
    finally:
        if added:
            driver.execute_script("document.body.classList.remove(arguments[0])", name)


def reflow_problems(driver: WebDriver) -> list[str]:
    """What scrolls sideways, at the window's width and at 320 CSS px (WCAG 1.4.10)."""
    found = horizontal_overflow(driver)
    size = driver.get_window_size()
    if size["width"] > NARROWEST + 50:
        driver.set_window_size(NARROWEST, size["height"])
        try:
            found += [f"at {NARROWEST} px: {item}" for item in horizontal_overflow(driver)]
        finally:
            driver.set_window_size(size["width"], size["height"])
    return found


CHECK_SECONDS: dict[str, float] = {}  # every audit's time by checker, for the run's summary


@dataclass
class AxeAudit:
    """Runs axe-core 4.x, IBM Equal Access and the Nu HTML checker on pages, checks reflow at
    320 px, in the default display and in each display choice, and keeps what they found."""

    script: Path = AXE_SCRIPT
    tags: list[str] = field(default_factory=lambda: list(WCAG_TAGS))
    pages: list[str] = field(default_factory=list)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    incomplete: dict[str, list[str]] = field(default_factory=dict)
    version: str = ""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def check(self, driver: WebDriver, label: str) -> dict[str, Any]:
        """Check the page as it is now, in every display; record it, and fail at once on any
        violation."""
        started = time.monotonic()
        name = f"{label} [{driver.current_url}]"
        self.pages.append(name)
        CHECK_SECONDS["states"] = CHECK_SECONDS.get("states", 0) + 1
        with self._timed("nu"):
            errors = nu_errors(page_markup(driver))
        self._fail_on(name, errors, "the Nu HTML checker found errors")
        if not getattr(driver, "javascript_enabled", True):
            driver.execute_script(TIMERS_FOR_STATIC_PAGES)
        results = self._axe(driver, name, {"type": "tag", "values": self.tags})
        with self._timed("ibm"):
            found = ibm_violations(driver)
        self._fail_on(name, found, "IBM Equal Access found WCAG 2.2 violations", format_ibm)
        with self._timed("reflow"):
            overflow = reflow_problems(driver)
        self._fail_on(name, overflow, "the page scrolls sideways (WCAG 1.4.10)")
        if driver.find_elements("css selector", ".room-bar"):  # a participant's page
            with self._timed("preferences"), body_class(driver, "pref-high-contrast"):
                contrast = f"{name} (high contrast)"
                self._axe(driver, contrast, {"type": "rule", "values": CONTRAST_RULES})
                found = ibm_violations(driver)
                self._fail_on(contrast, found, "IBM Equal Access found violations", format_ibm)
            with self._timed("preferences"), body_class(driver, "pref-larger-text"):
                larger = f"{name} (larger text)"
                self._axe(driver, larger, {"type": "rule", "values": LARGER_TEXT_RULES})
                self._fail_on(larger, reflow_problems(driver), "the page scrolls sideways")
        self.seconds += time.monotonic() - started
        return results

    @contextmanager
    def _timed(self, what: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            spent = time.monotonic() - started
            self.timings[what] = self.timings.get(what, 0.0) + spent
            CHECK_SECONDS[what] = CHECK_SECONDS.get(what, 0.0) + spent

    def _fail_on(
        self, name: str, found: list, problem: str, describe: Callable[[list], str] | None = None
    ) -> None:
        if found:
            self.violations[name] = found
        assert not found, f"{problem} on {name}:\n" + (
            describe(found) if describe else "\n".join(map(str, found))
        )

    def _axe(self, driver: WebDriver, name: str, run_only: dict[str, Any]) -> dict[str, Any]:
        with self._timed("axe"):
            axe = Axe(driver, script_url=str(self.script))
            axe.inject()
            options = {"runOnly": run_only, "resultTypes": ["violations"]}
            results = axe.run(options=json.dumps(options))
        self.version = results["testEngine"]["version"]
        self.incomplete[name] = sorted(item["id"] for item in results["incomplete"])
        self._fail_on(
            name,
            results["violations"],
            f"axe-core {self.version} found WCAG problems",
            format_violations,
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
