"""`roundtable questionnaire check FILE...` and `roundtable questionnaire schema`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from questionnaires.loader import check
from questionnaires.schema import Questionnaire


@click.group("questionnaire")
def questionnaire_group() -> None:
    """Check questionnaire files, or print their JSON Schema."""


@questionnaire_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on plain-language warnings too.")
def check_command(files: tuple[Path, ...], strict: bool) -> None:
    """Check each file: errors (with file, line and step) and plain-language warnings.

    Exits 1 when any file has an error (or, with --strict, a warning).
    """
    failed = False
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            click.echo(f"{path}: cannot be read ({error})", err=True)
            failed = True
            continue
        report = check(text, str(path))
        for finding in report.errors:
            click.echo(f"error: {finding}")
        for finding in report.warnings:
            click.echo(f"warning: {finding}")
        if not report.errors and not report.warnings:
            click.echo(f"{path}: fine")
        failed |= bool(report.errors) or (strict and bool(report.warnings))
    if failed:
        raise SystemExit(1)


@questionnaire_group.command("schema")
def schema_command() -> None:
    """Print the questionnaire format as JSON Schema (for editors and other tools)."""
    click.echo(json.dumps(Questionnaire.model_json_schema(), indent=2))
