"""Being at the right place at the right time: `trip`, `trips`, `gather`, `gatherings`,
`rsvp`, `attended`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kith.cli import state
from kith.cli.app import app

PERSON_HELP = "Id, exact name or platform:handle."


@app.command()
def trip(
    ctx: typer.Context,
    city: str = typer.Argument(..., help="Where you are going: 'Chicago', 'Portland, OR'."),
    starts: str = typer.Option(..., "--from", help="First day (e.g. 2026-12-01)."),
    ends: str = typer.Option(..., "--to", help="Last day."),
    json_out: bool = typer.Option(False, "--json", help="Print the trip as JSON."),
) -> None:
    """Record a trip: the agenda will suggest meeting people who live near."""
    from kith.cli import render

    data = state.base(ctx).trip(city, starts, ends)
    if json_out:
        state.emit_json(data)
        return
    state.out.print(
        render.t(
            f"Trip #{data['id']} to {data['city']}, {data['from']} to {data['to']}. In the 14 days "
            "before and during it, 'kith today' suggests people to meet there.",
            "green",
        )
    )


@app.command()
def trips(
    ctx: typer.Context,
    remove: int | None = typer.Option(None, "--remove", help="Delete the trip with this id."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List your trips (or remove one)."""
    from kith.cli import render

    base = state.base(ctx)
    if remove is not None:
        base.remove_trip(remove)
    rows = base.trips()
    if json_out:
        state.emit_json(rows)
        return
    render.trips(state.out, rows)


def _print_gathering(data: dict[str, Any]) -> None:
    from kith.cli import render

    render.gathering(state.out, data)


@app.command()
def gather(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="What it is: 'Tweet-up', 'Send-off for Ana'."),
    at: str = typer.Option(..., "--at", help="When it starts (e.g. 2026-12-04T19:00)."),
    where: str = typer.Option(..., "--where", help="The place."),
    invite: list[str] = typer.Option([], "--invite", help=f"A guest (repeatable). {PERSON_HELP}"),
    tag: str | None = typer.Option(None, "--tag", help="Invite everyone with this tag."),
    minutes: int = typer.Option(180, "--minutes", help="How long it lasts."),
    ics: str | None = typer.Option(
        None, "--ics", help="Write the gathering as an .ics calendar event here."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the gathering as JSON."),
) -> None:
    """Plan a gathering: a personal invitation for each guest and an .ics to send."""
    from kith.cli import render

    base = state.base(ctx)
    data = base.gather(title, at, where, invite, tag, minutes)
    if ics is not None:
        path = Path(ics).expanduser()
        path.write_bytes(base.gathering_ics(f"#{data['id']}"))
        data["ics"] = str(path)
    if json_out:
        state.emit_json(data)
        return
    _print_gathering(data)
    if ics is not None:
        state.out.print(render.t(f"Calendar invitation written to {ics}.", "green"))
    state.out.print(
        render.t(f"Record answers with: kith rsvp {data['id']} PERSON yes|no|maybe", "dim")
    )


@app.command()
def gatherings(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List past and coming gatherings with their answers."""
    from kith.cli import render

    rows = state.base(ctx).gatherings()
    if json_out:
        state.emit_json(rows)
        return
    if not rows:
        state.out.print(
            render.t(
                "No gatherings yet. Plan one with: kith gather TITLE --at TIME "
                "--where PLACE --invite PERSON"
            )
        )
    for data in rows:
        _print_gathering(data)


@app.command()
def rsvp(
    ctx: typer.Context,
    gathering: str = typer.Argument(..., help="Gathering id or exact title."),
    person: str = typer.Argument(..., help=PERSON_HELP),
    answer: str = typer.Argument(..., help="yes, no or maybe."),
    json_out: bool = typer.Option(False, "--json", help="Print the gathering as JSON."),
) -> None:
    """Record a guest's answer to a gathering."""
    from kith.cli import render

    data = state.base(ctx).rsvp(gathering, person, answer)
    if json_out:
        state.emit_json(data)
        return
    state.out.print(render.t(f"Recorded '{answer.lower()}' for {data['title']}.", "green"))


@app.command()
def attended(
    ctx: typer.Context,
    gathering: str = typer.Argument(..., help="Gathering id or exact title."),
    person: list[str] = typer.Option(
        [], "--person", help="Who came (repeatable); default: everyone who said yes."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the gathering as JSON."),
) -> None:
    """Log a gathering as an in-person meeting with each guest who came."""
    from kith.cli import render

    data = state.base(ctx).attended(gathering, person)
    if json_out:
        state.emit_json(data)
        return
    state.out.print(render.t(f"Logged {data['title']} with {data['attended']} guests.", "green"))
