"""The `kith` command: a Typer app whose commands live in small modules beside this one."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from kith.cli import state
from kith.errors import KithError, describe

if TYPE_CHECKING:
    from rich.text import Text

app = typer.Typer(
    name="kith",
    help=(
        "kith: turn online connections into real-life ones.\n\n"
        "Import your exports, see one timeline per person, and get each day the few next "
        "actions that matter, with the reason for each. Set KITH_NOW (ISO-8601) to replay "
        "any moment; KITH_DB selects the base (a SQLite file or a postgresql+psycopg:// URL)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help, as git and pip print it: Rich's panels cost a quarter of a second at start
    rich_markup_mode=None,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="KITH_DB",
        help="Database: a SQLite file path or URL, or postgresql+psycopg://user@host/db. "
        "Default: kith.sqlite in your data directory.",
    ),
    demo: bool = typer.Option(
        False, "--demo", help="Use the demo base written by 'kith demo' instead of yours."
    ),
    acting: str | None = typer.Option(
        None,
        "--as",
        envvar="KITH_USER",
        help="In a team base, the member (their email) this command acts as.",
    ),
) -> None:
    opts = state.options(ctx)
    opts.db = db
    opts.demo = demo
    opts.member = acting
    source = ctx.get_parameter_source("db")
    opts.db_on_command_line = source is not None and source.name == "COMMANDLINE"


def _register_commands() -> None:
    """Import every `kith.cli.commands_*` module: each adds its commands to `app`, so a new
    command is a new module and nothing else."""
    import importlib
    import pkgutil

    import kith.cli as package

    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if module.startswith("commands_"):
            importlib.import_module(f"kith.cli.{module}")


_register_commands()

GLOBAL_WITH_VALUE = ("--db", "--as")
GLOBAL_FLAGS = ("--demo",)


def hoist_globals(argv: Sequence[str]) -> list[str]:
    """Let global options go anywhere: `kith today --db x.sqlite` works like
    `kith --db x.sqlite today`."""
    hoisted: list[str] = []
    rest: list[str] = []
    i = 0
    args = list(argv)
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in GLOBAL_WITH_VALUE and i + 1 < len(args):
            hoisted.extend(args[i : i + 2])
            i += 2
            continue
        if any(arg.startswith(f"{opt}=") for opt in GLOBAL_WITH_VALUE) or arg in GLOBAL_FLAGS:
            hoisted.append(arg)
            i += 1
            continue
        rest.append(arg)
        i += 1
    return hoisted + rest


def error_text(message: str) -> Text:
    """ "Error: " in bold red, then the message exactly as written."""
    from rich.text import Text

    return Text.assemble(("Error:", "bold red"), " ", message)


def main(argv: Sequence[str] | None = None) -> None:
    """Run `kith`; an error the user can act on is one sentence on stderr and exit status 2."""
    args = hoist_globals(sys.argv[1:] if argv is None else argv)
    try:
        # standalone mode: usage errors print Click's message and exit 2 on their own
        app(args=args, prog_name="kith")
    except KithError as exc:
        state.err.print(error_text(exc.message))
        sys.exit(exc.exit_code)
    except Exception as exc:
        detail = database_error(exc)
        if detail is None:
            raise
        state.err.print(error_text(what_to_do(detail)))
        sys.exit(2)  # the base is busy, full, unreachable or not one: the user can act


#: database troubles the user can do something about, and what (issue 12, probe 10)
_ADVICE = (
    (
        "database is locked",
        "the base is busy: another kith (a server, an import) held it longer than 10 "
        "seconds; nothing was written, try again once it is done",
    ),
    (
        "disk is full",
        "the disk that holds the base is full; nothing was written, free some space and try again",
    ),
    (
        "disk i/o error",
        "the disk that holds the base failed to read or write; nothing was written, check "
        "the disk and try again",
    ),
)


def what_to_do(detail: str) -> str:
    """One sentence for a database error: what happened and what to do."""
    lowered = detail.lower()
    for found, advice in _ADVICE:
        if found in lowered:
            return f"{advice[0].upper()}{advice[1:]}."
    return f"Cannot use the database: {detail}."


def database_error(exc: BaseException) -> str | None:
    """What went wrong, when the database itself failed (locked, not a database, unreachable):
    through SQLAlchemy, or through sqlite3 on the read path of `kith today`. Neither is
    imported here: an error of one can only come once it is loaded."""
    alchemy = sys.modules.get("sqlalchemy.exc")
    if alchemy is not None and isinstance(exc, alchemy.DatabaseError):
        return describe(exc.orig if exc.orig is not None else exc)
    driver = sys.modules.get("sqlite3")
    if driver is not None and isinstance(exc, driver.OperationalError | driver.DatabaseError):
        return describe(exc)
    return None
