"""Who on the team knows a person, and how well (docs/team.md, "Per-member relationships"):
each current member's own history with them, assessed by the same rules as anyone's."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.model import History
from kith.domain.team import Introducer
from kith.errors import NotFound
from kith.services.views import day
from kith.store import histories, ties

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kith.store import rawsql


def who_knows(
    source: Connection | rawsql.Sql, ctx: Context, pid: int, reader: str | None = None
) -> list[dict[str, Any]]:
    """Every current member with any history with this person, strongest tie first: their
    tie strength with its reasons and their last two-way contact, as `reader` may see them."""
    found = histories.load_for(source, pid, None)
    if found is None:
        raise NotFound(f"No person with id {pid}.")
    return ranked(found[1], ties.current_members(source), ctx, reader)


def _seen_by(history: History, author: str, reader: str | None) -> History:
    """A member's history as `reader` may see it: a teammate's private facts stay out, so
    that not even their number shows in the reasons (docs/team.md, "Privacy")."""
    if author == reader or not any(f.private for f in history.facts):
        return history
    return replace(history, facts=tuple(f for f in history.facts if not f.private))


def ranked(
    parts: list[tuple[str, History]],
    named: dict[str, str],
    ctx: Context,
    reader: str | None = None,
) -> list[dict[str, Any]]:
    """`who_knows` of each member's own history (`histories.load_for`) among the current
    members `named` (email to name), as `reader` (a member, or None: the team) sees it."""
    assessed = [
        (assess(_seen_by(history, email, reader), ctx), email)
        for email, history in parts
        if email in named  # a former member's history stays, but they cannot help
    ]
    assessed.sort(key=lambda pair: (-pair[0].strength.score, named[pair[1]], pair[1]))
    return [
        {
            "member": {"email": email, "name": named[email]},
            "strength": {"score": a.strength.score, "reasons": list(a.strength.reasons)},
            "stage": a.stage.value,
            "last_contact": day(a.rhythm.last_contact),
        }
        for a, email in assessed
    ]


def introducer(known: list[dict[str, Any]], member: str | None) -> Introducer | None:
    """The strongest tie in a `who_knows` list that is not `member`'s own."""
    for tie in known:
        if tie["member"]["email"] != member:
            who = tie["member"]
            return Introducer(who["email"], who["name"], float(tie["strength"]["score"]))
    return None
