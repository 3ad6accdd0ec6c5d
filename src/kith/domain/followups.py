"""Follow-ups from dated facts and birthdays (docs/path.md, "Follow-ups")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kith.domain.calendar import anniversary, days_ago_text, days_ahead_text
from kith.domain.contacts import Rhythm
from kith.domain.model import Action, Fact
from kith.domain.rules import Rules


@dataclass(frozen=True, slots=True)
class FollowUp:
    action: Action
    reason: str
    due: date
    urgency: float  # 0..1 within its own kind
    details: dict[str, object]


def _touched_since(rhythm: Rhythm, day: date) -> bool:
    return rhythm.last_out is not None and rhythm.last_out >= day


def fact_followups(
    facts: tuple[Fact, ...], rhythm: Rhythm, today: date, rules: Rules
) -> list[FollowUp]:
    """`wish_luck` from 2 days before a dated fact until the day; `ask_how_it_went` from the day
    after until 14 days after, unless the user has written to them since the day of the event."""
    found: list[FollowUp] = []
    for fact in facts:
        when = fact.event_on
        if when is None:
            continue
        details: dict[str, object] = {"fact": fact.text, "event_on": when.isoformat()}
        until = (when - today).days
        if 0 <= until <= rules.wish_luck_days_before:
            window_start = when - timedelta(days=rules.wish_luck_days_before)
            if not _touched_since(rhythm, window_start):
                found.append(
                    FollowUp(
                        Action.WISH_LUCK,
                        f"coming up {days_ahead_text(until)} ({when.isoformat()}): {fact.text}",
                        when,
                        1.0 - until / (rules.wish_luck_days_before + 1),
                        details,
                    )
                )
        since = -until
        if 1 <= since <= rules.ask_how_days_after and not _touched_since(rhythm, when):
            found.append(
                FollowUp(
                    Action.ASK_HOW_IT_WENT,
                    f"{days_ago_text(since)} ({when.isoformat()}): {fact.text}; ask how it went",
                    when + timedelta(days=rules.ask_how_days_after),
                    1.0 - since / (rules.ask_how_days_after + 1),
                    details,
                )
            )
    return found


def birthday_followup(
    birthday: date | None, rhythm: Rhythm, today: date, rules: Rules
) -> FollowUp | None:
    """From a few days before a birthday until the day, unless the user already wrote."""
    if birthday is None:
        return None
    for year in (today.year, today.year + 1):
        day = anniversary(birthday, year)
        until = (day - today).days
        if 0 <= until <= rules.birthday_days_before:
            if _touched_since(rhythm, day - timedelta(days=rules.birthday_days_before)):
                return None
            return FollowUp(
                Action.BIRTHDAY,
                f"birthday {days_ahead_text(until)} ({day.isoformat()})",
                day,
                1.0 - until / (rules.birthday_days_before + 1),
                {"birthday": day.isoformat()},
            )
    return None
