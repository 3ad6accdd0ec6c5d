"""Exports and backups: vCard 4.0 readable by vobject, an .ics of plans, consistent backups."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import icalendar
import vobject

from tests.conftest import CLI

NOW = "2026-03-01T12:00:00Z"


def seed(cli: CLI) -> None:
    cli.ok(
        "add",
        "Zoë Example",
        "--handle",
        "email:zoe@example.org",
        "--handle",
        "x:zoe_ex",
        "--handle",
        "mastodon:zoe@social.example",
        "--handle",
        "phone:+15551234567",
        "--tag",
        "press",
        "--city",
        "Lisbon",
        "--birthday",
        "1990-04-12",
        now=NOW,
    )
    cli.ok("add", "Bo, the; Builder", "--handle", "linkedin:bo-builder", now=NOW)
    cli.ok("remember", "Zoë Example", "gives a talk at PyCon", "--on", "2026-03-20", now=NOW)
    cli.ok("remember", "Zoë Example", "is job hunting", "--on", "2026-03-22", "--private", now=NOW)
    cli.ok("invite", "Zoë Example", "--kind", "coffee", now=NOW)
    cli.ok(
        "respond",
        "Zoë Example",
        "positive",
        "--when",
        "2026-03-05T10:00",
        "--where",
        "Café Lumen",
        now=NOW,
    )
    cli.ok(
        "gather",
        "Spring dinner",
        "--at",
        "2026-03-10T19:00",
        "--where",
        "Casa Lumen",
        "--invite",
        "Zoë Example",
        now=NOW,
    )


def test_vcard_export_is_read_back_by_vobject_with_every_handle(cli, tmp_path: Path):
    seed(cli)
    path = tmp_path / "people.vcf"
    cli.ok("export", "vcard", str(path), now=NOW)
    cards = {c.fn.value: c for c in vobject.readComponents(path.read_text(encoding="utf-8"))}
    assert set(cards) == {"Zoë Example", "Bo, the; Builder"}
    zoe = cards["Zoë Example"]
    assert zoe.version.value == "4.0"
    assert zoe.email.value == "zoe@example.org"
    assert zoe.tel.value == "+15551234567"
    urls = {u.value for u in zoe.contents["url"]}
    assert {"https://x.com/zoe_ex", "https://social.example/@zoe"} <= urls
    assert zoe.bday.value == "1990-04-12"
    assert zoe.categories.value == ["press"]
    assert zoe.adr.value.city == "Lisbon"
    bo = cards["Bo, the; Builder"]
    assert bo.url.value == "https://www.linkedin.com/in/bo-builder"


def test_ics_export_holds_plans_facts_and_birthdays_but_no_private_fact(cli, tmp_path: Path):
    seed(cli)
    path = tmp_path / "plans.ics"
    cli.ok("export", "ics", str(path), now=NOW)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert summaries == sorted(
        [
            "Coffee with Zoë Example",
            "Spring dinner",
            "Zoë Example: gives a talk at PyCon",
            "Zoë Example's birthday",
        ]
    )
    coffee = next(e for e in calendar.walk("VEVENT") if str(e["summary"]).startswith("Coffee"))
    assert str(coffee["location"]) == "Café Lumen"
    assert coffee.decoded("dtstart").isoformat() == "2026-03-05T10:00:00+00:00"


def test_backup_of_sqlite_is_a_consistent_database_even_during_writes(sqlite_cli, tmp_path):
    seed(sqlite_cli)
    target = tmp_path / "copy.sqlite"
    stop = threading.Event()

    def keep_writing() -> None:
        from kith.api import Kith

        with Kith(sqlite_cli.db) as base:
            n = 0
            while not stop.is_set() and n < 200:
                base.log("Zoë Example", "dm", direction="in", text=f"note {n}")
                n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = sqlite_cli("backup", str(target), now=NOW)
    finally:
        stop.set()
        writer.join()
    assert result.code == 0, result.err
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM people").fetchone() == (2,)
    copy.close()
    restored = CLI(sqlite_cli.capsys, sqlite_cli.monkeypatch, f"sqlite:///{target}")
    assert restored.json("show", "Zoë Example", now=NOW)["name"] == "Zoë Example"


def test_backup_fits_the_backend(cli, tmp_path: Path):
    seed(cli)
    target = tmp_path / "backup"
    cli.ok("backup", str(target), now=NOW)
    if cli.db.startswith("sqlite"):
        assert target.read_bytes()[:16] == b"SQLite format 3\x00"
        return
    head = target.read_text(encoding="utf-8")[:200]
    assert '"format": "kith-json"' in head
    restored = CLI(cli.capsys, cli.monkeypatch, f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restored.ok("import", "kith-json", str(target), now=NOW)
    assert restored.json("people", now=NOW) == cli.json("people", now=NOW)


def test_export_errors(sqlite_cli, tmp_path: Path):
    bad = sqlite_cli("export", "csv", now=NOW)
    assert bad.code == 2
    assert "formats: json, vcard, ics" in bad.err
    folder = sqlite_cli("backup", str(tmp_path), now=NOW)
    assert folder.code == 2
    assert "is a folder" in folder.err
