"""The JSON shapes of docs/cli.md (fields may be added, never renamed).

Times are ISO-8601 in the user's zone, with the offset; dates are ISO days.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kith.domain.agenda import best_for
from kith.domain.assessment import Assessment
from kith.domain.calendar import birthday_iso, birthday_text, zone
from kith.domain.context import Context
from kith.domain.model import Interaction, Invite, Stage, Suggestion

Json = dict[str, Any]


def moment(value: datetime | None, tz: str) -> str | None:
    return None if value is None else value.astimezone(zone(tz)).isoformat()


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def stage_label(stage: str, touches: int) -> str:
    """How the stage reads to the user: someone with no interaction at all (an address-book
    contact, a person added by hand) has no history yet, rather than being `noticed`."""
    return "no history yet" if stage == Stage.NOTICED.value and touches == 0 else stage


def suggestion(s: Suggestion) -> Json:
    return {
        "person": {"id": s.person_id, "name": s.person_name},
        "action": s.action.value,
        "reason": s.reason,
        "priority": s.priority,
        "due": s.due.isoformat(),
        "details": dict(s.details),
    }


def interaction(i: Interaction, tz: str) -> Json:
    return {
        "at": moment(i.occurred_at, tz),
        "channel": i.channel.value,
        "direction": i.direction.value,
        "text": i.text,
        "minutes": i.minutes,
        "is_link_share": i.is_link_share,
    }


def invite(inv: Invite, tz: str) -> Json:
    return {
        "id": inv.id,
        "kind": inv.kind.value,
        "asked_at": moment(inv.asked_at, tz),
        "response": inv.response.value,
        "responded_at": moment(inv.responded_at, tz),
        "scheduled_at": moment(inv.scheduled_at, tz),
        "place": inv.place,
    }


def ask_state(a: Assessment, ctx: Context) -> Json:
    """Where the latest real-life ask stands today (kith.domain.readiness.AskState)."""
    state, until = a.asks.status(ctx.today)
    latest = a.asks.latest
    return {
        "state": state,
        "until": day(until),
        "invite_id": None if latest is None else latest.id,
        "kind": None if latest is None else latest.kind.value,
    }


def show(
    a: Assessment,
    ctx: Context,
    identities: list[tuple[str, str]],
    extra: Json | None = None,
    recent: int = 20,
) -> Json:
    tz = ctx.rules.timezone
    person = a.person
    nxt = best_for(a, ctx)
    r = a.readiness
    data: Json = {
        "id": person.id,
        "name": person.name,
        "stage": a.stage.value,
        "stage_label": stage_label(a.stage.value, len(a.interactions)),
        "strength": {"score": a.strength.score, "reasons": list(a.strength.reasons)},
        "hours": a.hours,
        "circle": person.circle,
        "city": person.city,
        "tags": list(person.tags),
        "identities": [{"platform": p, "handle": h} for p, h in identities],
        "milestones": [{"kind": m.kind, "at": moment(m.at, tz)} for m in a.milestones],
        "facts": [
            {"text": f.text, "event_on": day(f.event_on), "private": f.private, "id": f.id}
            for f in a.history.facts
        ],
        "counts": {"in": a.count_in, "out": a.count_out},
        "ready": r.ready,
        "next": None
        if nxt is None
        else {"action": nxt.action.value, "reason": nxt.reason, "details": dict(nxt.details)},
        "readiness": {"ask": r.ask.value, "missing": list(r.missing)},
        "reciprocity": a.reciprocity.ratio,
        "slow_down": a.pace.slow_down,
        "pace": a.pace.reason(),
        "coverage": ctx.coverage.note(a.pace.unseen),
        "distance_km": a.distance_km,
        "paused": person.paused,
        "birthday": None if person.birthday is None else birthday_iso(person.birthday),
        "birthday_text": None if person.birthday is None else birthday_text(person.birthday),
        "last_contact": day(a.rhythm.last_contact),  # last two-way contact
        "last_touch": day(a.rhythm.last_touch),  # last reply, message, call or meeting, either way
        "first_contact": day(a.rhythm.first_contact),
        "invites": [invite(inv, tz) for inv in a.history.invites],
        "ask_state": ask_state(a, ctx),
        "interactions": len(a.interactions),
        "recent": [interaction(i, tz) for i in reversed(a.interactions[-recent:])],
    }
    if extra:
        data.update(extra)
    return data


def people_row(row: Any) -> Json:
    return {
        "id": int(row.id),
        "name": row.name,
        "stage": row.stage,
        "stage_label": stage_label(row.stage, int(row.touches or 0)),
        "strength": round(float(row.strength), 4),
        "circle": row.circle,
        "last_contact": day(row.last_contact),
        "city": row.city,
        "ready": bool(row.ready) if row.ready is not None else False,
        "paused": bool(row.paused),
    }
