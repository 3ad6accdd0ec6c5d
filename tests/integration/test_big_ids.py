"""Ids no row can have (beyond SQLite's and PostgreSQL's integers) name nothing: one
sentence and exit 2, never OverflowError or NumericValueOutOfRange (issue 12, probe 5)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import snapshot

NOW = "2026-03-01T12:00:00Z"
HUGE = "99999999999999999999"  # beyond 64 bits
INT4 = "2147483648"  # beyond PostgreSQL's INTEGER, within SQLite's


@pytest.mark.parametrize("number", [HUGE, INT4, f"#{HUGE}"])
def test_a_number_no_row_can_have_is_nobody(cli: Any, number: str) -> None:
    cli.now = NOW
    cli.ok("add", "Ana Example", "--handle", "x:ana")
    cli.ok("gather", "Drinks", "--at", "2026-03-05 19:00", "--where", "Berlin", "--invite", "x:ana")
    before = snapshot(cli.db)
    digits = number.lstrip("#")
    for args, said in (
        (("show", number), f"No person with id {digits}."),
        (("log", number, "dm", "--in"), f"No person with id {digits}."),
        (("edit", number, "--city", "Berlin"), f"No person with id {digits}."),
        (("forget", number, "--yes"), f"No person with id {digits}."),
        (("merge", "#1", number), f"No person with id {digits}."),
        (("rsvp", "Drinks", number, "yes"), f"No person with id {digits}."),
        (("rsvp", number, "Ana Example", "yes"), "No gathering called"),
        (("attended", number), "No gathering called"),
        (("trips", "--remove", digits), f"No trip with id {digits}"),
    ):
        result = cli(*args)
        assert result.code == 2, (args, result.err)
        assert said in result.err, (args, result.err)
        assert "Traceback" not in result.err
    assert cli.json("audit", "--person", number) == []
    assert snapshot(cli.db) == before


def test_a_digit_that_is_not_ascii_is_a_name(cli: Any) -> None:
    result = cli("show", "²")  # str.isdigit() says yes, int() says no
    assert result.code == 2
    assert "No person named '²'." in result.err
