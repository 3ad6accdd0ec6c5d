"""Text from an export made fit for either back end, the same way for every importer and
every file size (issue 12, probes 3 and 4):

* NUL characters are dropped: PostgreSQL refuses them in text ("text fields cannot contain
  NUL (0x00) bytes") where SQLite takes them, and no message means one;
* a lone surrogate (`\\ud800`, which some JSON parsers let through and no encoder writes)
  refuses the file in one sentence, as the small-file parser already does;
* a message longer than MAX_TEXT characters is cut to that length (docs/limits.md);
* a message dated outside the years kith keeps is left out (docs/limits.md).
"""

from __future__ import annotations

import dataclasses
import re

from kith.domain.calendar import KEPT_YEARS, keepable
from kith.ingest.base import ImportFailed
from kith.ingest.records import Contact, Handle, Me, Record, Touch

_SURROGATE = re.compile("[\ud800-\udfff]")
#: the longest message kept, in characters (a book's chapter; no message is longer)
MAX_TEXT = 100_000
CUT_NOTE = f"Messages longer than {MAX_TEXT:,} characters were cut to that length."
OUT_OF_TIME_NOTE = f"Messages dated outside the years {KEPT_YEARS} (a damaged date) were left out."


def text(value: str, where: str) -> str:
    """`value` without NUL characters; ImportFailed for a lone surrogate."""
    if not value.isascii() and _SURROGATE.search(value):
        raise ImportFailed(
            f"{where} holds text that is not valid Unicode (a lone surrogate, such as "
            "\\ud800); the file is damaged or was not written by the service."
        )
    return value.replace("\x00", "") if "\x00" in value else value


def _fit(value: str | None) -> bool:
    """Whether `value` needs nothing of `text` (the common case, checked cheaply)."""
    return value is None or (
        "\x00" not in value and (value.isascii() or not _SURROGATE.search(value))
    )


def _optional(value: str | None, where: str) -> str | None:
    return None if value is None else text(value, where)


def _handles(handles: tuple[Handle, ...], where: str) -> tuple[Handle, ...]:
    return tuple(Handle(h.platform, text(h.value, where)) for h in handles)


def record(found: Record, where: str) -> Record:
    """`found` with its text cleaned (`text`); a touch that needs nothing is `found`."""
    if isinstance(found, Touch):
        long = found.text is not None and len(found.text) > MAX_TEXT
        if not long and _fit(found.text) and _fit(found.external_id) and _fit(found.contact):
            return found
        words = _optional(found.text, where)
        return dataclasses.replace(
            found,
            external_id=text(found.external_id, where),
            contact=text(found.contact, where),
            text=words if words is None or not long else words[:MAX_TEXT],
        )
    if isinstance(found, Contact):
        return dataclasses.replace(
            found,
            key=text(found.key, where),
            name=_optional(found.name, where),
            handles=_handles(found.handles, where),
            city=_optional(found.city, where),
            organisation=_optional(found.organisation, where),
            role=_optional(found.role, where),
        )
    if isinstance(found, Me):
        return Me(_handles(found.handles, where), _optional(found.name, where))
    return found


def out_of_time(found: Record) -> bool:
    """Whether this is a message dated outside the years kith keeps (a damaged date: no
    export holds a message from 1850 or 9999)."""
    return isinstance(found, Touch) and not keepable(found.occurred_at)


def was_cut(found: Record) -> bool:
    """Whether `record` cuts this record's text (a message longer than MAX_TEXT)."""
    return isinstance(found, Touch) and found.text is not None and len(found.text) > MAX_TEXT
