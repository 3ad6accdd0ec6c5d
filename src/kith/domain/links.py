"""Links as exports write them: split into their parts, or None when they are none."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def split_url(text: str) -> SplitResult | None:
    """`urlsplit`, except that text it refuses (brackets that are not an IPv6 address, as in
    "[a, b]"; a port that is not a number) is no link rather than a ValueError."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (it raises on a port that is not a number)
    except ValueError:
        return None
    return parts


def hostname(text: str) -> str:
    """The host of a link, in lower case; "" when there is none."""
    parts = split_url(text)
    return "" if parts is None else (parts.hostname or "").lower()
