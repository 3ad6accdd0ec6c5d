"""`kith check`: a draft check before posting or sending (docs/check.md)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from kith.cli import state
from kith.cli.app import app

if TYPE_CHECKING:
    from rich.console import Console

    from kith.domain.vigilance import Verdict


@app.command()
def check(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="The draft; '-' reads it from standard input."),
    to: str | None = typer.Option(
        None, "--to", help="Who it is for (id, exact name or platform:handle)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Check a draft before you post or send it: hostile tone, profanity, shouting, private
    details, a sales pitch too early (with --to) and a bare link. Flags are advice: the exit
    status is 0 either way."""
    if text == "-":
        text = sys.stdin.read()
    verdict = state.base(ctx).verdict(text, to)
    if json_out:
        state.emit_json(verdict.as_json())
        return
    _render(state.out, verdict)


def _render(console: Console, verdict: Verdict) -> None:
    from kith.cli.render import t

    if verdict.recipient is not None:
        who = verdict.recipient
        console.print(t(f"For {who.name}, at the {who.stage} stage.", "dim"))
    if verdict.ok:
        console.print(t("Looks fine.", "green"))
        return
    noun = "thing" if len(verdict.flags) == 1 else "things"
    console.print(t(f"{len(verdict.flags)} {noun} to look at before you send it:", "bold"))
    for flag in verdict.flags:
        line = t("• ")
        line.append(str(flag.code), style="bold yellow")
        line.append(f": {flag.message}")
        console.print(line)
