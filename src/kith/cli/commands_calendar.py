"""`kith calendar-token`: the secret address of the calendar feed `kith serve` publishes."""

from __future__ import annotations

import typer

from kith.cli import state
from kith.cli.app import app


@app.command("calendar-token")
def calendar_token(
    ctx: typer.Context,
    rotate: bool = typer.Option(
        False, "--rotate", help="Make a new address; the old one stops working (owners)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The address of your calendar feed: follow-ups, planned meetings, gatherings and
    birthdays, for a phone's calendar to subscribe to while `kith serve` runs. Anyone with
    the address can read the feed: keep it like a password, rotate it if it leaks."""
    from kith.cli import render

    token = state.base(ctx).calendar_token(rotate=rotate)
    path = f"/calendar/{token}.ics"
    if json_out:
        state.emit_json({"token": token, "path": path})
        return
    state.out.print(f"Calendar feed: http://127.0.0.1:8765{path}", soft_wrap=True)
    state.out.print(
        render.t(
            "Served by 'kith serve' (use its host and port; behind a proxy, your public name). "
            "Subscribe to it in your phone's calendar; 'kith calendar-token --rotate' makes a "
            "new one.",
            "dim",
        ),
        soft_wrap=True,
    )
