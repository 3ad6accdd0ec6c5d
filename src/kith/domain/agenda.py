"""Today's agenda: merge every suggestion, keep the best per person, rank (docs/path.md,
"The agenda")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kith.domain.assessment import Assessment
from kith.domain.context import Context
from kith.domain.model import Action, Suggestion
from kith.domain.suggestions import suggestions
from kith.domain.team import Introducer


def rank_key(s: Suggestion) -> tuple[float, str, int, str]:
    return (-s.priority, s.due.isoformat(), s.person_id, s.action.value)


#: real-life asks, which a teammate's recent ask or pitch holds (the team cooldown)
ASKS = frozenset({Action.RAISE_IRL, Action.MEET_WHILE_TRAVELLING})


def best_for(a: Assessment, ctx: Context) -> Suggestion | None:
    """The one next step for this person, or None; snoozed actions give way to the next,
    someone on the do-not-contact list gets none, and in a team base a teammate's recent
    ask holds the member's own, and a teammate's strong tie turns a cold approach into an
    introduction (docs/team.md)."""
    pid = a.person.id
    if pid in ctx.do_not_contact:
        return None
    held = pid in ctx.team_asks
    found = [
        s
        for s in suggestions(a, ctx)
        if (s.person_id, s.action.value) not in ctx.snoozed and not (held and s.action in ASKS)
    ]
    if not found:
        return None
    best = min(found, key=rank_key)
    by = ctx.introducers.get(pid)
    cold = not a.history.interactions and not a.history.invites
    if by is not None and cold and by.strength >= ctx.rules.intro_min_strength:
        return introduce(best, by)
    return best


def introduce(s: Suggestion, by: Introducer) -> Suggestion:
    """`s`, for someone the acting member has no history with, as an introduction by the
    teammate who knows them (at the priority of `s`)."""
    first = s.person_name.split()[0] if s.person_name.split() else s.person_name
    return replace(
        s,
        action=Action.ASK_FOR_INTRO,
        reason=f"{by.name} knows them (tie {by.strength:.2f}) and you have no history with "
        f"them yet: ask {by.name} to introduce you rather than writing cold",
        details={
            "teammate": {"email": by.email, "name": by.name},
            "instead_of": s.action.value,
            "phrasing": f"{by.name}, would you introduce me to {first}? I'd love to meet them.",
        },
    )


def agenda(
    assessments: Iterable[Assessment], ctx: Context, limit: int | None = None
) -> list[Suggestion]:
    """At most `limit` actions, one per person, most important first: focus beats volume."""
    cap = ctx.rules.agenda_limit if limit is None else limit
    best = [s for a in assessments if (s := best_for(a, ctx)) is not None]
    best.sort(key=rank_key)
    return best[: max(cap, 0)]
