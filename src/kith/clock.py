"""The only place kith reads the clock; `KITH_NOW` (ISO-8601) overrides it for tests and replays."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from kith.errors import InvalidInput


def now() -> datetime:
    override = os.environ.get("KITH_NOW")
    if not override:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(override.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(
            f"KITH_NOW='{override}' is not an ISO-8601 time (for example 2026-03-01T09:00:00Z)."
        ) from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
