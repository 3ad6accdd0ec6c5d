"""Interactions: the one place their rows are built and written.

Every writer (an import, a kith-json restore, the demo network, a touch logged by hand, the
guests of a gathering) hands over `NewInteraction` records. The text is cleaned and its words
and link share are measured here, with `kith.domain.pacing.measure`, so that a touch is
stored the same way whoever writes it. Many rows go to the driver in one `executemany`
(`kith.store.bulk`): imports and the demo write millions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, insert, select, tuple_

from kith.domain.model import MANUAL_SOURCE, Channel, Direction, Interaction
from kith.domain.pacing import measure
from kith.domain.rules import Rules
from kith.store.bulk import insert_values
from kith.store.schema import interactions

#: the columns every writer fills, in the order `row` gives them
COLUMNS = (
    "person_id",
    "occurred_at",
    "channel",
    "direction",
    "text",
    "word_count",
    "is_link_share",
    "minutes",
    "source",
    "external_id",
    "member",
)

#: (words, is it a link share) of a text that only names the moment
_UNMEASURED = (0, False)


class NewInteraction(NamedTuple):
    """One interaction to store.

    `occurred_at` is timezone-aware; `external_id` is unique within `source` (imports skip
    what is already stored). `composed` is False when the text only names the moment (a
    gathering's title): it is stored, but counts no words and is no link share."""

    person_id: int
    occurred_at: datetime
    channel: Channel
    direction: Direction
    text: str | None = None
    minutes: int | None = None
    source: str = MANUAL_SOURCE
    external_id: str | None = None
    member: str | None = None
    composed: bool = True


def clean_text(text: str | None) -> str | None:
    """A text as stored: as written, less NUL characters (PostgreSQL cannot store them, and
    both databases must hold the same text)."""
    if text is None or "\x00" not in text:
        return text
    return text.replace("\x00", "")


def _rows(
    items: Iterable[NewInteraction], rules: Rules, keep: Mapping[int, list[Interaction]]
) -> tuple[list[list[Any]], int]:
    """The rows of `items` in the order of COLUMNS; each interaction of a person in `keep` is
    appended to their list there, as the rules read it. Returns the rows and how many were
    appended."""
    rows: list[list[Any]] = []
    kept = 0
    for item in items:
        person_id, at, channel, direction, text, minutes, source, external_id, member, composed = (
            item
        )
        if text is not None and "\x00" in text:
            text = clean_text(text)
        words, link = measure(text, rules) if composed else _UNMEASURED
        rows.append(
            [
                person_id,
                at,
                str(channel),  # a StrEnum's value, read faster than `.value`
                str(direction),
                text,
                words,
                link,
                minutes,
                source,
                external_id,
                member,
            ]
        )
        history = keep.get(person_id)
        if history is not None:
            history.append(Interaction(at, channel, direction, text, words, link, minutes, source))
            kept += 1
    return rows, kept


def add(connection: Connection, item: NewInteraction, rules: Rules) -> int:
    """Store one interaction; returns its id."""
    (row,), _ = _rows([item], rules, {})
    statement = insert(interactions).values(dict(zip(COLUMNS, row, strict=True)))
    return int(connection.execute(statement.returning(interactions.c.id)).scalar_one())


def add_many(
    connection: Connection,
    items: Iterable[NewInteraction],
    rules: Rules,
    keep: Mapping[int, list[Interaction]] | None = None,
) -> int:
    """Store many interactions at once. Callers that hold histories in memory give them as
    `keep`, by person: each new interaction of theirs is appended, as the rules read it.
    Returns how many were appended."""
    rows, kept = _rows(items, rules, {} if keep is None else keep)
    insert_values(connection, interactions, COLUMNS, rows)
    return kept


def any_of_source(connection: Connection, source: str) -> bool:
    """True when the base holds at least one interaction of `source`."""
    query = select(interactions.c.id).where(interactions.c.source == source).limit(1)
    return connection.execute(query).first() is not None


def stored_ids(connection: Connection, source: str, external_ids: Collection[str]) -> set[str]:
    """Which of these external ids of `source` are already stored."""
    found: set[str] = set()
    ids = list(external_ids)
    for start in range(0, len(ids), 900):
        query = select(interactions.c.external_id).where(
            interactions.c.source == source,
            interactions.c.external_id.in_(ids[start : start + 900]),
        )
        found.update(r[0] for r in connection.execute(query))
    return found


def unkeyed(connection: Connection, person_id: int) -> set[tuple[str, datetime, str, str, str]]:
    """(source, time, channel, direction, text) of this person's interactions that carry no
    id of their source: a restore tells them apart by what they are."""
    query = select(
        interactions.c.source,
        interactions.c.occurred_at,
        interactions.c.channel,
        interactions.c.direction,
        interactions.c.text,
    ).where(interactions.c.person_id == person_id, interactions.c.external_id.is_(None))
    return {(s, when, c, d, t or "") for s, when, c, d, t in connection.execute(query)}


def stored_keys(connection: Connection, keys: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (source, external id) pairs are already stored."""
    found: set[tuple[str, str]] = set()
    pairs = list(keys)
    for start in range(0, len(pairs), 400):
        query = select(interactions.c.source, interactions.c.external_id).where(
            tuple_(interactions.c.source, interactions.c.external_id).in_(
                pairs[start : start + 400]
            )
        )
        found.update((s, e) for s, e in connection.execute(query))
    return found
