"""A team base of any size on PostgreSQL, written fast, for benchmarks/team.py.

The base is made as a team makes it (`Kith.init`, `Kith.team_init`, `Kith.team_add` with
passwords); people, their identities, a few facts and the interactions are then streamed
into their tables with PostgreSQL's COPY (psycopg's `cursor.copy`), the generator running
in this process while the server writes; finally kith computes every stored figure itself
(`Kith.refresh_stale`: person_stats and whatever per-member tables the build has).

The shape, seeded (same arguments, same base):

* members: each knows a share of the people, skewed (the busiest about three times the
  quietest);
* people: most known by one member, some by two to five (70 / 15 / 8 / 4 / 3 %);
* each (member, person) history follows the demo's personas (kith.demo.PERSONAS: half only
  noticed, a few conversing, met or friends), its length scaled so that the whole base
  holds exactly the interactions asked for, each row's `member` the member's email.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from kith.api import Kith
from kith.demo import BASE_TOUCHES, CITIES, FIRST, LAST, PERSONAS
from kith.domain.identity import name_key
from kith.domain.names import sort_key
from kith.domain.pacing import measure
from kith.domain.rules import Rules
from kith.store.people import birthday_md

TIMEZONE = "America/Chicago"
HOME = "Chicago"
SOURCE = "bench"
#: how many members know one person: 1 to 5, most only one
KNOWN_BY = ((1, 0.70), (2, 0.15), (3, 0.08), (4, 0.04), (5, 0.03))
#: (public, private) shares of a history's touches, after the first follow and the calls
#: and meetings, by persona
MIX = {
    "noticed": (1.0, 0.0),
    "engaging": (1.0, 0.0),
    "acquainted": (1.0, 0.0),
    "conversing": (1 / 3, 2 / 3),
    "voice": (1 / 4, 3 / 4),
    "met": (1 / 4, 3 / 4),
    "friend": (0.0, 1.0),
}
#: how much of a persona's public attention gets a reply
ANSWERED = {"acquainted": 0.5, "conversing": 0.5, "voice": 0.6, "met": 0.6, "friend": 0.6}
TOPICS = (
    "open-source maintainers",
    "urban cycling",
    "the new climate report",
    "community radio",
    "remote teams",
    "local elections",
    "data journalism",
    "trail running",
    "jazz records",
    "nonprofit fundraising",
)
COMMENTS = (
    "Great thread on {t}, especially the second point.",
    "This is such a good take on {t}. Thanks for writing it up!",
    "Totally agree about {t}; we saw the same thing here.",
)
REPLIES = (
    "Thanks! Glad the bit about {t} landed.",
    "Ha, yes. {t} is a rabbit hole, happy to share notes.",
    "Appreciate it, that means a lot.",
)
MESSAGES = (
    "Hey, I kept thinking about what you said on {t}. How did it go?",
    "Sending you that article on {t} I mentioned, curious what you think.",
    "Would love your advice on {t} when you have a minute.",
    "Thanks again for the intro, it turned into a great conversation.",
    "Haha, exactly. Talk soon!",
)
LINKS = tuple(f"https://example.org/{t.replace(' ', '-')}/{n}" for t in TOPICS for n in (7, 42))
LASTING = ("has two kids", "loves birdwatching", "works on accessibility", "plays in a band")
EVENTS = ("gives a talk at a conference", "starts a new job", "launches a podcast")


def member_email(n: int) -> str:
    return f"m{n:02d}@team.example"


def member_password(n: int) -> str:
    return f"bench-password-{n:02d}"


def member_name(n: int) -> str:
    return f"{FIRST[(n * 7) % len(FIRST)]} {LAST[(n * 11) % len(LAST)]} ({n:02d})"


def libpq(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def recreate_database(url: str) -> None:
    """Drop the database of `url` (if it exists) and create it empty."""
    name = make_url(url).database
    assert name
    with psycopg.connect(libpq(with_database(url, "postgres")), autocommit=True) as c:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_exists(url: str) -> bool:
    name = make_url(url).database
    with psycopg.connect(libpq(with_database(url, "postgres")), autocommit=True) as c:
        found = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


def make_team(url: str, members: int, now: datetime) -> None:
    """A new kith base at `url` made a team base: member 1 the owner, the others members."""
    with Kith(url, clock_fn=lambda: now) as base:
        base.init(city=HOME, timezone=TIMEZONE)
        base.team_init(member_email(1), member_name(1), member_password(1))
    with Kith(url, clock_fn=lambda: now, member=member_email(1)) as owner:
        for n in range(2, members + 1):
            owner.team_add(member_email(n), member_name(n), "member", member_password(n))


@dataclass(slots=True)
class Pair:
    """One member's history with one person, before its touches are drawn."""

    person: int
    member: int
    persona: str
    start: float  # days before now of the first touch
    end: float  # days before now of the last one, about
    count: int = 0


def _persona(rng: random.Random) -> str:
    roll = rng.random()
    for name, share in PERSONAS:
        if roll < share:
            return name
        roll -= share
    return PERSONAS[-1][0]


def _span(rng: random.Random, persona: str) -> tuple[float, float]:
    """(first, last) day ago of a history: fresh, ongoing or dormant (as kith.demo)."""
    if persona in ("noticed", "engaging"):
        start = rng.uniform(20, 730)
        return start, rng.uniform(0, start / 2)
    if persona == "friend":
        return rng.uniform(400, 730), rng.uniform(0, 20)
    roll = rng.random()
    if roll < 0.3:
        return rng.uniform(22, 60), 0.0
    if roll < 0.8:
        return rng.uniform(90, 730), rng.uniform(0, 10)
    return rng.uniform(200, 730), rng.uniform(60, 160)


def plan_pairs(people: int, interactions: int, members: int, seed: int) -> list[Pair]:
    """Who knows whom, each pair's persona, span and exact number of touches."""
    rng = random.Random(seed)
    weights = [1 / (1 + 0.1 * n) for n in range(members)]
    ids = list(range(1, members + 1))
    sizes, shares = zip(*KNOWN_BY, strict=True)
    pairs: list[Pair] = []
    for pid in range(1, people + 1):
        k = min(members, rng.choices(sizes, shares)[0])
        chosen: set[int] = set()
        while len(chosen) < k:
            chosen.add(rng.choices(ids, weights)[0])
        for member in sorted(chosen):
            persona = _persona(rng)
            start, end = _span(rng, persona)
            pairs.append(Pair(pid, member, persona, start, end))
    if interactions < len(pairs):
        raise SystemExit(
            f"{interactions:,} interactions are fewer than the {len(pairs):,} histories "
            "(at least one touch each): ask for more interactions or fewer people"
        )
    raw = [BASE_TOUCHES[p.persona] * rng.uniform(0.5, 1.5) for p in pairs]
    scale = interactions / sum(raw)
    for pair, r in zip(pairs, raw, strict=True):
        pair.count = max(1, int(r * scale))
    missing = interactions - sum(p.count for p in pairs)
    while missing > 0:  # the rounding's remainder, one touch at a time on random pairs
        pairs[rng.randrange(len(pairs))].count += 1
        missing -= 1
    while missing < 0:
        pair = pairs[rng.randrange(len(pairs))]
        if pair.count > 1:
            pair.count -= 1
            missing += 1
    return pairs


class _Texts:
    """A pool of texts, each with its words and link share measured once, as stored."""

    def __init__(self, rules: Rules) -> None:
        def pool(patterns: tuple[str, ...]) -> list[tuple[str, int, bool]]:
            texts = [p.format(t=t) for p in patterns for t in TOPICS]
            texts = [t[0].upper() + t[1:] for t in dict.fromkeys(texts)]
            return [(t, *measure(t, rules)) for t in texts]

        self.comments = pool(COMMENTS)
        self.replies = pool(REPLIES)
        self.messages = pool(MESSAGES)
        self.links = [(t, *measure(t, rules)) for t in LINKS]


def _stamp(moment: float, days: dict[int, str]) -> str:
    """Seconds since the epoch as the store keeps a time: naive UTC, to the second."""
    whole = int(moment)
    day, second = divmod(whole, 86400)
    text = days.get(day)
    if text is None:
        text = days[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
    hours, rest = divmod(second, 3600)
    return f"{text} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def touches(pairs: list[Pair], now: datetime, seed: int, emails: list[str]) -> Iterator[str]:
    """The interactions' COPY lines (tab-separated, text format), pair after pair."""
    rng = random.Random(seed + 1)
    texts = _Texts(Rules(timezone=TIMEZONE))
    top = now.timestamp() - 600  # nothing in the last ten minutes
    days: dict[int, str] = {}
    uniform, rand, choice, randint = rng.uniform, rng.random, rng.choice, rng.randint
    null = "\\N"

    def line(pid: int, ago: float, channel: str, direction: str, text: Any, minutes: str) -> str:
        moment = min(top, top - ago * 86400 + uniform(-20000, 20000))
        if text is None:
            body, words, link = null, "0", "f"
        else:
            body, words, link = text[0], str(text[1]), "t" if text[2] else "f"
        return (
            f"{pid}\t{_stamp(moment, days)}\t{channel}\t{direction}\t{body}\t{words}\t{link}"
            f"\t{minutes}\t{SOURCE}\t{null}\t{email}\n"
        )

    for pair in pairs:
        pid, persona, start, end, n = pair.person, pair.persona, pair.start, pair.end, pair.count
        email = emails[pair.member - 1]
        yield line(pid, start, "follow", "in" if rand() < 0.3 else "out", None, null)
        left = n - 1
        specials: list[tuple[str, str]] = []
        if persona == "voice":
            specials = [(choice(("call", "video")), str(randint(15, 60)))] * randint(1, 3)
        elif persona == "met":
            specials = [("meeting", str(choice((60, 90, 120))))] * randint(1, 3)
        elif persona == "friend":
            specials = [("meeting", str(choice((120, 150, 180))))] * max(1, left // 10)
            specials += [("call", str(randint(20, 90)))] * max(1, left // 30)
        specials = specials[: max(0, left - 1)] if persona != "noticed" else []
        for channel, minutes in specials:
            yield line(pid, uniform(end, start * 0.6), channel, "both", None, minutes)
        left -= len(specials)
        public_share, _ = MIX[persona]
        public = round(left * public_share)
        answered = ANSWERED.get(persona, 0.0)
        for _ in range(public):
            ago = uniform(end, start)
            if persona == "noticed":
                yield line(pid, ago, "like", "in" if rand() < 0.4 else "out", None, null)
                continue
            roll = rand()
            if roll < 0.22:
                yield line(pid, ago, "like", "out", None, null)
            elif roll < 0.40:
                yield line(pid, ago, "share", "out", choice(texts.links), null)
            elif roll < 1 - 0.3 * answered:
                yield line(pid, ago, "comment", "out", choice(texts.comments), null)
            else:
                yield line(pid, ago, "reply", "in", choice(texts.replies), null)
        channel = choice(("dm", "dm", "email", "chat"))
        for k in range(left - public):
            direction = "out" if k % 2 == 0 else "in"
            yield line(
                pid, uniform(end, start * 0.8), channel, direction, choice(texts.messages), null
            )


@dataclass(slots=True)
class _PersonRows:
    people: list[str]
    identities: list[str]
    facts: list[str]


def person_rows(
    pairs: list[Pair], people: int, now: datetime, seed: int, emails: list[str]
) -> _PersonRows:
    """The people, identities and facts COPY lines."""
    rng = random.Random(seed + 2)
    null = "\\N"
    first: dict[int, float] = {}
    personas: dict[int, set[str]] = {}
    for pair in pairs:
        first[pair.person] = max(first.get(pair.person, 0.0), pair.start)
        personas.setdefault(pair.person, set()).add(pair.persona)
    circle_room = {1: 5, 2: 15, 3: 50, 4: 150}
    folded: dict[str, tuple[str, str]] = {}
    out = _PersonRows([], [], [])
    city_weights = [c[3] for c in CITIES]
    today = now.date()
    for pid in range(1, people + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        keys = folded.get(name)
        if keys is None:
            keys = folded[name] = (name_key(name), sort_key(name))
        city, country, lat, lon = null, null, null, null
        if rng.random() < 0.7:
            label, la, lo, _ = rng.choices(CITIES, city_weights)[0]
            city, country, lat, lon = label, label.rsplit(", ", 1)[-1], repr(la), repr(lo)
        birthday: date | None = None
        if rng.random() < 0.25:
            birthday = date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28))
        kinds = personas.get(pid, {"noticed"})
        circle = null
        for level, wanted in ((1, "friend"), (2, "friend"), (2, "met"), (3, "voice"), (4, "met")):
            if wanted in kinds and circle_room[level] > 0 and rng.random() < 0.5:
                circle_room[level] -= 1
                circle = str(level)
                break
        created = _stamp(now.timestamp() - first.get(pid, 30.0) * 86400 - 86400, {})
        md = birthday_md(birthday)
        out.people.append(
            f"{pid}\t{name}\t{keys[0]}\t{keys[1]}\t{circle}\t{city}\t{country}\t{lat}\t{lon}"
            f"\t{birthday.isoformat() if birthday else null}\t{null if md is None else md}"
            f"\t{'t' if rng.random() < 0.01 else 'f'}\t{created}\n"
        )
        handle = "".join(
            ch
            for ch in f"{name.split()[0]}{name.split()[1][:3]}{pid}".lower()
            if ch.isascii() and ch.isalnum()
        )
        out.identities.append(f"{pid}\tx\t{handle}\t{handle}\n")
        if kinds - {"noticed", "engaging"}:
            out.identities.append(f"{pid}\temail\t{handle}@example.org\t{handle}@example.org\n")
    noted = _stamp(now.timestamp() - 40 * 86400, {})
    for pair in pairs:
        if pair.persona in ("noticed", "engaging", "acquainted"):
            continue
        email = emails[pair.member - 1]
        if rng.random() < 0.5:
            private = "t" if rng.random() < 0.2 else "f"
            out.facts.append(
                f"{pair.person}\t{rng.choice(LASTING)}\t{null}\t{private}\t{noted}\t{email}\n"
            )
        if rng.random() < 0.15:
            when = (today + timedelta(days=rng.randint(-12, 6))).isoformat()
            out.facts.append(f"{pair.person}\t{rng.choice(EVENTS)}\t{when}\tf\t{noted}\t{email}\n")
    return out


PEOPLE_COLUMNS = (
    "id, name, name_key, name_fold, circle, city, country, lat, lon, birthday, birthday_md,"
    " paused, created_at"
)
IDENTITY_COLUMNS = "person_id, platform, handle, display"
FACT_COLUMNS = "person_id, text, event_on, private, noted_at, member"
INTERACTION_COLUMNS = (
    "person_id, occurred_at, channel, direction, text, word_count, is_link_share, minutes,"
    " source, external_id, member"
)


def _copy(
    cursor: psycopg.Cursor[Any], table: str, columns: str, lines: Iterator[str] | list[str]
) -> int:
    """COPY `lines` into `table`, a megabyte at a time; returns how many rows."""
    rows = 0
    statement = f"COPY {table} ({columns}) FROM STDIN"  # fixed names, nothing from the user
    with cursor.copy(statement) as copy:
        chunk: list[str] = []
        size = 0
        for item in lines:
            chunk.append(item)
            size += len(item)
            if size > 1 << 20:
                copy.write("".join(chunk).encode())
                rows += len(chunk)
                chunk, size = [], 0
        if chunk:
            copy.write("".join(chunk).encode())
            rows += len(chunk)
    return rows


def load(
    url: str,
    people: int,
    interactions: int,
    members: int,
    now: datetime,
    seed: int = 1,
    say: Callable[[str], None] = print,
) -> dict[str, float]:
    """Write people, identities, facts and interactions into the team base at `url` (made
    by `make_team`); returns seconds per step."""
    timings: dict[str, float] = {}
    began = time.perf_counter()
    pairs = plan_pairs(people, interactions, members, seed)
    emails = [member_email(n) for n in range(1, members + 1)]
    rows = person_rows(pairs, people, now, seed, emails)
    timings["plan"] = time.perf_counter() - began
    say(
        f"  planned {len(pairs):,} member-person histories, {len(rows.facts):,} facts "
        f"({timings['plan']:.1f} s)"
    )
    began = time.perf_counter()
    with psycopg.connect(libpq(url)) as connection, connection.cursor() as cursor:
        _copy(cursor, "people", PEOPLE_COLUMNS, rows.people)
        _copy(cursor, "identities", IDENTITY_COLUMNS, rows.identities)
        _copy(cursor, "facts", FACT_COLUMNS, rows.facts)
        written = _copy(
            cursor, "interactions", INTERACTION_COLUMNS, touches(pairs, now, seed, emails)
        )
        assert written == interactions, (written, interactions)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people', 'id'), (SELECT MAX(id) FROM people))"
        )
    timings["copy"] = time.perf_counter() - began
    say(f"  copied {written:,} interactions ({timings['copy']:.1f} s)")
    began = time.perf_counter()
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    timings["analyze"] = time.perf_counter() - began
    return timings


def refresh(url: str, now: datetime) -> int:
    """kith's own figures for everyone whose figures are not today's (all, after `load`)."""
    with Kith(url, clock_fn=lambda: now) as base:
        return base.refresh_stale()


def vacuum(url: str) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


__all__ = [
    "database_exists",
    "load",
    "make_team",
    "member_email",
    "member_name",
    "member_password",
    "recreate_database",
    "refresh",
    "vacuum",
    "with_database",
]
