"""The set-up says what it is doing while pip runs, without flooding a CI log."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A real pip run that needs no network: check two packages the set-up already installed.
DRY_RUN = ["bash", "scripts/pip-install", "--dry-run", "--no-deps", "--no-index", "flask", "gevent"]


def test_in_a_log_pip_install_prints_one_line_with_the_total():
    done = subprocess.run(DRY_RUN, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith("  2 packages ready in ") and line.endswith(" s"), line


def test_at_a_terminal_pip_install_names_each_package_on_one_changing_line():
    leader, follower = pty.openpty()
    process = subprocess.Popen(DRY_RUN, cwd=ROOT, stdout=follower, stderr=subprocess.DEVNULL)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the script has finished
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=120) == 0
    os.close(leader)
    text = shown.decode()
    assert "\r\x1b[K  1: flask\r\x1b[K  2: gevent\r\x1b[K  2 packages ready in " in text, text
    assert text.count("\n") == 1, text  # one line on the screen, written over


def test_a_failed_install_shows_pips_error_and_fails():
    failed = subprocess.run(
        [*DRY_RUN[:-2], "no-such-package-for-roundtable"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode != 0
    assert "ready" not in failed.stdout
    assert "No matching distribution found for no-such-package-for-roundtable" in failed.stderr


def test_the_set_up_installs_through_it_never_quietly():
    setup = (ROOT / "scripts" / "setup").read_text()
    assert "bash scripts/pip-install --editable" in setup
    assert "--quiet" not in setup and "pip install" not in setup
