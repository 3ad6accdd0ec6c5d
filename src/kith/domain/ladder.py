"""The channel ladder (media richness) and the time each touch invests (docs/path.md,
"The channel ladder")."""

from __future__ import annotations

from kith.domain.model import Channel, Direction, Interaction
from kith.domain.rules import Rules

LEVEL: dict[Channel, int] = {
    Channel.FOLLOW: 0,
    Channel.LIKE: 0,
    Channel.SHARE: 1,
    Channel.COMMENT: 2,
    Channel.REPLY: 2,
    Channel.MENTION: 2,
    Channel.DM: 3,
    Channel.CHAT: 3,
    Channel.EMAIL: 3,
    Channel.CALL: 4,
    Channel.VIDEO: 5,
    Channel.MEETING: 6,
    Channel.GATHERING: 6,
}

LEVEL_NAMES: dict[int, str] = {
    0: "follows and likes",
    1: "shares",
    2: "public replies",
    3: "private messages",
    4: "voice calls",
    5: "video calls",
    6: "meeting in person",
}

PUBLIC = 2
PRIVATE = 3
VOICE = 4
IN_PERSON = 6

SYNCHRONOUS = frozenset({Channel.CALL, Channel.VIDEO, Channel.MEETING, Channel.GATHERING})


def level(interaction: Interaction) -> int:
    return LEVEL[interaction.channel]


def default_direction(channel: Channel) -> Direction:
    """Calls and meetings are shared moments; everything else goes from the user out."""
    return Direction.BOTH if channel in SYNCHRONOUS else Direction.OUT


def happened(interaction: Interaction) -> bool:
    """A call logged with zero minutes was missed: it did not happen."""
    return interaction.minutes != 0 or interaction.channel not in SYNCHRONOUS


def is_composed(interaction: Interaction) -> bool:
    """Written or spoken to the person, as opposed to a one-click reaction."""
    return level(interaction) >= PUBLIC and happened(interaction)


def is_two_way(interaction: Interaction) -> bool:
    """They addressed the user (a reply, mention or message), or a shared moment happened
    (a call, a meeting). A mutual follow or connection is no contact."""
    if not happened(interaction) or interaction.direction is Direction.OUT:
        return False
    return LEVEL[interaction.channel] >= PUBLIC


def is_inbound(interaction: Interaction) -> bool:
    return interaction.direction is not Direction.OUT and happened(interaction)


def is_outbound(interaction: Interaction) -> bool:
    return interaction.direction is not Direction.IN and happened(interaction)


def hours(interaction: Interaction, rules: Rules) -> float:
    """Estimated shared hours of one interaction."""
    channel = interaction.channel
    fixed = rules.fixed_hours.get(channel)
    if fixed is not None:
        return fixed
    if interaction.minutes == 0:
        return 0.0  # a missed call
    minutes = interaction.minutes
    if minutes is None:
        minutes = {
            Channel.CALL: rules.default_minutes_call,
            Channel.VIDEO: rules.default_minutes_video,
            Channel.MEETING: rules.default_minutes_meeting,
            Channel.GATHERING: rules.default_minutes_gathering,
        }[channel]
    if channel is Channel.GATHERING:
        return minutes * rules.gathering_share / 60.0
    return minutes / 60.0


def total_hours(interactions: tuple[Interaction, ...], rules: Rules) -> float:
    return sum(hours(i, rules) for i in interactions)
