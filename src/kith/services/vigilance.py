"""`kith check`: read a draft before sending it, for the person it is for (docs/check.md)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from sqlalchemy import Connection

from kith.domain import vigilance
from kith.domain.context import Context
from kith.errors import InvalidInput
from kith.services import profile, resolve

#: the country whose phone numbers are read when the user's zone names none (as `kith import`)
DEFAULT_REGION = "US"


@cache
def _zone_countries() -> dict[str, str]:
    """Zone name to ISO country code, from the tz database's zone tables (shipped by tzdata)."""
    table: dict[str, str] = {}
    for name in ("zone.tab", "zone1970.tab"):
        try:
            text = resources.files("tzdata").joinpath("zoneinfo").joinpath(name).read_text()
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            continue
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) >= 3:
                table.setdefault(fields[2].strip(), fields[0].split(",")[0].strip())
    return table


def region_of(timezone: str) -> str:
    """The country of the user's zone (Europe/Lisbon: PT), else `DEFAULT_REGION`."""
    return _zone_countries().get(timezone, DEFAULT_REGION)


def check(
    connection: Connection, ctx: Context, text: str, to: str | None = None
) -> vigilance.Verdict:
    """The draft's flags; with `to`, also whether it pitches to someone at an early stage
    (their stage as of `ctx.now`). An unknown person is an error, not a flag."""
    if not text.strip():
        raise InvalidInput("Nothing to check: give the text of the draft.")
    recipient = None
    if to is not None:
        assessment = profile.assessment(connection, ctx, resolve.person_id(connection, to))
        recipient = vigilance.Recipient(assessment.person.name, assessment.stage)
    flags = vigilance.check(text, ctx.rules, to=recipient, region=region_of(ctx.rules.timezone))
    return vigilance.Verdict(flags, recipient)
