"""Read the JSON arrays that exports wrap in a JavaScript assignment, with bounded memory.

X archives hold `window.YTD.tweets.part0 = [ {...}, {...} ]`: the array starts at the first
`[`. Small files are parsed at once with orjson; large ones element by element with the
standard library's incremental decoder, so a gigabyte of tweets never sits in memory.
Nothing is ever evaluated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any

import orjson

from kith.ingest.base import ImportFailed

#: files up to this size are parsed in one go (fast); larger ones are streamed
WHOLE_FILE_LIMIT = 64 * 1024 * 1024
CHUNK = 8 * 1024 * 1024
_WHITESPACE = " \t\r\n"


def _skip_prefix(data: bytes, name: str) -> int:
    start = data.find(b"[")
    brace = data.find(b"{")
    if start < 0 or (0 <= brace < start and data[:brace].strip() == b""):
        raise ImportFailed(f"'{name}' does not hold a JSON array.")
    return start


def iter_array(
    stream: IO[bytes], name: str, size: int, advance: Callable[[int], None] | None = None
) -> Iterator[Any]:
    """The elements of the JSON array in `stream` (after any `window.X = ` prefix).

    `advance(n)` hears of progress through the file, in bytes, as elements are handed out.
    """
    if size <= WHOLE_FILE_LIMIT:
        data = stream.read()
        start = _skip_prefix(data, name)
        try:
            value = orjson.loads(data[start:].rstrip().rstrip(b";"))
        except orjson.JSONDecodeError as exc:
            line = data[: start + exc.pos].count(b"\n") + 1
            said = orjson_words(exc.msg)
            raise ImportFailed(f"'{name}' is not valid JSON (line {line}): {said}.") from exc
        if not isinstance(value, list):
            raise ImportFailed(f"'{name}' does not hold a JSON array.")
        if advance is None or not value:
            yield from value
            return
        told = 0
        for n, item in enumerate(value, 1):
            yield item
            if n % 1000 == 0 or n == len(value):
                done = size * n // len(value)
                advance(done - told)
                told = done
        return
    yield from _stream_array(stream, name, advance)


def _stream_array(
    stream: IO[bytes], name: str, advance: Callable[[int], None] | None
) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    head = stream.read(CHUNK)
    if advance is not None:
        advance(len(head))
    start = _skip_prefix(head, name)
    buffer, pending = _split_utf8(head[start + 1 :])
    lines = head[:start].count(b"\n")
    pos = 0
    done = False
    while True:
        # skip whitespace and separators between elements
        while True:
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            if pos < len(buffer) and buffer[pos] == ",":
                pos += 1
                continue
            break
        if pos < len(buffer) and buffer[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(buffer, pos)
        except json.JSONDecodeError as exc:
            if done:
                where = lines + buffer[:pos].count("\n") + 1
                raise ImportFailed(
                    f"'{name}' is cut short or not valid JSON (near line {where}): {exc.msg}."
                ) from exc
            chunk = stream.read(CHUNK)
            if advance is not None:
                advance(len(chunk))
            if not chunk:
                done = True
            lines += buffer[:pos].count("\n")
            data = pending + chunk
            text, pending = _split_utf8(data)
            buffer = buffer[pos:] + text
            pos = 0
            continue
        yield value
        pos = end
        if pos > CHUNK:  # drop what is consumed, keep memory bounded
            lines += buffer[:pos].count("\n")
            buffer = buffer[pos:]
            pos = 0


def _split_utf8(data: bytes) -> tuple[str, bytes]:
    """Decode `data`, keeping an incomplete trailing UTF-8 sequence for the next chunk."""
    for cut in range(0, 4):
        try:
            return data[: len(data) - cut].decode("utf-8"), data[len(data) - cut :]
        except UnicodeDecodeError:
            continue
    raise ImportFailed("An export file is not UTF-8 text.")


def parser_words(exc: Exception) -> str:
    """What an incremental JSON parser (ijson) said, as text on one line: its C back end
    gives bytes, with the offending part of the file quoted over several lines."""
    said = exc.args[0] if exc.args else str(exc)
    if isinstance(said, bytes):
        said = said.decode("utf-8", errors="replace")
    first = str(said).strip().splitlines()
    return first[0].strip() if first else "it stops where it should go on"


def orjson_words(msg: str) -> str:
    """orjson's reason, in a user's words where it has a programmer's: "str is not valid
    UTF-8: surrogates not allowed" (a surrogate written as UTF-8 bytes), "no low surrogate in
    string" (an escaped lone surrogate, such as \\ud800)."""
    if "surrogate" in msg:
        return "it holds text that is not valid Unicode (a lone surrogate, such as \\ud800)"
    return msg
