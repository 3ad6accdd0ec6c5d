"""`kith import SOURCE PATH`."""

from __future__ import annotations

from typing import Any

import typer

from kith.cli import state
from kith.cli.app import app

SOURCES_HELP = (
    "x, linkedin, mastodon, bluesky, facebook, instagram, telegram, whatsapp, vcard, ics, "
    "mbox or kith-json."
)


def print_summary(summary: dict[str, Any]) -> None:
    from kith.cli import render

    verb = "Would import" if summary.get("dry_run") else "Imported"
    state.out.print(
        render.t(
            f"{verb} {summary['file']} ({summary['source']}): "
            f"{summary['interactions_added']:,} interactions added, "
            f"{summary['interactions_skipped']:,} already there; "
            f"{summary['people_created']:,} new people, {summary['people_matched']:,} matched"
            + (f", {summary['people_merged']:,} merged" if summary.get("people_merged") else "")
            + ".",
            "green",
        )
    )
    for warning in summary.get("warnings") or []:
        state.err.print(render.t(f"Note: {warning}", "yellow"))


@app.command("import")
def import_(
    ctx: typer.Context,
    source: str = typer.Argument(..., help=SOURCES_HELP),
    path: str = typer.Argument(..., help="The export: a .zip, .tar.gz, folder or file."),
    me: list[str] = typer.Option(
        [],
        "--me",
        help="Your own handle, e-mail, phone or display name in this export, when it cannot "
        "tell (repeatable).",
    ),
    tz: str | None = typer.Option(
        None, "--tz", help="Zone of exports without one (WhatsApp). Default: yours."
    ),
    region: str | None = typer.Option(
        None,
        "--region",
        help="Country of phone numbers written without +, e.g. DE. Default: your home's.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    json_out: bool = typer.Option(False, "--json", help="Print the import summary as JSON."),
) -> None:
    """Import an export you downloaded; importing the same file again adds nothing."""
    summary = state.base(ctx).import_file(source, path, me, tz, dry_run, region)
    if json_out:
        state.emit_json(summary)
        return
    print_summary(summary)
