"""Words that do not mislead: what a person's page and the lists say after a real import."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOW = "2026-11-26T12:00:00Z"


def test_a_birthday_without_a_year_is_shown_without_one(sqlite_cli, tmp_path):
    sqlite_cli.now = NOW
    sqlite_cli.ok("import", "vcard", str(FIXTURES / "vcard" / "rfc6350_style_v4.vcf"))
    shown = sqlite_cli.json("show", "Grace Hopper")
    assert shown["birthday"] == "--12-09"
    assert shown["birthday_text"] == "9 December"
    human = sqlite_cli.ok("show", "Grace Hopper").out
    assert "9 December" in human
    assert "1604" not in human
    card = tmp_path / "out.vcf"
    sqlite_cli.ok("export", "vcard", str(card))
    assert "BDAY:--1209" in card.read_text()
    ics = tmp_path / "out.ics"
    sqlite_cli.ok("export", "ics", str(ics))
    assert "1604" not in ics.read_text()


def test_address_book_contacts_have_no_history_yet(sqlite_cli):
    sqlite_cli.now = NOW
    sqlite_cli.ok("import", "vcard", str(FIXTURES / "vcard" / "rfc6350_style_v4.vcf"))
    rows = sqlite_cli.json("people")
    assert rows
    assert {r["stage_label"] for r in rows} == {"no history yet"}
    assert {r["stage"] for r in rows} == {"noticed"}  # the JSON contract keeps the stage
    assert "no history yet" in sqlite_cli.ok("people").out
    assert "noticed" not in sqlite_cli.ok("show", "Grace Hopper").out


def test_likes_alone_are_no_two_way_contact_and_say_so(sqlite_cli):
    sqlite_cli.now = NOW
    sqlite_cli.ok("add", "Lia Likes", "--handle", "x:lia")
    for day in range(1, 6):
        sqlite_cli.ok("log", "x:lia", "like", "--out", "--at", f"2026-11-{20 + day}T10:00:00Z")
    human = " ".join(sqlite_cli.ok("show", "x:lia").out.split())
    assert "Last two-way contact none yet" in human
    assert "never" not in human
    assert "noticed" in human  # five likes: noticed, not "no history"
    assert "—" in sqlite_cli.ok("people").out


def test_an_old_chat_where_both_wrote_is_not_called_unbalanced(sqlite_cli):
    sqlite_cli.now = NOW
    chat = FIXTURES / "whatsapp" / "WhatsApp Chat with Ana Example.txt"
    sqlite_cli.ok("import", "whatsapp", str(chat))
    shown = sqlite_cli.json("show", "Ana Example")
    assert shown["counts"]["in"] > 0
    assert shown["counts"]["out"] > 0
    missing = " ".join(shown["readiness"]["missing"])
    assert "0.00" not in missing
    assert "reciprocity" not in missing
    assert "nothing either way in the last 180 days" in missing


def test_people_who_only_wrote_to_the_user_are_not_called_two_way(sqlite_cli, tmp_path):
    sqlite_cli.now = NOW
    box = tmp_path / "in.mbox"
    mails = []
    for n, day in enumerate(("2017-03-01", "2018-05-02", "2019-06-03")):
        mails.append(
            f"From sender@example.org {day}\n"
            f"From: Rita Writer <rita@example.org>\nTo: Me Myself <me@example.net>\n"
            f"Subject: hello {n}\nDate: {day}T10:00:00+00:00\n"
            f"Message-ID: <m{n}@example.org>\n\nJust writing to say hello again, number {n}.\n"
        )
    box.write_text("\n".join(mails))
    sqlite_cli.ok("import", "mbox", str(box), "--me", "email:me@example.net")
    shown = sqlite_cli.json("show", "Rita Writer")
    reasons = " ".join(shown["strength"]["reasons"])
    assert "two-way" not in reasons
    assert "you have not written to them" in reasons
