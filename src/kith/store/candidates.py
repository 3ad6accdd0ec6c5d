"""Who a rule could name today: the agenda's prefilter over stored figures (`person_stats`).

Plain SQL (kith.store.rawsql), so that `kith today` on a SQLite base runs without
SQLAlchemy. Each rule's conditions (docs/path.md, "Pacing" to "The agenda") are widened to
what stored figures can tell, and each query is served by an index; paused people are left
out. Values are bound, never written into the SQL text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import cos, radians
from typing import TYPE_CHECKING, Any

from kith.domain.model import Action, Stage, Trip
from kith.domain.rules import Rules
from kith.domain.suggestions import CeilingTerms
from kith.store import rawsql

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True, slots=True)
class Figures:
    """Where a candidate query reads stored figures: conditions on figures start from them
    (an inner join lets the planner use their indexes); conditions on people start from
    people, whose figures may be missing."""

    by_figures: str
    by_person: str
    with_facts: str
    with_invites: str
    member: str | None = None  # bound as :figures_member


def _figures(table: str, own: str, facts: str, asks: str) -> Figures:
    stats = f"LEFT OUTER JOIN {table} s ON s.person_id = p.id{own}"
    return Figures(
        by_figures=f"{table} s JOIN people p ON p.id = s.person_id{own}",
        by_person=f"people p {stats}",
        with_facts=f"facts f JOIN people p ON p.id = f.person_id{facts} {stats}",
        with_invites=f"invites i JOIN people p ON p.id = i.person_id{asks} {stats}",
    )


#: the figures of the whole history with each person (one user, or a team read as a team)
EVERYONE = _figures("person_stats", "", "", "")
_MEMBER = _figures(
    "member_stats",
    " AND s.member = :figures_member",
    " AND (NOT f.private OR f.member = :figures_member)",
    " AND i.member = :figures_member",
)


def of_member(member: str | None) -> Figures:
    """A member's own figures in a team base (docs/team.md), or everyone's."""
    if member is None:
        return EVERYONE
    return Figures(
        _MEMBER.by_figures, _MEMBER.by_person, _MEMBER.with_facts, _MEMBER.with_invites, member
    )


class Binds:
    """Parameters of one statement: each value gets a fresh `:bN` placeholder."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        name = f"b{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def many(self, values: Iterable[Any]) -> str:
        return "(" + ", ".join(self(v) for v in values) + ")"

    def by_value(self, column: str, values: dict[Any, float], default: float | None) -> str:
        """CASE `column` WHEN value THEN number ... ELSE default END."""
        otherwise = "NULL" if default is None else self(default)
        if not values:
            return otherwise
        whens = " ".join(f"WHEN {self(k)} THEN {self(v)}" for k, v in values.items())
        return f"CASE {column} {whens} ELSE {otherwise} END"


def has_data_after(source: Connection | rawsql.Sql, now: datetime) -> bool:
    """True when something is dated after `now` (a replay of the past)."""
    latest = rawsql.moment(rawsql.of(source).scalar("SELECT max(occurred_at) FROM interactions"))
    return latest is not None and latest > now


def missing_ids(source: Connection | rawsql.Sql) -> list[int]:
    """People with no stored figures at all (a migration cleared them)."""
    rows = rawsql.of(source).rows(
        f"SELECT p.id FROM {EVERYONE.by_person} WHERE s.person_id IS NULL ORDER BY p.id"
    )
    return [int(r[0]) for r in rows]


def figures_missing(source: Connection | rawsql.Sql) -> bool:
    """True when someone has no stored figures (every row of person_stats is one person's,
    so equal counts mean everyone has theirs; two counts cost less than the join)."""
    sql = rawsql.of(source)
    return bool(
        sql.scalar("SELECT count(*) FROM people") != sql.scalar("SELECT count(*) FROM person_stats")
    )


def all_ids(source: Connection | rawsql.Sql) -> list[int]:
    return [int(r[0]) for r in rawsql.of(source).rows("SELECT id FROM people ORDER BY id")]


def ranked(
    source: Connection | rawsql.Sql, statement: tuple[str, dict[str, Any]] | None
) -> list[tuple[int, float]]:
    """(person id, priority ceiling) of everyone a `candidate_sql` statement names, highest
    first."""
    if statement is None:
        return []
    sql, params = statement
    return [(int(pid), float(c)) for pid, c in rawsql.of(source).rows(sql, params)]


def candidate_sql(
    action: Action,
    today: date,
    rules: Rules,
    trips: Iterable[Trip],
    terms: CeilingTerms,
    floor: float,
    figures: Figures = EVERYONE,
) -> tuple[str, dict[str, Any]] | None:
    """The prefilter for `action` as one statement (SQL text, parameters): everyone it could
    name today with a priority of at least `floor`, with the best ceiling of each (a query
    per way the action can arise); None when it cannot arise today."""
    bind = Binds()
    stored = f"COALESCE(s.strength, {bind(1.0)})"
    growth = bind(terms.stale_growth)
    grown = f"CASE WHEN s.as_of = {bind(today)} THEN {stored} ELSE {stored} + {growth} END"
    bounded = f"CASE WHEN {grown} > {bind(1.0)} THEN {bind(1.0)} ELSE {grown} END"
    bonus = bind.by_value("p.circle", dict(terms.circle_bonus), 0.0)
    # 0.05: rounding
    personal = f"{bind(terms.per_strength)} * ({bounded}) + {bonus} + {bind(0.05)}"
    queries = []
    for base, tables, where in _conditions(action, today, rules, trips, terms, bind, figures):
        ceiling = f"({base}) + {personal}"
        conditions = " AND ".join(["NOT p.paused", *where, f"{ceiling} >= {bind(floor)}"])
        queries.append(f"SELECT p.id AS pid, {ceiling} AS ceiling FROM {tables} WHERE {conditions}")
    if not queries:
        return None
    union = " UNION ALL ".join(queries)
    sql = (
        f"SELECT pid, max(ceiling) AS best FROM ({union}) AS ways "
        "GROUP BY pid ORDER BY best DESC, pid"
    )
    if figures.member is not None:
        bind.params["figures_member"] = figures.member
    return sql, bind.params


def _box(trip: Trip, rules: Rules, bind: Binds) -> str:
    assert trip.location is not None
    lat, lon = trip.location.lat, trip.location.lon
    dlat = rules.travel_radius_km / 110.0 + 0.01
    # a degree of longitude shrinks towards the poles; stay generous
    dlon = rules.travel_radius_km / max(1.0, 111.32 * cos(radians(min(abs(lat), 89.0)))) + 0.01
    return (
        f"p.lat BETWEEN {bind(lat - dlat)} AND {bind(lat + dlat)}"
        f" AND p.lon BETWEEN {bind(lon - dlon)} AND {bind(lon + dlon)}"
    )


def _conditions(
    action: Action,
    today: date,
    rules: Rules,
    trips: Iterable[Trip],
    terms: CeilingTerms,
    bind: Binds,
    figures: Figures,
) -> list[tuple[str, str, list[str]]]:
    """(ceiling base, tables, conditions) of each way `action` can arise."""
    by_figures, by_person = figures.by_figures, figures.by_person
    if action is Action.ASK_FOR_INTRO:
        return []  # only ever in place of another suggestion (kith.domain.agenda)
    acquainted = Stage.ACQUAINTED.rank
    if action is Action.KEEP_IN_TOUCH:  # also covers engaging circle members (a lower base)
        fixed = bind(terms.fixed[action])
        return [
            (fixed, by_person, ["p.circle IS NOT NULL"]),
            (fixed, by_figures, [f"s.fading_from <= {bind(today)}"]),
        ]
    if action is Action.RAISE_IRL:
        ready_start = today - timedelta(days=rules.ready_min_days_since_first_contact)
        inbound_since = today - timedelta(days=rules.ready_inbound_window_days - 1)
        base = bind.by_value(
            "s.first_contact", dict(terms.raise_irl_by_first_contact), terms.raise_irl_default
        )
        return [
            (
                base,
                by_figures,
                [
                    f"s.stage_rank BETWEEN {bind(acquainted)} AND {bind(Stage.VOICE.rank)}",
                    f"s.first_contact <= {bind(ready_start)}",
                    f"s.in_mark >= {bind(inbound_since)}",
                ],
            )
        ]
    if action is Action.DEEPEN:
        since = today - timedelta(days=rules.deepen_recent_days - 1)
        return [
            (
                bind(terms.fixed[action]),
                by_figures,
                [f"s.stage_rank = {bind(acquainted)}", f"s.last_in >= {bind(since)}"],
            )
        ]
    if action is Action.SLOW_DOWN:
        out_since = today - timedelta(days=rules.slow_down_relevant_days - 1)
        burst_since = today - timedelta(days=rules.burst_window_days - 1)
        return [
            (
                bind(terms.fixed[action]),
                by_figures,
                [
                    f"s.last_out >= {bind(out_since)}",
                    f"(s.unanswered >= {bind(rules.unanswered_run)}"
                    f" OR s.out_mark >= {bind(burst_since)})",
                ],
            )
        ]
    if action in (Action.WISH_LUCK, Action.ASK_HOW_IT_WENT):
        days = terms.wish_luck_by_day if action is Action.WISH_LUCK else terms.ask_how_by_day
        if not days:
            return []
        return [
            (
                bind.by_value("f.event_on", dict(days), None),
                figures.with_facts,
                [f"f.event_on IN {bind.many(sorted(days))}"],
            )
        ]
    if action is Action.BIRTHDAY:
        coming = [today + timedelta(days=d) for d in range(rules.birthday_days_before + 1)]
        codes = {d.month * 100 + d.day for d in coming}
        if 228 in codes:
            codes.add(229)
        return [
            (bind(terms.fixed[action]), by_person, [f"p.birthday_md IN {bind.many(sorted(codes))}"])
        ]
    if action is Action.SCHEDULE:
        return [
            (
                bind(terms.fixed[action]),
                figures.with_invites,
                [f"i.response = {bind('positive')}", "i.scheduled_at IS NULL"],
            )
        ]
    if action is Action.ENGAGE:  # backing off after a cold answer (circle members: above)
        since = datetime.combine(today - timedelta(days=rules.backoff_days + 1), time(), UTC)
        return [
            (
                bind(terms.fixed[action]),
                figures.with_invites,
                [f"i.response = {bind('negative')}", f"i.responded_at >= {bind(since)}"],
            )
        ]
    if action is Action.MEET_WHILE_TRAVELLING:
        lead = timedelta(days=rules.travel_lead_days)
        return [
            (
                bind(terms.fixed[action]),
                by_person,
                [f"s.stage_rank >= {bind(acquainted)}", _box(trip, rules, bind)],
            )
            for trip in trips
            if trip.location is not None and trip.starts_on - lead <= today <= trip.ends_on
        ]
    raise ValueError(f"no candidate query for {action}")  # pragma: no cover
