"""The pure relationship core: immutable records and functions of them, no I/O, no clock.

Every rule takes the moment it is evaluated at (`Context.now`); see docs/path.md.
"""

from kith.domain.agenda import agenda, best_for
from kith.domain.assessment import Assessment, assess
from kith.domain.context import Context
from kith.domain.model import (
    Action,
    AskKind,
    Channel,
    Direction,
    Fact,
    GeoPoint,
    History,
    Interaction,
    Invite,
    Milestone,
    Person,
    Response,
    Stage,
    Strength,
    Suggestion,
    Trip,
)
from kith.domain.rules import Rules

__all__ = [
    "Action",
    "AskKind",
    "Assessment",
    "Channel",
    "Context",
    "Direction",
    "Fact",
    "GeoPoint",
    "History",
    "Interaction",
    "Invite",
    "Milestone",
    "Person",
    "Response",
    "Rules",
    "Stage",
    "Strength",
    "Suggestion",
    "Trip",
    "agenda",
    "assess",
    "best_for",
]
