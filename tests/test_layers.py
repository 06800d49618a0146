"""The domain packages stay plain Python: no web framework, no database."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "flask",
    "flask_socketio",
    "flask_wtf",
    "flask_babel",
    "flask_login",
    "sqlmodel",
    "sqlalchemy",
    "workshop",
    "psycopg",
    "gevent",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_packages_import_no_web_or_storage_code():
    files = [*ROOT.glob("facilitation/**/*.py"), *ROOT.glob("questionnaires/**/*.py")]
    assert files
    for path in files:
        bad = imported_modules(path) & FORBIDDEN
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_every_module_starts_with_a_docstring():
    for folder in ("facilitation", "questionnaires", "workshop"):
        for path in (ROOT / folder).glob("**/*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no docstring"
