"""`kith export vcard`: every person as a vCard 4.0, with their handles, in one file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import vobject
from sqlalchemy import Connection, select

from kith.domain.calendar import yearless
from kith.store.rawsql import chunks
from kith.store.schema import identities, people, tags


def profile_url(platform: str, handle: str) -> str | None:
    """A link to someone's profile on a platform, when the handle allows one."""
    if handle.startswith("name:"):
        return None
    if platform == "x":
        return (
            f"https://x.com/i/user/{handle[3:]}"
            if handle.startswith("id:")
            else (f"https://x.com/{handle}")
        )
    if platform == "linkedin":
        return f"https://www.linkedin.com/in/{handle}"
    if platform == "mastodon" and "@" in handle:
        user, host = handle.split("@", 1)
        return f"https://{host}/@{user}"
    if platform == "bluesky":
        return f"https://bsky.app/profile/{handle}"
    if platform == "facebook":
        if handle.startswith("id:"):
            return f"https://www.facebook.com/profile.php?id={handle[3:]}"
        return f"https://www.facebook.com/{handle}"
    if platform == "instagram":
        return f"https://www.instagram.com/{handle}"
    if platform == "telegram" and not handle.startswith("id:"):
        return f"https://t.me/{handle}"
    if platform == "whatsapp":
        return f"https://wa.me/{handle.lstrip('+')}"
    if platform == "web":
        return f"https://{handle}"
    return None


def _card(row: Any, handles: list[tuple[str, str]], labels: list[str]) -> str:
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = f"urn:kith:person:{row.id}"
    card.add("fn").value = row.name
    parts = row.name.split()
    family = parts[-1] if len(parts) > 1 else ""
    given = " ".join(parts[:-1]) if len(parts) > 1 else row.name
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    for platform, handle in handles:
        if platform == "email":
            card.add("email").value = handle
        elif platform == "phone":
            card.add("tel").value = handle
        else:
            url = profile_url(platform, handle)
            if url is None:
                continue
            card.add("url").value = url
            if platform != "web":
                profile = card.add("x-socialprofile")
                profile.value = url
                profile.type_param = platform
    if row.birthday is not None:
        # RFC 6350: a birthday without a year is written --MMDD
        born = row.birthday
        card.add("bday").value = f"--{born:%m%d}" if yearless(born) else born.isoformat()
    if row.organisation:
        card.add("org").value = [row.organisation]
    if row.role:
        card.add("title").value = row.role
    if row.city:
        card.add("adr").value = vobject.vcard.Address(
            city=row.city.split(",")[0], country=row.country or ""
        )
    if labels:
        card.add("categories").value = labels
    if row.notes:
        card.add("note").value = row.notes
    return str(card.serialize())


def cards(connection: Connection) -> Iterator[str]:
    ids = [int(r[0]) for r in connection.execute(select(people.c.id).order_by(people.c.id))]
    for chunk in chunks(ids, 500):
        rows = list(
            connection.execute(select(people).where(people.c.id.in_(chunk)).order_by(people.c.id))
        )
        handles: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for pid, platform, handle in connection.execute(
            select(identities.c.person_id, identities.c.platform, identities.c.handle)
            .where(identities.c.person_id.in_(chunk))
            .order_by(identities.c.platform, identities.c.handle)
        ):
            handles[int(pid)].append((platform, handle))
        labels: dict[int, list[str]] = defaultdict(list)
        for pid, tag in connection.execute(
            select(tags.c.person_id, tags.c.tag)
            .where(tags.c.person_id.in_(chunk))
            .order_by(tags.c.tag)
        ):
            labels[int(pid)].append(tag)
        for row in rows:
            yield _card(row, handles[int(row.id)], labels[int(row.id)])
