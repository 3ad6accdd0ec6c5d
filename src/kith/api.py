"""The Python API: everything the CLI and the web UI do, as plain method calls.

>>> from kith.api import Kith
>>> base = Kith("sqlite:///my.sqlite")          # doctest: +SKIP
>>> base.add("Ana Example", handles=["x:ana"])  # doctest: +SKIP
>>> base.today()                                 # doctest: +SKIP

Every method runs in one transaction: it either does all it says or nothing at all.
Read methods return the JSON shapes of docs/cli.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Unpack

from kith import clock
from kith.domain.context import Context
from kith.domain.model import AskKind, Channel, Direction, Response
from kith.domain.people_list import SORTS, PeopleFilter
from kith.errors import InvalidInput
from kith.loading import lazy
from kith.services import agenda, context, views
from kith.services.progress import Progress
from kith.store import candidates, locations, rawsql, settings, snapshot

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from kith.domain.report import Report
    from kith.domain.vigilance import Verdict
    from kith.services import (
        bases,
        dnc,
        focus,
        own_identities,
        people,
        profile,
        records,
        refresh,
        resolve,
        signin,
        team,
    )
    from kith.store import database, stats
else:  # most services import SQLAlchemy: `kith today` on a SQLite base needs none of them
    bases = lazy("kith.services.bases")
    dnc = lazy("kith.services.dnc")
    focus = lazy("kith.services.focus")
    own_identities = lazy("kith.services.own_identities")
    people = lazy("kith.services.people")
    profile = lazy("kith.services.profile")
    records = lazy("kith.services.records")
    refresh = lazy("kith.services.refresh")
    resolve = lazy("kith.services.resolve")
    team = lazy("kith.services.team")
    signin = lazy("kith.services.signin")
    database = lazy("kith.store.database")
    stats = lazy("kith.store.stats")

#: called as (what, done, total) during long work
ProgressFn = Progress

#: the member signed in for the request being served (kith.web): one server, many members
ACTING: ContextVar[str | None] = ContextVar("kith_acting_member", default=None)


@contextmanager
def acting_as(email: str | None) -> Iterator[None]:
    """Within this block (and what it runs in worker threads), `Kith.member` is `email`."""
    reset = ACTING.set(email)
    try:
        yield
    finally:
        ACTING.reset(reset)


class Kith:
    """One relationship base (a SQLite file or a PostgreSQL database)."""

    def __init__(
        self,
        db: str | None = None,
        *,
        clock_fn: Callable[[], datetime] | None = None,
        member: str | None = None,
        progress: ProgressFn | None = None,
        pooled: bool = False,
    ) -> None:
        self.url = locations.normalise_url(db or locations.default_url())
        self._engine: Engine | None = None
        self._clock = clock_fn or clock.now
        self._member = member or os.environ.get("KITH_USER") or None
        self.progress = progress
        self.pooled = pooled  # a long-running server keeps SQLite connections open

    # -- plumbing -----------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = database.open_engine(self.url, self.pooled)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Kith:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self._clock()

    @property
    def member(self) -> str | None:
        """Who acts, in a team base: the member signed in for the request being served
        (`acting_as`), else the one this object was made for (`member`, `KITH_USER`)."""
        return ACTING.get() or self._member

    def today_date(self) -> date:
        """Today in the user's zone."""
        with snapshot.reading(self.url) as plain:
            if plain is not None:
                return context.build(plain, self.now()).today
        with self.engine.connect() as connection:
            return context.build(connection, self.now()).today

    @contextmanager
    def unit(self, operation: str | None = None) -> Iterator[tuple[Connection, Context]]:
        """A transaction and the rules' context at this moment. With `operation` (a write:
        "people", "record", "import", "forget", "settings", "team"), a team base first checks
        that the acting member may do it (docs/team.md)."""
        with self.engine.begin() as connection:
            if operation is not None:
                self._allow(connection, operation)
            yield connection, context.build(connection, self.now())

    def _reader(self, source: Connection | rawsql.Sql) -> str | None:
        """Whose own relationships a read shows: in a team base, the acting member (None
        when nobody or a stranger acts, who reads as the team); None in a one-user base."""
        from kith.store import ties

        return self._member_in(source) if ties.is_team(source) else None

    def _member_in(self, source: Connection | rawsql.Sql) -> str | None:
        """The acting member's email as the team base knows it; None for nobody or a
        stranger."""
        from kith.domain.team import TeamError, normalise_email
        from kith.store import ties

        if not self.member:
            return None
        try:
            return ties.active_member(source, normalise_email(self.member))
        except TeamError:
            return None

    def _cooldown(self, connection: Connection, ctx: Context, pid: int, anyway: bool) -> None:
        """In a team base, refuse an ask inside a teammate's cooldown unless `anyway`."""
        member = self._reader(connection)
        if member is None or anyway:
            return
        held = context.team_asks(connection, ctx.now, member, ctx.rules.team_cooldown_days)
        if pid in held:
            from kith.domain.team import cooldown_reason

            ask = held[pid]
            days = ctx.rules.team_cooldown_days
            raise InvalidInput(
                f"{cooldown_reason(ask, ctx.today, ctx.day_of(ask.at))} (the team waits "
                f"{days} days between asks to one person); add --anyway to ask all the same."
            )

    def _writer(self, connection: Connection) -> str | None:
        """Who a write is recorded as: in a team base the acting member's email as members
        are known (`unit` has checked them), else `KITH_USER` as given, or nobody."""
        from kith.store import ties

        return self._member_in(connection) if ties.is_team(connection) else self.member

    def _allow(self, connection: Connection, operation: str) -> str | None:
        """In a team base, refuse `operation` unless the acting member may do it; returns
        that member's email (None in a one-user base)."""
        acting = team.acting(connection, self.member, operation)
        return None if acting is None else acting.email

    def _audit(
        self, connection: Connection, action: str, person_id: int | None = None, detail: str = ""
    ) -> None:
        """One entry in the audit trail (docs/team.md, "Audit"), in the write's transaction:
        who (the acting member, else KITH_USER or nobody), when, what, to whom."""
        from kith.store import audit

        audit.record(connection, self.now(), self._writer(connection), action, person_id, detail)

    def _refresh_stale(
        self, connection: Connection, ctx: Context, missing_only: bool = False
    ) -> None:
        """Recompute figures computed on another day (or, with `missing_only`, only those
        never computed: the agenda bounds stale figures itself but needs every person's)."""
        if missing_only:
            stale = candidates.missing_ids(connection)
        else:
            stale = stats.stale_ids(connection, ctx.today)
        if not stale:
            return
        total = len(stale)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if self.progress:
                self.progress("Updating tie strengths", done, total)

        refresh.refresh(connection, ctx, stale, step if total > 2000 else None)

    def refresh_stale(self, batch: int = 2000) -> int:
        """Bring figures computed on another day up to today, `batch` people per transaction:
        a long-running server does this in the background, where readers go on seeing the
        stored figures (a day old at most) and a writer waits for one batch at most. Returns
        how many were refreshed."""
        if batch < 1:
            raise InvalidInput(f"batch must be at least 1 (got {batch}).")
        with self.engine.connect() as connection:
            stale = stats.stale_ids(connection, context.build(connection, self.now()).today)
        for start in range(0, len(stale), batch):
            with self.unit() as (connection, ctx):
                refresh.refresh(connection, ctx, stale[start : start + batch])
        return len(stale)

    # -- set-up ---------------------------------------------------------------------------
    def init(
        self, city: str | None = None, timezone: str | None = None, me: Sequence[str] = ()
    ) -> dict[str, Any]:
        """Create the base or change its settings: home city, time zone, and the user's own
        identities (`me`: handles such as x:ana or email:ana@example.org, or display names)."""
        with self.engine.begin() as connection:
            self._allow(connection, "settings")
            if timezone is not None:
                from kith.domain.calendar import zone

                try:
                    zone(timezone)
                except Exception:
                    raise InvalidInput(
                        f"Unknown time zone '{timezone}'; use an IANA name such as "
                        "Europe/Lisbon or America/Chicago."
                    ) from None
                settings.put(connection, "timezone", timezone)
            if city is not None:
                place = people.locate(city)
                settings.put(
                    connection,
                    "home",
                    {
                        "city": place.city,
                        "country": place.country,
                        "lat": place.lat,
                        "lon": place.lon,
                    },
                )
            if me:
                own_identities.add(connection, me, _region(connection))
            if city is not None or timezone is not None or me:
                changed = [n for n, v in (("city", city), ("timezone", timezone)) if v]
                self._audit(connection, "init", detail=", ".join(changed + ["me"] * bool(me)))
            return {"db": self.url, **self._profile(connection)}

    def profile(self, add: Sequence[str] = (), remove: Sequence[str] = ()) -> dict[str, Any]:
        """The user: home, time zone and own identities, after adding and removing some."""
        with self.engine.begin() as connection:
            # in a team base each member has their own identities
            if add or remove:
                member = self._allow(connection, "record")
            else:
                member = self._reader(connection)
            if remove:
                own_identities.remove(connection, remove, _region(connection), member)
            if add:
                own_identities.add(connection, add, _region(connection), member)
            if add or remove:
                self._audit(connection, "profile", detail=f"+{len(add)} -{len(remove)} identities")
            return self._profile(connection, member)

    @staticmethod
    def _profile(connection: Connection, member: str | None = None) -> dict[str, Any]:
        home = settings.get(connection, "home") or {}
        return {
            "timezone": context.user_timezone(connection),
            "home": home.get("city"),
            **own_identities.load(connection, member).as_json(),
        }

    def rules(self, changes: dict[str, str] | None = None, reset: bool = False) -> dict[str, Any]:
        """The relationship rules' numbers; `changes` (name to value) and `reset` change them
        for the whole base, and every stored figure is recomputed under the new rules."""
        with self.unit("settings" if changes or reset else None) as (connection, ctx):
            if changes or reset:
                overrides = {} if reset else dict(settings.get(connection, "rules", {}) or {})
                overrides.update(context.parse_rule_changes(changes or {}))
                settings.put(connection, "rules", overrides)
                self._audit(
                    connection, "rules", detail="reset" if reset else ", ".join(changes or {})
                )
                ctx = context.build(connection, ctx.now)
                self._refresh_everyone(connection, ctx, "Recomputing under the new rules")
            return context.describe(ctx.rules)

    def _refresh_everyone(self, connection: Connection, ctx: Context, label: str) -> None:
        """Recompute everyone's figures, with a progress bar under `label`."""
        ids = candidates.all_ids(connection)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if self.progress:
                self.progress(label, done, len(ids))

        refresh.refresh(connection, ctx, ids, step)

    # -- the team (docs/team.md) -----------------------------------------------------------
    def is_team(self) -> bool:
        """Whether the base has members (a team base)."""
        from kith.store import members

        with self.engine.connect() as connection:
            return members.is_team(connection)

    def team_init(self, email: str, name: str, password: str) -> dict[str, Any]:
        """Make this base a team base with its first owner, whose history is what the base
        held so far (each member's own figures are computed here)."""
        with self.unit() as (connection, ctx):
            owner = team.init(connection, ctx.now, email, name, password)
            self._audit(connection, "team init", detail=owner.email)
            self._refresh_everyone(connection, ctx, "Computing the owner's figures")
            return team.as_json(owner, ctx.rules.timezone)

    def team_add(
        self, email: str, name: str, role: str = "member", password: str | None = None
    ) -> dict[str, Any]:
        """Add a member (an owner's work); without a password they set one when they join."""
        with self.unit("team") as (connection, ctx):
            added = team.add(connection, ctx.now, email, name, team.role_of(role), password)
            self._audit(connection, "team add", detail=f"{added.email} as {added.role.value}")
            return team.as_json(added, ctx.rules.timezone)

    def team_members(self) -> list[dict[str, Any]]:
        with self.unit() as (connection, ctx):
            return team.listing(connection, ctx.rules.timezone)

    def team_role(self, email: str, role: str) -> dict[str, Any]:
        with self.unit("team") as (connection, ctx):
            changed = team.set_role(connection, email, team.role_of(role))
            self._audit(connection, "team role", detail=f"{changed.email} {changed.role.value}")
            return team.as_json(changed, ctx.rules.timezone)

    def team_remove(self, email: str) -> dict[str, Any]:
        """End a membership at once; the member's history stays, attributed to them."""
        with self.unit("team") as (connection, ctx):
            gone = team.remove(connection, ctx.now, email)
            self._audit(connection, "team remove", detail=gone.email)
            return team.as_json(gone, ctx.rules.timezone)

    def team_invite(self, email: str, role: str = "member") -> dict[str, Any]:
        """A single-use join link's token for `email`, valid 7 days (shown once)."""
        with self.unit("team") as (connection, ctx):
            member, secret = signin.invite(connection, ctx.now, email, team.role_of(role))
            self._audit(connection, "team invite", detail=f"{member.email} as {member.role.value}")
            return {"member": team.as_json(member, ctx.rules.timezone), "token": secret}

    def team_token(self, email: str, label: str) -> str:
        """A bearer token for the JSON API, acting as `email` (shown once)."""
        with self.unit("team") as (connection, ctx):
            made = signin.api_token(connection, ctx.now, email, label)
            self._audit(connection, "team token", detail=f"{email} {label}".strip())
            return made

    def team_share(self, texts: bool) -> dict[str, Any]:
        """Whether teammates see the words of the acting member's messages (docs/team.md,
        "Privacy"); only the member themselves decides."""
        with self.unit() as (connection, ctx):
            changed = team.share_texts(connection, self._allow(connection, "share"), texts)
            self._audit(connection, "team share", detail="texts" if texts else "no texts")
            return team.as_json(changed, ctx.rules.timezone)

    def team_revoke(self, email: str, label: str) -> int:
        with self.unit("team") as (connection, ctx):
            revoked = signin.revoke(connection, ctx.now, email, label)
            self._audit(connection, "team revoke", detail=f"{email} {label}".strip())
            return revoked

    def sign_in(self, email: str, password: str, address: str) -> dict[str, Any]:
        """A new session for the member, or NotSignedIn / TooManyAttempts; a failure is
        recorded (committed) before it is said, so that every server process counts it."""
        from kith.errors import NotSignedIn, TooManyAttempts

        with self.unit() as (connection, ctx):
            tried = signin.attempt(connection, ctx.now, email, password, address)
            if tried.member is not None and tried.secret is not None:
                return {
                    "member": team.as_json(tried.member, ctx.rules.timezone),
                    "session": tried.secret,
                }
        if tried.wait is not None:
            minutes = max(1, round(tried.wait / 60))
            raise TooManyAttempts(
                f"Too many failed sign-ins; try again in {minutes} minute"
                f"{'' if minutes == 1 else 's'}.",
                tried.wait,
            )
        with self.unit() as (connection, ctx):
            signin.failed(connection, ctx.now, email, address)
        raise NotSignedIn(signin.WRONG)

    def signed_in(self, session: str) -> dict[str, Any] | None:
        """The member a browser session belongs to (None: signed out, idle, removed)."""
        with self.engine.begin() as connection:  # every request asks: no rules' context
            found = signin.session_member(connection, self.now(), session)
            return None if found is None else team.as_json(found, context.user_timezone(connection))

    def bearer(self, token: str) -> dict[str, Any] | None:
        """The member an API token belongs to (None: unknown, revoked, member removed)."""
        with self.engine.begin() as connection:
            found = signin.bearer_member(connection, self.now(), token)
            return None if found is None else team.as_json(found, context.user_timezone(connection))

    def sign_out(self, session: str) -> None:
        with self.engine.begin() as connection:
            signin.sign_out(connection, session)

    def join(self, token: str, name: str, password: str) -> dict[str, Any]:
        """Use a join link: the member sets their name and password and is signed in."""
        with self.unit() as (connection, ctx):
            member, session = signin.join(connection, ctx.now, token, name, password)
            from kith.store import audit

            audit.record(connection, ctx.now, member.email, "team join", detail=member.email)
            return {"member": team.as_json(member, ctx.rules.timezone), "session": session}

    def dnc(self, reference: str, reason: str) -> dict[str, Any]:
        """Put a person on the do-not-contact list (any member): no suggestion for anyone."""
        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            dnc.put(connection, ctx, pid, reason, self._writer(connection))
            self._audit(connection, "dnc", pid, reason)
            return {"id": pid, "name": _name_of(connection, pid), "listed": True}

    def dnc_clear(self, reference: str) -> dict[str, Any]:
        """Take a person off the do-not-contact list (an owner's work in a team base)."""
        from kith.store import dnc as listed

        with self.unit("dnc-clear") as (connection, _ctx):
            pid = resolve.person_id(connection, reference)
            if not listed.clear(connection, pid):
                raise InvalidInput(f"{_name_of(connection, pid)} is not on the list.")
            self._audit(connection, "dnc clear", pid)
            return {"id": pid, "name": _name_of(connection, pid), "listed": False}

    def dnc_list(self) -> list[dict[str, Any]]:
        with self.unit() as (connection, ctx):
            return dnc.listing(connection, ctx)

    # -- people ---------------------------------------------------------------------------
    def person_id(self, reference: str) -> int:
        with self.engine.connect() as connection:
            return resolve.person_id(connection, reference)

    def name_of(self, reference: str) -> str:
        """The name of the person `reference` names (NotFound when no one)."""
        with self.engine.connect() as connection:
            return _name_of(connection, resolve.person_id(connection, reference))

    def add(
        self,
        name: str,
        handles: Sequence[str] = (),
        city: str | None = None,
        tags: Sequence[str] = (),
        circle: int | None = None,
        birthday: date | None = None,
    ) -> dict[str, Any]:
        with self.unit("people") as (connection, ctx):
            pid = people.add(connection, ctx, name, handles, city, tags, circle, birthday)
            self._audit(connection, "add", pid)
            return self._shown(connection, ctx, pid)

    def edit(self, reference: str, **changes: Any) -> dict[str, Any]:
        """Change a person; keyword arguments as in :func:`kith.services.people.edit`."""
        with self.unit("people") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            people.edit(connection, ctx, pid, **changes)
            self._audit(connection, "edit", pid, ", ".join(sorted(changes)))
            return self._shown(connection, ctx, pid)

    def merge(self, keep: str, gone: str) -> dict[str, Any]:
        with self.unit("people") as (connection, ctx):
            a = resolve.person_id(connection, keep)
            b = resolve.person_id(connection, gone)
            people.merge(connection, ctx, a, b)
            self._audit(connection, "merge", a, f"#{b} merged into #{a}")
            return self._shown(connection, ctx, a)

    def not_same(self, a: str, b: str) -> dict[str, Any]:
        """Remember that `a` and `b` are two different people: the pair leaves the
        duplicates list for good (`same_maybe` takes that back). Returns both, by id and
        name, and whether this was new (`changed`)."""
        with self.unit("people") as (connection, ctx):
            x = resolve.person_id(connection, a)
            y = resolve.person_id(connection, b)
            changed = people.keep_apart(connection, ctx, x, y)
            self._audit(connection, "not same", x, f"#{x} and #{y} are two people")
            return _pair(connection, x, y, changed)

    def same_maybe(self, a: str, b: str) -> dict[str, Any]:
        """Take back `not_same(a, b)`: the pair may be suggested as duplicates again.
        Returns both as `not_same` does (`changed`: whether they had been kept apart)."""
        from kith.store import distinct

        with self.unit("people") as (connection, _ctx):
            x = resolve.person_id(connection, a)
            y = resolve.person_id(connection, b)
            changed = distinct.is_marked(connection, x, y)
            distinct.unmark(connection, x, y)
            self._audit(connection, "same maybe", x, f"#{x} and #{y} may be one person")
            return _pair(connection, x, y, changed)

    def forget(self, reference: str) -> str:
        with self.unit("forget") as (connection, _ctx):
            pid = resolve.person_id(connection, reference)
            gone = people.forget(connection, pid)
            self._audit(connection, "forget", pid)  # the id, not the name that was forgotten
            return gone

    # -- records --------------------------------------------------------------------------
    def log(
        self,
        reference: str,
        channel: str,
        direction: str | None = None,
        at: str | datetime | None = None,
        text: str | None = None,
        minutes: int | None = None,
        anyway: bool = False,
    ) -> dict[str, Any]:
        """Log a touch; reaching out to someone on the do-not-contact list needs `anyway`."""
        from kith.parsing import parse_choice, parse_time

        chosen = parse_choice(Channel, channel, "channel")
        way = None if direction is None else parse_choice(Direction, direction, "direction")
        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            if way is not Direction.IN:
                dnc.guard(connection, pid, _name_of(connection, pid), anyway)
            when = parse_time(at, ctx.rules.timezone, ctx.now) if isinstance(at, str) else at
            touch = records.log(
                connection, ctx, pid, chosen, way, when, text, minutes, self._writer(connection)
            )
            self._audit(
                connection, "log", pid, f"{chosen.value} {way.value if way else ''}".strip()
            )
            shown = self._shown(connection, ctx, pid)
            shown["logged"] = {"id": touch}
            return shown

    def unlog(self, reference: str, interaction_id: int) -> dict[str, Any]:
        """Take back a touch logged by hand (`log` returns its id as `logged.id`); imported
        touches cannot be taken back this way."""
        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            records.unlog(connection, ctx, pid, interaction_id)
            self._audit(connection, "unlog", pid, f"interaction {interaction_id}")
            return self._shown(connection, ctx, pid)

    def remember(
        self, reference: str, text: str, on: str | date | None = None, private: bool = False
    ) -> dict[str, Any]:
        from kith.parsing import parse_date

        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            day = parse_date(on, ctx.rules.timezone, ctx.now) if isinstance(on, str) else on
            records.remember(connection, ctx, pid, text, day, private, self._writer(connection))
            self._audit(connection, "remember", pid, "private" if private else "")
            return self._shown(connection, ctx, pid)

    def invite(
        self, reference: str, kind: str | None = None, anyway: bool = False
    ) -> dict[str, Any]:
        """Record a real-life ask; to someone on the do-not-contact list, or in a team base
        inside a teammate's cooldown (docs/team.md), it needs `anyway`."""
        from kith.parsing import parse_choice

        chosen = None if kind is None else parse_choice(AskKind, kind, "kind")
        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            dnc.guard(connection, pid, _name_of(connection, pid), anyway)
            self._cooldown(connection, ctx, pid, anyway)
            invite_id, ask = records.invite(connection, ctx, pid, chosen, self._writer(connection))
            self._audit(connection, "invite", pid, ask.value + (" anyway" if anyway else ""))
            shown = self._shown(connection, ctx, pid)
            shown["invite"] = {"id": invite_id, "kind": ask.value}
            return shown

    def respond(
        self,
        reference: str,
        answer: str,
        when: str | datetime | None = None,
        where: str | None = None,
    ) -> dict[str, Any]:
        from kith.parsing import parse_choice, parse_time

        response = parse_choice(Response, answer, "answer")
        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            moment = (
                parse_time(when, ctx.rules.timezone, ctx.now) if isinstance(when, str) else when
            )
            inv = records.respond(
                connection, ctx, pid, response, moment, where, self._writer(connection)
            )
            self._audit(connection, "respond", pid, response.value)
            shown = self._shown(connection, ctx, pid)
            shown["invite"] = views.invite(inv, ctx.rules.timezone)
            return shown

    def ask_and_answer(
        self, reference: str, kind: str | None, answer: str = "pending"
    ) -> dict[str, Any]:
        """Record a real-life ask and, unless still `pending`, its answer, in one
        transaction (a form that asks "did you ask, and what did they say?")."""
        from kith.parsing import parse_choice

        chosen = None if not kind else parse_choice(AskKind, kind, "kind")
        reply = parse_choice(Response, answer, "answer")
        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            dnc.guard(connection, pid, _name_of(connection, pid), False)
            self._cooldown(connection, ctx, pid, False)
            writer = self._writer(connection)
            invite_id, ask = records.invite(connection, ctx, pid, chosen, writer)
            self._audit(connection, "invite", pid, ask.value)
            if reply is not Response.PENDING:
                records.respond(connection, ctx, pid, reply, member=writer)
                self._audit(connection, "respond", pid, reply.value)
            shown = self._shown(connection, ctx, pid)
            shown["invite"] = {"id": invite_id, "kind": ask.value}
            return shown

    # -- trips and gatherings -----------------------------------------------------------
    def trip(self, city: str, starts: str | date, ends: str | date) -> dict[str, Any]:
        """Record a trip; while it is on, and in the days before, the agenda suggests meeting
        people who live near."""
        from kith.parsing import parse_date
        from kith.services import trips

        with self.unit("record") as (connection, ctx):
            tz = ctx.rules.timezone
            first = parse_date(starts, tz, ctx.now) if isinstance(starts, str) else starts
            last = parse_date(ends, tz, ctx.now) if isinstance(ends, str) else ends
            trip_id = trips.add(connection, ctx, city, first, last, self._writer(connection))
            self._audit(connection, "trip", detail=f"trip {trip_id}")
            ctx = context.build(connection, ctx.now)
            return next(t for t in trips.listing(ctx) if t["id"] == trip_id)

    def trips(self) -> list[dict[str, Any]]:
        from kith.services import trips

        with self.unit() as (_connection, ctx):
            return trips.listing(ctx)

    def remove_trip(self, trip_id: int) -> dict[str, Any]:
        """Delete a trip; returns it as stored (city, country, lat, lon, from, to), which
        `restore_trip` takes to put it back."""
        from kith.services import trips

        with self.unit("record") as (connection, _ctx):
            removed = trips.remove(connection, trip_id)
            self._audit(connection, "trip remove", detail=f"trip {trip_id}")
            return removed

    def restore_trip(self, removed: dict[str, Any]) -> dict[str, Any]:
        """Put back a trip that `remove_trip` returned (the web's Undo); a new id."""
        from kith.services import trips

        with self.unit("record") as (connection, ctx):
            trip_id = trips.restore(connection, ctx, removed, self._writer(connection))
            self._audit(connection, "trip", detail=f"trip {trip_id} (restored)")
            ctx = context.build(connection, ctx.now)
            return next(t for t in trips.listing(ctx) if t["id"] == trip_id)

    def gather(
        self,
        title: str,
        at: str | datetime,
        where: str,
        invite: Sequence[str] = (),
        tag: str | None = None,
        minutes: int = 180,
    ) -> dict[str, Any]:
        """Plan a gathering: one personal invitation per guest; see `gathering_ics`."""
        from kith.parsing import parse_time
        from kith.services import gatherings

        with self.unit("record") as (connection, ctx):
            when = parse_time(at, ctx.rules.timezone, ctx.now) if isinstance(at, str) else at
            gid = gatherings.plan(
                connection, ctx, title, when, where, invite, tag, minutes, self._writer(connection)
            )
            self._audit(connection, "gather", detail=f"gathering {gid}")
            return gatherings.view(connection, ctx, gid)

    def guest_candidates(
        self, invite: Sequence[str] = (), tag: str | None = None, city: str | None = None
    ) -> dict[str, Any]:
        """Who a gathering for `invite` or `tag` would invite, before it is planned: each
        guest's city, distance from the venue (`city`, else your home) and stage, with the far
        (over 100 km) and the not-yet-acquainted flagged and not suggested."""
        from kith.services import gatherings

        with self.unit() as (connection, ctx):
            return gatherings.candidates(connection, ctx, invite, tag, city)

    def gatherings(self) -> list[dict[str, Any]]:
        from kith.services import gatherings

        with self.unit() as (connection, ctx):
            return gatherings.listing(connection, ctx)

    def gathering(self, reference: str) -> dict[str, Any]:
        from kith.services import gatherings

        with self.unit() as (connection, ctx):
            return gatherings.view(connection, ctx, gatherings.find(connection, reference))

    def gathering_ics(self, reference: str) -> bytes:
        from kith.services import gatherings

        with self.unit() as (connection, ctx):
            return gatherings.ics(connection, ctx, gatherings.find(connection, reference))

    def rsvp(self, gathering: str, person: str, answer: str) -> dict[str, Any]:
        from kith.domain.gatherings import Rsvp
        from kith.parsing import parse_choice
        from kith.services import gatherings

        choice = parse_choice(Rsvp, answer, "answer")
        with self.unit("record") as (connection, ctx):
            gid = gatherings.find(connection, gathering)
            pid = resolve.person_id(connection, person)
            gatherings.answer(connection, ctx, gid, pid, choice)
            self._audit(connection, "rsvp", pid, f"gathering {gid}: {choice.value}")
            return gatherings.view(connection, ctx, gid)

    def attended(self, gathering: str, people_who_came: Sequence[str] = ()) -> dict[str, Any]:
        """Log the gathering as an in-person interaction with each guest who came (by
        default, those who said yes)."""
        from kith.services import gatherings

        with self.unit("record") as (connection, ctx):
            gid = gatherings.find(connection, gathering)
            came = [resolve.person_id(connection, ref) for ref in people_who_came]
            gatherings.attended(connection, ctx, gid, came)
            self._audit(connection, "attended", detail=f"gathering {gid}")
            return gatherings.view(connection, ctx, gid)

    # -- imports --------------------------------------------------------------------------
    def import_file(
        self,
        source: str,
        path: str | Path,
        me: Sequence[str] = (),
        tz: str | None = None,
        dry_run: bool = False,
        region: str | None = None,
    ) -> dict[str, Any]:
        """Import an export (see `kith.ingest`); all or nothing. With `dry_run`, report what
        would change and write nothing. Another import adding the same people at the same
        moment makes this one's transaction fail on a unique handle or message; it is then
        run again (it finds theirs in the base), up to `IMPORT_ATTEMPTS` times."""
        for attempt in range(1, IMPORT_ATTEMPTS + 1):
            try:
                return self._import_once(source, path, me, tz, dry_run, region)
            except _unique_clashes():
                if attempt == IMPORT_ATTEMPTS:
                    raise InvalidInput(
                        "The import could not be written: another import kept adding the same "
                        "people or messages at the same moment; nothing was written, run it "
                        "again."
                    ) from None
        raise AssertionError("unreachable")

    def _import_once(
        self,
        source: str,
        path: str | Path,
        me: Sequence[str],
        tz: str | None,
        dry_run: bool,
        region: str | None,
    ) -> dict[str, Any]:
        from kith.ingest.registry import get
        from kith.services import importing

        importer = get(source)
        target = Path(path).expanduser()
        connection = self.engine.connect()
        try:
            with connection.begin() as transaction:
                member = self._allow(connection, "import") if not dry_run else None
                if dry_run:
                    member = self._reader(connection)
                ctx = context.build(connection, self.now())
                zone = tz or ctx.rules.timezone
                if tz is not None:
                    from kith.domain.calendar import zone as check_zone

                    try:
                        check_zone(tz)
                    except Exception:
                        raise InvalidInput(f"Unknown time zone '{tz}'.") from None
                label = f"Importing {importer.title}"
                report = self.progress
                home = settings.get(connection, "home") or {}
                country = (region or home.get("country") or "US").strip().upper()
                if len(country) != 2 or not country.isalpha():
                    raise InvalidInput(
                        f"--region takes a two-letter country code such as DE (got '{region}')."
                    )
                options = importing.options(
                    connection,
                    me,
                    tz=zone,
                    region=country,
                    now=ctx.now,
                    progress=(lambda done, total: report(label, done, total)) if report else None,
                    member=member,
                )
                summary = importing.run(connection, ctx, importer, target, options, report, member)
                own_identities.add(connection, me, country, member)  # --me is never asked twice
                self._audit(connection, "import", detail=f"{source}: {Path(path).name}")
                summary.dry_run = dry_run
                if dry_run:
                    transaction.rollback()
            return summary.as_json()
        finally:
            connection.close()

    # -- sync sources (docs/sync.md) ------------------------------------------------------
    def sync_add(self, name: str, kind: str, settings: dict[str, Any]) -> dict[str, Any]:
        """Configure a sync source. `settings` hold where it reads and `secret`: where its
        password comes from (an environment variable, a command, a keyring entry), never
        the password itself."""
        from kith.services import syncing

        with self.unit("import") as (connection, ctx):
            member = self._writer(connection)
            source = syncing.add(connection, name, kind, settings, ctx.now, member)
            self._audit(connection, "sync-add", detail=f"{kind}: {name}")
            return syncing.describe(source, ctx.rules.timezone)

    def sync_sources(self) -> list[dict[str, Any]]:
        """Every sync source with its last run."""
        from kith.services import syncing
        from kith.store import sync_sources

        with self.unit() as (connection, ctx):
            zone = ctx.rules.timezone
            return [syncing.describe(s, zone) for s in sync_sources.all_sources(connection)]

    def sync_remove(self, name: str) -> None:
        """Forget a sync source (what it brought stays)."""
        from kith.store import sync_sources

        with self.unit("import") as (connection, _ctx):
            if not sync_sources.remove(connection, name):
                raise InvalidInput(f"No sync source is named '{name}' (kith sync list).")
            self._audit(connection, "sync-remove", detail=name)

    def sync(self, names: Sequence[str] = ()) -> list[dict[str, Any]]:
        """Run every sync source (or those named) once, each in its own transaction: one
        that fails is recorded with its error and never stops the others."""
        from kith.errors import KithError
        from kith.services import importing, syncing
        from kith.store import sync_sources
        from kith.sync.secrets import reveal

        with self.engine.connect() as connection:
            every = sync_sources.all_sources(connection)
        unknown = sorted(set(names) - {s.name for s in every})
        if unknown:
            raise InvalidInput(f"No sync source is named {', '.join(unknown)} (kith sync list).")
        chosen = [s for s in every if not names or s.name in names]
        results: list[dict[str, Any]] = []
        for number, source in enumerate(chosen):
            if self.progress is not None:
                self.progress(f"Syncing {source.name}", number, len(chosen))
            secret_of: list[str] = []
            # the server's own runs act as the member who added the source (a team base)
            acting = nullcontext() if self.member is not None else acting_as(source.member)
            try:
                with acting, self.unit("import") as (connection, ctx):
                    fresh = sync_sources.get(connection, source.name)
                    if fresh is None:  # removed meanwhile
                        continue
                    secret = reveal(fresh.settings.get("secret", {}))
                    secret_of.append(secret)
                    home = settings.get(connection, "home") or {}
                    options = importing.options(
                        connection,
                        fresh.settings.get("me", []),
                        tz=ctx.rules.timezone,
                        region=str(home.get("country") or "US").upper(),
                        now=ctx.now,
                        member=fresh.member,
                    )
                    result = syncing.run_one(connection, ctx, fresh, options, secret, self.progress)
                    self._audit(
                        connection,
                        "sync",
                        detail=f"{source.name}: {result.interactions_added} added",
                    )
            except KithError as exc:
                result = self._sync_failed(source.name, source.kind, str(exc), secret_of)
            except Exception as exc:  # a library's own failure: recorded, never a traceback
                from kith.errors import describe

                result = self._sync_failed(source.name, source.kind, describe(exc), secret_of)
            results.append(result.as_json())
        return results

    def _sync_failed(self, name: str, kind: str, error: str, secrets: list[str]) -> Any:
        """A failed run, recorded in a transaction of its own, its words cleared of the
        secret should a server or library have echoed it."""
        from kith.services.syncing import RunResult
        from kith.store import sync_sources

        for secret in secrets:
            if secret:
                error = error.replace(secret, "***")
        with self.engine.begin() as connection:
            sync_sources.record_run(connection, name, self.now(), error=error)
        return RunResult(name=name, kind=kind, ok=False, error=error)

    def export_json(self, out: IO[str]) -> int:
        """Write everything to `out` as kith-json (re-importable with `import_file`)."""
        from kith.services import exporting

        with self.engine.connect() as connection, connection.begin():
            self._allow(connection, "backup")
            total = len(candidates.all_ids(connection))
            report = self.progress

            def step(done: int, _total: int) -> None:
                if report:
                    report("Exporting", done, total)

            return exporting.export_json(connection, out, self.now(), step)

    def export_vcard(self, out: IO[str]) -> int:
        """Write every person as a vCard 4.0 to `out`; returns how many."""
        from kith.services.address_book import cards

        count = 0
        with self.engine.connect() as connection, connection.begin():
            for card in cards(connection):
                out.write(card)
                count += 1
        return count

    def export_ics(self) -> bytes:
        """Scheduled asks, gatherings, dated facts (not private ones) and birthdays."""
        from kith.services.calendar_export import calendar

        with self.unit() as (connection, ctx):
            return calendar(connection, ctx)

    def calendar_token(self, rotate: bool = False) -> str:
        """The secret of the calendar feed (`/calendar/TOKEN.ics` of `kith serve`), made on
        first use; `rotate` replaces it, and the old address stops working."""
        import secrets as tokens

        with self.unit("settings" if rotate else None) as (connection, _ctx):
            token = settings.get(connection, FEED_TOKEN)
            if rotate or not token:
                token = tokens.token_urlsafe(24)
                settings.put(connection, FEED_TOKEN, token)
                if rotate:
                    self._audit(connection, "calendar-token", detail="rotated")
            return str(token)

    def calendar_feed(self, token: str) -> bytes:
        """The calendar feed, for the holder of its token (else NotFound, as for any
        address that is not there)."""
        import hmac

        from kith.errors import NotFound
        from kith.services.calendar_export import calendar

        with self.unit() as (connection, ctx):
            kept = settings.get(connection, FEED_TOKEN)
            if not kept or not hmac.compare_digest(str(kept).encode(), token.encode()):
                raise NotFound("There is no page here.")
            return calendar(connection, ctx)

    def backup(self, path: str | Path) -> str:
        """A consistent copy of the base at `path` (SQLite: a database file; PostgreSQL: a
        kith-json export). Returns "sqlite" or "kith-json". In a team base, owners only."""
        from kith.services.backup import backup

        with self.engine.connect() as connection:
            self._allow(connection, "backup")

        def as_json(target: Path) -> int:
            with target.open("w", encoding="utf-8") as out:
                return self.export_json(out)

        return backup(self.engine, Path(path).expanduser(), as_json)

    def snooze(self, reference: str, days: int = 7, action: str | None = None) -> dict[str, Any]:
        """Set a person's suggestion (by default today's) aside for `days` days."""
        from kith.domain.model import Action
        from kith.parsing import parse_choice
        from kith.services.snoozing import snooze

        chosen = None if action is None else parse_choice(Action, action, "action")
        with self.unit("record") as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            done, until = snooze(connection, ctx, pid, days, chosen)
            self._audit(connection, "snooze", pid, f"{done.value} until {until.isoformat()}")
            name = _name_of(connection, pid)
            return {
                "person_id": pid,
                "name": name,
                "action": done.value,
                "until": until.isoformat(),
            }

    def unsnooze(self, reference: str, action: str) -> dict[str, Any]:
        """Bring a snoozed suggestion back (the web's Undo)."""
        from kith.domain.model import Action
        from kith.parsing import parse_choice
        from kith.services.snoozing import unsnooze

        chosen = parse_choice(Action, action, "action")
        with self.unit("record") as (connection, _ctx):
            pid = resolve.person_id(connection, reference)
            unsnooze(connection, pid, chosen)
            self._audit(connection, "unsnooze", pid, chosen.value)
            return {"person_id": pid, "name": _name_of(connection, pid), "action": chosen.value}

    def verdict(self, text: str, to: str | None = None) -> Verdict:
        """Flags on a draft before it is sent (docs/check.md), and for whom."""
        from kith.services import vigilance

        with self.unit() as (connection, ctx):
            return vigilance.check(connection, ctx, text, to)

    def check(self, text: str, to: str | None = None) -> dict[str, Any]:
        """`verdict` in the `check` JSON shape: `{"ok", "flags"}`."""
        return self.verdict(text, to).as_json()

    def report_result(self) -> Report:
        """What vanity metrics miss (see docs/report.md), as the rules' own record; long work
        reports to `progress` as "Measuring"."""
        from kith.services import report

        progress = self.progress

        def step(done: int, total: int) -> None:
            if progress is not None:
                progress("Measuring", done, total)

        with self.unit() as (connection, ctx):
            return report.build(connection, ctx, step)

    def report(self) -> dict[str, Any]:
        """`report_result` in the `report` JSON shape (docs/cli.md, docs/report.md)."""
        return report_json(self.report_result())

    # -- reading --------------------------------------------------------------------------
    def show(self, reference: str, recent: int = 20) -> dict[str, Any]:
        """A person's story; in a team base, the acting member's own relationship with them
        and who on the team knows them (docs/team.md)."""
        with self.engine.begin() as connection:
            pid = resolve.person_id(connection, reference)
            return self._shown(connection, None, pid, recent)

    def _shown(
        self, connection: Connection, ctx: Context | None, pid: int, recent: int = 20
    ) -> dict[str, Any]:
        """`show` inside a unit of work (whose context is `ctx`; None: built here): in a team
        base, as the acting member sees them."""
        from kith.store import ties

        team_base = ties.is_team(connection)
        member = self._member_in(connection) if team_base else None
        if ctx is None or member is not None:  # the rules' context of this member
            ctx = context.build(connection, self.now() if ctx is None else ctx.now, member)
        return profile.show(connection, ctx, pid, recent, member, team_base)

    def audit(
        self,
        person: str | None = None,
        member: str | None = None,
        since: str | date | None = None,
        limit: int = 1000,
    ) -> list[dict[str, Any]]:
        """The audit trail, newest first (docs/team.md, "Audit"), narrowed to a person (who
        may since have been forgotten: give their id), a member and a first day."""
        from kith.services import audit_trail

        with self.unit() as (connection, ctx):
            return audit_trail.read(connection, ctx, person, member, since, limit)

    def who_knows(self, reference: str) -> list[dict[str, Any]]:
        """Every current member with any history with this person, strongest tie first."""
        from kith.services.who_knows import who_knows

        with self.unit() as (connection, ctx):
            pid = resolve.person_id(connection, reference)
            return who_knows(connection, ctx, pid, self._reader(connection))

    def people(
        self,
        sort: str = "strength",
        limit: int | None = None,
        offset: int = 0,
        **filters: Unpack[PeopleFilter],
    ) -> list[dict[str, Any]]:
        """The People list (`kith people --json` rows): filtered, sorted and paged."""
        query = self._people_query(filters, sort, limit, offset)
        with self.unit() as (connection, ctx):
            self._refresh_stale(connection, ctx)
            return [views.people_row(r) for r in stats.list_people(connection, query)]

    def people_order(self, sort: str = "strength", **filters: Unpack[PeopleFilter]) -> list[int]:
        """The ids of everyone `people` would list with these filters, in its order: for a
        list that pages through a large base without sorting it again for each page."""
        query = self._people_query(filters, sort)
        with self.engine.connect() as connection:
            return stats.ordered_ids(connection, query)

    def people_rows(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """The `people` rows of these people, in this order (unknown ids left out)."""
        if not ids:
            return []
        with self.engine.connect() as connection:
            found = stats.rows_by_id(connection, ids)
        return [views.people_row(found[pid]) for pid in ids if pid in found]

    def filter_choices(self, limit: int = 30) -> dict[str, list[str]]:
        """The most common tags and cities of the base (what the People filters offer)."""
        from kith.store import choices

        with self.engine.connect() as connection:
            return {
                "tags": choices.common_tags(connection, limit),
                "cities": choices.common_cities(connection, limit),
            }

    def duplicates(self, limit: int = 50) -> list[dict[str, Any]]:
        """Pairs of records that look like one human, for the user to confirm with merge."""
        from kith.services.duplicates import likely_pairs

        with self.engine.connect() as connection:
            return [p.as_json() for p in likely_pairs(connection, limit)]

    def merge_preview(self, keep: str, gone: str) -> dict[str, Any]:
        """What `merge(keep, gone)` would do, writing nothing: both records side by side
        (`keep`, `gone`: name, handles, city, tags, circle, counts of interactions, facts
        and asks) and the person that would remain (`merged`, with `taken`: the fields it
        would take from `gone`)."""
        with self.engine.connect() as connection:
            a = resolve.person_id(connection, keep)
            b = resolve.person_id(connection, gone)
            return people.merge_preview(connection, a, b)

    def count_people(self, **filters: Unpack[PeopleFilter]) -> int:
        query = self._people_query(filters)
        with self.engine.connect() as connection:
            return stats.count_people(connection, query)

    @staticmethod
    def _people_query(
        filters: PeopleFilter, sort: str = "strength", limit: int | None = None, offset: int = 0
    ) -> stats.PeopleQuery:
        from kith.domain.model import Stage
        from kith.parsing import parse_choice

        unknown = set(filters) - set(PeopleFilter.__annotations__)
        if unknown:
            raise InvalidInput(f"Unknown filter {', '.join(sorted(unknown))}.")
        checked = PeopleFilter(**filters)
        if (stage := checked.get("stage")) is not None:
            checked["stage"] = parse_choice(Stage, stage, "stage").value
        if (tag := checked.get("tag")) is not None:
            checked["tag"] = tag.strip().lower()
        circle = checked.get("circle")
        if circle is not None and circle not in (1, 2, 3, 4):
            raise InvalidInput(f"Circle must be 1, 2, 3 or 4 (got {circle}).")
        if sort not in SORTS:
            raise InvalidInput(f"Unknown sort '{sort}'; valid sorts: {', '.join(SORTS)}.")
        return stats.PeopleQuery(filters=checked, sort=sort, limit=limit, offset=offset)

    def today(self, limit: int | None = None) -> list[dict[str, Any]]:
        if limit is not None and limit < 1:
            raise InvalidInput(f"--limit must be at least 1 (got {limit}).")
        if self._engine is None and not self.pooled:  # a current SQLite base: no SQLAlchemy
            with snapshot.reading(self.url) as plain:
                if plain is not None and not candidates.figures_missing(plain):
                    member = self._reader(plain)
                    ctx = context.build(plain, self.now(), member)
                    found = agenda.today(plain, ctx, limit, member)
                    return [views.suggestion(s) for s in found]
        with self.unit() as (connection, ctx):
            self._refresh_stale(connection, ctx, missing_only=True)
            member = self._reader(connection)
            if member is not None:
                ctx = context.build(connection, ctx.now, member)
            found = agenda.today(connection, ctx, limit, member)
            return [views.suggestion(s) for s in found]

    def focus(self, limit: int = 10) -> list[dict[str, Any]]:
        if limit < 1:
            raise InvalidInput(f"--limit must be at least 1 (got {limit}).")
        with self.unit() as (connection, ctx):
            self._refresh_stale(connection, ctx)
            return [
                {
                    "person": {"id": c.person_id, "name": c.name},
                    "score": c.score,
                    "stage": c.stage.value,
                    "suggested_circle": c.suggested_circle,
                    "reasons": list(c.reasons),
                }
                for c in focus.focus(connection, ctx, limit)
            ]


#: how many times an import is tried when a concurrent one adds the same rows first
IMPORT_ATTEMPTS = 3


#: the setting that holds the calendar feed's secret
FEED_TOKEN = "calendar_feed_token"


def _unique_clashes() -> tuple[type[Exception], ...]:
    """The errors of a row another transaction added first: SQLAlchemy's, and the drivers'
    own (the bulk paths write through the driver)."""
    import sqlite3

    from sqlalchemy.exc import IntegrityError

    found: list[type[Exception]] = [IntegrityError, sqlite3.IntegrityError]
    try:
        import psycopg
    except ImportError:  # SQLite only
        pass
    else:
        found.append(psycopg.IntegrityError)
    return tuple(found)


def _name_of(connection: Connection, pid: int) -> str:
    """A person's name (for a confirmation that says whom it was about)."""
    from kith.store.people import get_row

    row = get_row(connection, pid)
    return "" if row is None else str(row.name)


def _pair(connection: Connection, x: int, y: int, changed: bool) -> dict[str, Any]:
    """Two people by id and name, and whether what was asked changed anything."""
    return {
        "a": {"id": x, "name": _name_of(connection, x)},
        "b": {"id": y, "name": _name_of(connection, y)},
        "changed": changed,
    }


def _region(connection: Connection) -> str:
    """The country phone numbers without + are read in: the home's, else US."""
    home = settings.get(connection, "home") or {}
    return str(home.get("country") or "US").upper()


def normalise_url(value: str) -> str:
    """A database URL from a SQLite path or a URL."""
    return locations.normalise_url(value)


def default_url() -> str:
    """The user's own base: `KITH_DB`, else kith.sqlite in the user's data directory."""
    return locations.normalise_url(locations.default_url())


def demo_url() -> str:
    """The base `kith demo` writes (never the user's)."""
    return locations.demo_url()


def peek(url: str) -> bases.Peek:
    """How many people the base at `url` holds and whether it is the demo, without opening
    it for work (nothing is migrated or created)."""
    return bases.peek(url)


def source_names() -> tuple[str, ...]:
    """The SOURCE names `Kith.import_file` takes (x, linkedin, ..., kith-json)."""
    from kith.ingest.registry import SOURCES

    return tuple(SOURCES)


def source_titles() -> dict[str, str]:
    """Each source with what the user downloads for it ("an X (Twitter) archive")."""
    from kith.ingest.registry import get

    return {name: get(name).title for name in source_names()}


def source_guides() -> dict[str, str]:
    """Each source with where its export is requested (one or two sentences)."""
    from kith.ingest.guides import GUIDES

    return {name: GUIDES[name] for name in source_names()}


def write_demo(
    url: str,
    people: int = 300,
    seed: int = 7,
    interactions: int | None = None,
    progress: ProgressFn | None = None,
) -> int:
    """Write the synthetic demo network to `url` (never over a base holding the user's
    data); returns how many people it holds."""
    from kith.demo import build_demo

    return build_demo(url, people=people, seed=seed, interactions=interactions, progress=progress)


def report_json(result: Report) -> dict[str, Any]:
    """A report in the `report` JSON shape (docs/cli.md, docs/report.md)."""
    from kith.services import report

    return report.as_json(result)
