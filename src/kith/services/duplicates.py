"""Likely duplicates for the user to confirm with `kith merge`: never merged automatically.
A pair the user said is two people (`kith not-same`) is not suggested again.

Two records look like one human when their names are the same once case, accents and
punctuation are set aside, or when they hold handles with the same stem on different
platforms ("ana_lopez" on X, "ana.lopez@mastodon.social", "ana-lopez-1234" on LinkedIn).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import Connection, select

from kith.domain import names
from kith.store import distinct
from kith.store.schema import identities, people

MAX_GROUP = 6  # a stem or name shared by more people than this proves nothing
_NOISE = re.compile(r"[^a-z]")


def fold(text: str) -> str:
    if text.isascii():  # most names and handles: no accent to take off
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_stem(name: str) -> str:
    """The letters of a name, accents aside, as the People list searches it
    (kith.domain.names: "Søren Öberg" is "soren oberg")."""
    return " ".join(_NOISE.sub(" ", names.fold(name)).split())


def handle_stem(platform: str, handle: str) -> str | None:
    """The part of a handle a person tends to reuse across platforms, or None."""
    if handle.startswith(("name:", "id:", "did:")) or platform in ("phone", "whatsapp", "web"):
        return None
    local = handle
    if platform in ("email", "mastodon"):
        local = handle.split("@", 1)[0]
    elif platform == "bluesky":
        local = handle.split(".", 1)[0]
    elif platform == "linkedin":
        local = re.sub(r"-[0-9a-f]{4,}$", "", handle)
    stem = _NOISE.sub("", fold(local))
    return stem if len(stem) >= 4 else None


@dataclass
class Pair:
    a: tuple[int, str]
    b: tuple[int, str]
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "a": {"id": self.a[0], "name": self.a[1]},
            "b": {"id": self.b[0], "name": self.b[1]},
            "reasons": self.reasons,
        }


def likely_pairs(connection: Connection, limit: int = 50) -> list[Pair]:
    named = select(people.c.id, people.c.name)
    shown: dict[int, str] = {int(pid): name for pid, name in connection.execute(named)}
    pairs: dict[tuple[int, int], Pair] = {}

    def note(x: int, y: int, reason: str) -> None:
        a, b = min(x, y), max(x, y)
        pair = pairs.setdefault((a, b), Pair((a, shown[a]), (b, shown[b])))
        if reason not in pair.reasons:
            pair.reasons.append(reason)

    by_name: dict[str, list[int]] = defaultdict(list)
    stems: dict[str, str] = {}  # a large base has many people but far fewer names
    for pid, name in shown.items():
        stem = stems.get(name)
        if stem is None:
            stem = stems[name] = name_stem(name)
        if stem:
            by_name[stem].append(pid)
    for ids in by_name.values():
        if 1 < len(ids) <= MAX_GROUP:
            for x, y in combinations(sorted(ids), 2):
                note(x, y, f"same name ({shown[x]} / {shown[y]})")
    by_handle: dict[str, list[tuple[int, str]]] = defaultdict(list)
    query = select(identities.c.person_id, identities.c.platform, identities.c.handle)
    for pid, platform, handle in connection.execute(query):
        reused = handle_stem(platform, handle)
        if reused:
            by_handle[reused].append((int(pid), f"{platform}:{handle}"))
    for owners in by_handle.values():
        owning = {pid for pid, _ in owners}
        if 1 < len(owning) <= MAX_GROUP:
            held = dict(owners)
            for x, y in combinations(sorted(owning), 2):
                note(x, y, f"similar handles ({held[x]} / {held[y]})")
    apart = distinct.pairs(connection)  # the user said these are two people
    kept = [pair for key, pair in pairs.items() if key not in apart]
    ranked = sorted(kept, key=lambda p: (-len(p.reasons), p.a[0], p.b[0]))
    return ranked[:limit]
