"""`kith dnc`: the team's do-not-contact list (docs/team.md)."""

from __future__ import annotations

import typer

from kith.cli import state
from kith.cli.app import app
from kith.errors import InvalidInput

PERSON_HELP = "An id (#12), exact name, or platform:handle."


@app.command()
def dnc(
    ctx: typer.Context,
    person: str | None = typer.Argument(None, help=PERSON_HELP),
    reason: str | None = typer.Option(None, "--reason", help="Why (shown to the team)."),
    clear: bool = typer.Option(False, "--clear", help="Take them off the list (owners)."),
    list_all: bool = typer.Option(False, "--list", help="Show the list."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Do not contact: a person on the list gets no suggestion for anyone, and a touch or an
    ask to them needs --anyway."""
    from kith.cli import render

    base = state.base(ctx)
    if list_all:
        listed = base.dnc_list()
        if json_out:
            state.emit_json(listed)
        elif not listed:
            state.out.print(render.t("Nobody is on the do-not-contact list.", "green"))
        else:
            for e in listed:
                by = f" ({e['member']})" if e["member"] else ""
                state.out.print(
                    f"#{e['person']['id']} {e['person']['name']}: {e['reason']}{by}", soft_wrap=True
                )
        return
    if person is None:
        raise InvalidInput("Name a person (or use --list).")
    if clear:
        done = base.dnc_clear(person)
        message = f"{done['name']} (#{done['id']}) is off the do-not-contact list."
    else:
        if not reason:
            raise InvalidInput("Say why they are not to be contacted (--reason).")
        done = base.dnc(person, reason)
        message = f"{done['name']} (#{done['id']}) is on the do-not-contact list."
    if json_out:
        state.emit_json(done)
    else:
        state.out.print(render.t(message, "green"))
