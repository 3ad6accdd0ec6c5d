"""`kith export (json|vcard|ics) [PATH]` and `kith backup PATH`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from kith.cli import state
from kith.cli.app import app
from kith.errors import InvalidInput

if TYPE_CHECKING:
    from kith.api import Kith

FORMATS = ("json", "vcard", "ics")


def _write(base: Kith, kind: str, out: IO[str]) -> str:
    if kind == "json":
        return f"{base.export_json(out):,} people"
    if kind == "vcard":
        return f"{base.export_vcard(out):,} contacts"
    out.write(base.export_ics().decode("utf-8"))
    return "the calendar"


def _atomically(target: Path, write: Callable[[IO[str]], str]) -> str:
    """Write beside `target`, then move into place: a failure never leaves half a file."""
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give a file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".kith-export-", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            what = write(out)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return what


@app.command()
def export(
    ctx: typer.Context,
    kind: str = typer.Argument(
        ...,
        help="json (everything, re-importable with 'kith import kith-json'), vcard (every "
        "person with their handles) or ics (scheduled asks, gatherings, dated facts, birthdays).",
    ),
    path: str | None = typer.Argument(None, help="Where to write (default: standard output)."),
) -> None:
    """Export your base to a file (or standard output)."""
    from kith.cli import render

    kind = kind.strip().lower()
    if kind not in FORMATS:
        raise InvalidInput(f"Unknown export format '{kind}'; formats: {', '.join(FORMATS)}.")
    base = state.base(ctx)
    if path is None or path == "-":
        _write(base, kind, sys.stdout)
        return
    target = Path(path).expanduser()
    what = _atomically(target, lambda out: _write(base, kind, out))
    state.err.print(render.t(f"Exported {what} to {target}.", "green"))


@app.command()
def backup(
    ctx: typer.Context,
    path: str = typer.Argument(..., help="The backup file to write."),
) -> None:
    """A consistent copy of your base, safe to take while kith is in use (SQLite: a database
    file; PostgreSQL: a kith-json export)."""
    from kith.cli import render

    kind = state.base(ctx).backup(path)
    note = "a SQLite database" if kind == "sqlite" else "a kith-json export"
    state.err.print(render.t(f"Backed up to {path} ({note}).", "green"))
