"""`kith audit`: who wrote what, when, to whom (docs/team.md, "Audit")."""

from __future__ import annotations

import typer

from kith.cli import state
from kith.cli.app import app


@app.command()
def audit(
    ctx: typer.Context,
    person: str | None = typer.Option(
        None, "--person", help="Only entries about this person (an id works after forgetting)."
    ),
    member: str | None = typer.Option(None, "--member", help="Only this member's entries."),
    since: str | None = typer.Option(
        None, "--since", help="From this day on (2026-11-01, 'yesterday')."
    ),
    limit: int = typer.Option(200, "--limit", min=1, max=100_000, help="At most this many."),
    json_out: bool = typer.Option(False, "--json", help="Print the entries as JSON."),
) -> None:
    """The audit trail, newest first: every write with its member and time. Nothing in kith
    changes or deletes an entry."""
    from kith.cli import render

    entries = state.base(ctx).audit(person, member, since, limit)
    if json_out:
        state.emit_json(entries)
        return
    if not entries:
        state.out.print(render.t("No entries.", "yellow"))
        return
    for e in entries:
        who = e["member"] or "-"
        whom = ""
        if e["person"] is not None:
            name = e["person"]["name"]
            whom = f" #{e['person']['id']}" + (f" {name}" if name else " (forgotten)")
        detail = f": {e['detail']}" if e["detail"] else ""
        when = str(e["at"])[:16].replace("T", " ")
        line = f"{when}  {who:<28} {e['action']}{whom}{detail}"
        state.out.print(render.t(line), soft_wrap=True)
