"""Real-life readiness, the ask ladder and back-off (docs/path.md, "Readiness and asks")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kith.domain import ladder
from kith.domain.contacts import Rhythm
from kith.domain.context import Context
from kith.domain.ledger import Ledger
from kith.domain.model import AskKind, Channel, Interaction, Invite, Response, Stage
from kith.domain.pacing import Pace, Reciprocity
from kith.domain.phrasing import plural
from kith.domain.rules import Rules

READY_STAGES = frozenset({Stage.ACQUAINTED, Stage.CONVERSING, Stage.VOICE})

#: the ladder level an accepted ask is fulfilled by
_ASK_LEVEL: dict[AskKind, int] = {
    AskKind.CALL: ladder.VOICE,
    AskKind.VIDEO: ladder.LEVEL[Channel.VIDEO],
    AskKind.COFFEE: ladder.IN_PERSON,
    AskKind.MEAL: ladder.IN_PERSON,
    AskKind.EVENT: ladder.IN_PERSON,
}


@dataclass(frozen=True, slots=True)
class AskState:
    """Where the latest ask stands on a given day."""

    latest: Invite | None
    pending: Invite | None = None  # asked, no answer yet, still inside the answer window
    to_schedule: Invite | None = None  # accepted, but no time set and nothing happened yet
    scheduled: Invite | None = None  # accepted with a time still to come
    backoff_until: date | None = None  # a cold answer: no ask before this day
    retry_on: date | None = None  # a lukewarm or missing answer: ask again from this day

    def status(self, today: date) -> tuple[str, date | None]:
        """(state, until) in one word, for the screens: `backing_off` (until the day an ask
        makes sense again), `waiting` for an answer, `to_schedule` (a yes without a time),
        `planned`, `retry_later` (no clear answer: until the day to ask again), or `open`."""
        if self.backoff_until is not None and today < self.backoff_until:
            return "backing_off", self.backoff_until
        if self.pending is not None:
            return "waiting", None
        if self.to_schedule is not None:
            return "to_schedule", None
        if self.scheduled is not None:
            return "planned", None
        if self.retry_on is not None and today < self.retry_on:
            return "retry_later", self.retry_on
        return "open", None

    def blocking(self, today: date) -> str | None:
        """Why no new ask can be suggested today, or None."""
        if self.backoff_until is not None and today < self.backoff_until:
            days = (self.backoff_until - today).days
            return f"backing off after a cold answer: {days} more days"
        if self.pending is not None:
            return f"an ask ({self.pending.kind.value}) is still waiting for an answer"
        if self.to_schedule is not None:
            return f"they said yes to a {self.to_schedule.kind.value}: find a time"
        if self.scheduled is not None:
            return f"a {self.scheduled.kind.value} is already planned"
        if self.retry_on is not None and today < self.retry_on:
            return f"the last ask got no clear answer: wait until {self.retry_on.isoformat()}"
        return None


def _fulfilled(invite: Invite, ordered: tuple[Interaction, ...]) -> bool:
    target = _ASK_LEVEL[invite.kind]
    return any(
        i.occurred_at >= invite.asked_at and ladder.happened(i) and ladder.level(i) >= target
        for i in ordered
    )


def ask_state(
    invites: tuple[Invite, ...], ordered: tuple[Interaction, ...], ctx: Context
) -> AskState:
    if not invites:
        return AskState(latest=None)
    rules = ctx.rules
    latest = max(invites, key=lambda inv: (inv.asked_at, inv.id or 0))
    asked_day = ctx.day_of(latest.asked_at)
    today = ctx.today
    retry_on = asked_day + timedelta(days=rules.retry_after_days)
    if latest.response is Response.NEGATIVE:
        answered = ctx.day_of(latest.responded_at or latest.asked_at)
        return AskState(latest, backoff_until=answered + timedelta(days=rules.backoff_days))
    if latest.response is Response.NEUTRAL:
        return AskState(latest, retry_on=retry_on)
    if latest.response is Response.PENDING:
        if (today - asked_day).days <= rules.no_answer_after_days:
            return AskState(latest, pending=latest)
        return AskState(latest, retry_on=retry_on)
    # positive
    if latest.scheduled_at is not None:
        if latest.scheduled_at > ctx.now and not _fulfilled(latest, ordered):
            return AskState(latest, scheduled=latest)
        return AskState(latest)
    if _fulfilled(latest, ordered):
        return AskState(latest)
    return AskState(latest, to_schedule=latest)


def suggested_ask(stage: Stage, had_call: bool, distance_km: float | None, ctx: Context) -> AskKind:
    """One rung at a time: coffee when near; a call, then video, when far or unknown."""
    if distance_km is not None and distance_km <= ctx.rules.near_km:
        return AskKind.COFFEE
    return AskKind.VIDEO if had_call or stage is Stage.VOICE else AskKind.CALL


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    ask: AskKind
    missing: tuple[str, ...]  # why not ready, in plain language
    days_since_first_contact: int | None
    inbound_recent: int

    def reason(self) -> str:
        return "; ".join(self.missing)


def readiness(
    stage: Stage,
    counts: Ledger,
    rhythm: Rhythm,
    recip: Reciprocity,
    pace: Pace,
    asks: AskState,
    distance_km: float | None,
    ctx: Context,
) -> Readiness:
    rules = ctx.rules
    today = ctx.today
    missing: list[str] = []
    if stage not in READY_STAGES:
        if stage.rank < Stage.ACQUAINTED.rank:
            missing.append("they have not replied or written to you yet")
        else:
            missing.append("you have already met")
    first = rhythm.first_contact
    since_first = None if first is None else (today - first).days
    needed = rules.ready_min_days_since_first_contact
    if since_first is None:
        if stage in READY_STAGES:
            missing.append("no reply, message, call or meeting with them yet")
    elif since_first < needed:
        missing.append(
            f"their first reply or message was {since_first} days ago (give it {needed} days)"
        )
    window = rules.ready_inbound_window_days
    inbound = counts.inbound_recent
    if stage.rank >= Stage.ACQUAINTED.rank and inbound < rules.ready_min_inbound:
        missing.append(
            f"{plural(inbound, 'touch')} from them in the last {window} days "
            f"(needs {rules.ready_min_inbound})"
        )
    if not recip.at_least(rules.ready_min_reciprocity) and stage.rank >= Stage.ACQUAINTED.rank:
        # (before that, the stage says it all)
        missing.append(_unbalanced(recip, _quiet(counts, today, rules), rules))
    if pace.slow_down:  # easing off comes first: no real-life ask until the pace is normal
        missing.append("ease off first: " + pace.reason().split(": ", 1)[0])
    blocked = asks.blocking(today)
    if blocked:
        missing.append(blocked)
    return Readiness(
        ready=not missing,
        ask=suggested_ask(stage, counts.had_call, distance_km, ctx),
        missing=tuple(missing),
        days_since_first_contact=since_first,
        inbound_recent=inbound,
    )


def _quiet(counts: Ledger, today: date, rules: Rules) -> bool:
    """Nothing at all either way in the reciprocity window."""
    latest = max((d for d in (counts.last_in, counts.last_out) if d is not None), default=None)
    return latest is None or (today - latest).days >= rules.reciprocity_window_days


def _unbalanced(recip: Reciprocity, quiet: bool, rules: Rules) -> str:
    window = rules.reciprocity_window_days
    if quiet:
        return f"nothing either way in the last {window} days"
    if recip.inbound == 0 and recip.outbound == 0:
        return f"no exchange in the last {window} days that shows both sides"
    return (
        f"{plural(recip.inbound, 'touch')} from them for {recip.outbound} from you in the last "
        f"{window} days (needs about one back for every two)"
    )


def irl_urgency(days_since_first_contact: int, ctx: Context) -> float:
    """0 at the 3rd week after the first two-way contact, rising to 1 at the 6th (Ramirez and
    Zhang 2007: an early move offline helps, a late one hurts)."""
    start, end = ctx.rules.irl_ramp_start_days, ctx.rules.irl_ramp_end_days
    if days_since_first_contact <= start:
        return 0.0
    if days_since_first_contact >= end:
        return 1.0
    return (days_since_first_contact - start) / (end - start)
