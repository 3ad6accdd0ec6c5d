"""The People list on a large base: the order of everyone matching (one query per filter and
sort, kept in the cache), and each page's rows read by id.

`Kith.people(limit=, offset=)` gives the same rows in the same order, but on 100,000 people
each call first looks for stale figures in every row (a full scan) and then sorts the whole
base without an index: 250 ms for the first page, over 800 ms deep in the list. So the web
list brings stale figures up to date in the background once a day (`Web.freshen`, through
`Kith.refresh_stale`), sorts once per filter and sort (`Kith.people_order`), and then reads
50 rows by id for each page (`Kith.people_rows`, a few milliseconds).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kith.api import Kith


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int


def ordered_ids(base: Kith, filters: dict[str, Any]) -> array[int]:
    """Everyone matching `filters` (as for `Kith.people`), in the list's order."""
    return array("q", base.people_order(**filters))


def rows_of(base: Kith, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The `kith people --json` rows of these people, in this order."""
    return base.people_rows(list(ids))
