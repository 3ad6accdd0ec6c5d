"""Import an export: resolve identities, store what is new, refresh figures; all or nothing.

The importer streams records; this service owns everything that touches the base:
* identity resolution: a contact becomes the person who already holds one of its handles
  (same e-mail, phone, profile URL or handle); a contact whose handles belong to several
  people proves they are one human, and they are merged; nothing merges on a name alone;
* deduplication: a touch whose (source, external_id) is already stored is skipped, so a
  second import of the same file adds nothing and a newer export adds only what is new;
* atomicity: it runs inside the caller's transaction; any failure leaves the base as it was.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, tuple_

from kith import gazetteer
from kith.domain.context import Context
from kith.domain.identity import HandleError, normalise
from kith.domain.model import History, Interaction
from kith.domain.pacing import measure
from kith.errors import KithError
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.records import (
    Contact,
    Handle,
    Me,
    Note,
    Record,
    SavedBase,
    SavedGatherings,
    SavedPerson,
    Touch,
)
from kith.services import own_identities, restore
from kith.services import people as people_service
from kith.services.refresh import refresh
from kith.store.bulk import insert_rows, insert_values
from kith.store.people import birthday_md, chunks, name_key, person_from_row
from kith.store.schema import identities, interactions, people

BATCH = 5000
INTERACTION_COLUMNS = (
    "person_id",
    "occurred_at",
    "channel",
    "direction",
    "text",
    "word_count",
    "is_link_share",
    "minutes",
    "source",
    "external_id",
    "member",
)
#: at most this many interactions are kept in memory to compute new people's figures
MEMORY_TOUCHES = 1_500_000
_STAND_IN = re.compile(r"^(X user|Instagram User|Facebook user|id:)\s*\d*$", re.IGNORECASE)
Progress = Callable[[str, int, int], None]


@dataclass
class ImportSummary:
    """What an import did (the `import` JSON shape of docs/cli.md, plus details)."""

    source: str
    file: str
    people_created: int = 0
    people_matched: int = 0
    people_merged: int = 0
    interactions_added: int = 0
    interactions_skipped: int = 0
    identities_added: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def me_options(connection: Connection, given: Iterable[str]) -> tuple[str, ...]:
    """What `--me` said, then the user's own identities (the profile, earlier imports)."""
    return tuple(dict.fromkeys([*given, *own_identities.load(connection).values()]))


class _Importer:
    """One import run: state kept while records stream through."""

    def __init__(
        self,
        connection: Connection,
        ctx: Context,
        source: str,
        options: Options,
        summary: ImportSummary,
    ) -> None:
        self.connection = connection
        self.ctx = ctx
        self.source = source
        self.options = options
        self.summary = summary
        self.person_of: dict[str, int | None] = {}  # contact key -> person (None: the user)
        self.pending_contacts: dict[str, Contact] = {}
        self.pending_touches: list[Touch] = []
        self.me: set[tuple[str, str]] = set()
        self.me_names: set[str] = set()
        self.created: set[int] = set()
        self.matched: set[int] = set()
        self.touched: set[int] = set()
        self.places: dict[str, dict[str, Any]] = {}
        self.pending_twins: dict[str, list[str]] = {}  # contact key -> keys of its twins
        self.explicit_ids = False  # rows restored with their original ids (kith-json)
        self.restored: dict[int, int] = {}  # kith-json person id -> person id here
        # people this import created, with their interactions kept in memory (up to a bound)
        # so that their figures need not be read back from the base
        self.fresh: dict[int, list[Interaction]] = {}
        self.fresh_touches = 0
        known = own_identities.load(connection)
        for text in known.handles:
            platform, _, handle = text.partition(":")
            self.me.add((platform, handle))
        self.me_names.update(known.names)

    # -- records ----------------------------------------------------------------------
    def take(self, record: Record) -> None:
        if isinstance(record, Touch):
            if record.contact not in self.person_of and record.contact not in (
                self.pending_contacts
            ):
                raise ImportFailed(
                    f"The {self.source} importer met a message from an unknown contact "
                    f"'{record.contact}'."
                )
            self.pending_touches.append(record)
            if len(self.pending_touches) >= BATCH:
                self.flush()
        elif isinstance(record, Contact):
            if record.key in self.person_of:
                self._enrich(record)
            elif record.key in self.pending_contacts:
                self.pending_contacts[record.key] = _combine(
                    self.pending_contacts[record.key], record
                )
            else:
                self.pending_contacts[record.key] = record
        elif isinstance(record, Note):
            if record.text not in self.summary.warnings and len(self.summary.warnings) < 20:
                self.summary.warnings.append(record.text)
        elif isinstance(record, SavedPerson):
            self.flush()
            restore.person(self, record.data)
        elif isinstance(record, SavedBase):
            restore.base(self, record)
        elif isinstance(record, SavedGatherings):
            self.flush()
            restore.gatherings(self, record)
        elif isinstance(record, Me):
            for h in self._normalised(record.handles):
                self.me.add(h)
            if record.name:
                self.me_names.add(record.name)

    def _normalised(self, handles: Iterable[Handle]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for h in handles:
            try:
                found.append((h.platform, normalise(h.platform, h.value, self.options.region)))
            except HandleError:
                continue
        return list(dict.fromkeys(found))

    # -- identity resolution ------------------------------------------------------------
    def flush(self) -> None:
        if self.pending_contacts:
            self._resolve(list(self.pending_contacts.values()))
            self.pending_contacts.clear()
        if self.pending_touches:
            self._store_touches(self.pending_touches)
            self.pending_touches = []

    def _owners(self, handles: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        owners: dict[tuple[str, str], int] = {}
        pairs = sorted(handles)
        for start in range(0, len(pairs), 400):
            part = pairs[start : start + 400]
            query = select(
                identities.c.platform, identities.c.handle, identities.c.person_id
            ).where(tuple_(identities.c.platform, identities.c.handle).in_(part))
            for platform, handle, pid in self.connection.execute(query):
                owners[(platform, handle)] = int(pid)
        return owners

    def _resolve(self, contacts: list[Contact]) -> None:
        handles_of = {c.key: self._normalised(c.handles) for c in contacts}
        owners = self._owners({h for hs in handles_of.values() for h in hs})
        new_people: list[tuple[Contact, list[tuple[str, str]]]] = []
        claimed: dict[tuple[str, str], str] = {}  # handle -> contact key, within this batch
        for contact in contacts:
            handles = handles_of[contact.key]
            if any(h in self.me for h in handles):
                self.person_of[contact.key] = None
                continue
            found = sorted({owners[h] for h in handles if h in owners})
            if not found:
                # two contacts of one batch sharing a handle are one person
                twin = next((claimed[h] for h in handles if h in claimed), None)
                if twin is not None:
                    self.pending_twins.setdefault(twin, []).append(contact.key)
                    continue
                for h in handles:
                    claimed[h] = contact.key
                new_people.append((contact, handles))
                continue
            keep = found[0]
            for other in found[1:]:
                people_service.merge_quietly(self.connection, keep, other)
                self.summary.people_merged += 1
                self.fresh.pop(keep, None)  # its history now lies in the base
                self.fresh.pop(other, None)
                self.created.discard(other)
                self.matched.discard(other)
                self.touched.discard(other)
                for h, owner in list(owners.items()):
                    if owner == other:
                        owners[h] = keep
                for key, mapped in list(self.person_of.items()):
                    if mapped == other:
                        self.person_of[key] = keep
            self.person_of[contact.key] = keep
            if keep not in self.created:
                self.matched.add(keep)
            self._add_identities(keep, [h for h in handles if h not in owners], contact)
            self._fill(keep, contact)
            for h in handles:
                owners[h] = keep
        self._create(new_people)
        twins = {key: twin for twin, keys in self.pending_twins.items() for key in keys}
        self.pending_twins.clear()
        by_key = {c.key: c for c in contacts}
        for key, twin in twins.items():
            pid = self.person_of[twin]
            self.person_of[key] = pid
            if pid is not None:  # what the twin knows that the first contact did not
                mine = set(self._owners(set(handles_of[key])))
                self._add_identities(
                    pid, [h for h in handles_of[key] if h not in mine], by_key[key]
                )
                self._fill(pid, by_key[key])

    def _create(self, new_people: list[tuple[Contact, list[tuple[str, str]]]]) -> None:
        if not new_people:
            return
        rows = [self._person_row(c, hs) for c, hs in new_people]
        result = self.connection.execute(
            insert(people).returning(people.c.id, sort_by_parameter_order=True), rows
        )
        ids = [int(r[0]) for r in result]
        identity_rows = []
        for (contact, handles), pid in zip(new_people, ids, strict=True):
            self.person_of[contact.key] = pid
            self.created.add(pid)
            self.touched.add(pid)
            self.fresh[pid] = []
            shown = {(h.platform, h.value) for h in contact.handles}
            for platform, handle in handles:
                display = next((v for p, v in shown if p == platform), handle)
                identity_rows.append(
                    {"person_id": pid, "platform": platform, "handle": handle, "display": display}
                )
        insert_rows(self.connection, identities, identity_rows)
        self.summary.identities_added += len(identity_rows)

    def _person_row(self, contact: Contact, handles: list[tuple[str, str]]) -> dict[str, Any]:
        name = " ".join((contact.name or "").split()) or (handles[0][1] if handles else contact.key)
        row: dict[str, Any] = {
            "name": name[:300],
            "name_key": name_key(name)[:300],
            "paused": False,
            "created_at": self.ctx.now,
            "circle": None,
            "birthday": contact.birthday,
            "birthday_md": birthday_md(contact.birthday),
            "organisation": (contact.organisation or None) and contact.organisation[:300],
            "role": (contact.role or None) and contact.role[:300],
            "city": None,
            "country": None,
            "lat": None,
            "lon": None,
        }
        row.update(self._place(contact.city))
        return row

    def _place(self, city: str | None) -> dict[str, Any]:
        if not city or not city.strip():
            return {}
        key = city.strip()
        if key not in self.places:
            try:
                found = gazetteer.lookup(key)
                self.places[key] = {
                    "city": found.label,
                    "country": found.country,
                    "lat": found.lat,
                    "lon": found.lon,
                }
            except KithError:  # unknown or ambiguous: keep the words, without coordinates
                self.places[key] = {"city": key[:200]}
        return self.places[key]

    def _add_identities(self, pid: int, handles: list[tuple[str, str]], contact: Contact) -> None:
        if not handles:
            return
        shown = {h.platform: h.value for h in contact.handles}
        self.connection.execute(
            insert(identities),
            [
                {"person_id": pid, "platform": p, "handle": h, "display": shown.get(p, h)}
                for p, h in handles
            ],
        )
        self.summary.identities_added += len(handles)
        self.touched.add(pid)

    def _fill(self, pid: int, contact: Contact) -> None:
        """Give an existing person what this export knows and they lack; never overwrite."""
        row = self.connection.execute(select(people).where(people.c.id == pid)).one()
        changes: dict[str, Any] = {}
        name = " ".join((contact.name or "").split())
        if name and name != row.name and self._placeholder(pid, row.name):
            changes["name"] = name[:300]
        if row.birthday is None and contact.birthday is not None:
            changes["birthday"] = contact.birthday
        if row.organisation is None and contact.organisation:
            changes["organisation"] = contact.organisation[:300]
        if row.role is None and contact.role:
            changes["role"] = contact.role[:300]
        if row.city is None and contact.city:
            changes.update(self._place(contact.city))
        if changes:
            from kith.store.people import update_person

            update_person(self.connection, pid, **changes)
            self.touched.add(pid)

    def _placeholder(self, pid: int, name: str) -> bool:
        """True when a person's name only stands in for a real one: a handle of theirs, or
        what an export writes for an account it cannot name ("X user 12345")."""
        if _name_rank(name) < 2:
            return True
        handles = self.connection.execute(
            select(identities.c.handle, identities.c.display).where(identities.c.person_id == pid)
        )
        plain = name.casefold().lstrip("@")
        return any(plain in (h.casefold(), (d or "").casefold().lstrip("@")) for h, d in handles)

    def _enrich(self, contact: Contact) -> None:
        """A contact seen again later in the export, with more to say."""
        pid = self.person_of[contact.key]
        if pid is None:
            return
        handles = self._normalised(contact.handles)
        owners = self._owners(set(handles))
        for h in handles:
            if h in self.me:
                continue
            other = owners.get(h)
            if other is not None and other != pid:
                people_service.merge_quietly(self.connection, pid, other)
                self.summary.people_merged += 1
                self.fresh.pop(pid, None)
                self.fresh.pop(other, None)
                self.created.discard(other)
                self.matched.discard(other)
                for key, mapped in list(self.person_of.items()):
                    if mapped == other:
                        self.person_of[key] = pid
        self._add_identities(pid, [h for h in handles if h not in owners], contact)
        self._fill(pid, contact)

    # -- interactions -------------------------------------------------------------------
    def _store_touches(self, touches: list[Touch]) -> None:
        unique: dict[str, Touch] = {}
        for t in touches:
            unique.setdefault(stable_id(t.external_id), t)
        existing: set[str] = set()
        ids = list(unique)
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            query = select(interactions.c.external_id).where(
                interactions.c.source == self.source, interactions.c.external_id.in_(part)
            )
            existing.update(r[0] for r in self.connection.execute(query))
        self.summary.interactions_skipped += len(touches) - len(unique) + len(existing)
        rules = self.ctx.rules
        rows = []
        for external_id, t in unique.items():
            if external_id in existing:
                continue
            pid = self.person_of.get(t.contact)
            if pid is None:  # the user writing to themselves
                self.summary.interactions_skipped += 1
                continue
            if t.occurred_at.tzinfo is None:
                raise ImportFailed(f"The {self.source} importer gave a time without a zone.")
            words, link = measure(t.text, rules)
            remembered = self.fresh.get(pid)
            if remembered is not None:
                if self.fresh_touches < MEMORY_TOUCHES:
                    remembered.append(
                        Interaction(
                            t.occurred_at,
                            t.channel,
                            t.direction,
                            t.text,
                            words,
                            link,
                            t.minutes,
                            self.source,
                        )
                    )
                    self.fresh_touches += 1
                else:  # past the bound: this person's figures come from the base
                    del self.fresh[pid]
            rows.append(
                [
                    pid,
                    t.occurred_at,
                    t.channel.value,
                    t.direction.value,
                    t.text,
                    words,
                    link,
                    t.minutes,
                    self.source,
                    external_id,
                    None,
                ]
            )
            self.touched.add(pid)
        insert_values(self.connection, interactions, INTERACTION_COLUMNS, rows)
        self.summary.interactions_added += len(rows)

    def finish(self, progress: Progress | None) -> None:
        self.flush()
        if self.explicit_ids:
            restore.sync_sequences(self.connection)
        self.summary.people_created = len(self.created)
        self.summary.people_matched = len(self.matched - self.created)
        own_identities.learn(
            self.connection, sorted(f"{p}:{h}" for p, h in self.me), sorted(self.me_names)
        )
        ids = sorted(self.touched)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress("Updating figures", done, len(ids))

        refresh(self.connection, self.ctx, ids, step, self._fresh_histories())

    def _fresh_histories(self) -> dict[int, History]:
        """Whole histories of the people this import created and nothing else touched."""
        ids = sorted(self.fresh)
        found: dict[int, History] = {}
        for chunk in chunks(ids):
            for row in self.connection.execute(select(people).where(people.c.id.in_(chunk))):
                pid = int(row.id)
                found[pid] = History(person_from_row(row._mapping), tuple(self.fresh[pid]))
        return found


def stable_id(external_id: str) -> str:
    """External ids fit the column: a long one is replaced by its digest, never cut (two
    long ids sharing a beginning must stay two)."""
    if len(external_id) <= 200:
        return external_id
    return "sha1:" + hashlib.sha1(external_id.encode("utf-8")).hexdigest()


def _name_rank(name: str | None) -> int:
    """2 for a real name, 1 for a handle standing in ("@ana"), 0 for "X user 12345"."""
    if not name or not name.strip():
        return -1
    if _STAND_IN.match(name.strip()):
        return 0
    return 1 if name.strip().startswith("@") else 2


def _combine(a: Contact, b: Contact) -> Contact:
    """What two sightings of one contact say together: a real name wins over a stand-in."""
    return Contact(
        key=a.key,
        name=a.name if _name_rank(a.name) >= _name_rank(b.name) else b.name,
        handles=tuple(dict.fromkeys((*a.handles, *b.handles))),
        city=a.city or b.city,
        birthday=a.birthday or b.birthday,
        organisation=a.organisation or b.organisation,
        role=a.role or b.role,
    )


def _records(importer: Importer, path: Path, options: Options) -> Iterator[Record]:
    """The importer's records; any unexpected failure becomes one sentence naming the file."""
    try:
        yield from importer.extract(path, options)
    except KithError:
        raise
    except Exception as exc:  # a parser library's own error class included: never a traceback
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportFailed(
            f"{path.name} could not be read as {importer.title}: {detail[:200]}."
        ) from exc


def run(
    connection: Connection,
    ctx: Context,
    importer: Importer,
    path: Path,
    options: Options,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import `path` inside the caller's transaction."""
    if not importer.identify(path):
        raise ImportFailed(f"{path} does not look like {importer.title}.")
    summary = ImportSummary(source=importer.source, file=str(path))
    job = _Importer(connection, ctx, importer.source, options, summary)
    for record in _records(importer, path, options):
        job.take(record)
    job.finish(progress)
    return summary


__all__ = ["ImportSummary", "chunks", "me_options", "run"]
