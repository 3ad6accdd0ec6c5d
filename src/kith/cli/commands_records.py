"""Commands that record what happened: `log`, `remember`, `invite`, `respond`."""

from __future__ import annotations

from typing import Any

import typer

from kith.cli import state
from kith.cli.app import app

PERSON_HELP = "Id, exact name or platform:handle."


def _report(data: dict[str, Any], message: str, json_out: bool) -> None:
    from kith.cli import render

    if json_out:
        state.emit_json(data)
        return
    state.out.print(render.t(message, "green"))
    nxt = data.get("next")
    if nxt:
        line = render.t("Next: ", "dim")
        line.append(render.action_text(nxt))
        line.append(f": {nxt['reason']}")
        state.out.print(line)


@app.command()
def log(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    channel: str = typer.Argument(
        ...,
        help="follow, like, share, comment, reply, mention, dm, chat, email, call, video, "
        "meeting or gathering.",
    ),
    inbound: bool = typer.Option(False, "--in", help="They reached out to you."),
    outbound: bool = typer.Option(False, "--out", help="You reached out to them (default)."),
    both: bool = typer.Option(False, "--both", help="A shared moment (default for calls)."),
    at: str | None = typer.Option(None, "--at", help="When (ISO-8601; default now)."),
    text: str | None = typer.Option(None, "--text", help="What was said."),
    minutes: int | None = typer.Option(None, "--minutes", help="Length of a call or meeting."),
    anyway: bool = typer.Option(
        False, "--anyway", help="Even though they are on the do-not-contact list."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the person as JSON."),
) -> None:
    """Log one touch with a person."""
    from kith.errors import InvalidInput

    chosen = [d for d, on in (("in", inbound), ("out", outbound), ("both", both)) if on]
    if len(chosen) > 1:
        raise InvalidInput("Choose one of --in, --out and --both.")
    way = chosen[0] if chosen else None
    data = state.base(ctx).log(person, channel, way, at, text, minutes, anyway=anyway)
    _report(
        data,
        f"Logged a {channel.strip().lower()} with {data['name']}. Stage: {data['stage']}.",
        json_out,
    )


@app.command()
def remember(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    text: str = typer.Argument(..., help="What you learnt ('gives a talk at PyCon')."),
    on: str | None = typer.Option(None, "--on", help="The date it happens, for follow-ups."),
    private: bool = typer.Option(False, "--private", help="Never used in suggested wordings."),
    json_out: bool = typer.Option(False, "--json", help="Print the person as JSON."),
) -> None:
    """Remember something about a person; a date makes it a coming event to follow up."""
    data = state.base(ctx).remember(person, text, on, private)
    when = f" (on {on})" if on else ""
    _report(data, f"Remembered about {data['name']}{when}.", json_out)


@app.command()
def invite(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    kind: str | None = typer.Option(
        None, "--kind", help="call, video, coffee, meal or event (default: the suggested ask)."
    ),
    anyway: bool = typer.Option(
        False,
        "--anyway",
        help="Even though they are on the do-not-contact list or a teammate asked them lately.",
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the person as JSON."),
) -> None:
    """Record that you raised a real-life idea with them."""
    data = state.base(ctx).invite(person, kind, anyway=anyway)
    _report(
        data,
        f"Recorded a {data['invite']['kind']} ask to {data['name']}; record the answer with "
        "'kith respond'.",
        json_out,
    )


@app.command()
def snooze(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    days: int = typer.Option(7, "--days", help="For how many days."),
    action: str | None = typer.Option(
        None, "--action", help="Which suggestion (default: today's for this person)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Set a suggestion aside for a few days."""
    from kith.cli import render

    data = state.base(ctx).snooze(person, days, action)
    if json_out:
        state.emit_json(data)
        return
    state.out.print(render.t(f"Snoozed {data['action']} until {data['until']}.", "green"))


@app.command()
def respond(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=PERSON_HELP),
    answer: str = typer.Argument(..., help="positive, neutral or negative."),
    when: str | None = typer.Option(None, "--when", help="The agreed time (positive answers)."),
    where: str | None = typer.Option(None, "--where", help="The agreed place (positive answers)."),
    json_out: bool = typer.Option(False, "--json", help="Print the person as JSON."),
) -> None:
    """Record their answer to your latest ask."""
    data = state.base(ctx).respond(person, answer, when, where)
    _report(data, f"Recorded a {data['invite']['response']} answer from {data['name']}.", json_out)
