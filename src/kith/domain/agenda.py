"""Today's agenda: merge every suggestion, keep the best per person, rank (docs/path.md,
"The agenda")."""

from __future__ import annotations

from collections.abc import Iterable

from kith.domain.assessment import Assessment
from kith.domain.context import Context
from kith.domain.model import Suggestion
from kith.domain.suggestions import suggestions


def rank_key(s: Suggestion) -> tuple[float, str, int, str]:
    return (-s.priority, s.due.isoformat(), s.person_id, s.action.value)


def best_for(a: Assessment, ctx: Context) -> Suggestion | None:
    """The one next step for this person, or None; snoozed actions give way to the next,
    and someone on the do-not-contact list gets none."""
    if a.person.id in ctx.do_not_contact:
        return None
    found = [s for s in suggestions(a, ctx) if (s.person_id, s.action.value) not in ctx.snoozed]
    return min(found, key=rank_key) if found else None


def agenda(
    assessments: Iterable[Assessment], ctx: Context, limit: int | None = None
) -> list[Suggestion]:
    """At most `limit` actions, one per person, most important first: focus beats volume."""
    cap = ctx.rules.agenda_limit if limit is None else limit
    best = [s for a in assessments if (s := best_for(a, ctx)) is not None]
    best.sort(key=rank_key)
    return best[: max(cap, 0)]
