"""What the People list shows: who it keeps (its filters) and in which order (docs/cli.md,
"kith people"). One spelling for the CLI, the web page, the JSON API and the store."""

from __future__ import annotations

from typing import TypedDict

#: the list's orders: by tie strength, by the most recent touch, by name
SORTS = ("strength", "recent", "name")


class PeopleFilter(TypedDict, total=False):
    """Each field given (and not None) narrows the list."""

    stage: str | None  # a stage name
    tag: str | None
    circle: int | None  # 1 to 4
    city: str | None  # the exact city, any case
    search: str | None  # part of the name, any case and accents
