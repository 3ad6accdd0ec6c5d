"""Ways to spoil a real export, for fuzzing the importers (docs/security.md, "Fuzzing").

Each mutation takes a file's bytes and a random source and returns other bytes: what a
failed download, a text editor, another program's export or an attacker might make of it.
Byte-level ones (flips, cuts, junk, NUL bytes, other encodings) work on any file; the
structured ones understand JSON (also X's `window.YTD.… = [...]` files), CSV and dates, so
that the spoilt file still gets past the first parser and reaches the importer's own code.
Pure: no I/O, the same random source gives the same mutation.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

Mutation = Callable[[bytes, random.Random], bytes]

#: bytes that parsers trip on
TOKENS = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",  # a lone surrogate, as UTF-8 bytes
    b"\\ud800",
    b'"',
    b"'",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b";",
    b"\n",
    b"\r\n",
    b"\r",
    b"\t",
    b"<",
    b"&",
    b"=?utf-8?b?",
    b"From ",
    b"BEGIN:VCALENDAR",
    b"END:VEVENT",
    b"BEGIN:VCARD",
    b"1e309",
    b"-1",
    b"99999999999999999999",
    b"NaN",
    b"null",
    b"true",
    b"%s%n",
    b"'; DROP TABLE people; --",
    b"<script>alert(1)</script>",
)
#: values a JSON field is retyped to
ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    0,
    -1,
    1.5e308,
    2**70,
    "",
    " ",
    "\x00",
    "\ud800",
    "0000-00-00T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2024-02-30",
    "Thu Feb 30 25:61:00 +9999 2024",
    "not a date",
    [],
    {},
    [None],
    {"": None},
)
_DATE = re.compile(
    rb"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}/\d{1,2}/\d{2,4}|\d{8}T\d{6}Z?"
)
ODD_DATES = (
    b"0000-00-00",
    b"9999-99-99T99:99:99",
    b"1969-12-31T23:59:59",
    b"2038-01-19T03:14:08",
    b"30/02/2024",
    b"13/13/13",
    b"00000000T000000Z",
    b"",
    b"yesterday",
    b"-1",
)
_JS_PREFIX = re.compile(rb"^\s*window\.[A-Za-z0-9_.]+\s*=\s*")


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return b"\x00"
    spoilt = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        spoilt[rng.randrange(len(spoilt))] ^= 1 << rng.randrange(8)
    return bytes(spoilt)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def insert_junk(data: bytes, rng: random.Random) -> bytes:
    junk = (
        rng.choice(TOKENS)
        if rng.random() < 0.7
        else bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    )
    at = rng.randrange(len(data) + 1)
    return data[:at] + junk + data[at:]


def delete_span(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 256) :]


def duplicate_span(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    span = data[start : start + rng.randint(1, 4096)]
    return data[:start] + span * rng.randint(2, 50) + data[start:]


def nul_bytes(data: bytes, rng: random.Random) -> bytes:
    spoilt = data
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(spoilt) + 1)
        spoilt = spoilt[:at] + b"\x00" + spoilt[at:]
    return spoilt


def other_encoding(data: bytes, rng: random.Random) -> bytes:
    """The same text saved by another program: UTF-16 (with or without its mark), Latin-1
    where it can, a byte-order mark before UTF-8, or every line ending changed."""
    text = data.decode("utf-8", errors="replace")
    choice = rng.randrange(5)
    if choice == 0:
        return text.encode("utf-16")
    if choice == 1:
        return text.encode("utf-16-be")
    if choice == 2:
        return text.encode("latin-1", errors="replace")
    if choice == 3:
        return b"\xef\xbb\xbf" + data
    return data.replace(b"\r\n", b"\n").replace(b"\n", rng.choice((b"\r\n", b"\r")))


def odd_dates(data: bytes, rng: random.Random) -> bytes:
    """A date or time in the file replaced by one no calendar has (or none at all)."""
    found = list(_DATE.finditer(data))
    if not found:
        return insert_junk(data, rng)
    match = rng.choice(found)
    return data[: match.start()] + rng.choice(ODD_DATES) + data[match.end() :]


def csv_columns(data: bytes, rng: random.Random) -> bytes:
    """A CSV line (the header or a row) with a column dropped, an extra one, or cut short."""
    lines = data.split(b"\n")
    candidates = [n for n, line in enumerate(lines) if b"," in line]
    if not candidates:
        return insert_junk(data, rng)
    n = rng.choice(candidates[:3] if rng.random() < 0.5 else candidates)
    cells = lines[n].split(b",")
    choice = rng.randrange(4)
    if choice == 0 and len(cells) > 1:
        del cells[rng.randrange(len(cells))]
    elif choice == 1:
        cells.insert(rng.randrange(len(cells) + 1), rng.choice((b"extra", b'"', b"", b'"a,b"')))
    elif choice == 2:
        cells = cells[: rng.randrange(len(cells) + 1)]
    else:
        cells = [b'"' + c if rng.random() < 0.2 else c for c in cells]
    lines[n] = b",".join(cells)
    return b"\n".join(lines)


def json_value(data: bytes, rng: random.Random) -> bytes:
    """One field of a JSON document deleted, retyped, made huge or nested deep; X's
    `window.YTD.… = ` prefix is kept. Not JSON: a byte-level mutation instead."""
    prefix_match = _JS_PREFIX.match(data)
    prefix = prefix_match.group() if prefix_match else b""
    try:
        document = json.loads(data[len(prefix) :])
    except (ValueError, UnicodeDecodeError, RecursionError):
        return insert_junk(data, rng)
    places = list(_places(document))
    if not places:
        return insert_junk(data, rng)
    holder, key = rng.choice(places)
    choice = rng.randrange(5)
    if choice == 0 and isinstance(holder, dict):
        del holder[key]
    elif choice == 1:
        holder[key] = rng.choice(ODD_VALUES)
    elif choice == 2:
        holder[key] = "x" * rng.choice((1_000, 150_000, 2_000_000))
    elif choice == 3:
        deep: Any = rng.choice(ODD_VALUES[:3])
        for _ in range(rng.choice((50, 1_100, 5_000))):
            deep = [deep] if rng.random() < 0.5 else {"a": deep}
        holder[key] = deep
    elif isinstance(holder[key], list) and holder[key]:
        holder[key] = holder[key] * rng.randint(2, 20)
    else:
        holder[key] = [holder[key], holder[key]]
    try:
        written = json.dumps(document, ensure_ascii=rng.random() < 0.5)
    except (ValueError, RecursionError):
        return insert_junk(data, rng)
    return prefix + written.encode("utf-8", errors="surrogatepass")


def _places(document: Any) -> Any:
    """(container, key) of every value in a JSON document, depth-first, iteratively."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                yield node, key
                stack.append(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield node, index
                stack.append(value)


#: every mutation, by name
MUTATIONS: dict[str, Mutation] = {
    "flip bits": flip_bits,
    "truncate": truncate,
    "insert junk": insert_junk,
    "delete a span": delete_span,
    "repeat a span": duplicate_span,
    "NUL bytes": nul_bytes,
    "another encoding": other_encoding,
    "odd dates": odd_dates,
    "CSV columns": csv_columns,
    "JSON field": json_value,
}
#: the mutations that suit a file, by its kind: structured ones where they understand it
FOR_JSON = ("JSON field", "JSON field", "JSON field", "odd dates")
FOR_CSV = ("CSV columns", "CSV columns", "odd dates", "another encoding")
FOR_TEXT = ("odd dates", "another encoding", "insert junk", "repeat a span")
BYTE_LEVEL = ("flip bits", "truncate", "insert junk", "delete a span", "repeat a span", "NUL bytes")


def suited(name: str) -> tuple[str, ...]:
    """The mutations to draw from for a file called `name`."""
    lowered = name.lower()
    if lowered.endswith((".json", ".js")):
        return FOR_JSON + BYTE_LEVEL
    if lowered.endswith(".csv"):
        return FOR_CSV + BYTE_LEVEL
    if lowered.endswith((".txt", ".ics", ".vcf", ".mbox", ".html")):
        return FOR_TEXT + BYTE_LEVEL
    return BYTE_LEVEL


def mutate(name: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutation suited to the file, applied once or a few times; its name and result."""
    chosen = rng.choice(suited(name))
    spoilt = MUTATIONS[chosen](data, rng)
    if rng.random() < 0.2:  # sometimes a second one on top
        spoilt = MUTATIONS[rng.choice(BYTE_LEVEL)](spoilt, rng)
    return chosen, spoilt
