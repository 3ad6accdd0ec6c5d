"""What each source can see of a relationship (docs/path.md, "What each source can see").

An export holds only part of a relationship: an X or Mastodon archive holds the user's own
replies and mentions but hardly any of the other side's; a LinkedIn export holds messages
both ways; an address book holds no interaction at all. Each source declares, per channel,
the directions it records (`SourceView`). A touch is *two-sided evidence* when its source
records both directions on its channel (or it is a shared moment, `both`, or it was logged
by hand): only such touches may be read as "they did not answer". The rules that read
silence as an answer (the pace and no-answer rules of `slow_down`, reciprocity) count only
two-sided evidence; anything that shows the other side did answer (an inbound touch from
any source) always counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kith.domain.model import Channel, Direction

BOTH_WAYS = frozenset({Direction.IN, Direction.OUT})
OUT_ONLY = frozenset({Direction.OUT})
IN_ONLY = frozenset({Direction.IN})
SHARED = frozenset({Direction.BOTH})


@dataclass(frozen=True, slots=True)
class SourceView:
    """What one source records: per channel, the directions it can see."""

    label: str  # how a reason names it: "your X archive"
    sees: Mapping[Channel, frozenset[Direction]] = field(default_factory=dict)

    def two_sided(self, channel: Channel) -> bool:
        """True when this source would show both the user's touch and their answer."""
        return self.sees.get(channel, frozenset()) >= BOTH_WAYS


@dataclass(frozen=True)
class Coverage:
    """Every known source's view. A source it does not know (a touch logged by hand, a
    gathering kith recorded, a restored backup's own entries) is taken to see everything."""

    views: Mapping[str, SourceView] = field(default_factory=dict)
    #: (source, channel) pairs that show only one side. A touch is two-sided evidence when
    #: it is a shared moment (`both`) or its (source, channel) is not among them: a touch
    #: logged by hand, or from a source that records both directions on its channel.
    one_sided: frozenset[tuple[str, Channel]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pairs = {
            (source, channel)
            for source, view in self.views.items()
            for channel in Channel
            if not view.two_sided(channel)
        }
        object.__setattr__(self, "one_sided", frozenset(pairs))

    def label(self, source: str) -> str:
        view = self.views.get(source)
        return view.label if view is not None else source

    def note(self, one_sided: Iterable[tuple[str, Channel]]) -> str | None:
        """What a reader of this history should know about what its sources could not see,
        e.g. "your X archive holds only one side of replies and mentions", or None."""
        channels: dict[str, list[str]] = {}
        for source, channel in sorted(set(one_sided)):
            channels.setdefault(source, []).append(_PLURAL.get(channel, channel.value))
        if not channels:
            return None
        parts = [
            f"{self.label(source)} holds only one side of {_join(names)}"
            for source, names in channels.items()
        ]
        return _join(parts) + ": silence there is not read as no answer"


_PLURAL = {
    Channel.REPLY: "replies",
    Channel.MENTION: "mentions",
    Channel.SHARE: "shares",
    Channel.LIKE: "likes",
    Channel.FOLLOW: "follows",
    Channel.COMMENT: "comments",
    Channel.DM: "direct messages",
    Channel.CHAT: "group chats",
    Channel.EMAIL: "e-mails",
}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


#: a coverage that takes every source to see everything (tests, replays of hand-kept bases)
EVERYTHING = Coverage()
