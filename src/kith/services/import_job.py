"""One import run: the state kept while an importer's records stream through.

`ImportJob` owns everything an import does to the base: identity resolution (a contact
becomes the person who already holds one of its handles; a contact whose handles belong to
several people proves they are one human, and `merge` folds them together), the people it
creates and fills in, the interactions it stores (skipping those already stored) and, at
the end, the figures of everyone it touched. `kith.services.restore` uses the same job to
restore a kith-json export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, insert, select, tuple_

from kith import gazetteer
from kith.domain.context import Context
from kith.domain.identity import HandleError, name_key, normalise
from kith.domain.model import History, Interaction
from kith.errors import KithError
from kith.ingest.base import ImportFailed, Options
from kith.ingest.common import MAX_EXTERNAL_ID, stable_id
from kith.ingest.records import Contact, Handle, Me, Note, Record, Touch
from kith.services import own_identities
from kith.services.progress import Progress, counting
from kith.services.refresh import refresh
from kith.store import interactions
from kith.store.bulk import insert_rows
from kith.store.histories import person_from_row
from kith.store.interactions import NewInteraction
from kith.store.people import birthday_md, merge, update_person
from kith.store.rawsql import chunks
from kith.store.schema import identities, people

BATCH = 5000
#: about this many interactions at most (one batch more) are kept in memory to compute new
#: people's figures
MEMORY_TOUCHES = 1_500_000
#: on a source's first import, the ids written so far are remembered (instead of asked of
#: the base batch by batch) up to this many
MEMORY_IDS = 2_000_000
_STAND_IN = re.compile(r"^(X user|Instagram User|Facebook user|id:)\s*\d*$", re.IGNORECASE)


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


#: on PostgreSQL, the statistics are first refreshed after this many rows of an import
ANALYSE_EVERY = 10_000
#: the most people one import may add (docs/limits.md): twenty times the largest real
#: network kith has seen, and a bound on what an import keeps in memory
MAX_PEOPLE = 1_000_000


class ImportJob:
    """One import run inside the caller's transaction.

    Records go in through `take` (or, for a kith-json restore, through the methods
    `kith.services.restore` calls); `finish` stores what is pending and refreshes figures.
    """

    def __init__(
        self,
        connection: Connection,
        ctx: Context,
        source: str,
        options: Options,
        summary: ImportSummary,
        member: str | None = None,
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
        self.explicit_ids = False  # rows written with ids of their own (kith-json)
        self.restored: dict[int, int] = {}  # kith-json person id -> person id here
        # people this import created, with their interactions kept in memory (up to a bound)
        # so that their figures need not be read back from the base
        self.fresh: dict[int, list[Interaction]] = {}
        self.fresh_touches = 0
        self.analysed_at = 0  # rows written when the statistics were last refreshed
        self.member = member  # a team base: whose history this is
        self.unfindable = 0  # contacts without a readable handle: left out
        # the ids this import has written, when the base held nothing of its source before:
        # then nothing else can be stored already, and no batch needs a look-up (a rival
        # import writing the same source meanwhile clashes on the unique key: kith.api
        # runs the import again, and that run asks the base)
        self.written: set[str] | None = (
            set() if not interactions.any_of_source(connection, source) else None
        )
        known = own_identities.load(connection, member)
        for text in known.handles:
            platform, _, handle = text.partition(":")
            self.me.add((platform, handle))
        self.me_names.update(known.names)

    # -- records ----------------------------------------------------------------------
    def take(self, record: Record) -> bool:
        """Take one record of an importer; False for those the job does not read itself (a
        kith-json export's saved records: `kith.services.restore` reads them)."""
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
        elif isinstance(record, Me):
            self.me.update(self.normalised(record.handles))
            if record.name:
                self.me_names.add(record.name)
        else:
            return False
        return True

    def normalised(self, handles: Iterable[Handle]) -> list[tuple[str, str]]:
        """(platform, handle) in kith's one spelling, each once; unreadable handles dropped."""
        found: list[tuple[str, str]] = []
        for h in handles:
            try:
                found.append((h.platform, normalise(h.platform, h.value, self.options.region)))
            except HandleError:
                continue
        return list(dict.fromkeys(found))

    def owners(self, handles: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Who in the base holds each of these handles (those nobody holds are left out)."""
        found: dict[tuple[str, str], int] = {}
        pairs = sorted(set(handles))
        for start in range(0, len(pairs), 400):
            part = pairs[start : start + 400]
            query = select(
                identities.c.platform, identities.c.handle, identities.c.person_id
            ).where(tuple_(identities.c.platform, identities.c.handle).in_(part))
            for platform, handle, pid in self.connection.execute(query):
                found[(platform, handle)] = int(pid)
        return found

    # -- what the job keeps count of ------------------------------------------------------
    def note_created(self, pid: int) -> None:
        self.created.add(pid)
        self.touched.add(pid)

    def note_matched(self, pid: int) -> None:
        """An existing person this import adds to."""
        if pid not in self.created:
            self.matched.add(pid)
        self.touched.add(pid)

    def note_explicit_ids(self) -> None:
        """Rows were written with ids of their own: sequences must move past them."""
        self.explicit_ids = True

    def merge(self, keep: int, other: int) -> None:
        """`other` is `keep`: fold them together (`kith.store.people.merge`) and keep the
        job's own counts right: `other` is gone, and `keep`'s history now lies in the base."""
        merge(self.connection, keep, other)
        self.summary.people_merged += 1
        self.fresh.pop(keep, None)
        self.fresh.pop(other, None)
        for counted in (self.created, self.matched, self.touched):
            counted.discard(other)
        self.touched.add(keep)
        for key, mapped in self.person_of.items():
            if mapped == other:
                self.person_of[key] = keep

    def add_identities(
        self,
        pid: int,
        handles: list[tuple[str, str]],
        shown: Mapping[tuple[str, str], str | None],
    ) -> None:
        """Give `pid` these handles (normalised), displayed as `shown` says when it does."""
        if not handles:
            return
        self.connection.execute(
            insert(identities),
            [
                {"person_id": pid, "platform": p, "handle": h, "display": shown.get((p, h), h)}
                for p, h in handles
            ],
        )
        self.summary.identities_added += len(handles)
        self.touched.add(pid)

    # -- identity resolution ------------------------------------------------------------
    def flush(self) -> None:
        if self.pending_contacts:
            self._resolve(list(self.pending_contacts.values()))
            self.pending_contacts.clear()
        if self.pending_touches:
            self._store_touches(self.pending_touches)
            self.pending_touches = []
        self._keep_statistics()

    def _keep_statistics(self) -> None:
        """On PostgreSQL, refresh the planner's statistics of what this import has written
        once it has doubled since the last time: the transaction's own rows count, and a
        planner that still believes the tables small scans every row of theirs for each
        batch of ids looked up (issue 12, probe 11: 25 times SQLite's time)."""
        if self.connection.dialect.name != "postgresql":
            return
        written = self.summary.interactions_added + self.summary.identities_added
        if written - self.analysed_at >= max(ANALYSE_EVERY, self.analysed_at):
            self.connection.exec_driver_sql("ANALYZE interactions, identities, people")
            self.analysed_at = written

    def _resolve(self, contacts: list[Contact]) -> None:
        handles_of = {c.key: self.normalised(c.handles) for c in contacts}
        owners = self.owners(h for hs in handles_of.values() for h in hs)
        new_people: list[tuple[Contact, list[tuple[str, str]]]] = []
        claimed: dict[tuple[str, str], str] = {}  # handle -> contact key, within this batch
        for contact in contacts:
            handles = handles_of[contact.key]
            if any(h in self.me for h in handles):
                self.person_of[contact.key] = None
                continue
            if not handles:
                # no handle that can be read (an id of the wrong type, a name that is only a
                # NUL): nothing to find them by next time, and each import of the same file
                # would create them again
                self.person_of[contact.key] = None
                self.unfindable += 1
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
                self.merge(keep, other)
            owners = {h: keep if o in found else o for h, o in owners.items()}
            self.person_of[contact.key] = keep
            if keep not in self.created:
                self.matched.add(keep)
            fresh = [h for h in handles if h not in owners]
            self.add_identities(keep, fresh, _shown(contact, fresh))
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
                mine = set(self.owners(handles_of[key]))
                fresh = [h for h in handles_of[key] if h not in mine]
                self.add_identities(pid, fresh, _shown(by_key[key], fresh))
                self._fill(pid, by_key[key])

    def _create(self, new_people: list[tuple[Contact, list[tuple[str, str]]]]) -> None:
        if not new_people:
            return
        if len(self.created) + len(new_people) > MAX_PEOPLE:
            raise ImportFailed(
                f"The export names more than {MAX_PEOPLE:,} people, more than kith adds in "
                "one import; nothing was imported."
            )
        rows = [self._person_row(c, hs) for c, hs in new_people]
        result = self.connection.execute(
            insert(people).returning(people.c.id, sort_by_parameter_order=True), rows
        )
        ids = [int(r[0]) for r in result]
        identity_rows: list[dict[str, Any]] = []
        for (contact, handles), pid in zip(new_people, ids, strict=True):
            self.person_of[contact.key] = pid
            self.note_created(pid)
            self.fresh[pid] = []
            shown = _shown(contact, handles)
            identity_rows.extend(
                {"person_id": pid, "platform": p, "handle": h, "display": shown[(p, h)]}
                for p, h in handles
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
        changes.update(self._changed(row, contact))
        if changes:
            update_person(self.connection, pid, **changes)
            self.touched.add(pid)

    def _changed(self, row: Any, contact: Contact) -> dict[str, Any]:
        """What a source changed since it last said it (a synced card's new organisation),
        where kith still holds what it said before: a value set by hand stays."""
        changes: dict[str, Any] = {}
        for name, before in contact.was:
            after = getattr(contact, name, None)
            if name not in ("city", "organisation", "role") or not after or after == before:
                continue
            if name == "city":
                held = self._place(before).get("city") if before else None
                if row.city == held:
                    changes.update(self._place(after))
            elif getattr(row, name) == ((before or None) and before[:300]):
                changes[name] = after[:300]
        return changes

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
        handles = self.normalised(contact.handles)
        owners = self.owners(handles)
        for h in handles:
            if h in self.me:
                continue
            other = owners.get(h)
            if other is not None and other != pid:
                self.merge(pid, other)
        fresh = [h for h in handles if h not in owners]
        self.add_identities(pid, fresh, _shown(contact, fresh))
        self._fill(pid, contact)

    # -- interactions -------------------------------------------------------------------
    def _store_touches(self, touches: list[Touch]) -> None:
        unique: dict[str, Touch] = {}
        for t in touches:
            external_id = t.external_id
            if len(external_id) > MAX_EXTERNAL_ID:
                external_id = stable_id(external_id)
            unique.setdefault(external_id, t)
        source = self.source
        written = self.written
        if written is None:
            existing = interactions.stored_ids(self.connection, source, unique)
        else:
            existing = written.intersection(unique)
        self.summary.interactions_skipped += len(touches) - len(unique) + len(existing)
        new: list[NewInteraction] = []
        person_of = self.person_of
        for external_id, t in unique.items():  # the hottest loop of an import
            if external_id in existing:
                continue
            pid = person_of.get(t.contact)
            if pid is None:  # the user writing to themselves
                self.summary.interactions_skipped += 1
                continue
            if t.occurred_at.tzinfo is None:
                raise ImportFailed(f"The {source} importer gave a time without a zone.")
            new.append(
                NewInteraction(
                    pid,
                    t.occurred_at,
                    t.channel,
                    t.direction,
                    t.text,
                    t.minutes,
                    source,
                    external_id,
                    self.member,
                )
            )
        rules = self.ctx.rules
        self.fresh_touches += interactions.add_many(self.connection, new, rules, keep=self.fresh)
        if written is not None:
            written.update(n.external_id for n in new if n.external_id is not None)
            if len(written) > MEMORY_IDS:  # from here on, the base is asked
                self.written = None
        touched = set(map(itemgetter(0), new))
        self.touched |= touched
        self.summary.interactions_added += len(new)
        if self.fresh_touches > MEMORY_TOUCHES:  # past the bound: these people's figures
            for pid in touched:  # will come from the base
                dropped = self.fresh.pop(pid, None)
                self.fresh_touches -= len(dropped or ())

    def finish(self, progress: Progress | None) -> None:
        """Store what is pending, remember who the user is, refresh the figures."""
        self.flush()
        if self.explicit_ids:
            sync_sequences(self.connection)
        self.summary.people_created = len(self.created)
        self.summary.people_matched = len(self.matched - self.created)
        if self.unfindable:
            who = "person" if self.unfindable == 1 else "people"
            self.summary.warnings.append(
                f"{self.unfindable:,} {who} in the export had no handle kith can read, nothing "
                "to know them by again; left out, with their messages."
            )
        own_identities.learn(
            self.connection,
            sorted(f"{p}:{h}" for p, h in self.me),
            sorted(self.me_names),
            self.member,
        )
        ids = sorted(self.touched)
        step = counting(progress, "Updating figures", len(ids))
        refresh(self.connection, self.ctx, ids, step, self._fresh_histories())

    def _fresh_histories(self) -> dict[int, History]:
        """Whole histories of the people this import created and nothing else touched."""
        found: dict[int, History] = {}
        for chunk in chunks(sorted(self.fresh)):
            query = select(people).where(people.c.id.in_(chunk))
            for row in self.connection.execute(query).mappings():
                pid = int(row["id"])
                found[pid] = History(person_from_row(row), tuple(self.fresh[pid]))
        return found


def sync_sequences(connection: Connection) -> None:
    """After rows were written with explicit ids, PostgreSQL's sequences must move past them."""
    if connection.dialect.name != "postgresql":
        return
    for name in ("people", "facts", "invites", "trips", "gatherings"):  # fixed names
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
        )


def _shown(contact: Contact, handles: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """How the export writes each new handle, for its identity's display (the contact's
    last handle on that platform)."""
    by_platform = {h.platform: h.value for h in contact.handles}
    return {(p, h): by_platform.get(p, h) for p, h in handles}


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
        was=b.was or a.was,
    )


__all__ = ["ImportJob", "ImportSummary", "sync_sequences"]
