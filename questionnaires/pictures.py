"""The built-in Easy Read pictures a questionnaire step may show beside its question."""

from __future__ import annotations

from pathlib import Path

PICTURE_DIR = Path(__file__).parent / "pictures"
PICTURES = tuple(sorted(path.stem for path in PICTURE_DIR.glob("*.svg")))
