"""The load benchmark, small: everyone joins and answers, nothing is lost, no errors, no leak."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_small_load_run_stores_every_acknowledged_answer(tmp_path):
    out = tmp_path / "load.json"
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--participants", "60"]
    command += ["--think", "0.2", "1", "--cycles", "300", "--warmup", "100"]
    command += ["--limit", "240", "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["errors"] == 0, figures["errors_by_kind"]
    assert figures["joined"] == 60
    # Every step of the round, every kind of answer, really posted and really stored.
    assert len(figures["step_s"]) == 13
    assert figures["stored_by_kind"] == figures["acknowledged_by_kind"]
    assert set(figures["acknowledged_by_kind"]) == {"answers", "names", "ties", "placements"}
    assert figures["acknowledged_by_kind"]["answers"] == 60 * 4  # the four plain questions
    assert figures["map"]["actors"] > 0 and figures["map"]["ties"] > 0
    assert figures["cycles"] == 300
    # The app's CPU per request, by kind (ROUNDTABLE_BENCH_TIMINGS), for every request made.
    cpu = figures["request_cpu_ms"]
    for kind in ("GET participant.join", "POST participant.join", "GET participant.step_page"):
        assert cpu[kind]["n"] >= 60, (kind, cpu)
    assert cpu["POST participant.step_page"]["n"] == figures["answer_ms"]["n"]
    assert cpu["GET facilitator.live_panel"]["n"] == figures["panel_ms"]["n"] > 0
    # The console as the facilitator sees it: the panel counted every acknowledged answer
    # (each person's first to each of the ten steps that take one).
    assert figures["console_not_shown"] == 0
    assert figures["console_shown_ms"]["n"] == 60 * 10
    # Sockets that have gone leave nothing behind: one presence row per open socket.
    assert figures["presence_rows"] == figures["presence_expected"] == 60
