"""Who may do what in a team base (docs/team.md, "The team base"). Pure: no I/O.

Every write through `kith.api` names its operation; a team base lets it through only for
an active member whose role allows it. A base without members (one user) allows all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"  # members, settings, everything
    MEMBER = "member"  # reads the shared base; writes their own records and imports
    VIEWER = "viewer"  # reads only


#: what only an owner may do: the team itself, the base's settings, erasing people, and
#: copying the whole base out (it holds every member's texts and private facts)
OWNER_ONLY = frozenset({"team", "settings", "forget", "dnc-clear", "backup"})
#: how a refusal names them
OWNERS_WORK = {
    "team": "change the team",
    "settings": "change the base's settings",
    "forget": "forget a person",
    "dnc-clear": "take someone off the do-not-contact list",
    "backup": "copy the whole base out, with every member's texts and private facts",
}

#: an address as people type it: something@domain.tld, no spaces (a check, not RFC 5322)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_EMAIL = 254


class TeamError(ValueError):
    """Input a team rule refuses, in one sentence."""


def normalise_email(text: str) -> str:
    """An email address as members are known by: trimmed and in lower case."""
    email = text.strip().lower()
    if not email or len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise TeamError(f"'{text.strip()}' is not an email address.")
    return email


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise TeamError(f"Unknown role '{text.strip()}'; roles: owner, member, viewer.") from None


def refusal(role: Role | None, operation: str) -> str | None:
    """Why `role` may not do `operation`, in one sentence, or None when it may. `None` for
    the role: nobody named (or nobody the team knows)."""
    if role is None:
        return "This is a team base: say who you are with --as EMAIL or KITH_USER."
    if role is Role.VIEWER:
        return "Viewers can read the base but not change it."
    if role is Role.MEMBER and operation in OWNER_ONLY:
        return f"Only an owner can {OWNERS_WORK.get(operation, operation)}."
    return None


def leaves_an_owner(roles: list[Role], changed: int, new_role: Role | None) -> bool:
    """Whether the team still has an owner once member number `changed` of `roles` takes
    `new_role` (None: is removed)."""
    after = [new_role if i == changed else r for i, r in enumerate(roles)]
    return any(r is Role.OWNER for r in after)


#: sign-in: this many failures in the window lock an account, or a client address, out
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60
#: a signed-in session ends after this long without a request
SESSION_IDLE_DAYS = 14
#: a join link is good for this long, once
INVITE_DAYS = 7


def retry_after(failures: list[float], now: float) -> int | None:
    """Seconds until one more sign-in may be tried, given the times (seconds) of the recent
    failures of one account or one address; None when it may be tried now."""
    recent = sorted(t for t in failures if now - t < FAILURE_WINDOW_SECONDS)
    if len(recent) < MAX_FAILURES:
        return None
    # the attempt is allowed again once enough of them have left the window
    oldest_that_counts = recent[len(recent) - MAX_FAILURES]
    return max(1, int(oldest_that_counts + FAILURE_WINDOW_SECONDS - now + 0.999))


@dataclass(frozen=True, slots=True)
class Introducer:
    """The teammate with the strongest tie to someone the acting member has no history with."""

    email: str
    name: str
    strength: float


@dataclass(frozen=True, slots=True)
class TeamAsk:
    """A teammate's recent real-life ask (`ask`) or logged outbound pitch (`pitch`) to a
    person: the start of the team cooldown (docs/team.md, "No double pitches")."""

    name: str
    at: datetime
    kind: str  # "ask" or "pitch"


def cooldown_reason(ask: TeamAsk, today: date, day_of_ask: date) -> str:
    """ "Ana asked them 3 days ago" ."""
    from kith.domain.calendar import days_ago_text

    verb = "asked them to meet" if ask.kind == "ask" else "pitched them"
    return f"{ask.name} {verb} {days_ago_text((today - day_of_ask).days)}"
