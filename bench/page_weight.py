"""Page weight: gzip bytes of a participant's question page, without and with JavaScript."""

# Run: .venv/bin/python bench/page_weight.py
# Budgets (shared/guides/performance.md): <= 30 KB gzip without JS (HTML + CSS), <= 50 KB
# with JS, and no map library on question pages.

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import command, join, make_app, make_setup, sign_in  # noqa: E402

BUDGET_NO_JS_KB = 30
BUDGET_WITH_JS_KB = 50
SCRIPTS = ["/static/js/base.js", "/static/js/live.js", "/static/js/participant.js"]


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def main() -> None:
    folder = tempfile.mkdtemp()
    app = make_app(f"sqlite:///{folder}/weight.db")
    setup = make_setup(app, questionnaire="network-layers")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    participant = app.test_client()
    page = join(participant, setup)
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")  # a single-choice question
    html = participant.get(page).data
    parts = {
        "HTML": gzipped(html),
        "CSS": gzipped(participant.get("/static/css/roundtable.css").data),
        **{url.rsplit("/", 1)[1]: gzipped(participant.get(url).data) for url in SCRIPTS},
        "socket.io.min.js": gzipped(participant.get("/vendor/socket.io.min.js").data),
    }
    for name, size in parts.items():
        print(f"{name:20} {size / 1024:6.1f} KB gzip")
    without_js = (parts["HTML"] + parts["CSS"]) / 1024
    with_js = sum(parts.values()) / 1024
    print(f"question page without JS: {without_js:.1f} KB (budget {BUDGET_NO_JS_KB} KB)")
    print(f"question page with JS:    {with_js:.1f} KB (budget {BUDGET_WITH_JS_KB} KB)")
    print(f"map library on the page:  {'yes' if b'vis-network' in html else 'no'}")


if __name__ == "__main__":
    main()
