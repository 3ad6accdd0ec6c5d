"""`kith export ics` and the calendar feed of `kith serve`: scheduled asks, gatherings, dated
facts, birthdays and the days set-aside suggestions come back (follow-ups) as a calendar
(docs/sync.md, "The calendar feed")."""

from __future__ import annotations

from sqlalchemy import Connection, select

from kith import calendar_files
from kith.domain.calendar import anniversary, yearless
from kith.domain.context import Context
from kith.store.schema import facts, gatherings, invites, people, snoozes


def calendar(connection: Connection, ctx: Context) -> bytes:
    names = {int(pid): name for pid, name in connection.execute(select(people.c.id, people.c.name))}
    items: list[calendar_files.Entry] = []
    for row in connection.execute(
        select(invites).where(invites.c.scheduled_at.is_not(None)).order_by(invites.c.id)
    ):
        who = names.get(int(row.person_id), "someone")
        items.append(
            calendar_files.Entry(
                uid=f"kith-ask-{row.id}@kith",
                summary=f"{row.kind.capitalize()} with {who}",
                start=row.scheduled_at,
                minutes=30 if row.kind in ("call", "video") else 60,
                location=row.place,
            )
        )
    for row in connection.execute(select(gatherings).order_by(gatherings.c.starts_at)):
        items.append(
            calendar_files.Entry(
                uid=row.uid,
                summary=row.title,
                start=row.starts_at,
                minutes=row.minutes,
                location=row.place,
            )
        )
    for row in connection.execute(
        select(facts)
        .where(facts.c.event_on.is_not(None), facts.c.private.is_(False))
        .order_by(facts.c.event_on, facts.c.id)
    ):
        who = names.get(int(row.person_id), "someone")
        items.append(
            calendar_files.Entry(
                uid=f"kith-fact-{row.id}@kith",
                summary=f"{who}: {row.text}",
                start=row.event_on,
                description=f"Wish {who.split()[0]} luck before; ask how it went after.",
            )
        )
    for row in connection.execute(
        select(people.c.id, people.c.name, people.c.birthday)
        .where(people.c.birthday.is_not(None))
        .order_by(people.c.id)
    ):
        items.append(
            calendar_files.Entry(
                uid=f"kith-birthday-{row.id}@kith",
                summary=f"{row.name}'s birthday",
                # a birthday without a year repeats from this year on, not from 1604
                start=anniversary(row.birthday, ctx.today.year)
                if yearless(row.birthday)
                else row.birthday,
                yearly=True,
            )
        )
    for row in connection.execute(
        select(snoozes).where(snoozes.c.until >= ctx.today).order_by(snoozes.c.until)
    ):
        who = names.get(int(row.person_id), "someone")
        items.append(
            calendar_files.Entry(
                uid=f"kith-follow-up-{row.person_id}-{row.action}@kith",
                summary=f"Follow up with {who}",
                start=row.until,
                description=f"Set aside until today: {row.action.replace('_', ' ')}.",
            )
        )
    return calendar_files.entries("kith", items, ctx.now)
