"""Gatherings (docs/path.md, "Places and gatherings"): a tweet-up, a send-off, a conference dinner.

Pure helpers: who is invited is decided by the service; here, the personal invitation each
guest gets, and what an answer means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kith.domain.calendar import zone
from kith.domain.model import Fact
from kith.domain.phrasing import first_name, shareable_fact


class Rsvp(StrEnum):
    PENDING = "pending"
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


@dataclass(frozen=True, slots=True)
class Gathering:
    title: str
    starts_at: datetime
    minutes: int
    place: str
    id: int | None = None


def when_text(moment: datetime, tz: str) -> str:
    local = moment.astimezone(zone(tz))
    return f"{local:%A %d %B} at {local:%H:%M}"


def invitation(name: str, facts: tuple[Fact, ...], gathering: Gathering, tz: str) -> str:
    """One guest's invitation: their name, the event, and a remembered fact where one fits
    (never a private one)."""
    text = (
        f"Hi {first_name(name)}, I'm getting a few people together for {gathering.title} on "
        f"{when_text(gathering.starts_at, tz)} at {gathering.place}, and I'd love you to come."
    )
    fact = shareable_fact(facts)
    if fact is not None:
        text += f' It would be great to catch up on your news ("{fact.text.rstrip(".")}").'
    return text + " Let me know if you can make it!"
