"""The `roundtable questionnaire` commands, through the real console entry point."""

import json
import subprocess
import sys
from pathlib import Path

from questionnaires.loader import LIBRARY

ROUNDTABLE = str(Path(sys.executable).parent / "roundtable")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ROUNDTABLE, "questionnaire", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def test_check_passes_the_library_and_fails_a_broken_file(tmp_path):
    fine = run("check", *map(str, sorted(LIBRARY.glob("*.yaml"))), cwd=tmp_path)
    assert fine.returncode == 0, fine.stdout + fine.stderr
    assert fine.stdout.count(": fine") == len(list(LIBRARY.glob("*.yaml")))

    broken = tmp_path / "broken.yaml"
    broken.write_text("id: tiny\ntitle: Tiny\nsteps:\n  - id: a\n    type: dance\n    title: A\n")
    failed = run("check", str(broken), cwd=tmp_path)
    assert failed.returncode == 1
    assert f"error: {broken}, line 5, step 'a': 'dance' is not a step type" in failed.stdout
    assert "Traceback" not in failed.stderr
    assert not (tmp_path / "instance").exists()  # checking a file touches no database


def test_warnings_pass_unless_strict(tmp_path):
    wordy = tmp_path / "wordy.yaml"
    wordy.write_text(
        "id: wordy\ntitle: Wordy\nsteps:\n  - id: a\n    type: information\n    title: A\n"
        "    text: We would be extremely grateful if each participant could consider "
        "carefully which organisations they collaborate with most frequently.\n"
    )
    assert run("check", str(wordy), cwd=tmp_path).returncode == 0
    strict = run("check", "--strict", str(wordy), cwd=tmp_path)
    assert strict.returncode == 1
    assert "warning:" in strict.stdout


def test_missing_files_are_reported_plainly(tmp_path):
    result = run("check", str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_prints_json_schema(tmp_path):
    result = run("schema", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Questionnaire"
    assert "steps" in schema["required"]
    # A tie kind can say it goes one way (the map draws an arrow); other terms cannot.
    assert schema["$defs"]["TieKind"]["properties"]["directed"]["default"] is False
    assert "directed" not in schema["$defs"]["Term"]["properties"]
