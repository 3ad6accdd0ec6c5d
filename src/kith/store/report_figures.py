"""`person_report`: each person's part of `kith report`, and the sums the report is made of.

The rows are written with `person_stats` (:func:`kith.store.stats.save`); what they mean,
and how long each column stays true, is :mod:`kith.domain.report_figures`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, literal, or_, select, union_all

from kith.domain.model import AskKind, Response, Stage
from kith.domain.report import TREND_MONTHS, Conversion
from kith.domain.report_figures import MILESTONE_KINDS, ReportFigures, ReportTotals
from kith.store.rawsql import chunks
from kith.store.schema import interactions, invites, people, person_report

_REACHED = tuple(f"{stage.value}_on" for stage in Stage)
_TALK = tuple(f"talk_m{n}" for n in range(TREND_MONTHS))
_LINKS = tuple(f"links_m{n}" for n in range(TREND_MONTHS))
#: milestone kind -> the column holding the day it was reached
_DAY_COLUMNS = dict(
    zip(MILESTONE_KINDS, (*_REACHED, "first_call_on", "first_meeting_on"), strict=True)
)
_STAGES = {s.value: s for s in Stage}


def _row(f: ReportFigures) -> dict[str, Any]:
    row: dict[str, Any] = {
        "person_id": f.person_id,
        "as_of": f.as_of,
        "computed_at": f.computed_at,
        "basis": f.basis,
        "stage": f.stage.value,
        "first_call_at": f.first_call_at,
        "first_call_on": f.first_call_on,
        "first_meeting_at": f.first_meeting_at,
        "first_meeting_on": f.first_meeting_on,
        "days_to_first_meeting": f.days_to_first_meeting,
        "last_met_on": f.last_met_on,
        "talk": f.talk,
        "links": f.links,
        "talk_year": f.talk_year,
        "links_year": f.links_year,
        "window_in": f.window_in,
        "window_out": f.window_out,
    }
    row.update(zip(_REACHED, f.reached_on, strict=True))
    row.update(zip(_TALK, f.talk_by_month, strict=True))
    row.update(zip(_LINKS, f.links_by_month, strict=True))
    return row


def save(connection: Connection, figures: Sequence[ReportFigures]) -> None:
    """Replace the stored report figures of these people."""
    if not figures:
        return
    for chunk in chunks([f.person_id for f in figures]):
        connection.execute(delete(person_report).where(person_report.c.person_id.in_(chunk)))
    rows = [_row(f) for f in figures]
    for start in range(0, len(rows), 2000):
        connection.execute(insert(person_report), rows[start : start + 2000])


def everyone(connection: Connection) -> int:
    """How many people the base holds."""
    return int(connection.execute(select(func.count()).select_from(people)).scalar_one())


def stale_ids(connection: Connection, today: date, now: datetime, basis: str) -> list[int]:
    """People whose report figures the report cannot use as of `now`: none stored, window
    counts of another day, another basis (rules, zone, coverage), or a touch dated after
    the moment they were computed and by now past (it was in the future then)."""
    r = person_report.c
    current = (r.as_of == today, r.basis == basis)
    stale: set[int] = set()
    fresh = connection.execute(select(func.count()).where(*current)).scalar_one()
    if fresh != everyone(connection):
        query = (
            select(people.c.id)
            .select_from(people.outerjoin(person_report, r.person_id == people.c.id))
            .where(or_(r.person_id.is_(None), r.as_of != today, r.basis != basis))
        )
        stale.update(int(row[0]) for row in connection.execute(query))
    earliest = connection.execute(select(func.min(r.computed_at)).where(*current)).scalar()
    if earliest is not None and earliest < now:
        i = interactions.c
        since = (
            select(i.person_id)
            .distinct()
            .select_from(interactions.join(person_report, r.person_id == i.person_id))
            .where(
                i.occurred_at > earliest,
                i.occurred_at <= now,
                i.occurred_at > r.computed_at,
                *current,
            )
        )
        stale.update(int(row[0]) for row in connection.execute(since))
    return sorted(stale)


def _counts(connection: Connection, query: Any) -> Counter[Any]:
    found: Counter[Any] = Counter()
    for *key, n in connection.execute(query):
        found[key[0] if len(key) == 1 else tuple(key)] += int(n)
    return found


def totals(
    connection: Connection, now: datetime, recent_since: date, recent_limit: int
) -> ReportTotals:
    """The sums over every stored row (each of them current: see :func:`stale_ids`) and
    the base's own counts; first calls and meetings from `recent_since` on, the
    `recent_limit` newest of each kind."""
    r = person_report.c
    sums = [
        func.count(),
        *(
            func.coalesce(func.sum(r[name]), 0)
            for name in ("talk", "links", "talk_year", "links_year", "window_in", "window_out")
        ),
        *(func.coalesce(func.sum(r[name]), 0) for name in (*_TALK, *_LINKS)),
    ]
    row = connection.execute(select(*sums)).one()
    _, talk, links, talk_year, links_year, window_in, window_out = (int(v) for v in row[:7])
    by_month = [int(v) for v in row[7:]]

    people_row = connection.execute(
        select(func.count(), func.coalesce(func.sum(case((people.c.paused, 1), else_=0)), 0))
    ).one()

    def by(*columns: Any, where: Any = None) -> Counter[Any]:
        query = select(*columns, func.count()).group_by(*columns)
        return _counts(connection, query if where is None else query.where(where))

    stages = by(r.stage)
    days = [
        select(literal(kind).label("kind"), r[column].label("day"), func.count())
        .where(r[column].is_not(None))
        .group_by(r[column])
        for kind, column in _DAY_COLUMNS.items()
    ]
    milestones = _counts(connection, union_all(*days))
    answered = or_(invites.c.responded_at.is_(None), invites.c.responded_at <= now)
    response = case((answered, invites.c.response), else_=literal(Response.PENDING.value))
    asks = _counts(
        connection,
        select(invites.c.kind, response, func.count())
        .where(invites.c.asked_at <= now)
        .group_by(invites.c.kind, response),
    )
    recent: list[Conversion] = []
    for kind, at, on in (
        ("first_call", r.first_call_at, r.first_call_on),
        ("first_meeting", r.first_meeting_at, r.first_meeting_on),
    ):
        query = (
            select(r.person_id, people.c.name, at)
            .select_from(person_report.join(people, people.c.id == r.person_id))
            .where(on >= recent_since)
            .order_by(at.desc(), r.person_id.desc())
            .limit(recent_limit)
        )
        recent.extend(
            Conversion(int(pid), name, kind, moment)
            for pid, name, moment in connection.execute(query)
        )
    return ReportTotals(
        people=int(people_row[0]),
        paused=int(people_row[1]),
        by_stage={_STAGES[stage]: n for stage, n in stages.items()},
        last_met_on=by(r.last_met_on, where=r.last_met_on.is_not(None)),
        days_to_first_meeting=by(
            r.days_to_first_meeting, where=r.days_to_first_meeting.is_not(None)
        ),
        talk=talk,
        links=links,
        talk_year=talk_year,
        links_year=links_year,
        talk_by_month=by_month[:TREND_MONTHS],
        links_by_month=by_month[TREND_MONTHS:],
        window_in=window_in,
        window_out=window_out,
        window_pairs={
            (inbound, outbound): n
            for (outbound, inbound), n in by(
                r.window_out, r.window_in, where=r.window_out > 0
            ).items()
        },
        milestone_days=milestones,
        recent=recent,
        invites={(AskKind(kind), Response(answer)): n for (kind, answer), n in asks.items()},
    )
