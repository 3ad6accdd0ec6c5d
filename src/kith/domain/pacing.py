"""Pacing and care (docs/path.md, "Pacing"): slow down, reciprocity, talk versus link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kith.domain.ledger import Ledger, ledger
from kith.domain.model import Channel
from kith.domain.rules import Rules
from kith.domain.timeline import Timeline

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_ALNUM = re.compile(r"[^\W_]")


def _words(text: str) -> int:
    """Runs of text between spaces that hold a letter or a digit ("-" or ":)" alone are no
    word); fast, since every message of an import is measured."""
    return sum(1 for token in text.split() if token[0].isalnum() or _ALNUM.search(token))


def _without_links(text: str) -> tuple[str, int]:
    lowered = text.lower()
    if "http" not in lowered and "www." not in lowered:
        return text, 0
    return _URL.subn(" ", text)


def word_count(text: str | None) -> int:
    """Words in a message, not counting its links."""
    if not text:
        return 0
    return _words(_without_links(text)[0])


def is_link_share(text: str | None, rules: Rules) -> bool:
    """A message is a link share when, once its links are removed, few words remain (its
    words are counted only when it holds a link: most messages hold none)."""
    if not text:
        return False
    bare, links = _without_links(text)
    return links > 0 and _words(bare) < rules.link_share_max_words


def measure(text: str | None, rules: Rules) -> tuple[int, bool]:
    """(words, is it a link share) in one pass over the text, for large imports."""
    if not text:
        return 0, False
    bare, links = _without_links(text)
    words = _words(bare)
    return words, links > 0 and words < rules.link_share_max_words


@dataclass(frozen=True, slots=True)
class Reciprocity:
    inbound: int
    outbound: int

    @property
    def ratio(self) -> float | None:
        """Inbound over outbound touches; None when the user has sent nothing."""
        if self.outbound == 0:
            return None
        return self.inbound / self.outbound

    @property
    def balance(self) -> float:
        """1 when both sides give as much, towards 0 when one side does all the giving."""
        high = max(self.inbound, self.outbound)
        return 0.0 if high == 0 else min(self.inbound, self.outbound) / high

    def at_least(self, threshold: float) -> bool:
        ratio = self.ratio
        return self.inbound > 0 if ratio is None else ratio >= threshold


def reciprocity(tl: Timeline, today: date, rules: Rules) -> Reciprocity:
    """Inbound and outbound touches over the reciprocity window (a shared moment counts both)."""
    return reciprocity_of(ledger(tl, today, rules))


def reciprocity_of(counts: Ledger) -> Reciprocity:
    return Reciprocity(counts.window_in, counts.window_out)


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast the user is reaching out to one person, and whether to ease off.

    Only outbound touches whose source could have shown an answer are counted
    (`kith.domain.coverage`): an X archive's replies, whose answers the archive does not hold,
    are neither a burst nor unanswered."""

    recent_out: int
    recent_in: int
    baseline_weekly: float
    unanswered: int
    last_out: date | None  # the last outbound touch these rules count
    burst: bool
    ignored: bool
    current: bool  # the last counted touch is recent enough for a warning to matter
    unseen: tuple[tuple[str, Channel], ...]  # (source, channel) that show only one side

    @property
    def slow_down(self) -> bool:
        """Ease off now: a burst they do not keep up with, or a run of unanswered touches,
        recent enough to matter. While it holds it is the one next step (docs/path.md)."""
        return (self.burst or self.ignored) and self.current

    def reason(self) -> str:
        if self.burst and self.current:
            answered = "" if not self.recent_in else f" ({self.recent_in} from them)"
            return (
                f"{self.recent_out} touches from you in the last 7 days{answered}, against "
                f"{self.baseline_weekly:.1f} a week before: ease off so it does not feel pushy"
            )
        if self.ignored and self.current:
            return (
                f"your last {self.unanswered} touches got nothing back: give them room "
                "before reaching out again"
            )
        return "pace is fine"


def pace(tl: Timeline, today: date, rules: Rules) -> Pace:
    """Burst: outbound touches in the last 7 days exceed max(3, 2 x the weekly average over the
    8 weeks before), and they answered fewer than half of them. Ignored: the last 5 or more
    outbound touches had no inbound touch between."""
    return pace_of(ledger(tl, today, rules), rules, today)


def pace_of(counts: Ledger, rules: Rules, today: date) -> Pace:
    baseline = counts.baseline_out / rules.burst_baseline_weeks
    last = counts.last_paced_out
    return Pace(
        recent_out=counts.recent_out,
        recent_in=counts.recent_in,
        baseline_weekly=baseline,
        unanswered=counts.unanswered,
        last_out=last,
        burst=counts.recent_out > max(rules.burst_floor, rules.burst_factor * baseline)
        and counts.recent_in < rules.burst_answered_share * counts.recent_out,
        ignored=counts.unanswered >= rules.unanswered_run,
        current=last is not None and 0 <= (today - last).days < rules.slow_down_relevant_days,
        unseen=counts.one_sided,
    )
