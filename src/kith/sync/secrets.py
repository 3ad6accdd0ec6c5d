"""Where a sync source's password comes from: never the base.

A source's settings name one of: an environment variable (`{"env": "VAR"}`), a command
that prints the secret on its first line, such as a password manager's CLI
(`{"command": "pass show mail/fastmail"}`, run without a shell), or an entry of the
operating system's keyring (`{"keyring": "kith-sync:NAME"}`, through `keyring`).
Errors say which of these failed, never what it gave.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import Any

from kith.sync.base import SyncFailed

#: seconds a password command may take (a password manager may ask to unlock)
COMMAND_TIMEOUT = 60


def spec(env: str | None, command: str | None, keyring_entry: str | None) -> dict[str, str]:
    """The one secret source given to `kith sync add`, checked."""
    given = {k: v for k, v in (("env", env), ("command", command), ("keyring", keyring_entry)) if v}
    if len(given) != 1:
        raise SyncFailed(
            "Say where the password comes from, once: --password-env VAR, "
            "--password-command CMD or --keyring."
        )
    if "env" in given and not given["env"].replace("_", "").isalnum():
        raise SyncFailed(f"'{given['env']}' is no environment variable name.")
    if "command" in given:
        try:
            if not shlex.split(given["command"]):
                raise ValueError
        except ValueError:
            raise SyncFailed(f"The password command '{given['command']}' cannot be read.") from None
    return given


def reveal(secret: dict[str, Any]) -> str:
    """The secret itself, for one run."""
    if "env" in secret:
        value = os.environ.get(str(secret["env"]), "")
        if not value:
            raise SyncFailed(f"The environment variable {secret['env']} is not set.")
        return value
    if "command" in secret:
        return _from_command(str(secret["command"]))
    if "keyring" in secret:
        return _from_keyring(str(secret["keyring"]))
    raise SyncFailed("This source does not say where its password comes from.")


def _from_command(command: str) -> str:
    try:
        done = subprocess.run(
            shlex.split(command),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SyncFailed(
            f"The password command '{command}' failed: it took more than {COMMAND_TIMEOUT} s."
        ) from None
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or "it could not be started"
        raise SyncFailed(f"The password command '{command}' failed: {why}.") from None
    value = done.stdout.splitlines()[0].strip() if done.stdout.strip() else ""
    if done.returncode != 0 or not value:
        why = f"exit {done.returncode}" if done.returncode else "it printed nothing"
        raise SyncFailed(f"The password command '{command}' failed ({why}).")
    return value


def _from_keyring(entry: str) -> str:
    service, _, user = entry.partition(":")
    try:
        import keyring
        import keyring.errors

        value = keyring.get_password(service, user)
    except ImportError:
        raise SyncFailed("No keyring is installed here (pip install keyring).") from None
    except Exception as exc:  # no back end: keyring.errors.NoKeyringError and kin
        raise SyncFailed(f"The keyring cannot be read here ({type(exc).__name__}).") from None
    if not value:
        raise SyncFailed(f"The keyring has no password for {entry}.")
    return value
