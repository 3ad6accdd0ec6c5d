"""`kith init` and `kith demo`."""

from __future__ import annotations

import typer

from kith.cli import state
from kith.cli.app import app


@app.command()
def init(
    ctx: typer.Context,
    city: str | None = typer.Option(
        None, "--city", help="Your home city, for the ask ladder (coffee when near, call when far)."
    ),
    tz: str | None = typer.Option(
        None, "--tz", help="Your time zone (IANA name, e.g. Europe/Lisbon). Default: the system's."
    ),
    me: list[str] = typer.Option(
        [],
        "--me",
        help="One of your own identities, repeatable: x:ana, email:ana@example.org, "
        "phone:+15550100, or the display name chats show for you. Every import uses them.",
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create your base (or update its settings) and say where it lives."""
    from kith.cli import render

    info = state.base(ctx).init(city, tz, me)
    if json_out:
        state.emit_json(info)
        return
    state.out.print(render.t(f"Base ready: {info['db']}", "green"))
    render.profile(state.out, info)


@app.command()
def profile(
    ctx: typer.Context,
    add: list[str] = typer.Option(
        [],
        "--add",
        help="Add one of your identities (repeatable): x:ana, email:ana@example.org, "
        "phone:+15550100, or a display name.",
    ),
    remove: list[str] = typer.Option(
        [], "--remove", help="Remove one of your identities (repeatable)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """You: your home, time zone and own identities (the handles, addresses and names that
    are you in every export; imports add what they learn, and never ask twice)."""
    from kith.cli import render

    info = state.base(ctx).profile(add, remove)
    if json_out:
        state.emit_json(info)
        return
    render.profile(state.out, info)


@app.command()
def demo(
    ctx: typer.Context,
    people: int = typer.Option(300, "--people", min=1, help="How many people to generate."),
    seed: int = typer.Option(7, "--seed", help="Random seed: same seed and KITH_NOW, same output."),
    interactions: int | None = typer.Option(
        None, "--interactions", help="Total interactions (default: about 20 per person)."
    ),
    limit: int = typer.Option(7, "--limit", min=1, help="How many agenda items to show."),
    json_out: bool = typer.Option(False, "--json", help="Print the agenda as JSON."),
) -> None:
    """Write a synthetic network to the demo base (never yours) and show today's agenda.

    The demo base is its own file whatever KITH_DB says; only --db on this command line
    puts it elsewhere (and a base that holds your data is never overwritten)."""
    from kith.api import Kith, demo_url, write_demo
    from kith.cli import render

    opts = state.options(ctx)
    url = opts.db if opts.db and opts.db_on_command_line else demo_url()
    bar = state.ProgressBar()
    try:
        write_demo(url, people=people, seed=seed, interactions=interactions, progress=bar)
    finally:
        bar.stop()
    with Kith(url) as base:
        items = base.today(limit)
        if json_out:
            state.emit_json(items)
            return
        render.today(state.out, items, base.today_date().isoformat())
    state.err.print(
        render.t(
            f"Demo base: {url}\nExplore it: kith --demo people | kith --demo show ID | "
            "kith --demo today --json",
            "dim",
        )
    )


@app.command()
def rules(
    ctx: typer.Context,
    set_: list[str] = typer.Option(
        [], "--set", help="Change a number: NAME=VALUE, e.g. backoff_days=120 (repeatable)."
    ),
    reset: bool = typer.Option(False, "--reset", help="Back to the documented defaults."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show or change the numbers behind the relationship rules (docs/path.md)."""
    from kith.cli import render
    from kith.errors import InvalidInput

    changes: dict[str, str] = {}
    for item in set_:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"'{item}' is not NAME=VALUE.")
        changes[name.strip()] = value.strip()
    current = state.base(ctx).rules(changes, reset)
    if json_out:
        state.emit_json(current)
        return
    from rich.table import Table

    table = Table(box=None, show_header=False)
    for name, value in current.items():
        table.add_row(render.t(name, "cyan"), render.t(value))
    state.out.print(table)
