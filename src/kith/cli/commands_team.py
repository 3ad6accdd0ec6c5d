"""`kith team ...`: a shared base's members and their roles (docs/team.md)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from kith.cli import state
from kith.cli.app import app
from kith.errors import InvalidInput

team_app = typer.Typer(
    help="A team base: members, roles and sign-in (docs/team.md).", no_args_is_help=True
)
app.add_typer(team_app, name="team")

PASSWORD_STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input."
)


def _password(from_stdin: bool, prompt: str) -> str:
    """A password from standard input or a prompt, never from an argument (it would show in
    the shell's history and to `ps`)."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput("--password-stdin: standard input is empty.")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput("Give the password with --password-stdin (no terminal to ask on).")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


def _said(data: dict[str, Any], message: str, json_out: bool) -> None:
    from kith.cli import render

    if json_out:
        state.emit_json(data)
    else:
        state.out.print(render.t(message, "green"))


JSON = typer.Option(False, "--json", help="Print the member as JSON.")


@team_app.command("init")
def init(
    ctx: typer.Context,
    owner: str = typer.Option(..., "--owner", help="The first owner's email."),
    name: str = typer.Option(..., "--name", help="The first owner's name."),
    password_stdin: bool = PASSWORD_STDIN,
    json_out: bool = JSON,
) -> None:
    """Make this base a team base, with you as its first owner."""
    password = _password(password_stdin, "Password for " + owner)
    data = state.base(ctx).team_init(owner, name, password)
    _said(
        data,
        f"This is now a team base; {data['name']} <{data['email']}> is its owner. "
        "Every change now names its member: --as EMAIL or KITH_USER.",
        json_out,
    )


@team_app.command("add")
def add(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The new member's email."),
    name: str = typer.Option(..., "--name", help="Their name."),
    role: str = typer.Option("member", "--role", help="owner, member or viewer."),
    password_stdin: bool = PASSWORD_STDIN,
    json_out: bool = JSON,
) -> None:
    """Add a member (owners only). Without --password-stdin they set a password later."""
    password = _password(True, "") if password_stdin else None
    data = state.base(ctx).team_add(email, name, role, password)
    _said(data, f"Added {data['name']} <{data['email']}> as {data['role']}.", json_out)


@team_app.command("members")
def members(
    ctx: typer.Context,
    json_out: bool = typer.Option(False, "--json", help="Print the members as JSON."),
) -> None:
    """The team's members, their roles, and who has left."""
    from kith.cli import render

    listed = state.base(ctx).team_members()
    if json_out:
        state.emit_json(listed)
        return
    if not listed:
        state.out.print(render.t("This base has no members (a one-user base).", "yellow"))
        return
    for m in listed:
        left = "" if m["active"] else f"  (left {str(m['removed'])[:10]})"
        shares = "  (shares texts)" if m["shares_texts"] else ""
        state.out.print(render.t(f"{m['email']:<36} {m['role']:<7} {m['name']}{shares}{left}"))


@team_app.command("share")
def share(
    ctx: typer.Context,
    texts: bool = typer.Option(
        ...,
        "--texts/--no-texts",
        help="Let teammates read the words of your messages (--texts), or only see that a "
        "touch happened: date, channel, direction (--no-texts, the default).",
    ),
    json_out: bool = JSON,
) -> None:
    """Share the texts of your own imported and logged messages with the team, or stop."""
    data = state.base(ctx).team_share(texts)
    said = (
        "Teammates now see the words of your messages."
        if data["shares_texts"]
        else "Teammates now see when you were in touch, not what was said."
    )
    _said(data, said, json_out)


@team_app.command("role")
def role(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The member's email."),
    new_role: str = typer.Argument(..., metavar="ROLE", help="owner, member or viewer."),
    json_out: bool = JSON,
) -> None:
    """Change a member's role (owners only; the team keeps at least one owner)."""
    data = state.base(ctx).team_role(email, new_role)
    _said(data, f"{data['name']} <{data['email']}> is now {data['role']}.", json_out)


@team_app.command("remove")
def remove(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The member's email."),
    json_out: bool = JSON,
) -> None:
    """End a membership at once (owners only); their history stays, attributed to them."""
    data = state.base(ctx).team_remove(email)
    _said(
        data,
        f"{data['name']} <{data['email']}> is no longer a member; what they recorded stays.",
        json_out,
    )


@team_app.command("invite")
def invite(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="Who to invite."),
    role: str = typer.Option("member", "--role", help="owner, member or viewer."),
    url: str = typer.Option(
        "http://127.0.0.1:8765", "--url", help="The address the team opens kith at."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the member and link as JSON."),
) -> None:
    """A single-use join link for a new member (owners only), valid 7 days: they open it,
    choose their name and password, and are signed in."""
    data = state.base(ctx).team_invite(email, role)
    link = f"{url.rstrip('/')}/join/{data['token']}"
    if json_out:
        state.emit_json({"member": data["member"], "link": link})
        return
    state.out.print(f"Send this link to {data['member']['email']} (single use, valid 7 days):")
    state.out.print(link, soft_wrap=True)


@team_app.command("token")
def token(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The member the token acts as."),
    label: str = typer.Option("api", "--label", help="A name for the token, to revoke it by."),
    revoke: bool = typer.Option(False, "--revoke", help="Revoke the member's token of --label."),
) -> None:
    """A bearer token for the JSON API (owners only), printed once:
    send it as 'Authorization: Bearer TOKEN'. With --revoke, stop it working."""
    from kith.cli import render

    base = state.base(ctx)
    if revoke:
        count = base.team_revoke(email, label)
        state.out.print(render.t(f"Revoked {count} token{'s' if count > 1 else ''}.", "green"))
        return
    state.out.print(base.team_token(email, label), soft_wrap=True)
