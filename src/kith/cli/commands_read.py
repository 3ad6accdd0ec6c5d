"""Read commands: `people`, `show`, `today`, `focus`. Each has --json."""

from __future__ import annotations

import typer

from kith.cli import state
from kith.cli.app import app


@app.command()
def people(
    ctx: typer.Context,
    stage: str | None = typer.Option(None, "--stage", help="Only this stage (noticed ... close)."),
    tag: str | None = typer.Option(None, "--tag", help="Only people with this tag."),
    circle: int | None = typer.Option(None, "--circle", help="Only this circle (1 to 4)."),
    sort: str = typer.Option("strength", "--sort", help="strength, recent or name."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many."),
    duplicates: bool = typer.Option(
        False, "--duplicates", help="List likely duplicates to confirm with 'kith merge'."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List people with their stage, tie strength, circle and last contact."""
    from kith.cli import render

    base = state.base(ctx)
    if duplicates:
        pairs = base.duplicates(limit or 50)
        if json_out:
            state.emit_json(pairs)
        else:
            render.duplicates(state.out, pairs)
        return
    rows = base.people(stage=stage, tag=tag, circle=circle, sort=sort, limit=limit)
    if json_out:
        state.emit_json(rows)
        return
    total = base.count_people(stage=stage, tag=tag, circle=circle) if limit else None
    render.people(state.out, rows, total)


@app.command()
def show(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Id, exact name or platform:handle."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One relationship: stage, tie strength and why, milestones, facts, asks, next step."""
    data = state.base(ctx).show(person)
    if json_out:
        state.emit_json(data)
        return
    from kith.cli import render

    render.show(state.out, data)


@app.command("who-knows")
def who_knows(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="Id, exact name or platform:handle."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Who on the team knows this person, strongest tie first, with the reasons and each
    member's last two-way contact (a team base; docs/team.md)."""
    base = state.base(ctx)
    ties = base.who_knows(person)
    if json_out:
        state.emit_json(ties)
        return
    from kith.cli import render

    if not ties:
        message = "Nobody on the team has a history with them yet."
        if not base.is_team():
            message = "This base has no members: who-knows is for a team base (kith team init)."
        state.out.print(render.t(message, "yellow"))
        return
    state.out.print(render.who_knows_table(ties, base.member))


@app.command()
def today(
    ctx: typer.Context,
    limit: int = typer.Option(7, "--limit", min=1, help="How many actions (focus beats volume)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Today's few next actions, each with its reason."""
    base = state.base(ctx)
    items = base.today(limit)
    if json_out:
        state.emit_json(items)
        return
    from kith.cli import render

    render.today(state.out, items, base.today_date().isoformat())


@app.command()
def focus(
    ctx: typer.Context,
    limit: int = typer.Option(10, "--limit", min=1, help="How many candidates."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Who deserves a place in a circle: people in no circle, ranked, with reasons."""
    rows = state.base(ctx).focus(limit)
    if json_out:
        state.emit_json(rows)
        return
    from kith.cli import render

    render.focus(state.out, rows)
