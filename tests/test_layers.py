"""The house's rules: imports run one way (pyproject's import-linter contracts), and every
module says what it is for."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_imports_keep_the_contracts_in_pyproject():
    """Layers (pages, rounds, realtime, web, store, facilitation, questionnaires), audiences
    that never import each other, and a domain with no web framework or database."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_starts_with_a_docstring():
    for folder in ("facilitation", "questionnaires", "workshop"):
        for path in (ROOT / folder).glob("**/*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no docstring"
