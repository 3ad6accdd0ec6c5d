"""The People list on a large base: the order of everyone matching (one query per filter and
sort, kept in the cache), and each page's rows read by id.

`Kith.people(limit=, offset=)` gives the same rows in the same order, but on 100,000 people
each call first looks for stale figures in every row (a full scan) and then sorts the whole
base without an index: 250 ms for the first page, over 800 ms deep in the list. So the web
list refreshes stale figures through `Kith.people` once per day and write, sorts once per
filter and sort, and then reads 50 rows by id for each page (a few milliseconds).

The filters and the order are the store's own (`kith.store.stats`), so the page lists
exactly what `kith people` lists; docs/web.md names the store function that would make this
module unnecessary.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kith.api import Kith
from kith.services import views
from kith.store import stats
from kith.store.schema import people, person_stats


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int


def ordered_ids(base: Kith, filters: dict[str, Any]) -> array[int]:
    """Everyone matching `filters` (as for `Kith.people`), in the list's order."""
    query: stats.PeopleQuery = Kith._people_query(**filters)  # validates, as Kith.people does
    s = person_stats.c
    ids = select(people.c.id).select_from(
        people.outerjoin(person_stats, s.person_id == people.c.id)
    )
    ids = stats._filtered(ids, query)
    if query.sort == "strength":
        ids = ids.order_by(s.strength.desc().nulls_last(), people.c.name_key, people.c.id)
    elif query.sort == "recent":
        ids = ids.order_by(
            s.last_touch.is_(None), s.last_touch.desc(), people.c.name_key, people.c.id
        )
    else:
        ids = ids.order_by(people.c.name_key, people.c.id)
    with base.engine.connect() as connection:
        return array("q", (int(r[0]) for r in connection.execute(ids)))


def rows_of(base: Kith, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The `kith people --json` rows of these people, in this order."""
    if not ids:
        return []
    with base.engine.connect() as connection:
        found = {
            int(r.id): views.people_row(r)
            for r in connection.execute(stats.people_rows().where(people.c.id.in_(list(ids))))
        }
    return [found[pid] for pid in ids if pid in found]
