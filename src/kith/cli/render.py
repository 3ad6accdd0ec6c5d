"""Human output: Rich tables and panels. Every value from the base is shown as plain text,
never as markup, so an imported name such as "[red]x[/red]" prints as itself."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kith.domain.phrasing import ACTION_LABELS, last_contact_text


def t(value: Any, style: str = "") -> Text:
    return Text("" if value is None else str(value), style=style)


def action_text(item: dict[str, Any]) -> Text:
    label = ACTION_LABELS.get(item["action"], item["action"])
    details = item.get("details") or {}
    if "ask" in details:
        label += f" ({details['ask']})"
    return t(label, "bold")


def today(console: Console, items: list[dict[str, Any]], when: str) -> None:
    if not items:
        console.print(t(f"Nothing to do today ({when}). Enjoy the day.", "green"))
        return
    table = Table(title=t(f"Today, {when}", "bold"), box=box.SIMPLE_HEAD, expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Person")
    table.add_column("Action")
    table.add_column("Why", overflow="fold", max_width=70)
    table.add_column("Due", style="dim")
    for n, item in enumerate(items, 1):
        person = item["person"]
        why = t(item["reason"])
        phrasing = (item.get("details") or {}).get("phrasing")
        if phrasing:
            why.append("\n")
            why.append(f"“{phrasing}”", style="italic dim")
        table.add_row(
            t(n), t(f"{person['name']} (#{person['id']})"), action_text(item), why, t(item["due"])
        )
    console.print(table)


def people(console: Console, rows: list[dict[str, Any]], total: int | None = None) -> None:
    if not rows:
        console.print(t("No one matches.", "yellow"))
        return
    table = Table(box=box.SIMPLE_HEAD)
    for name, justify in (
        ("id", "right"),
        ("name", "left"),
        ("stage", "left"),
        ("strength", "right"),
        ("circle", "center"),
        ("last contact", "left"),
        ("city", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(
            t(r["id"]),
            t(r["name"] + (" (paused)" if r.get("paused") else "")),
            t(r.get("stage_label", r["stage"])),
            t(f"{r['strength']:.2f}"),
            t(r["circle"] or ""),
            t(r["last_contact"] or "—"),
            t(r.get("city") or ""),
        )
    console.print(table)
    if total is not None and total > len(rows):
        console.print(t(f"{len(rows)} of {total} people shown; use --limit to see more.", "dim"))


def profile(console: Console, p: dict[str, Any]) -> None:
    console.print(t(f"Time zone: {p['timezone']}"))
    console.print(t(f"Home: {p['home'] or 'not set (kith init --city CITY)'}"))
    handles = ", ".join(p["handles"]) or "none yet"
    console.print(t(f"Your identities: {handles}"))
    if p["names"]:
        console.print(t(f"Your names in chats: {', '.join(p['names'])}"))
    if not p["handles"] and not p["names"]:
        console.print(t("Add yours with: kith profile --add x:HANDLE --add email:ADDRESS", "dim"))


def trips(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print(t("No trips. Add one with: kith trip CITY --from DATE --to DATE"))
        return
    table = Table(box=box.SIMPLE_HEAD)
    for column in ("id", "city", "from", "to", "status"):
        table.add_column(column)
    for r in rows:
        table.add_row(*(t(r[c]) for c in ("id", "city", "from", "to", "status")))
    console.print(table)


def gathering(console: Console, data: dict[str, Any]) -> None:
    counts = data["rsvp"]
    console.print(
        t(
            f"#{data['id']} {data['title']}: {data['at'][:16].replace('T', ' ')} "
            f"at {data['place']}; "
            f"{counts['yes']} yes, {counts['maybe']} maybe, {counts['no']} no, "
            f"{counts['pending']} waiting; {data['attended']} came.",
            "bold",
        )
    )
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("Guest")
    table.add_column("Answer")
    table.add_column("Invitation", overflow="fold", max_width=80)
    for g in data["guests"]:
        answer = g["rsvp"] + (" (came)" if g["attended"] else "")
        table.add_row(
            t(f"{g['person']['name']} (#{g['person']['id']})"), t(answer), t(g["invitation"])
        )
    console.print(table)


def _kv(grid: Table, key: str, value: RenderableType | str) -> None:
    grid.add_row(t(key, "bold cyan"), value if not isinstance(value, str) else t(value))


def show(console: Console, p: dict[str, Any]) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    _kv(grid, "Stage", p.get("stage_label", p["stage"]) + (" (paused)" if p.get("paused") else ""))
    strength = t(f"{p['strength']['score']:.2f}")
    for reason in p["strength"]["reasons"]:
        strength.append(f"\n• {reason}")
    _kv(grid, "Tie strength", strength)
    _kv(grid, "Shared hours", f"{p['hours']:.1f}")
    _kv(grid, "Touches", f"{p['counts']['in']} from them, {p['counts']['out']} from you")
    if p.get("interactions"):
        _kv(grid, "Last two-way contact", last_contact_text(p["last_contact"], p["last_touch"]))
    if p.get("circle"):
        _kv(grid, "Circle", str(p["circle"]))
    if p.get("city"):
        where = p["city"]
        if p.get("distance_km") is not None:
            where += f" ({p['distance_km']:.0f} km from you)"
        _kv(grid, "City", where)
    if p.get("organisation") or p.get("role"):
        _kv(grid, "Work", " at ".join(x for x in (p.get("role"), p.get("organisation")) if x))
    if p.get("tags"):
        _kv(grid, "Tags", ", ".join(p["tags"]))
    if p["identities"]:
        _kv(grid, "Handles", ", ".join(f"{i['platform']}:{i['handle']}" for i in p["identities"]))
    if p.get("birthday_text"):
        _kv(grid, "Birthday", p["birthday_text"])
    ready = "yes" if p["ready"] else "not yet: " + "; ".join(p["readiness"]["missing"])
    _kv(grid, "Ready to meet", ready)
    if p.get("slow_down"):
        _kv(grid, "Pace", t(p["pace"], "yellow"))
    if p.get("coverage"):
        _kv(grid, "Sources", t(p["coverage"], "dim"))
    nxt = p.get("next")
    if nxt:
        step = action_text(nxt)
        step.append(f": {nxt['reason']}", style="")
        phrasing = (nxt.get("details") or {}).get("phrasing")
        if phrasing:
            step.append(f"\n“{phrasing}”", style="italic dim")
        _kv(grid, "Next step", step)
    parts: list[RenderableType] = [grid]
    if p["milestones"]:
        ms = Table(title=t("Milestones", "bold"), box=box.MINIMAL, show_header=False)
        for m in p["milestones"]:
            ms.add_row(t(m["at"][:10], "dim"), t(m["kind"].replace("_", " ")))
        parts.append(ms)
    if p["facts"]:
        fs = Table(title=t("Remembered", "bold"), box=box.MINIMAL, show_header=False)
        for f in p["facts"]:
            fs.add_row(
                t(f["event_on"] or "", "dim"),
                t(f["text"] + (" (private)" if f.get("private") else "")),
            )
        parts.append(fs)
    if p.get("invites"):
        asks = Table(title=t("Asks", "bold"), box=box.MINIMAL, show_header=False)
        for inv in p["invites"]:
            line = f"{inv['kind']}: {inv['response']}"
            if inv.get("scheduled_at"):
                line += f", on {inv['scheduled_at'][:16].replace('T', ' ')}"
            if inv.get("place"):
                line += f" at {inv['place']}"
            asks.add_row(t(inv["asked_at"][:10], "dim"), t(line))
        parts.append(asks)
    if p.get("gatherings"):
        gs = Table(title=t("Gatherings", "bold"), box=box.MINIMAL, show_header=False)
        for g in p["gatherings"]:
            answer = g["rsvp"] + (", came" if g["attended"] else "")
            gs.add_row(t(g["at"][:10], "dim"), t(f"{g['title']}: {answer}"))
        parts.append(gs)
    if p.get("who_knows"):
        parts.append(who_knows_table(p["who_knows"], p.get("as_member")))
    if p.get("recent"):
        tl = Table(title=t("Recent", "bold"), box=box.MINIMAL, show_header=False)
        for i in p["recent"][:10]:
            arrow = {"out": "→", "in": "←", "both": "↔"}[i["direction"]]
            text = (i.get("text") or "").replace("\n", " ")
            if len(text) > 80:
                text = text[:77] + "..."
            tl.add_row(
                t(i["at"][:16].replace("T", " "), "dim"), t(f"{arrow} {i['channel']}"), t(text)
            )
        parts.append(tl)
    console.print(Panel(Group(*parts), title=t(f"{p['name']} (#{p['id']})", "bold"), expand=False))


def focus(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print(t("No candidates: everyone you talk to is already in a circle.", "green"))
        return
    table = Table(title=t("Who deserves a place in a circle", "bold"), box=box.SIMPLE_HEAD)
    table.add_column("Person")
    table.add_column("Stage")
    table.add_column("Score", justify="right")
    table.add_column("Circle", justify="center")
    table.add_column("Why", overflow="fold", max_width=70)
    for r in rows:
        table.add_row(
            t(f"{r['person']['name']} (#{r['person']['id']})"),
            t(r["stage"]),
            t(f"{r['score']:.2f}"),
            t(r["suggested_circle"]),
            t("; ".join(r["reasons"])),
        )
    console.print(table)
    console.print(t("Place someone with: kith edit PERSON --circle N", "dim"))


def duplicates(console: Console, pairs: list[dict[str, Any]]) -> None:
    if not pairs:
        console.print(t("No likely duplicates.", "green"))
        return
    table = Table(title=t("Likely the same person", "bold"), box=box.SIMPLE_HEAD)
    table.add_column("Keep")
    table.add_column("Merge in")
    table.add_column("Why", overflow="fold", max_width=70)
    for p in pairs:
        table.add_row(
            t(f"{p['a']['name']} (#{p['a']['id']})"),
            t(f"{p['b']['name']} (#{p['b']['id']})"),
            t("; ".join(p["reasons"])),
        )
    console.print(table)
    console.print(t("Confirm one with: kith merge '#ID' '#OTHER-ID'", "dim"))


def who_knows_table(ties: list[dict[str, Any]], you: str | None = None) -> Table:
    """Who on the team knows a person, strongest tie first (`kith who-knows`)."""
    table = Table(title=t("Who on the team knows them", "bold"), box=box.MINIMAL)
    for name in ("Member", "Stage", "Tie", "Last two-way contact", "Why"):
        table.add_column(name)
    for tie in ties:
        member = tie["member"]
        who = member["name"] + (" (you)" if member["email"] == you else "")
        table.add_row(
            t(who),
            t(tie["stage"]),
            t(f"{tie['strength']['score']:.2f}"),
            t(tie["last_contact"] or "none", "dim"),
            t("; ".join(tie["strength"]["reasons"])),
        )
    return table
