"""Commands that change who is in the base: `add`, `edit`, `merge`, `forget`."""

from __future__ import annotations

import sys
from typing import Any

import typer

from kith.cli import state
from kith.cli.app import app

PERSON_HELP = "Id, exact name or platform:handle."


def _done(data: dict[str, Any], message: str, json_out: bool) -> None:
    from kith.cli import render

    if json_out:
        state.emit_json(data)
    else:
        state.out.print(render.t(message, "green"))


def _birthday(base: Any, text: str) -> Any:
    """The birthday given on the command line; '' clears it."""
    if not text.strip():
        return None
    from kith.parsing import parse_date

    return parse_date(text, "UTC", base.now())


@app.command()
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The person's name."),
    handle: list[str] = typer.Option(
        [], "--handle", help="PLATFORM:HANDLE, e.g. x:ana or email:ana@example.org (repeatable)."
    ),
    city: str | None = typer.Option(None, "--city", help="Home city: 'Chicago', 'Portland, OR'."),
    tag: list[str] = typer.Option([], "--tag", help="A tag (repeatable)."),
    circle: int | None = typer.Option(None, "--circle", help="Circle 1 to 4 (5/15/50/150 people)."),
    birthday: str | None = typer.Option(None, "--birthday", help="Birthday, e.g. 1990-04-12."),
    json_out: bool = typer.Option(False, "--json", help="Print the new person as JSON."),
) -> None:
    """Add a person."""
    base = state.base(ctx)
    bday = None if birthday is None else _birthday(base, birthday)
    data = base.add(name, handle, city, tag, circle, bday)
    _done(data, f"Added {data['name']} (#{data['id']}).", json_out)


@app.command()
def edit(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    name: str | None = typer.Option(None, "--name", help="New name."),
    city: str | None = typer.Option(None, "--city", help="New home city ('' to clear)."),
    tag: list[str] = typer.Option([], "--tag", help="Add a tag (repeatable)."),
    untag: list[str] = typer.Option([], "--untag", help="Remove a tag (repeatable)."),
    circle: int | None = typer.Option(None, "--circle", help="Place in circle 1 to 4."),
    no_circle: bool = typer.Option(False, "--no-circle", help="Take out of their circle."),
    pause: bool = typer.Option(False, "--pause", help="No suggestions about them for now."),
    resume: bool = typer.Option(False, "--resume", help="Suggestions about them again."),
    handle: list[str] = typer.Option([], "--handle", help="Add PLATFORM:HANDLE (repeatable)."),
    birthday: str | None = typer.Option(None, "--birthday", help="Birthday ('' to clear)."),
    organisation: str | None = typer.Option(
        None, "--organisation", help="Where they work ('' to clear)."
    ),
    role: str | None = typer.Option(None, "--role", help="What they do there ('' to clear)."),
    json_out: bool = typer.Option(False, "--json", help="Print the person as JSON."),
) -> None:
    """Change a person: name, city, tags, circle, pause, handles, birthday, organisation,
    role."""
    from kith.errors import InvalidInput

    if circle is not None and no_circle:
        raise InvalidInput("Use either --circle N or --no-circle, not both.")
    if pause and resume:
        raise InvalidInput("Use either --pause or --resume, not both.")
    base = state.base(ctx)
    changes: dict[str, Any] = {
        "name": name,
        "city": city,
        "add_tags": tag,
        "remove_tags": untag,
        "handles": handle,
        "paused": True if pause else False if resume else None,
        "organisation": organisation,
        "role": role,
    }
    if birthday is not None:  # left out: unchanged
        changes["birthday"] = _birthday(base, birthday)
    if circle is not None:
        changes["circle"] = circle
    elif no_circle:
        changes["circle"] = None
    data = base.edit(person, **changes)
    where = f", circle {data['circle']}" if data.get("circle") else ""
    _done(data, f"Updated {data['name']} (#{data['id']}{where}).", json_out)


@app.command()
def merge(
    ctx: typer.Context,
    keep: str = typer.Argument(..., help="The person to keep. " + PERSON_HELP),
    other: str = typer.Argument(..., help="The duplicate, folded into the first. " + PERSON_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the merged person as JSON."),
) -> None:
    """Merge two records of the same human: the second is folded into the first."""
    data = state.base(ctx).merge(keep, other)
    _done(data, f"Merged into {data['name']} (#{data['id']}).", json_out)


@app.command("not-same")
def not_same(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    other: str = typer.Argument(..., help="The one they are not. " + PERSON_HELP),
    undo: bool = typer.Option(
        False, "--undo", help="Take it back: they may be suggested as duplicates again."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print both people as JSON."),
) -> None:
    """Say that two records are different people: 'kith people --duplicates' stops
    suggesting the pair."""
    base = state.base(ctx)
    if undo:
        data = base.same_maybe(person, other)
        message = "{a} (#{ai}) and {b} (#{bi}) may be suggested as duplicates again."
    else:
        data = base.not_same(person, other)
        message = "Noted: {a} (#{ai}) and {b} (#{bi}) are different people."
    a, b = data["a"], data["b"]
    _done(data, message.format(a=a["name"], ai=a["id"], b=b["name"], bi=b["id"]), json_out)


@app.command()
def forget(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Erase a person and everything about them. This cannot be undone."""
    from kith.cli import render

    base = state.base(ctx)
    pid = base.person_id(person)
    if not yes and sys.stdin.isatty():
        typer.confirm(f"Erase person #{pid} and everything about them?", abort=True)
    name = base.forget(f"#{pid}")
    state.out.print(render.t(f"Forgot {name} (#{pid}) and everything about them.", "green"))
