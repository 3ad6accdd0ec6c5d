"""The normalised records every importer yields.

An importer yields `Me` (the user's own identities, when the export knows them), `Contact`
(a person as the export knows them) and `Touch` (one interaction). A `Touch` names its
person by `Contact.key`, and the `Contact` with that key must have been yielded first; a
later `Contact` with the same key adds to what is known (more handles, a name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kith.domain.model import Channel, Direction


@dataclass(frozen=True, slots=True)
class Handle:
    """A handle as the export writes it; the import service normalises it.

    `platform` is one of kith's platforms: x, linkedin, mastodon, bluesky, facebook,
    instagram, telegram, whatsapp, email, phone, web.
    """

    platform: str
    value: str


@dataclass(frozen=True, slots=True)
class Me:
    """The user's own identities in this export (never stored as a person)."""

    handles: tuple[Handle, ...]
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """A person as this export knows them.

    `key` is stable within the source (e.g. "x:90000001"): re-importing a newer export
    yields the same key for the same person. Handles are what identity resolution uses:
    the same e-mail, phone, profile URL or handle means the same human. A name alone never
    merges anyone.

    `was` ((field, value) pairs of city, organisation and role) is what the same source said
    before, when it has changed since (a synced address book's edited card): kith then takes
    the new value where it still holds the old one, and never overwrites anything else.
    """

    key: str
    name: str | None = None
    handles: tuple[Handle, ...] = ()
    city: str | None = None
    birthday: date | None = None
    organisation: str | None = None
    role: str | None = None
    was: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Touch:
    """One interaction between the user and a contact.

    `external_id` is stable and unique within the source (a message id, or a hash of what
    identifies the message), so that importing the same file twice adds nothing.
    `occurred_at` is timezone-aware. `direction` is `out` when the user wrote, `in` when
    they did, `both` for calls and meetings.
    """

    external_id: str
    contact: str
    occurred_at: datetime
    channel: Channel
    direction: Direction
    text: str | None = None
    minutes: int | None = None


@dataclass(frozen=True, slots=True)
class SavedBase:
    """The base-wide part of a kith-json export: settings and trips (kith-json only)."""

    settings: dict[str, Any]
    trips: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class SavedPerson:
    """One person of a kith-json export with everything about them, restored as it was:
    fields, tags, identities, facts, asks and interactions (each keeping its own source
    and external id). Fields are as `kith.services.exporting` writes them."""

    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SavedGatherings:
    """The gatherings of a kith-json export, read after its people (kith-json only)."""

    items: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Note:
    """Something the user should know about this import (what was left out and why); it
    ends up in the summary's `warnings`."""

    text: str


Record = Me | Contact | Touch | Note | SavedBase | SavedPerson | SavedGatherings
