"""`kith report`: what vanity metrics miss, as a Rich report, JSON, a PNG or an HTML page."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from kith.cli import state
from kith.cli.app import app
from kith.errors import InvalidInput


def _target(value: str | None, option: str) -> Path | None:
    """Where a file goes; a missing folder or a folder given as the file is bad input."""
    if value is None:
        return None
    path = Path(value).expanduser()
    if not value.strip() or path.is_dir():
        raise InvalidInput(f"{option} needs a file name, not the folder '{value}'.")
    if not path.parent.is_dir():
        raise InvalidInput(
            f"Cannot write {option} '{value}': the folder '{path.parent}' does not exist."
        )
    return path


def _mode(path: Path) -> int:
    """The file's current permissions, or those a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file beside the target, so a failure leaves nothing half
    written."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".kith-report-")
    except OSError as exc:
        raise InvalidInput(f"Cannot write '{path}': {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(f"Cannot write '{path}': {exc.strerror or exc}.") from None


@app.command()
def report(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    png: str | None = typer.Option(
        None, "--png", metavar="FILE", help="Also write the funnel and monthly trend as a PNG."
    ),
    html: str | None = typer.Option(
        None, "--html", metavar="FILE", help="Also write a self-contained HTML page."
    ),
) -> None:
    """What vanity metrics miss: who moved from online to a call or a meeting, how fast,
    talk versus links, reciprocity, and how real-life asks were answered."""
    from kith.api import report_json
    from kith.cli.render import t
    from kith.cli.render_report import show

    png_path = _target(png, "--png")
    html_path = _target(html, "--html")
    if png_path is not None and png_path == html_path:
        raise InvalidInput("--png and --html need two different files.")
    result = state.base(ctx).report_result()

    files: list[tuple[Path, bytes]] = []
    if png_path is not None or html_path is not None:
        from kith.reporting import charts

        if png_path is not None:
            files.append((png_path, charts.png(result)))
        if html_path is not None:
            files.append((html_path, charts.html_page(result).encode("utf-8")))
    for path, data in files:
        _write(path, data)

    if json_out:
        state.emit_json(report_json(result))
    else:
        show(result)
    notes = state.err if json_out else state.out
    for path, _ in files:
        notes.print(t(f"Wrote {path}", "dim"))
