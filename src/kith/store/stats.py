"""Per-person figures (`person_stats`): fast lists, and agenda candidates without a full scan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from math import cos, radians
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

from kith.domain.model import Action, Stage, Trip
from kith.domain.rules import Rules
from kith.domain.suggestions import CeilingTerms
from kith.domain.summary import Summary
from kith.store import report_figures
from kith.store.people import chunks
from kith.store.schema import facts, interactions, invites, people, person_stats, tags

#: the columns of person_stats; a summary's `report` goes to person_report
_SUMMARY_FIELDS = tuple(f.name for f in fields(Summary) if f.name != "report")


def save(connection: Connection, summaries: Sequence[Summary]) -> None:
    """Replace the stored figures of these people, their part of the report included."""
    if not summaries:
        return
    report_figures.save(connection, [s.report for s in summaries])
    ids = [s.person_id for s in summaries]
    for chunk in chunks(ids):
        connection.execute(delete(person_stats).where(person_stats.c.person_id.in_(chunk)))
    rows = [{name: getattr(s, name) for name in _SUMMARY_FIELDS} for s in summaries]
    for row in rows:
        row["stage"] = row["stage"].value
    for start in range(0, len(rows), 5000):
        connection.execute(insert(person_stats), rows[start : start + 5000])


def stale_ids(connection: Connection, today: date) -> list[int]:
    """People whose figures were computed on another day, or never."""
    query = (
        select(people.c.id)
        .select_from(people.outerjoin(person_stats, person_stats.c.person_id == people.c.id))
        .where(or_(person_stats.c.as_of.is_(None), person_stats.c.as_of != today))
        .order_by(people.c.id)
    )
    return [int(r[0]) for r in connection.execute(query)]


def missing_ids(connection: Connection) -> list[int]:
    """People with no stored figures at all (a migration cleared them)."""
    query = (
        select(people.c.id)
        .select_from(people.outerjoin(person_stats, person_stats.c.person_id == people.c.id))
        .where(person_stats.c.person_id.is_(None))
        .order_by(people.c.id)
    )
    return [int(r[0]) for r in connection.execute(query)]


def all_ids(connection: Connection) -> list[int]:
    return [int(r[0]) for r in connection.execute(select(people.c.id).order_by(people.c.id))]


def has_data_after(connection: Connection, moment: Any) -> bool:
    """True when something is dated after `moment` (a replay of the past)."""
    query = select(func.max(interactions.c.occurred_at))
    latest = connection.execute(query).scalar()
    return latest is not None and latest > moment


def _box(trip: Trip, rules: Rules) -> Any:
    assert trip.location is not None
    lat, lon = trip.location.lat, trip.location.lon
    dlat = rules.travel_radius_km / 110.0 + 0.01
    # a degree of longitude shrinks towards the poles; stay generous
    dlon = rules.travel_radius_km / max(1.0, 111.32 * cos(radians(min(abs(lat), 89.0)))) + 0.01
    return and_(
        people.c.lat.between(lat - dlat, lat + dlat), people.c.lon.between(lon - dlon, lon + dlon)
    )


def _by_day(column: Any, values: dict[date, float], default: float | None = None) -> Any:
    return case({day: literal(v) for day, v in values.items()}, value=column, else_=default)


def candidates_for(
    connection: Connection,
    action: Action,
    today: date,
    rules: Rules,
    trips: Iterable[Trip],
    terms: CeilingTerms,
    floor: float,
) -> list[tuple[int, float]]:
    """(person id, priority ceiling) of everyone `action` could name today with a priority
    of at least `floor`, highest first."""
    queries = candidate_queries(action, today, rules, trips, terms, floor)
    if not queries:
        return []
    every = union_all(*queries).subquery()
    best = func.max(every.c.ceiling).label("best")
    query = select(every.c.pid, best).group_by(every.c.pid).order_by(best.desc(), every.c.pid)
    return [(int(pid), float(ceiling)) for pid, ceiling in connection.execute(query)]


def candidate_queries(
    action: Action,
    today: date,
    rules: Rules,
    trips: Iterable[Trip],
    terms: CeilingTerms,
    floor: float,
) -> list[Any]:
    """The agenda's prefilter for `action`: one query per way it can arise, each giving
    (pid, ceiling). Each rule's conditions (docs/path.md, "Pacing" to "The agenda") are
    widened to what stored figures can tell, and each is served by an index; paused
    people are left out."""
    s = person_stats.c
    p = people.c
    stored = func.coalesce(s.strength, literal(1.0))
    grown = case((s.as_of == today, stored), else_=stored + literal(terms.stale_growth))
    bounded = case((grown > 1.0, literal(1.0)), else_=grown)
    bonus = case(
        {c: literal(v) for c, v in terms.circle_bonus.items()}, value=p.circle, else_=literal(0.0)
    )
    personal = literal(terms.per_strength) * bounded + bonus + literal(0.05)  # 0.05: rounding
    # conditions on stored figures start from person_stats (an inner join lets the planner
    # use their indexes); conditions on people start from people, whose figures may be missing
    by_figures = person_stats.join(people, p.id == s.person_id)
    by_person = people.outerjoin(person_stats, s.person_id == p.id)
    queries = []
    for base, source, where in _conditions(
        action, today, rules, trips, terms, by_figures, by_person
    ):
        ceiling = (base + personal).label("ceiling")
        queries.append(
            select(p.id.label("pid"), ceiling)
            .select_from(source)
            .where(p.paused.is_(False), *where, ceiling >= floor)
        )
    return queries


def _conditions(
    action: Action,
    today: date,
    rules: Rules,
    trips: Iterable[Trip],
    terms: CeilingTerms,
    by_figures: Any,
    by_person: Any,
) -> list[tuple[Any, Any, tuple[Any, ...]]]:
    """(ceiling base, tables, conditions) of each way `action` can arise."""
    s = person_stats.c
    p = people.c
    fixed = literal(terms.fixed[action])
    acquainted = Stage.ACQUAINTED.rank
    if action is Action.KEEP_IN_TOUCH:  # also covers engaging circle members (a lower base)
        return [
            (fixed, by_person, (p.circle.is_not(None),)),
            (fixed, by_figures, (s.fading_from <= today,)),
        ]
    if action is Action.RAISE_IRL:
        ready_start = today - timedelta(days=rules.ready_min_days_since_first_contact)
        inbound_since = today - timedelta(days=rules.ready_inbound_window_days - 1)
        base = _by_day(s.first_contact, terms.raise_irl_by_first_contact, terms.raise_irl_default)
        return [
            (
                base,
                by_figures,
                (
                    s.stage_rank.between(acquainted, Stage.VOICE.rank),
                    s.first_contact <= ready_start,
                    s.in_mark >= inbound_since,
                ),
            )
        ]
    if action is Action.DEEPEN:
        since = today - timedelta(days=rules.deepen_recent_days - 1)
        return [(fixed, by_figures, (s.stage_rank == acquainted, s.last_in >= since))]
    if action is Action.SLOW_DOWN:
        out_since = today - timedelta(days=rules.slow_down_relevant_days - 1)
        burst_since = today - timedelta(days=rules.burst_window_days - 1)
        return [
            (
                fixed,
                by_figures,
                (
                    s.last_out >= out_since,
                    or_(s.unanswered >= rules.unanswered_run, s.out_mark >= burst_since),
                ),
            )
        ]
    if action in (Action.WISH_LUCK, Action.ASK_HOW_IT_WENT):
        days = terms.wish_luck_by_day if action is Action.WISH_LUCK else terms.ask_how_by_day
        with_facts = facts.join(by_person, facts.c.person_id == p.id)
        return [
            (_by_day(facts.c.event_on, days), with_facts, (facts.c.event_on.in_(sorted(days)),))
        ]
    if action is Action.BIRTHDAY:
        coming = [today + timedelta(days=d) for d in range(rules.birthday_days_before + 1)]
        codes = {d.month * 100 + d.day for d in coming}
        if 228 in codes:
            codes.add(229)
        return [(fixed, by_person, (p.birthday_md.in_(sorted(codes)),))]
    with_invites = invites.join(by_person, invites.c.person_id == p.id)
    if action is Action.SCHEDULE:
        return [
            (
                fixed,
                with_invites,
                (invites.c.response == "positive", invites.c.scheduled_at.is_(None)),
            )
        ]
    if action is Action.ENGAGE:  # backing off after a cold answer (circle members: above)
        since = datetime.combine(today - timedelta(days=rules.backoff_days + 1), time(), UTC)
        return [
            (
                fixed,
                with_invites,
                (invites.c.response == "negative", invites.c.responded_at >= since),
            )
        ]
    if action is Action.MEET_WHILE_TRAVELLING:
        lead = timedelta(days=rules.travel_lead_days)
        return [
            (fixed, by_person, (s.stage_rank >= acquainted, _box(trip, rules)))
            for trip in trips
            if trip.location is not None and trip.starts_on - lead <= today <= trip.ends_on
        ]
    raise ValueError(f"no candidate query for {action}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class PeopleQuery:
    stage: str | None = None
    tag: str | None = None
    circle: int | None = None
    city: str | None = None
    search: str | None = None
    sort: str = "strength"
    limit: int | None = None
    offset: int = 0


SORTS = ("strength", "recent", "name")


def people_rows() -> Any:
    """The columns of a People list row: a person with their stored figures."""
    s = person_stats.c
    return select(
        people.c.id,
        people.c.name,
        people.c.circle,
        people.c.city,
        people.c.paused,
        func.coalesce(s.stage, literal(Stage.NOTICED.value)).label("stage"),
        func.coalesce(s.strength, literal(0.0)).label("strength"),
        s.last_touch.label("last_contact"),
        s.ready,
        s.hours,
        (func.coalesce(s.count_in, 0) + func.coalesce(s.count_out, 0)).label("touches"),
    ).select_from(people.outerjoin(person_stats, s.person_id == people.c.id))


def _ordered(query: Any, sort: str) -> Any:
    """The list's order: by tie strength, by the most recent touch, or by name."""
    s = person_stats.c
    if sort == "strength":
        return query.order_by(s.strength.desc().nulls_last(), people.c.name_key, people.c.id)
    if sort == "recent":
        return query.order_by(
            s.last_touch.is_(None), s.last_touch.desc(), people.c.name_key, people.c.id
        )
    return query.order_by(people.c.name_key, people.c.id)


def list_people(connection: Connection, q: PeopleQuery) -> list[Any]:
    query = _ordered(_filtered(people_rows(), q), q.sort)
    if q.limit is not None:
        query = query.limit(q.limit)
    if q.offset:
        query = query.offset(q.offset)
    return list(connection.execute(query))


def ordered_ids(connection: Connection, q: PeopleQuery) -> list[int]:
    """Everyone `q` matches, in the list's order (limit and offset aside)."""
    s = person_stats.c
    ids = select(people.c.id).select_from(
        people.outerjoin(person_stats, s.person_id == people.c.id)
    )
    return [int(r[0]) for r in connection.execute(_ordered(_filtered(ids, q), q.sort))]


def rows_by_id(connection: Connection, ids: Sequence[int]) -> dict[int, Any]:
    """The People list rows of these people."""
    query = people_rows().where(people.c.id.in_(list(ids)))
    return {int(r.id): r for r in connection.execute(query)}


def count_people(connection: Connection, q: PeopleQuery) -> int:
    s = person_stats.c
    query = select(func.count()).select_from(
        people.outerjoin(person_stats, s.person_id == people.c.id)
    )
    return int(connection.execute(_filtered(query, q)).scalar_one())


def _filtered(query: Any, q: PeopleQuery) -> Any:
    s = person_stats.c
    if q.stage is not None:
        if q.stage == Stage.NOTICED.value:
            query = query.where(or_(s.stage == q.stage, s.stage.is_(None)))
        else:
            query = query.where(s.stage == q.stage)
    if q.circle is not None:
        query = query.where(people.c.circle == q.circle)
    if q.city is not None:
        query = query.where(func.lower(people.c.city) == q.city.casefold())
    if q.tag is not None:
        query = query.where(exists().where(tags.c.person_id == people.c.id, tags.c.tag == q.tag))
    if q.search:
        from kith.store.people import name_key

        pattern = name_key(q.search).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(people.c.name_key.like(f"%{pattern}%", escape="\\"))
    return query
