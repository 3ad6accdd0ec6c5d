"""Row ids as people type them: `#12` or `12`. A number no row can have (beyond the
database's integer, where SQLite raises OverflowError and PostgreSQL NumericValueOutOfRange)
names nothing, and is never sent to the database."""

from __future__ import annotations

import re

#: the largest key of people, gatherings and trips: PostgreSQL's INTEGER
MAX_ID = 2**31 - 1
#: the largest key of interactions: BIGINT, and SQLite's INTEGER
MAX_BIG_ID = 2**63 - 1

_DIGITS = re.compile(r"#?([0-9]{1,40})")


def typed(text: str) -> int | None:
    """The number in `#12` or `12` (ASCII digits only: '²' is a digit to Python, not an id);
    None for anything else."""
    found = _DIGITS.fullmatch(text.strip())
    return None if found is None else int(found.group(1))


def storable(number: int, big: bool = False) -> bool:
    """Whether a row can have this id."""
    return 0 < number <= (MAX_BIG_ID if big else MAX_ID)
