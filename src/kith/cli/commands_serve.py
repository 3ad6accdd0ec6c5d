"""`kith serve`: the local web UI (kith.web) over the chosen base, with uvicorn."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import typer

from kith.cli import state
from kith.cli.app import app
from kith.errors import InvalidInput

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ANY_HOSTS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class Choice:
    url: str
    demo: bool
    note: str | None = None


def choose_base(db: str | None, demo: bool) -> Choice:
    """The base to serve: --db or --demo when given; otherwise the user's base, or the
    demo base from `kith demo` when the user's base is still empty."""
    from kith import api

    if db:
        url = api.normalise_url(db)
        return Choice(url, api.peek(url).demo)
    if demo:
        return Choice(api.demo_url(), True)
    url = api.default_url()
    demo_url = api.demo_url()
    if api.peek(url).people == 0 and (api.peek(demo_url).people or 0) > 0:
        note = (
            "Your base is empty, so this is the demo network from 'kith demo'. Import your "
            "exports with 'kith import' and serve again to see yours (the Import page here "
            "fills the demo base)."
        )
        return Choice(demo_url, True, note)
    return Choice(url, api.peek(url).demo)


def this_machine() -> tuple[str, ...]:
    """This machine's own names and the addresses they resolve to here (from the system's
    resolver: /etc/hosts and the like), in lower case."""
    names = {socket.gethostname(), socket.getfqdn()}
    found = set(names)
    for name in names:
        try:
            found.update(str(info[4][0]) for info in socket.getaddrinfo(name, None))
        except OSError:  # a name the resolver does not know: the name alone
            continue
    return tuple(sorted(n.lower().rstrip(".") for n in found if n))


def allowed_hosts(host: str, public: Sequence[str] = ()) -> tuple[str, ...]:
    """Host names the server answers to (DNS-rebinding guard): loopback, the address it
    listens on, and the names browsers use for it (`--public-name`, behind a proxy). On
    every interface (0.0.0.0, ::) without a name: this machine's own names and addresses
    (`this_machine`); never any name at all, which would let any web page the user visits
    read and change the base (issue 12, probe 9)."""
    named = tuple(name.strip().lower().rstrip(".") for name in public if name.strip())
    if host in ANY_HOSTS:
        listening = () if named else this_machine()
    else:
        listening = (host.strip("[]").lower(),)
    return tuple(dict.fromkeys((*LOOPBACK_HOSTS, *listening, *named)))


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InvalidInput(
                f"Cannot listen on {host}:{port} ({exc.strerror or exc}); choose another "
                "port with --port."
            ) from None


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on (default: this machine only). Any other address needs a "
        "team base, whose members sign in (docs/team.md).",
    ),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="Port to listen on."),
    public_name: list[str] = typer.Option(
        [],
        "--public-name",
        help="A host name browsers reach this server by (behind a reverse proxy, say "
        "kith.example.org); the server answers to it and to loopback only. Repeatable.",
    ),
    max_upload_mb: int = typer.Option(
        512, "--max-upload-mb", min=1, help="Largest export the Import page accepts, in MB."
    ),
    sync_every: float = typer.Option(
        30.0,
        "--sync-every",
        min=0.1,
        metavar="MINUTES",
        help="Run the sync sources (kith sync) at start and then this often.",
    ),
    no_sync: bool = typer.Option(False, "--no-sync", help="Do not run the sync sources."),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=32,
        help="Server processes; 2 or more spread many concurrent requests over the cores.",
    ),
) -> None:
    """The local web UI: today, people, a person's story, imports, plans and the report,
    with a JSON API under /api/."""
    import uvicorn

    from kith.cli import render
    from kith.web.app import CONFIG_VARIABLE, create_app, write_config
    from kith.web.security import new_secret
    from kith.web.uploads import MEGABYTE
    from kith.web.workers import balanced as served_apart
    from kith.web.workers import serve as serve_workers

    opts = state.options(ctx)
    chosen = choose_base(opts.db, opts.demo)
    from kith.api import Kith

    base = Kith(chosen.url, pooled=True)  # on a team base, each request acts as its member
    ctx.call_on_close(base.close)
    _ = base.engine  # open and migrate the base once, before any worker starts
    if host.strip("[]").lower() not in LOOPBACK_HOSTS and not base.is_team():
        raise InvalidInput(
            f"Not listening on {host}: this base has no members, so there is no sign-in and "
            "anyone who could reach this machine could read and change your whole base. "
            "Serve it on this machine only (127.0.0.1, ::1 or localhost), or make it a team "
            "base first (kith team init; docs/team.md)."
        )
    _check_port(host, port)
    shown_host = f"[{host}]" if ":" in host else host
    if chosen.note:
        state.err.print(render.t(f"Demo network: {chosen.note}", "yellow"))
    elif chosen.demo:
        state.err.print(render.t("Demo network (the base written by 'kith demo').", "yellow"))
    state.out.print(
        render.t(f"kith is serving {chosen.url} at http://{shown_host}:{port}/", "green")
    )
    if host in ANY_HOSTS:
        answers = ", ".join(allowed_hosts(host, public_name))
        state.out.print(
            render.t(
                f"It answers requests addressed to {answers}; name others with --public-name.",
                "dim",
            )
        )
    state.out.print(render.t("Press Ctrl+C to stop.", "dim"))
    quiet = {"log_level": "warning", "access_log": False}
    if workers == 1:
        application = create_app(
            base,
            demo=chosen.demo,
            max_upload_bytes=max_upload_mb * MEGABYTE,
            allowed_hosts=allowed_hosts(host, public_name),
            sync_seconds=None if no_sync else sync_every * 60,
        )
        uvicorn.run(application, host=host, port=port, **quiet)  # type: ignore[arg-type]
        return
    shared = Path(tempfile.mkdtemp(prefix="kith-serve-"))
    try:
        config = write_config(
            shared,
            db=chosen.url,
            demo=chosen.demo,
            max_upload_bytes=max_upload_mb * MEGABYTE,
            allowed_hosts=allowed_hosts(host, public_name),
            secret=new_secret().hex(),
            sync_seconds=None if no_sync else sync_every * 60,
        )
        os.environ[CONFIG_VARIABLE] = str(config)
        if not no_sync:  # in this process only: never two runs of one source at once
            from kith.web.cache import Stamp
            from kith.web.sync_loop import SyncLoop

            SyncLoop(base, sync_every * 60, Stamp(shared / "generation").bump).start()
        if served_apart():  # a socket per worker, so that the kernel spreads the load
            serve_workers(host, port, workers, quiet)
        else:
            uvicorn.run(
                "kith.web.app:from_environment",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                **quiet,  # type: ignore[arg-type]
            )
    finally:
        shutil.rmtree(shared, ignore_errors=True)
