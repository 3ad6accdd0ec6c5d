"""`kith sync ...`: keep the base current from the user's own mail, calendar and address
book servers (docs/sync.md)."""

from __future__ import annotations

from typing import Any

import typer

from kith.cli import state
from kith.cli.app import app

sync_app = typer.Typer(
    help=(
        "Read what is new on your mail (IMAP), calendar (CalDAV) and address book (CardDAV) "
        "servers. Without a subcommand, runs every source once (docs/sync.md)."
    ),
    invoke_without_command=True,
)
app.add_typer(sync_app, name="sync")
add_app = typer.Typer(help="Add a sync source.", no_args_is_help=True)
sync_app.add_typer(add_app, name="add")

JSON = typer.Option(False, "--json", help="Print as JSON.")
PASSWORD_ENV = typer.Option(
    None, "--password-env", metavar="VAR", help="The environment variable holding the password."
)
PASSWORD_COMMAND = typer.Option(
    None,
    "--password-command",
    metavar="CMD",
    help="A command that prints the password, e.g. 'pass show mail' (run without a shell).",
)
KEYRING = typer.Option(
    None,
    "--keyring",
    metavar="SERVICE:USER",
    help="An entry of the system keyring holding the password (pip install 'kith[keyring]').",
)
ME = typer.Option(
    None, "--me", help="An e-mail address of yours the server's data uses (repeatable)."
)


def _secret(env: str | None, command: str | None, keyring: str | None) -> dict[str, str | None]:
    """Where the password comes from, as given (kith.api checks that exactly one is)."""
    return {"env": env, "command": command, "keyring": keyring}


def _name(name: str | None, kind: str) -> str:
    return name or kind


def _added(data: dict[str, Any], json_out: bool) -> None:
    from kith.cli import render

    if json_out:
        state.emit_json(data)
        return
    state.out.print(
        render.t(
            f"Added sync source '{data['name']}' ({data['kind']}): {data['reads']}; the password "
            f"comes from {data['password_from']}. Run it with: kith sync",
            "green",
        ),
        soft_wrap=True,
    )


@sync_app.callback()
def run(
    ctx: typer.Context,
    names: list[str] | None = typer.Option(
        None, "--name", help="Run only this source (repeatable)."
    ),
    json_out: bool = JSON,
) -> None:
    """Run every sync source once: a line per source says what it added or why it failed.
    Exits 2 when any source failed (the others still ran)."""
    if ctx.invoked_subcommand is not None:
        return
    from kith.cli import render

    results = state.base(ctx).sync(names or ())
    if json_out:
        state.emit_json(results)
    elif not results:
        state.out.print("No sync source yet: add one with 'kith sync add imap|caldav|carddav'.")
    for r in [] if json_out else results:
        if r["ok"]:
            line = (
                f"{r['name']} ({r['kind']}): read {r['read']:,}, added {r['interactions_added']:,} "
                f"interactions and {r['people_created']:,} people"
            )
            state.out.print(render.t(line, "green"), soft_wrap=True)
            for warning in r["warnings"]:
                state.out.print(f"  note: {warning}", soft_wrap=True)
        else:
            state.out.print(render.t(f"{r['name']} ({r['kind']}): failed: {r['error']}", "red"))
    if any(not r["ok"] for r in results):
        raise typer.Exit(2)


@add_app.command("imap")
def add_imap(
    ctx: typer.Context,
    host: str = typer.Option(..., "--host", help="The IMAP server, e.g. imap.fastmail.com."),
    user: str = typer.Option(..., "--user", help="The user name (usually your address)."),
    port: int | None = typer.Option(None, "--port", help="Default: 993 (ssl) or 143."),
    tls: str = typer.Option("ssl", "--tls", help="ssl, starttls, or none (only to this machine)."),
    folders: list[str] | None = typer.Option(
        None, "--folder", help="A folder to read (repeatable). Default: INBOX and Sent."
    ),
    name: str | None = typer.Option(None, "--name", help="The source's name. Default: imap."),
    password_env: str | None = PASSWORD_ENV,
    password_command: str | None = PASSWORD_COMMAND,
    keyring: str | None = KEYRING,
    me: list[str] | None = ME,
    json_out: bool = JSON,
) -> None:
    """Mail over IMAP, both directions, read as an mbox import reads it."""
    settings = {
        "host": host,
        "port": port,
        "tls": tls,
        "user": user,
        "folders": list(folders or []),
        "me": list(me or []),
        "secret": _secret(password_env, password_command, keyring),
    }
    _added(state.base(ctx).sync_add(_name(name, "imap"), "imap", settings), json_out)


def _add_dav(
    ctx: typer.Context,
    kind: str,
    url: str,
    user: str,
    name: str | None,
    secret: dict[str, str | None],
    me: list[str] | None,
    json_out: bool,
) -> None:
    settings = {"url": url, "user": user, "me": list(me or []), "secret": secret}
    _added(state.base(ctx).sync_add(_name(name, kind), kind, settings), json_out)


@add_app.command("caldav")
def add_caldav(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="A calendar's URL, or the server's (kith finds yours)."),
    user: str = typer.Option(..., "--user", help="The user name."),
    name: str | None = typer.Option(None, "--name", help="The source's name. Default: caldav."),
    password_env: str | None = PASSWORD_ENV,
    password_command: str | None = PASSWORD_COMMAND,
    keyring: str | None = KEYRING,
    me: list[str] | None = ME,
    json_out: bool = JSON,
) -> None:
    """Calendars over CalDAV: events with guests become meetings and calls."""
    secret = _secret(password_env, password_command, keyring)
    _add_dav(ctx, "caldav", url, user, name, secret, me, json_out)


@add_app.command("carddav")
def add_carddav(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="An address book's URL, or the server's."),
    user: str = typer.Option(..., "--user", help="The user name."),
    name: str | None = typer.Option(None, "--name", help="The source's name. Default: carddav."),
    password_env: str | None = PASSWORD_ENV,
    password_command: str | None = PASSWORD_COMMAND,
    keyring: str | None = KEYRING,
    me: list[str] | None = ME,
    json_out: bool = JSON,
) -> None:
    """Address books over CardDAV: contacts become people, as a .vcf import makes them."""
    secret = _secret(password_env, password_command, keyring)
    _add_dav(ctx, "carddav", url, user, name, secret, me, json_out)


@add_app.command("mastodon")
def add_mastodon(
    ctx: typer.Context,
    instance: str = typer.Option(
        ..., "--instance", help="Your server, e.g. https://mastodon.social."
    ),
    token_env: str | None = typer.Option(
        None, "--token-env", metavar="VAR", help="The environment variable holding the token."
    ),
    token_command: str | None = typer.Option(
        None, "--token-command", metavar="CMD", help="A command that prints the token."
    ),
    keyring: str | None = KEYRING,
    name: str | None = typer.Option(None, "--name", help="The source's name. Default: mastodon."),
    json_out: bool = JSON,
) -> None:
    """Your Mastodon account: your posts, boosts and favourites, and the other side (replies,
    mentions, direct messages, favourites and boosts of your posts). Make an access token
    with read scope under Preferences > Development."""
    settings = {
        "instance": instance,
        "secret": _secret(token_env, token_command, keyring),
    }
    _added(state.base(ctx).sync_add(_name(name, "mastodon"), "mastodon", settings), json_out)


@add_app.command("bluesky")
def add_bluesky(
    ctx: typer.Context,
    handle: str = typer.Option(..., "--handle", help="Your handle, e.g. ana.bsky.social."),
    app_password_env: str | None = typer.Option(
        None, "--app-password-env", metavar="VAR", help="The variable holding an app password."
    ),
    app_password_command: str | None = typer.Option(
        None, "--app-password-command", metavar="CMD", help="A command that prints it."
    ),
    keyring: str | None = KEYRING,
    service: str = typer.Option(
        "https://bsky.social", "--service", help="Your PDS or entryway (default: bsky.social)."
    ),
    name: str | None = typer.Option(None, "--name", help="The source's name. Default: bluesky."),
    json_out: bool = JSON,
) -> None:
    """Your Bluesky account: your posts, likes, reposts and follows, and the other side
    (replies, mentions, quotes, likes, reposts and follows by others). Make an app password
    under Settings > Privacy and security > App passwords."""
    settings = {
        "service": service,
        "handle": handle,
        "secret": _secret(app_password_env, app_password_command, keyring),
    }
    _added(state.base(ctx).sync_add(_name(name, "bluesky"), "bluesky", settings), json_out)


@sync_app.command("list")
def list_sources(ctx: typer.Context, json_out: bool = JSON) -> None:
    """The sync sources, where each reads, and its last run."""
    sources = state.base(ctx).sync_sources()
    if json_out:
        state.emit_json(sources)
        return
    if not sources:
        state.out.print("No sync source yet: add one with 'kith sync add imap|caldav|carddav'.")
    for s in sources:
        last = "never run"
        if s["last_run_at"] is not None:
            when = s["last_run_at"][:16].replace("T", " ")
            last = (
                f"last run {when}: failed: {s['last_error']}"
                if s["last_error"]
                else f"last run {when}: added {s['last_added']:,}"
            )
        state.out.print(
            f"{s['name']} ({s['kind']}): {s['reads']}; password from {s['password_from']}; {last}",
            soft_wrap=True,
        )


@sync_app.command("remove")
def remove(ctx: typer.Context, name: str = typer.Argument(..., help="The source's name.")) -> None:
    """Forget a sync source; what it brought into the base stays."""
    from kith.cli import render

    state.base(ctx).sync_remove(name)
    state.out.print(render.t(f"Removed sync source '{name}'.", "green"))
