"""Plan a gathering, invite people personally, track answers, log who came (docs/path.md,
"Places and gatherings")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import Connection, select

from kith import calendar_files, gazetteer
from kith.domain import ids
from kith.domain.assessment import assess
from kith.domain.context import Context
from kith.domain.gatherings import Gathering, Rsvp, invitation
from kith.domain.model import Channel, Direction, GeoPoint, Stage
from kith.domain.places import distance_km
from kith.errors import Ambiguous, InvalidInput, NotFound
from kith.services import resolve, views
from kith.services.refresh import refresh
from kith.store import gatherings as store
from kith.store import histories, interactions, settings
from kith.store.interactions import NewInteraction
from kith.store.schema import identities, people, tags

SOURCE = "gathering"


def _guest_ids(connection: Connection, invite: Sequence[str], tag: str | None) -> list[int]:
    if invite and tag:
        raise InvalidInput("Invite people with --invite or with --tag, not both.")
    if tag:
        query = (
            select(people.c.id)
            .join(tags, tags.c.person_id == people.c.id)
            .where(tags.c.tag == tag.strip().lower(), people.c.paused.is_(False))
            .order_by(people.c.id)
        )
        ids = [int(r[0]) for r in connection.execute(query)]
        if not ids:
            raise InvalidInput(f"No one has the tag '{tag}'.")
        return ids
    if not invite:
        raise InvalidInput("Say who is invited: --invite PERSON (repeatable) or --tag TAG.")
    return list(dict.fromkeys(resolve.person_id(connection, ref) for ref in invite))


#: guests farther than this from the venue are flagged and left unticked (docs/web.md,
#: "The pages")
FAR_KM = 100.0
#: stages at which someone is not yet a guest to invite without a second thought
NOT_YET = frozenset({Stage.NOTICED, Stage.ENGAGING})


def venue(ctx: Context, city: str | None) -> tuple[GeoPoint | None, str | None]:
    """Where the gathering is, for the guests' distances: the city given (looked up in the
    offline gazetteer), else the user's home; (None, None) when neither is known."""
    if city and city.strip():
        found = gazetteer.lookup(city)
        return GeoPoint(found.lat, found.lon), found.label
    return ctx.home, None


def candidates(
    connection: Connection,
    ctx: Context,
    invite: Sequence[str] = (),
    tag: str | None = None,
    city: str | None = None,
) -> dict[str, Any]:
    """Who `invite` or `tag` would invite, each with their city, distance from the venue and
    stage; the far and the not-yet-acquainted are flagged and not suggested."""
    ids = _guest_ids(connection, invite, tag)
    where, label = venue(ctx, city)
    loaded = histories.load(connection, ids)
    guests = []
    for pid in ids:
        a = assess(loaded[pid], ctx)
        person = a.person
        km = None
        if where is not None and person.location is not None:
            km = round(distance_km(where, person.location), 1)
        flags = []
        if km is not None and km > FAR_KM:
            flags.append(f"lives {km:,.0f} km away")
        if a.stage in NOT_YET:
            flags.append(
                "you have not talked yet" if a.stage is Stage.NOTICED else "no conversation yet"
            )
        guests.append(
            {
                "id": pid,
                "name": person.name,
                "city": person.city,
                "distance_km": km,
                "stage": a.stage.value,
                "flags": flags,
                "suggested": not flags,
            }
        )
    return {"venue": label, "from_home": where is not None and label is None, "guests": guests}


def plan(
    connection: Connection,
    ctx: Context,
    title: str,
    at: datetime,
    place: str,
    invite: Sequence[str] = (),
    tag: str | None = None,
    minutes: int = 180,
    member: str | None = None,
) -> int:
    title, place = " ".join(title.split()), " ".join(place.split())
    if not title:
        raise InvalidInput("A gathering needs a title.")
    if not place:
        raise InvalidInput("A gathering needs a place (--where).")
    if minutes <= 0:
        raise InvalidInput(f"--minutes must be more than zero (got {minutes}).")
    ids = _guest_ids(connection, invite, tag)
    event = Gathering(title, at, minutes, place)
    loaded = histories.load(connection, ids)
    texts = [
        (pid, invitation(loaded[pid].person.name, loaded[pid].facts, event, ctx.rules.timezone))
        for pid in ids
    ]
    gid = store.add(connection, title, at, minutes, place, f"{uuid4()}@kith", ctx.now, member)
    store.invite(connection, gid, texts)
    return gid


def find(connection: Connection, reference: str) -> int:
    """A gathering by id or exact title."""
    ref = reference.strip()
    gid = ids.typed(ref)
    if gid is not None and ids.storable(gid) and store.get(connection, gid) is not None:
        return gid
    found = store.ids_by_title(connection, ref)
    if len(found) == 1:
        return found[0]
    if found:
        raise Ambiguous(
            f"'{ref}' names {len(found)} gatherings; use an id.", [f"#{g}" for g in found]
        )
    raise NotFound(f"No gathering called '{ref}'; see 'kith gatherings'.")


def answer(connection: Connection, ctx: Context, gid: int, pid: int, rsvp: Rsvp) -> None:
    if rsvp is Rsvp.PENDING:
        raise InvalidInput("An answer is yes, no or maybe.")
    if not store.set_rsvp(connection, gid, pid, rsvp.value, ctx.now):
        raise InvalidInput("That person is not invited to this gathering.")


def attended(connection: Connection, ctx: Context, gid: int, came: Sequence[int] = ()) -> list[int]:
    """Log a `gathering` interaction for each guest who came (default: those who said yes)."""
    row = store.get(connection, gid)
    assert row is not None
    if row.starts_at > ctx.now:
        raise InvalidInput(f"'{row.title}' has not happened yet ({row.starts_at:%Y-%m-%d}).")
    guests = {int(g.person_id): g for g in store.guests(connection, gid)}
    chosen = list(came) or [pid for pid, g in guests.items() if g.rsvp == Rsvp.YES.value]
    if not chosen:
        raise InvalidInput("Nobody said yes; name who came with --person.")
    strangers = [pid for pid in chosen if pid not in guests]
    if strangers:
        raise InvalidInput(f"Person #{strangers[0]} was not invited to '{row.title}'.")
    logged = interactions.stored_ids(connection, SOURCE, [f"gathering:{gid}:{p}" for p in chosen])
    came_in = [
        NewInteraction(
            pid,
            row.starts_at,
            Channel.GATHERING,
            Direction.BOTH,
            row.title,
            row.minutes,
            SOURCE,
            f"gathering:{gid}:{pid}",
            row.member,
            composed=False,  # the title names the gathering: no words of anyone's
        )
        for pid in chosen
        if f"gathering:{gid}:{pid}" not in logged
    ]
    interactions.add_many(connection, came_in, ctx.rules)
    store.mark_attended(connection, gid, chosen)
    refresh(connection, ctx, chosen)
    return chosen


def view(connection: Connection, ctx: Context, gid: int) -> dict[str, Any]:
    row = store.get(connection, gid)
    if row is None:
        raise NotFound(f"No gathering with id {gid}.")
    tz = ctx.rules.timezone
    guests = store.guests(connection, gid)
    counts = {r.value: 0 for r in Rsvp}
    for g in guests:
        counts[g.rsvp] += 1
    return {
        "id": int(row.id),
        "title": row.title,
        "at": views.moment(row.starts_at, tz),
        "minutes": row.minutes,
        "place": row.place,
        "past": row.starts_at <= ctx.now,
        "rsvp": counts,
        "attended": sum(1 for g in guests if g.attended),
        "guests": [
            {
                "person": {"id": int(g.person_id), "name": g.name},
                "city": g.city,
                "stage": g.stage,
                "invitation": g.invitation,
                "rsvp": g.rsvp,
                "rsvp_at": views.moment(g.rsvp_at, tz),
                "attended": bool(g.attended),
            }
            for g in guests
        ],
    }


def listing(connection: Connection, ctx: Context) -> list[dict[str, Any]]:
    return [view(connection, ctx, int(r.id)) for r in store.all_gatherings(connection)]


def ics(connection: Connection, ctx: Context, gid: int) -> bytes:
    row = store.get(connection, gid)
    assert row is not None
    guest_rows = store.guests(connection, gid)
    ids = [int(g.person_id) for g in guest_rows]
    emails: dict[int, str] = {}
    for pid, handle in connection.execute(
        select(identities.c.person_id, identities.c.handle)
        .where(identities.c.person_id.in_(ids), identities.c.platform == "email")
        .order_by(identities.c.person_id, identities.c.handle)
    ):
        emails.setdefault(int(pid), handle)
    guests = [
        calendar_files.Guest(int(g.person_id), g.name, emails.get(int(g.person_id)), g.rsvp)
        for g in guest_rows
    ]
    me = settings.get(connection, "me", {}) or {}
    my_email = next(
        (h.split(":", 1)[1] for h in me.get("handles", []) if h.startswith("email:")), None
    )
    my_name = next(iter(me.get("names", [])), "Me")
    return calendar_files.gathering(
        row.uid,
        row.title,
        row.starts_at,
        row.minutes,
        row.place,
        guests,
        ctx.now,
        (my_name, my_email),
    )


def of_person(connection: Connection, ctx: Context, pid: int) -> list[dict[str, Any]]:
    tz = ctx.rules.timezone
    return [
        {
            "id": int(r.id),
            "title": r.title,
            "at": views.moment(r.starts_at, tz),
            "rsvp": r.rsvp,
            "rsvp_at": views.moment(r.rsvp_at, tz),
            "attended": bool(r.attended),
        }
        for r in store.of_person(connection, pid)
    ]
