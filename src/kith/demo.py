"""The synthetic network behind `kith demo` and the benchmarks.

A seeded, realistic shape over two years: most people only `noticed` or `engaging`,
a few dozen `conversing` per few hundred, a handful `met`; with dated facts, asks with
every kind of answer, circles, cities and a coming trip. Same seed and `now`, same base.
It scales to 100,000 people and millions of interactions, written in batches.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.engine import make_url

from kith import clock
from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.identity import name_key
from kith.domain.model import (
    AskKind,
    Channel,
    Direction,
    Fact,
    GeoPoint,
    History,
    Interaction,
    Invite,
    Person,
    Response,
    Trip,
)
from kith.domain.names import sort_key
from kith.domain.rules import Rules
from kith.domain.summary import summarise
from kith.errors import InvalidInput
from kith.services.progress import Progress
from kith.store import database, settings, stats
from kith.store.interactions import NewInteraction, add_many
from kith.store.schema import (
    facts,
    identities,
    invites,
    metadata,
    people,
    tags,
    trips,
)

DEMO_TIMEZONE = "America/Chicago"
HOME = ("Chicago, IL, US", GeoPoint(41.85003, -87.65005))
DEFAULT_PER_PERSON = 20
#: the source of every demo touch
DEMO_SOURCE = "demo"

FIRST: tuple[str, ...] = tuple(
    [
        "Ana",
        "Bruno",
        "Chloé",
        "Dmitri",
        "Esther",
        "Farid",
        "Grace",
        "Hiro",
        "Ines",
        "Jamal",
        "Kiri",
        "Lars",
        "Maya",
        "Nadia",
        "Omar",
        "Priya",
        "Quinn",
        "Rosa",
        "Sami",
        "Tomás",
        "Uma",
        "Viktor",
        "Wen",
        "Ximena",
        "Yusuf",
        "Zoe",
        "Aisha",
        "Ben",
        "Carmen",
        "Diego",
        "Elif",
        "Finn",
        "Gabriela",
        "Hana",
        "Ivan",
        "Julia",
        "Kofi",
        "Leila",
        "Mateo",
        "Noor",
        "Olga",
        "Pablo",
        "Rania",
        "Sven",
        "Tara",
        "Ugo",
        "Vera",
        "Will",
    ]
)
LAST: tuple[str, ...] = tuple(
    [
        "Abbott",
        "Baptiste",
        "Castro",
        "Dubois",
        "Eriksen",
        "Fontaine",
        "García",
        "Haddad",
        "Ito",
        "Jensen",
        "Kowalski",
        "Lindqvist",
        "Moreau",
        "Nakamura",
        "Okafor",
        "Petrov",
        "Quispe",
        "Rossi",
        "Santos",
        "Tanaka",
        "Ueda",
        "Varga",
        "Weber",
        "Xu",
        "Yilmaz",
        "Zhang",
        "Alves",
        "Becker",
        "Costa",
        "Diallo",
        "Evans",
        "Fischer",
        "Gomez",
        "Huang",
        "Ivanova",
        "Kim",
        "Lopez",
        "Müller",
        "Novak",
        "Ortiz",
    ]
)
CITIES: tuple[tuple[str, float, float, float], ...] = (
    # label, lat, lon, weight
    ("Chicago, IL, US", 41.85003, -87.65005, 8.0),
    ("Evanston, IL, US", 42.04114, -87.69006, 2.0),
    ("Oak Park, IL, US", 41.88503, -87.7845, 1.0),
    ("New York City, NY, US", 40.71427, -74.00597, 5.0),
    ("Brooklyn, NY, US", 40.6501, -73.94958, 2.0),
    ("San Francisco, CA, US", 37.77493, -122.41942, 3.0),
    ("Austin, TX, US", 30.26715, -97.74306, 2.0),
    ("Seattle, WA, US", 47.60621, -122.33207, 2.0),
    ("Toronto, CA", 43.70011, -79.4163, 2.0),
    ("London, GB", 51.50853, -0.12574, 3.0),
    ("Berlin, DE", 52.52437, 13.41053, 2.0),
    ("Lisbon, PT", 38.72509, -9.1498, 1.5),
    ("Paris, FR", 48.85341, 2.3488, 1.5),
    ("Madrid, ES", 40.4165, -3.70256, 1.0),
    ("Amsterdam, NL", 52.37403, 4.88969, 1.0),
    ("Bengaluru, IN", 12.97194, 77.59369, 1.0),
    ("Tokyo, JP", 35.6895, 139.69171, 1.0),
    ("São Paulo, BR", -23.5475, -46.63611, 1.0),
    ("Nairobi, KE", -1.28333, 36.81667, 0.5),
    ("Sydney, AU", -33.86785, 151.20732, 0.5),
)
TRIP_CITY = ("New York City, NY, US", 40.71427, -74.00597)
TOPICS = (
    "open-source maintainers",
    "urban cycling",
    "the new climate report",
    "community radio",
    "remote teams",
    "sourdough",
    "local elections",
    "indie game design",
    "data journalism",
    "trail running",
    "jazz records",
    "nonprofit fundraising",
)
EVENTS = (
    "gives a talk at the regional tech conference",
    "runs a half marathon",
    "starts a new job",
    "moves to a new flat",
    "has a piano recital",
    "defends a thesis",
    "launches a podcast",
    "opens a pop-up shop",
)
LASTING = (
    "has two kids",
    "loves birdwatching",
    "works on accessibility",
    "is learning Portuguese",
    "volunteers at the food bank",
    "plays in a five-a-side team",
)

PERSONAS: tuple[tuple[str, float], ...] = (
    ("noticed", 0.50),
    ("engaging", 0.26),
    ("acquainted", 0.11),
    ("conversing", 0.07),
    ("voice", 0.025),
    ("met", 0.025),
    ("friend", 0.01),
)
#: rough number of touches each persona makes, before scaling to the target total
BASE_TOUCHES: dict[str, int] = {
    "noticed": 4,
    "engaging": 12,
    "acquainted": 24,
    "conversing": 60,
    "voice": 80,
    "met": 110,
    "friend": 300,
}


@dataclass
class _Person:
    pid: int
    name: str
    persona: str
    city: tuple[str, float, float] | None
    circle: int | None = None
    birthday: date | None = None
    paused: bool = False
    handles: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    touches: list[Interaction] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    invites: list[Invite] = field(default_factory=list)


class _Generator:
    def __init__(self, seed: int, now: datetime, scale: float) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.scale = scale
        self.circle_room = {1: 5, 2: 15, 3: 50, 4: 150}
        self.used_handles: set[str] = set()

    # -- small helpers ----------------------------------------------------------------
    def at(self, days_ago: float) -> datetime:
        """A moment `days_ago` days before now, at a waking hour."""
        base = self.now - timedelta(days=max(days_ago, 0.0))
        moment = base.replace(hour=self.rng.randint(13, 23), minute=self.rng.randint(0, 59))
        moment = moment.replace(second=self.rng.randint(0, 59), microsecond=0)
        return min(moment, self.now - timedelta(minutes=self.rng.randint(5, 600)))

    def count(self, persona: str) -> int:
        mean = BASE_TOUCHES[persona] * self.scale
        return max(1, int(self.rng.uniform(0.5, 1.5) * mean))

    def text(self, kind: str) -> str:
        topic = self.rng.choice(TOPICS)
        if kind == "link":
            return f"https://example.org/{topic.replace(' ', '-')}/{self.rng.randint(1, 999)}"
        if kind == "comment":
            return self.rng.choice(
                (
                    f"Great thread on {topic}, especially the second point.",
                    f"This is such a good take on {topic}. Thanks for writing it up!",
                    f"Totally agree about {topic}; we saw the same thing here.",
                )
            )
        if kind == "reply":
            return self.rng.choice(
                (
                    f"Thanks! Glad the bit about {topic} landed.",
                    f"Ha, yes. {topic.capitalize()} is a rabbit hole, happy to share notes.",
                    "Appreciate it, that means a lot.",
                )
            )
        return self.rng.choice(
            (
                f"Hey, I kept thinking about what you said on {topic}. How did it go?",
                f"Sending you that article on {topic} I mentioned, curious what you think.",
                f"Would love your advice on {topic} when you have a minute.",
                "Thanks again for the intro, it turned into a great conversation.",
                "Haha, exactly. Talk soon!",
            )
        )

    def touch(
        self,
        days_ago: float,
        channel: Channel,
        direction: Direction,
        kind: str = "",
        minutes: int | None = None,
    ) -> Interaction:
        """A touch as generated: its words are measured when it is stored (`_store`)."""
        text = self.text(kind) if kind else None
        return Interaction(
            occurred_at=self.at(days_ago),
            channel=channel,
            direction=direction,
            text=text,
            minutes=minutes,
        )

    # -- people -----------------------------------------------------------------------
    def person(self, pid: int) -> _Person:
        rng = self.rng
        roll = rng.random()
        persona = PERSONAS[-1][0]
        for name, share in PERSONAS:
            if roll < share:
                persona = name
                break
            roll -= share
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        city = None
        if rng.random() < 0.7:
            label, lat, lon, _ = rng.choices(CITIES, weights=[c[3] for c in CITIES])[0]
            city = (label, lat, lon)
        p = _Person(pid, name, persona, city)
        handle = f"{name.split()[0]}{name.split()[1][:3]}{pid}".lower()
        handle = "".join(ch for ch in handle if ch.isascii() and ch.isalnum())
        p.handles.append(("x", handle))
        if persona not in ("noticed", "engaging"):
            p.handles.append(("email", f"{handle}@example.org"))
        if rng.random() < 0.15:
            p.tags.append(rng.choice(("press", "customer", "donor", "student", "community")))
        if rng.random() < 0.25:
            p.birthday = date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28))
        getattr(self, f"_history_{persona}")(p)
        self._place_in_circle(p)
        if rng.random() < 0.01:
            p.paused = True
        return p

    def _place_in_circle(self, p: _Person) -> None:
        wanted = {
            "friend": (1, 2),
            "met": (2, 3),
            "voice": (3,),
            "conversing": (3, 4),
            "acquainted": (4,),
            "engaging": (4,),
        }.get(p.persona, ())
        odds = {"friend": 1.0, "met": 0.9, "voice": 0.6, "conversing": 0.4}.get(p.persona, 0.05)
        if not wanted or self.rng.random() > odds:
            return
        for circle in wanted:
            if self.circle_room[circle] > 0:
                self.circle_room[circle] -= 1
                p.circle = circle
                return

    def _public(self, p: _Person, start: float, end: float, n: int, answered: float) -> None:
        """Public engagement between `start` and `end` days ago; `answered` of it gets replies."""
        rng = self.rng
        p.touches.append(self.touch(start, Channel.FOLLOW, Direction.OUT))
        for _ in range(n):
            day = rng.uniform(end, start)
            kind = rng.random()
            if kind < 0.25:
                p.touches.append(self.touch(day, Channel.LIKE, Direction.OUT))
            elif kind < 0.45:
                p.touches.append(self.touch(day, Channel.SHARE, Direction.OUT, "link"))
            else:
                p.touches.append(self.touch(day, Channel.COMMENT, Direction.OUT, "comment"))
                if rng.random() < answered:
                    reply_day = max(end, day - rng.uniform(0.05, 2))
                    p.touches.append(self.touch(reply_day, Channel.REPLY, Direction.IN, "reply"))

    def _private(self, p: _Person, start: float, end: float, n: int) -> None:
        rng = self.rng
        channel = rng.choice((Channel.DM, Channel.DM, Channel.EMAIL, Channel.CHAT))
        for k in range(n):
            day = rng.uniform(end, start)
            direction = Direction.OUT if k % 2 == 0 else Direction.IN
            p.touches.append(self.touch(day, channel, direction, "dm"))

    def _history_noticed(self, p: _Person) -> None:
        rng = self.rng
        start = rng.uniform(30, 730)
        p.touches.append(self.touch(start, Channel.FOLLOW, rng.choice(list(Direction)[:2])))
        for _ in range(self.count("noticed") - 1):
            direction = Direction.IN if rng.random() < 0.4 else Direction.OUT
            p.touches.append(self.touch(rng.uniform(0, start), Channel.LIKE, direction))

    def _history_engaging(self, p: _Person) -> None:
        rng = self.rng
        start = rng.uniform(20, 730)
        self._public(p, start, rng.uniform(0, start / 2), self.count("engaging"), 0.0)
        if rng.random() < 0.12:  # a recent burst of attention
            for _ in range(rng.randint(4, 7)):
                kind = rng.choice(("comment", "link"))
                channel = Channel.COMMENT if kind == "comment" else Channel.SHARE
                p.touches.append(self.touch(rng.uniform(0, 6), channel, Direction.OUT, kind))

    def _recent_or_old(self) -> tuple[float, float]:
        """(first day, last day) ago: a fresh relationship, an ongoing one, or a dormant one."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return rng.uniform(22, 60), 0.0
        if roll < 0.8:
            return rng.uniform(90, 730), rng.uniform(0, 10)
        return rng.uniform(200, 730), rng.uniform(60, 160)

    def _history_acquainted(self, p: _Person) -> None:
        start, end = self._recent_or_old()
        self._public(p, start, end, self.count("acquainted"), 0.5)

    def _history_conversing(self, p: _Person) -> None:
        start, end = self._recent_or_old()
        n = self.count("conversing")
        self._public(p, start, end, n // 3, 0.5)
        self._private(p, start * 0.8, end, max(2, n - n // 3))
        self._facts(p, 0.5)
        self._maybe_invite(p, 0.3)

    def _history_voice(self, p: _Person) -> None:
        start, end = self._recent_or_old()
        n = self.count("voice")
        self._public(p, start, end, n // 4, 0.6)
        self._private(p, start * 0.8, end, max(2, n - n // 4))
        for _ in range(self.rng.randint(1, 3)):
            channel = self.rng.choice((Channel.CALL, Channel.VIDEO))
            day = self.rng.uniform(end, start * 0.5)
            p.touches.append(
                self.touch(day, channel, Direction.BOTH, minutes=self.rng.randint(15, 60))
            )
        self._facts(p, 0.6)
        self._maybe_invite(p, 0.5)

    def _history_met(self, p: _Person) -> None:
        start, end = self._recent_or_old()
        start = max(start, 90.0)
        n = self.count("met")
        self._public(p, start, end, n // 4, 0.6)
        self._private(p, start * 0.9, end, max(2, n - n // 4))
        for _ in range(self.rng.randint(1, 3)):
            day = self.rng.uniform(end, start * 0.6)
            channel = self.rng.choice((Channel.MEETING, Channel.MEETING, Channel.GATHERING))
            p.touches.append(
                self.touch(day, channel, Direction.BOTH, minutes=self.rng.choice((60, 90, 120)))
            )
        self._facts(p, 0.7)
        self._maybe_invite(p, 0.3)

    def _history_friend(self, p: _Person) -> None:
        rng = self.rng
        start, end = rng.uniform(400, 730), rng.uniform(0, 20)
        n = self.count("friend")
        self._private(p, start, end, n)
        for _ in range(rng.randint(18, 30)):
            day = rng.uniform(end, start)
            minutes = rng.choice((120, 150, 180))
            p.touches.append(self.touch(day, Channel.MEETING, Direction.BOTH, minutes=minutes))
        for _ in range(rng.randint(3, 8)):
            day = rng.uniform(end, start)
            p.touches.append(
                self.touch(day, Channel.CALL, Direction.BOTH, minutes=rng.randint(20, 90))
            )
        self._facts(p, 0.9)

    def _facts(self, p: _Person, odds: float) -> None:
        rng = self.rng
        today = self.now.date()
        if rng.random() < 0.6:
            p.facts.append(Fact(rng.choice(LASTING), None, rng.random() < 0.2, self.at(40)))
        if rng.random() < odds / 2:
            when = today + timedelta(days=rng.randint(-12, 6))
            p.facts.append(Fact(rng.choice(EVENTS), when, False, self.at(30)))

    def _maybe_invite(self, p: _Person, odds: float) -> None:
        rng = self.rng
        if rng.random() > odds:
            return
        kind = rng.choice((AskKind.COFFEE, AskKind.CALL, AskKind.VIDEO, AskKind.MEAL))
        asked_days = rng.uniform(2, 120)
        asked = self.at(asked_days)
        answer = rng.choice(list(Response))
        responded = (
            None if answer is Response.PENDING else asked + timedelta(hours=rng.randint(2, 60))
        )
        scheduled = None
        if answer is Response.POSITIVE and rng.random() < 0.4:
            scheduled = self.now + timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 6))
        if responded is not None and responded > self.now:
            responded = self.now - timedelta(hours=1)
        place = "Café Lumen" if scheduled and kind is not AskKind.CALL else None
        p.invites.append(Invite(asked, kind, answer, responded, scheduled, place))


def _is_demo(connection: Connection) -> bool:
    return bool(settings.get(connection, "demo", False))


def _clear(engine: Engine) -> None:
    """Empty a demo base (or a brand new one); never a base holding the user's own data."""
    with engine.begin() as connection:
        has_people = connection.execute(select(func.count()).select_from(people)).scalar_one()
        if has_people and not _is_demo(connection):
            raise InvalidInput(
                "That base holds your own data; 'kith demo' only writes to a demo base "
                "(leave out --db, or point it at a new file)."
            )
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))


def _remove_sqlite_file(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    path = Path(parsed.database)
    if not path.exists():
        return
    engine = database.create(url)
    try:
        with engine.connect() as connection:
            from sqlalchemy import inspect

            if inspect(connection).has_table("settings") and not _is_demo(connection):
                has_people = (
                    inspect(connection).has_table("people")
                    and connection.execute(select(func.count()).select_from(people)).scalar_one()
                )
                if has_people:
                    raise InvalidInput(
                        f"{path} holds your own data; 'kith demo' only writes to a demo base."
                    )
    finally:
        engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _rows(batch: list[_Person]) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    person_rows: list[dict[str, Any]] = []
    identity_rows: list[dict[str, Any]] = []
    tag_rows: list[dict[str, Any]] = []
    fact_rows: list[dict[str, Any]] = []
    invite_rows: list[dict[str, Any]] = []
    from kith.store.people import birthday_md

    for p in batch:
        person_rows.append(
            {
                "id": p.pid,
                "name": p.name,
                "name_key": name_key(p.name),
                "name_fold": sort_key(p.name),
                "circle": p.circle,
                "city": p.city[0] if p.city else None,
                "country": p.city[0].rsplit(", ", 1)[-1] if p.city else None,
                "lat": p.city[1] if p.city else None,
                "lon": p.city[2] if p.city else None,
                "birthday": p.birthday,
                "birthday_md": birthday_md(p.birthday),
                "paused": p.paused,
                "created_at": min((t.occurred_at for t in p.touches), default=None)
                or datetime(2020, 1, 1, tzinfo=UTC),
            }
        )
        identity_rows.extend(
            {"person_id": p.pid, "platform": pl, "handle": h, "display": h} for pl, h in p.handles
        )
        tag_rows.extend({"person_id": p.pid, "tag": t} for t in p.tags)
        fact_rows.extend(
            {
                "person_id": p.pid,
                "text": f.text,
                "event_on": f.event_on,
                "private": f.private,
                "noted_at": f.noted_at,
                "member": None,
            }
            for f in p.facts
        )
        invite_rows.extend(
            {
                "person_id": p.pid,
                "asked_at": i.asked_at,
                "kind": i.kind.value,
                "response": i.response.value,
                "responded_at": i.responded_at,
                "scheduled_at": i.scheduled_at,
                "place": i.place,
                "member": None,
            }
            for i in p.invites
        )
    yield people, person_rows
    yield identities, identity_rows
    yield tags, tag_rows
    yield facts, fact_rows
    yield invites, invite_rows


def build_demo(
    url: str,
    people: int = 300,
    seed: int = 7,
    interactions: int | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the demo network to `url` (replacing an earlier demo); returns people written."""
    if people < 1:
        raise InvalidInput("--people must be at least 1.")
    url = database.normalise_url(url)
    moment = now or clock.now()
    _remove_sqlite_file(url)
    engine = database.open_engine(url)
    try:
        _clear(engine)
        expected = sum(BASE_TOUCHES[name] * share for name, share in PERSONAS) * 1.2
        target = interactions if interactions is not None else DEFAULT_PER_PERSON * people
        scale = max(0.05, target / (people * expected))
        gen = _Generator(seed, moment, scale)
        rules = Rules(timezone=DEMO_TIMEZONE)
        trip_start = (moment + timedelta(days=9)).date()
        trip = Trip(
            TRIP_CITY[0],
            GeoPoint(TRIP_CITY[1], TRIP_CITY[2]),
            trip_start,
            trip_start + timedelta(days=3),
            1,
        )
        ctx = Context(now=moment, rules=rules, home=HOME[1], trips=(trip,))
        with engine.begin() as connection:
            settings.put(connection, "demo", True)
            settings.put(connection, "timezone", DEMO_TIMEZONE)
            settings.put(
                connection, "home", {"city": HOME[0], "lat": HOME[1].lat, "lon": HOME[1].lon}
            )
            connection.execute(
                insert(trips).values(
                    id=1,
                    city=trip.city,
                    country="US",
                    lat=TRIP_CITY[1],
                    lon=TRIP_CITY[2],
                    starts_on=trip.starts_on,
                    ends_on=trip.ends_on,
                    created_at=moment,
                )
            )
        batch_size = 2000
        written = 0
        for first in range(1, people + 1, batch_size):
            batch = [gen.person(pid) for pid in range(first, min(first + batch_size, people + 1))]
            written += sum(len(p.touches) for p in batch)
            # steer the scale so the total lands near the target interaction count
            wanted = target * (first + len(batch) - 1) / people
            gen.scale *= min(2.0, max(0.5, wanted / max(written, 1)))
            with engine.begin() as connection:
                for table, rows in _rows(batch):
                    if rows:
                        connection.execute(insert(table), rows)
                histories = _store_touches(connection, batch, rules)
                summaries = [summarise(assess(h, ctx), ctx) for h in histories]
                stats.save(connection, summaries)
            if progress:
                progress("Writing the demo network", min(first + batch_size - 1, people), people)
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                for name in ("people", "trips"):  # fixed names, nothing from the user
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("ANALYZE")
        return people
    finally:
        engine.dispose()


def _store_touches(connection: Connection, batch: list[_Person], rules: Rules) -> list[History]:
    """Write the batch's touches (`kith.store.interactions` measures them); returns each
    person's history, its touches as stored."""
    new = [
        NewInteraction(
            p.pid,
            t.occurred_at,
            t.channel,
            t.direction,
            t.text,
            t.minutes,
            DEMO_SOURCE,
            f"demo:{p.pid}:{n}",
        )
        for p in batch
        for n, t in enumerate(p.touches)
    ]
    stored: dict[int, list[Interaction]] = {p.pid: [] for p in batch}
    add_many(connection, new, rules, keep=stored)
    histories = []
    for p in batch:
        p.touches = stored[p.pid]
        histories.append(_history(p))
    return histories


def _history(p: _Person) -> History:
    person = Person(
        id=p.pid,
        name=p.name,
        circle=p.circle,
        paused=p.paused,
        city=p.city[0] if p.city else None,
        location=GeoPoint(p.city[1], p.city[2]) if p.city else None,
        birthday=p.birthday,
        tags=tuple(p.tags),
    )
    return History(person, tuple(p.touches), tuple(p.facts), tuple(p.invites))
