"""Toasts: a short message at the bottom of the screen after an in-page action, with an
Undo where the action can be taken back (a touch logged, a snooze, a trip removed).

A route puts `toast=Toast(...)` in its template's context and includes
`partials/toast.html`, which htmx swaps into the page's `#toast` region out of band.
An undo is a plain POST to `/undo/...` (routes/undo.py) carrying what it needs in hidden
fields; after it, the page's lists reload themselves on the `kith-changed` event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: the event pages listen for to reload what an undo changed (htmx `HX-Trigger`)
CHANGED = "kith-changed"


@dataclass(frozen=True)
class Undo:
    url: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Toast:
    message: str
    undo: Undo | None = None


def undo_log(person_id: int, interaction_id: int) -> Undo:
    return Undo("/undo/log", {"person_id": str(person_id), "interaction_id": str(interaction_id)})


def undo_snooze(person_id: int, action: str) -> Undo:
    return Undo("/undo/snooze", {"person_id": str(person_id), "action": action})


def undo_trip(removed: dict[str, object]) -> Undo:
    keys = ("city", "country", "lat", "lon", "from", "to")
    return Undo("/undo/trip", {k: "" if removed.get(k) is None else str(removed[k]) for k in keys})
