"""The next actions one relationship calls for, each with a reason and a priority.

Priorities are on a 0..100 scale: a base per kind of action (time-bound follow-ups
first, gentle engagement last), raised by tie strength and by inner circles. The agenda
(`kith.domain.agenda`) keeps the best one per person and ranks them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from kith.domain import ladder, phrasing
from kith.domain.assessment import Assessment
from kith.domain.calendar import days_ago_text
from kith.domain.context import Context
from kith.domain.followups import birthday_followup, fact_followups
from kith.domain.model import Action, AskKind, Direction, Stage, Suggestion
from kith.domain.places import distance_km
from kith.domain.readiness import irl_urgency

BASE_PRIORITY: dict[Action, float] = {
    Action.WISH_LUCK: 88.0,
    Action.BIRTHDAY: 86.0,
    Action.SCHEDULE: 84.0,
    Action.ASK_HOW_IT_WENT: 78.0,
    Action.MEET_WHILE_TRAVELLING: 76.0,
    Action.SLOW_DOWN: 70.0,
    Action.RAISE_IRL: 58.0,
    Action.KEEP_IN_TOUCH: 44.0,
    Action.DEEPEN: 38.0,
    Action.ENGAGE: 28.0,
    Action.ASK_FOR_INTRO: 0.0,  # keeps the priority of the suggestion it replaces
}

CIRCLE_BONUS: dict[int, float] = {1: 6.0, 2: 4.0, 3: 2.0, 4: 1.0}


def _priority(action: Action, a: Assessment, extra: float = 0.0) -> float:
    circle = a.person.circle
    bonus = CIRCLE_BONUS.get(circle, 0.0) if circle is not None else 0.0
    return round(BASE_PRIORITY[action] + extra + 8.0 * a.strength.score + bonus, 1)


def _make(
    a: Assessment,
    action: Action,
    reason: str,
    due: date,
    extra: float = 0.0,
    details: dict[str, object] | None = None,
) -> Suggestion:
    return Suggestion(
        person_id=a.person.id,
        person_name=a.person.name,
        action=action,
        reason=reason,
        priority=_priority(action, a, extra),
        due=due,
        details=details or {},
    )


def suggestions(a: Assessment, ctx: Context) -> list[Suggestion]:
    """Every action this person calls for today (paused people call for none).

    While `slow_down` holds it is the only one: no real-life ask, no engagement, no nudge to
    go deeper, until the pace is normal again (docs/path.md, "One next step")."""
    if a.person.paused:
        return []
    if a.pace.slow_down:
        found = [_slow_down(a, ctx)]
    else:
        found = [
            *_followups(a, ctx),
            *_asks(a, ctx),
            *_travel(a, ctx),
            *_keep_in_touch(a, ctx),
            *_deepen(a, ctx),
            *_engage(a, ctx),
        ]
    # an overdue step is due today: nothing is ever due before the day it is shown
    return [s if s.due >= ctx.today else replace(s, due=ctx.today) for s in found]


def _recent(day: date | None, ctx: Context, days: int) -> bool:
    return day is not None and 0 <= (ctx.today - day).days < days


def _followups(a: Assessment, ctx: Context) -> Iterator[Suggestion]:
    today = ctx.today
    visible = tuple(f for f in a.history.facts if f.event_on is not None)
    for f in fact_followups(visible, a.rhythm, today, ctx.rules):
        yield _make(a, f.action, f.reason, f.due, 4.0 * f.urgency, f.details)
    bday = birthday_followup(a.person.birthday, a.rhythm, today, ctx.rules)
    if bday is not None:
        yield _make(a, bday.action, bday.reason, bday.due, 4.0 * bday.urgency, bday.details)


def _asks(a: Assessment, ctx: Context) -> Iterator[Suggestion]:
    today = ctx.today
    invite = a.asks.to_schedule
    if invite is not None:
        asked = days_ago_text((today - ctx.day_of(invite.asked_at)).days)
        yield _make(
            a,
            Action.SCHEDULE,
            f"they said yes to a {invite.kind.value} (asked {asked}): propose a time and place",
            today,
            details={"invite_id": invite.id, "ask": invite.kind.value},
        )
    r = a.readiness
    if r.ready and r.days_since_first_contact is not None:
        urgency = irl_urgency(r.days_since_first_contact, ctx)
        first = a.rhythm.first_contact or today
        where = (
            "they live nearby"
            if r.ask is AskKind.COFFEE
            else "their city is unknown"
            if a.distance_km is None
            else f"they live {a.distance_km:.0f} km away"
        )
        reason = (
            f"ready to suggest a {r.ask.value}: first two-way contact "
            f"{r.days_since_first_contact} days ago, {r.inbound_recent} touches from them in "
            f"{ctx.rules.ready_inbound_window_days} days, {where}"
        )
        if urgency >= 1.0:
            reason += "; do not wait much longer"
        yield _make(
            a,
            Action.RAISE_IRL,
            reason,
            first + timedelta(days=ctx.rules.irl_ramp_end_days),
            14.0 * urgency,
            {"ask": r.ask.value, "phrasing": phrasing.ask(r.ask, a)},
        )


def _travel(a: Assessment, ctx: Context) -> Iterator[Suggestion]:
    rules = ctx.rules
    location = a.person.location
    if location is None or a.stage.rank < Stage.ACQUAINTED.rank:
        return
    if a.asks.backoff_until is not None and ctx.today < a.asks.backoff_until:
        return
    if a.asks.pending is not None or a.asks.scheduled is not None:
        return
    for trip in ctx.trips:
        if trip.location is None:
            continue
        if not trip.starts_on - timedelta(days=rules.travel_lead_days) <= ctx.today <= trip.ends_on:
            continue
        km = distance_km(trip.location, location)
        if km > rules.travel_radius_km:
            continue
        ask = AskKind.MEAL if a.stage.rank >= Stage.FRIEND.rank else AskKind.COFFEE
        readiness = (
            "ready for a real-life ask"
            if a.readiness.ready
            else (f"tie strength {a.strength.score:.2f}")
        )
        yield _make(
            a,
            Action.MEET_WHILE_TRAVELLING,
            f"you will be in {trip.city} from {trip.starts_on.isoformat()} to "
            f"{trip.ends_on.isoformat()}; "
            + ("they live there" if km < 5 else f"they live {km:.0f} km from it")
            + f"; {readiness}",
            trip.starts_on,
            6.0 * float(a.readiness.ready),
            {
                "ask": ask.value,
                "trip": trip.city,
                "trip_id": trip.id,
                "km": round(km, 1),
                "phrasing": phrasing.travel(ask, trip.city, a),
            },
        )
        return


def _slow_down(a: Assessment, ctx: Context) -> Suggestion:
    last = a.pace.last_out or ctx.today
    age = (ctx.today - last).days
    return _make(
        a,
        Action.SLOW_DOWN,
        a.pace.reason(),
        last + timedelta(days=ctx.rules.burst_window_days),
        -float(age),
        {"recent_out": a.pace.recent_out, "unanswered": a.pace.unanswered},
    )


def _keep_in_touch(a: Assessment, ctx: Context) -> Iterator[Suggestion]:
    rules = ctx.rules
    today = ctx.today
    beat = a.rhythm
    cadence = rules.cadence(a.person.circle)
    reasons: list[str] = []
    overdue = 0.0
    due = today
    if cadence is not None:
        last = beat.last_touch
        if last is None:
            reasons.append(f"in circle {a.person.circle} (every {cadence} days), no contact yet")
            overdue = 1.0
        elif (today - last).days > cadence:
            days = (today - last).days
            reasons.append(
                f"in circle {a.person.circle} (every {cadence} days): "
                f"last contact {days_ago_text(days)}"
            )
            overdue = min(days / cadence - 1.0, 2.0) / 2.0
            due = last + timedelta(days=cadence)
    fading_from = beat.fading_from(rules)
    reached_out = _recent(beat.last_out, ctx, rules.engage_gap_days)
    if fading_from is not None and today >= fading_from and not reached_out:
        last_contact = beat.last_contact or today
        silence = (today - last_contact).days
        gap = beat.median_gap or 0.0
        reasons.append(
            f"fading: {silence} days of silence against a usual gap of {gap:.0f} days "
            f"over {len(beat.contact_days)} contacts"
        )
        overdue = max(overdue, min(silence / max(gap * rules.fading_gap_factor, 1.0), 3.0) / 3.0)
        due = min(due, fading_from)
    if reasons:
        yield _make(
            a,
            Action.KEEP_IN_TOUCH,
            "; ".join(reasons),
            due,
            12.0 * overdue,
            {
                "fading": any(r.startswith("fading") for r in reasons),
                "phrasing": phrasing.check_in(a),
            },
        )


def _deepen(a: Assessment, ctx: Context) -> Iterator[Suggestion]:
    """Acquainted: they have been addressing the user lately and the user has not written to
    them privately, so move to a private message (or answer the one they sent)."""
    if a.stage is not Stage.ACQUAINTED:
        return
    rules = ctx.rules
    recent_in = [
        ladder.LEVEL[i.channel]
        for i, day in a.timeline
        if i.direction is Direction.IN
        and ladder.LEVEL[i.channel] >= ladder.PUBLIC
        and _recent(day, ctx, rules.deepen_recent_days)
    ]
    if not recent_in:
        return
    wrote_privately = any(
        i.direction is Direction.OUT
        and ladder.LEVEL[i.channel] >= ladder.PRIVATE
        and _recent(day, ctx, rules.deepen_recent_days)
        for i, day in a.timeline
    )
    if wrote_privately:
        return
    n = len(recent_in)
    private = sum(1 for level in recent_in if level >= ladder.PRIVATE)
    times = "once" if n == 1 else f"{n} times"
    window = f"in the last {rules.deepen_recent_days} days"
    if private == n:
        reason = f"they wrote to you privately {times} {window}: answer them in private"
    elif private:
        reason = (
            f"they addressed you {times} {window}, {private} of them in private: "
            "answer in a private message"
        )
    else:
        reason = f"they addressed you {times} {window}, always in public: move to a private message"
    yield _make(
        a,
        Action.DEEPEN,
        reason,
        ctx.today,
        min(n, 5) * 1.0,
        {"channel": "dm", "phrasing": phrasing.deepen(a)},
    )


def _engage(a: Assessment, ctx: Context) -> Iterator[Suggestion]:
    rules = ctx.rules
    today = ctx.today
    if _recent(a.ledger.last_out, ctx, rules.engage_gap_days):
        return
    backoff = a.asks.backoff_until
    if backoff is not None and today < backoff:
        latest = a.asks.latest
        answered = ""
        if latest is not None:
            when = latest.responded_at or latest.asked_at
            answered = f" {days_ago_text((today - ctx.day_of(when)).days)}"
        yield _make(
            a,
            Action.ENGAGE,
            f"the last ask got a cold answer{answered}: keep engaging with what they post, "
            f"and ask again from {backoff.isoformat()}",
            today,
            2.0,
            {"backoff_until": backoff.isoformat()},
        )
        return
    if a.person.circle is not None and a.stage.rank <= Stage.ENGAGING.rank:
        last = a.ledger.last_out
        since = "never" if last is None else days_ago_text((today - last).days)
        yield _make(
            a,
            Action.ENGAGE,
            f"in circle {a.person.circle}, no reply from them recorded yet (your last touch: "
            f"{since}): comment "
            "on something they posted",
            today,
        )


#: the most each action's own terms can add to its base priority (see the functions above)
MAX_EXTRA: dict[Action, float] = {
    Action.WISH_LUCK: 4.0,
    Action.BIRTHDAY: 4.0,
    Action.SCHEDULE: 0.0,
    Action.ASK_HOW_IT_WENT: 4.0,
    Action.MEET_WHILE_TRAVELLING: 6.0,
    Action.SLOW_DOWN: 0.0,
    Action.RAISE_IRL: 14.0,
    Action.KEEP_IN_TOUCH: 12.0,
    Action.DEEPEN: 5.0,
    Action.ENGAGE: 2.0,
    Action.ASK_FOR_INTRO: 0.0,
}


@dataclass(frozen=True, slots=True)
class CeilingTerms:
    """The numbers that bound, without reading histories, the priority each action could
    reach today: `priority <= base_with_extra + per_strength * strength + circle bonus`.
    The store turns them into SQL so that candidates can be ranked by their ceiling."""

    fixed: dict[Action, float]  # base plus the largest extra, per action
    wish_luck_by_day: dict[date, float]  # event day -> base plus extra (wish_luck)
    ask_how_by_day: dict[date, float]  # event day -> base plus extra (ask_how_it_went)
    raise_irl_by_first_contact: dict[date, float]  # first two-way contact day -> ceiling
    raise_irl_default: float  # first contact older than every day above
    per_strength: float
    circle_bonus: dict[int, float]
    stale_growth: float  # added to a stored tie strength computed on another day

    def highest(self, action: Action) -> float:
        """The most `action` could give anyone today (full strength, innermost circle)."""
        if action is Action.WISH_LUCK:
            base = max(self.wish_luck_by_day.values(), default=0.0)
        elif action is Action.ASK_HOW_IT_WENT:
            base = max(self.ask_how_by_day.values(), default=0.0)
        elif action is Action.RAISE_IRL:
            base = max([self.raise_irl_default, *self.raise_irl_by_first_contact.values()])
        else:
            base = self.fixed[action]
        return base + self.per_strength + max(self.circle_bonus.values()) + 0.05


def ceiling_terms(ctx: Context) -> CeilingTerms:
    from kith.domain.strength import growth_bound

    rules = ctx.rules
    today = ctx.today
    fixed = {a: BASE_PRIORITY[a] + MAX_EXTRA[a] for a in Action}
    wish = {
        today + timedelta(days=until): BASE_PRIORITY[Action.WISH_LUCK]
        + 4.0 * (1.0 - until / (rules.wish_luck_days_before + 1))
        for until in range(rules.wish_luck_days_before + 1)
    }
    ask = {
        today - timedelta(days=since): BASE_PRIORITY[Action.ASK_HOW_IT_WENT]
        + 4.0 * (1.0 - since / (rules.ask_how_days_after + 1))
        for since in range(1, rules.ask_how_days_after + 1)
    }
    irl = {
        today - timedelta(days=days): BASE_PRIORITY[Action.RAISE_IRL]
        + 14.0 * irl_urgency(days, ctx)
        for days in range(rules.irl_ramp_start_days, rules.irl_ramp_end_days)
    }
    return CeilingTerms(
        fixed=fixed,
        wish_luck_by_day=wish,
        ask_how_by_day=ask,
        raise_irl_by_first_contact=irl,
        raise_irl_default=BASE_PRIORITY[Action.RAISE_IRL] + 14.0,
        per_strength=8.0,
        circle_bonus=dict(CIRCLE_BONUS),
        stale_growth=growth_bound(rules, 100 * 365),
    )
