"""`kith report` from stored per-person figures is today's full reassessment, number for number.

`report.build` sums `person_report` rows (bringing those it cannot use up to date first);
`report.reassess` assesses every history as the report always did. Both run on the same base
and moment, on SQLite and PostgreSQL: on demo bases (several seeds, moments, zones and
rules) and on random histories (Hypothesis), with figures computed at other moments than
the report's: earlier the same day, days or months before, before touches that were then
in the future, under other rules.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, insert, select

from kith.demo import build_demo
from kith.domain import AskKind, Channel, Direction, Response
from kith.domain.context import Context
from kith.domain.report import Report
from kith.domain.report_figures import basis, basis_of
from kith.domain.rules import Rules
from kith.ingest.coverage import coverage
from kith.services import context as contexts
from kith.services import report
from kith.services.refresh import refresh
from kith.store import candidates, database, histories
from kith.store import report_figures as stored
from kith.store.schema import interactions, invites, metadata, people, person_report

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = database.open_engine(db_url)
    try:
        yield made
    finally:
        made.dispose()


@contextmanager
def demo(url: str, people_n: int, seed: int, built: datetime) -> Iterator[Engine]:
    """A demo base (written before any engine is open: it replaces a SQLite file)."""
    build_demo(url, people_n, seed, now=built)
    made = database.open_engine(url)
    try:
        yield made
    finally:
        made.dispose()


def both(engine: Engine, ctx: Context) -> tuple[Report, Report]:
    """(the report from stored figures, the full reassessment), in one transaction each."""
    with engine.begin() as c:
        summed = report.build(c, ctx)
    with engine.begin() as c:
        reassessed = report.reassess(c, ctx)
    return summed, reassessed


def assert_same(engine: Engine, ctx: Context) -> Report:
    summed, reassessed = both(engine, ctx)
    assert summed == reassessed
    assert report.as_json(summed) == report.as_json(reassessed)
    return summed


def context_at(engine: Engine, now: datetime, **rule_changes: Any) -> Context:
    with engine.connect() as c:
        ctx = contexts.build(c, now)
    if rule_changes:
        ctx = dataclasses.replace(ctx, rules=ctx.rules.with_changes(**rule_changes))
    return ctx


def no_history_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the report read a history")

    monkeypatch.setattr(histories, "stream", refuse)
    monkeypatch.setattr(histories, "load", refuse)


# -- demo bases --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seed", "people", "built"),
    [
        (11, 120, NOW),
        (3, 200, datetime(2026, 3, 31, 23, 30, tzinfo=UTC)),  # the last hour of a quarter
        (7, 150, datetime(2025, 12, 31, 12, 0, tzinfo=UTC)),
    ],
)
def test_demo_base_report_equals_the_full_reassessment(db_url, seed, people, built):
    with demo(db_url, people, seed, built) as engine:
        _demo_moments(engine, people, built)


def _demo_moments(engine: Engine, people: int, built: datetime) -> None:
    moments = [
        built,
        built + timedelta(minutes=20),  # the same day (or the next, near midnight)
        built + timedelta(days=1),
        built + timedelta(days=33),  # another month
        built + timedelta(days=95),  # another quarter: recent first calls drop out
        built + timedelta(days=400),  # a year later: the 365-day counts empty out
    ]
    for moment in moments:
        found = assert_same(engine, context_at(engine, moment))
        assert found.people == people
    # a replay of a moment before some of the history: reassessed, still equal
    assert_same(engine, context_at(engine, built - timedelta(days=60)))


def test_demo_base_in_other_zones_and_under_other_rules(db_url):
    with demo(db_url, 150, 5, NOW) as engine:
        _zones_and_rules(engine)


def _zones_and_rules(engine: Engine) -> None:
    for changes in (
        {"timezone": "America/Chicago"},
        {"timezone": "Asia/Kolkata"},
        {"timezone": "Pacific/Kiritimati"},  # UTC+14: a day ahead of UTC
        {"reciprocity_window_days": 30, "link_share_max_words": 12},
        {"friend_hours": 4.0, "close_hours": 9.0},
        {},
    ):
        assert_same(engine, context_at(engine, NOW, **changes))


def test_a_current_base_is_reported_from_stored_figures_alone(db_url, monkeypatch):
    with demo(db_url, 120, 11, NOW) as engine:
        ctx = context_at(engine, NOW)
        first = assert_same(engine, ctx)  # brings every figure up to date (the demo's are stale)
        with engine.connect() as c:
            assert stored.stale_ids(c, ctx.today, ctx.now, basis(ctx)) == []
        no_history_read(monkeypatch)
        later = context_at(engine, NOW + timedelta(hours=2))  # the same day
        seen: list[tuple[int, int]] = []
        with engine.begin() as c:
            again = report.build(c, later, lambda done, total: seen.append((done, total)), 50)
    assert again == dataclasses.replace(first, as_of=later.now)
    assert seen == [(50, 120), (100, 120), (120, 120)]


def test_refresh_stores_the_report_figures_with_the_person_figures(db_url):
    with demo(db_url, 60, 2, NOW) as engine:
        ctx = context_at(engine, NOW)
        with engine.begin() as c:
            c.execute(delete(person_report))
            refresh(c, ctx, [1, 2, 3])
            rows = c.execute(select(person_report.c.person_id, person_report.c.basis)).all()
        assert sorted(rows) == [(1, basis(ctx)), (2, basis(ctx)), (3, basis(ctx))]
        with engine.begin() as c:  # forgetting a person forgets their figures
            c.execute(delete(people).where(people.c.id == 2))
            left = c.execute(select(func.count()).select_from(person_report)).scalar()
        assert left == 2


# -- figures computed before a touch that was then in the future ---------------------------
def test_a_touch_dated_after_the_figures_were_computed_is_counted_once_it_is_past(engine):
    computed = context_at(engine, NOW)
    later = context_at(engine, NOW + timedelta(hours=4))
    with engine.begin() as c:
        c.execute(insert(people).values(id=1, name="Ana", name_key="ana", created_at=NOW))
        for hours, channel in ((-30, "reply"), (3, "meeting")):
            c.execute(
                insert(interactions).values(
                    person_id=1,
                    occurred_at=NOW + timedelta(hours=hours),
                    channel=channel,
                    direction="in" if channel == "reply" else "both",
                    word_count=0,
                    is_link_share=False,
                    source="manual",
                )
            )
        # computed at NOW: the meeting three hours later is not yet counted
        refresh(c, computed, [1])
    assert later.today == NOW.date()  # the same day: only the moment tells the rows apart
    found = assert_same(engine, later)
    assert found.met_ever == 1
    assert found.recent[0].kind == "first_meeting"


# -- the basis is stable across processes ------------------------------------------------------
def test_the_basis_does_not_depend_on_the_process():
    code = (
        "from kith.domain.report_figures import basis_of; from kith.domain.rules import Rules; "
        "from kith.ingest.coverage import coverage; "
        "print(basis_of(Rules(timezone='Europe/Lisbon'), coverage()))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {basis_of(Rules(timezone="Europe/Lisbon"), coverage())}
    assert basis_of(Rules(), coverage()) != basis_of(Rules(timezone="Europe/Lisbon"), coverage())
    assert basis_of(Rules(), coverage()) != basis_of(Rules(reciprocity_window_days=90), coverage())


# -- random histories ----------------------------------------------------------------------------
SOURCES = ("manual", "x", "linkedin", "mastodon", "telegram", "ics")
TEXTS = (None, "hi", "https://example.org", "look https://example.org/a", "a longer note about it")
ZONES = ("UTC", "America/Chicago", "Asia/Kolkata", "Pacific/Kiritimati")

#: days before the report that sit on an edge of some window (recent, reciprocity, the year,
#: the trend); touches fall on them often
EDGES = (0, 1, 29, 30, 89, 90, 91, 179, 180, 181, 364, 365, 366, 700, 730, 760)
minutes_before = st.one_of(
    st.builds(
        lambda day, minute: day * 24 * 60 + minute,
        st.sampled_from(EDGES),
        st.integers(min_value=0, max_value=12 * 60),
    ),
    st.integers(min_value=-3 * 24 * 60, max_value=800 * 24 * 60),
)
touches = st.lists(
    st.tuples(
        minutes_before,  # minutes before the report (negative: after it)
        st.sampled_from(list(Channel)),
        st.sampled_from(list(Direction)),
        st.none() | st.integers(min_value=0, max_value=3000),
        st.sampled_from(TEXTS),
        st.booleans(),
        st.sampled_from(SOURCES),
    ),
    max_size=25,
)
asks = st.lists(
    st.tuples(
        st.integers(min_value=-5, max_value=500),  # days before the report
        st.sampled_from(list(AskKind)),
        st.sampled_from(list(Response)),
        st.none() | st.integers(min_value=-5, max_value=30),  # answered this many days later
    ),
    max_size=3,
)
person = st.tuples(touches, asks, st.booleans())
scenario = st.fixed_dictionaries(
    {
        "people": st.lists(person, max_size=6),
        # the figures were computed this many minutes before the report (negative: after)
        "computed_before": st.integers(min_value=-2 * 24 * 60, max_value=120 * 24 * 60),
        # the report's moment, minutes after NOW
        "report_at": st.integers(min_value=-3 * 24 * 60, max_value=30 * 24 * 60),
        "zone": st.sampled_from(ZONES),
        "window": st.sampled_from([180, 30]),
    }
)


def _write(engine: Engine, people_made: list[Any], at: datetime) -> None:
    """These people, their touches dated relative to the report's moment `at`."""
    with engine.begin() as c:
        for table in reversed(metadata.sorted_tables):
            c.execute(delete(table))
        for pid, (made_touches, made_asks, paused) in enumerate(people_made, 1):
            c.execute(
                insert(people).values(
                    id=pid, name=f"P{pid}", name_key=f"p{pid}", paused=paused, created_at=NOW
                )
            )
            rows = [
                {
                    "person_id": pid,
                    "occurred_at": at - timedelta(minutes=minutes),
                    "channel": channel.value,
                    "direction": direction.value,
                    "text": text,
                    "word_count": 0,
                    "is_link_share": link,
                    "minutes": length,
                    "source": source,
                }
                for minutes, channel, direction, length, text, link, source in made_touches
            ]
            if rows:
                c.execute(insert(interactions), rows)
            for days, kind, response, answered in made_asks:
                asked = at - timedelta(days=days)
                c.execute(
                    insert(invites).values(
                        person_id=pid,
                        asked_at=asked,
                        kind=kind.value,
                        response=response.value,
                        responded_at=None
                        if answered is None or response is Response.PENDING
                        else asked + timedelta(days=answered),
                    )
                )


@settings(
    max_examples=int(os.environ.get("KITH_REPORT_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario)
def test_random_histories_report_equals_the_full_reassessment(engine, case):
    rules = Rules(timezone=case["zone"], reciprocity_window_days=case["window"])
    at = NOW + timedelta(minutes=case["report_at"])
    _write(engine, case["people"], at)
    ctx = Context(now=at, rules=rules, coverage=coverage())
    computed = Context(
        now=at - timedelta(minutes=case["computed_before"]), rules=rules, coverage=coverage()
    )
    with engine.begin() as c:
        refresh(c, computed, candidates.all_ids(c))
    assert_same(engine, ctx)
    # and once more, from the figures the first report left current
    assert_same(engine, dataclasses.replace(ctx, now=ctx.now + timedelta(seconds=1)))
