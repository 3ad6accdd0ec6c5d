"""Fixtures for the sync tests: a real IMAP server (Dovecot) and a real CalDAV/CardDAV server
(Radicale), each on 127.0.0.1 and fresh for every test (see servers.py).

Without Dovecot or Radicale installed the tests that use them skip, saying what to install;
with CI=true they fail instead, so that CI cannot pass without having run them.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.sync.servers import Dovecot, Radicale, dovecot_binary, radicale_installed


def unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it under CI=true (where every server must be there)."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def require_module(name: str, install: str) -> None:
    if importlib.util.find_spec(name) is None:
        unavailable(f"the Python package {name!r} is not installed ({install})")


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[Dovecot]:
    """A Dovecot IMAP server with the user ``ana@example.org`` and an empty INBOX.

    Function scope: it starts in about 0.05 s and stops in a few milliseconds.
    """
    if dovecot_binary() is None:
        unavailable("Dovecot is not installed (Debian: apt-get install dovecot-imapd)")
    require_module("imapclient", "pip install -e '.[test]'")
    with Dovecot(tmp_path) as server:
        yield server


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Radicale]:
    """A Radicale CalDAV/CardDAV server with the user ``ana`` and no collections yet."""
    if not radicale_installed():
        unavailable("Radicale is not installed (pip install -e '.[test]')")
    with Radicale(tmp_path) as server:
        yield server
