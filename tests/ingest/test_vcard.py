"""The address book importer: vCard 2.1, 3.0, 4.0 and Google Contacts CSV (both layouts)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kith.ingest.base import ImportFailed, Options
from kith.ingest.records import Contact, Handle, Me, Touch
from kith.ingest.vcard import IMPORTER, parse_birthday, profile_from_url, profile_handle
from tests.ingest.contract import imports_cleanly, refuses, truncated, wrong_format, zipped

FIXTURES = Path(__file__).parent.parent / "fixtures" / "vcard"
SOCIAL = FIXTURES / "social_profiles.vcf"
V21 = FIXTURES / "outlook_android_v21.vcf"
LEGACY_CSV = FIXTURES / "google_contacts_legacy.csv"
CSV_2023 = FIXTURES / "google_contacts_2023.csv"


def records(path: Path, *me: str, region: str = "US") -> list[Any]:
    return list(IMPORTER.extract(path, Options(me=me, region=region)))


def contacts(path: Path, *me: str, region: str = "US") -> dict[str, Contact]:
    found = [r for r in records(path, *me, region=region) if isinstance(r, Contact)]
    return {c.name or c.key: c for c in found}


def handles(contact: Contact) -> set[tuple[str, str]]:
    return {(h.platform, h.value) for h in contact.handles}


# -- records ------------------------------------------------------------------------------


def test_google_v3_card_gives_name_handles_work_and_birthday():
    (ada,) = contacts(FIXTURES / "google_contacts_style_v3.vcf").values()
    assert ada.name == "Ada Lovelace"
    assert handles(ada) == {
        ("email", "ada@example.com"),
        ("email", "ada@work.example.com"),
        ("phone", "+44 20 7946 0000"),
    }
    assert (ada.organisation, ada.role, ada.birthday) == (
        "Analytical Engines",
        "Engineer",
        date(1815, 12, 10),
    )


def test_v4_card_reads_tel_uri_and_a_birthday_without_year():
    (grace,) = contacts(FIXTURES / "rfc6350_style_v4.vcf").values()
    assert handles(grace) == {("email", "grace@example.com"), ("phone", "+1-555-0100")}
    assert grace.birthday == date(1604, 12, 9)  # --1209: month and day, no year


def test_an_acquaintances_email_and_x_profile_url_make_one_contact():
    ana = contacts(SOCIAL)["Ana Costa"]
    assert handles(ana) == {("email", "ana.costa@northwind.example"), ("x", "ana_costa")}
    assert ana.key == "uid:0A1B2C3D-ANA-COSTA"
    assert (ana.organisation, ana.role, ana.city) == ("Northwind Gazette", "Reporter", "Lisbon")
    assert ana.birthday == date(1604, 3, 15)  # X-APPLE-OMIT-YEAR=1604


def test_social_profiles_of_every_kind_become_identities():
    found = contacts(SOCIAL)
    assert handles(found["Bisi Okafor"]) == {
        ("email", "bisi@example.org"),
        ("phone", "+234 803 123 4567"),
        ("x", "bisiokafor"),  # X-SOCIALPROFILE;type=twitter;x-user=...:x-apple:...
        ("linkedin", "bisi-okafor-12345"),
        ("mastodon", "bisi@social.example"),  # TYPE=mastodon with a /users/ link
        ("mastodon", "bisi@fosstodon.example"),  # https\://host/@user, escaped colon
        ("bluesky", "bisi.bsky.social"),
        ("facebook", "bisi.okafor"),  # IMPP;X-SERVICE-TYPE=Facebook
        ("facebook", "100000123456"),  # profile.php?id=
        ("instagram", "bisi.snaps"),
        ("web", "https://bisi.example.net/blog/"),
        ("web", "https://medium.com/@bisiwrites"),  # /@user on Medium is no Mastodon
    }
    assert handles(found["Chen Wei"]) == {
        ("email", "chen.wei@example.com"),
        ("x", "@chenwei_dev"),
        ("mastodon", "@chen@hachyderm.example"),
        ("bluesky", "chen.example.com"),
    }


def test_the_users_own_card_is_me_not_a_contact():
    got = records(SOCIAL, "lee@example.org")
    (me,) = [r for r in got if isinstance(r, Me)]
    assert me.name == "Lee Novak"
    assert Handle("x", "leenovak") in me.handles
    assert "Lee Novak" not in {c.name for c in got if isinstance(c, Contact)}
    # any of the card's handles identifies the user, in the forms --me and earlier imports use
    assert any(isinstance(r, Me) for r in records(SOCIAL, "x:LeeNovak"))
    assert any(isinstance(r, Me) for r in records(SOCIAL, "+49 30 1234567"))
    assert not any(isinstance(r, Me) for r in records(SOCIAL))
    assert not any(isinstance(r, Me) for r in records(SOCIAL, "Lee Novak"))  # names never match


def test_handles_shared_by_different_people_are_left_out(tmp_path):
    path = tmp_path / "office.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Lee\r\nEMAIL:kim@acme.example\r\n"
        "TEL;TYPE=WORK:+1 212 555 0100\r\nEMAIL:family@home.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Max Lee\r\nTEL;TYPE=WORK:+1 (212) 555-0100\r\n"
        "EMAIL:family@home.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:kim  lee\r\nEMAIL:KIM@acme.example\r\n"
        "URL:https://x.com/kimlee\r\nEND:VCARD\r\n"
    )
    got = [r for r in records(path) if isinstance(r, Contact)]
    # the switchboard and the family address would make Kim and Max one person: dropped;
    # Max has nothing else and is left out; Kim's duplicate card is the same contact
    assert [handles(c) for c in got] == [
        {("email", "kim@acme.example")},
        {("email", "KIM@acme.example"), ("x", "kimlee")},
    ]
    assert got[0].key == got[1].key


def test_cli_duplicate_cards_of_one_person_make_one_person(sqlite_cli, tmp_path):
    path = tmp_path / "dupes.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Lee\r\nEMAIL:kim@acme.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kim-2\r\nFN:Kim Lee\r\nEMAIL:kim2@home.example\r\n"
        "EMAIL:kim@acme.example\r\nURL:https://x.com/kimlee\r\nEND:VCARD\r\n"
    )
    summary = imports_cleanly(sqlite_cli, "vcard", path)
    assert (summary["people_created"], summary["identities_added"]) == (1, 3)
    again = sqlite_cli.json("import", "vcard", str(path))
    assert again["identities_added"] == 0
    kim = sqlite_cli.json("show", "x:kimlee")
    assert len(kim["identities"]) == 3


def test_a_vcard_yields_no_touches():
    for path in FIXTURES.iterdir():
        assert not any(isinstance(r, Touch) for r in records(path))


def test_v21_quoted_printable_with_soft_line_breaks_and_charsets():
    found = contacts(V21, region="DE")
    juergen = found["Jürgen Müller"]
    assert juergen.city == "München"  # the locality continues after a soft line break
    assert (juergen.organisation, juergen.role) == ("Bräuhaus Schmid", "Sales manager")
    assert juergen.birthday == date(1985, 6, 30)  # 2.1 basic format 19850630
    assert handles(juergen) == {
        ("email", "juergen.mueller@example.de"),
        ("phone", "0171 1234567"),  # read with the region: no +
        ("phone", "+49 89 1234 5678"),
    }
    renee = found["Renée Caïd"]  # CHARSET=windows-1252, N only, a photo
    assert renee.birthday is None  # 1990-02-30 cannot be read: skipped
    assert "Plumber" not in found  # a card without any handle could never be matched again


def test_phone_numbers_without_plus_follow_the_region():
    juergen = contacts(V21, region="US")["Jürgen Müller"]
    assert ("phone", "0171 1234567") not in handles(juergen)  # not a US number


def test_v4_social_profile_text_birthday_and_role():
    found = contacts(FIXTURES / "rfc6350_more_v4.vcf")
    dana = found["Dana Ortiz"]
    assert ("mastodon", "dana@mastodon.example") in handles(dana)
    assert ("phone", "+1-415-555-0199") in handles(dana)
    assert dana.birthday == date(1980, 7, 4)  # the text birthday is skipped, the next read
    assert (dana.city, dana.role) == ("San Francisco", "Organiser")
    assert dana.key == "uid:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    eli = found["Eli Park"]
    assert handles(eli) == {("email", "eli@example.com"), ("web", "https://eli.example.com")}
    assert eli.birthday == date(1604, 2, 29)


def test_google_csv_legacy_layout():
    found = contacts(LEGACY_CSV)
    farah = found["Farah Haddad"]
    assert handles(farah) == {
        ("email", "farah@example.com"),  # two addresses in one cell, ' ::: '
        ("email", "farah.haddad@work.example"),
        ("phone", "+961 3 123 456"),
        ("linkedin", "farah-haddad"),
        ("x", "farahdraws"),  # a bare name under a 'Twitter' website label
    }
    assert (farah.city, farah.organisation, farah.role) == ("Beirut", "Cedar Labs", "Designer")
    assert farah.birthday == date(1988, 11, 2)
    gio = found["Gio Rossi"]  # no Name: given and family names
    assert gio.birthday == date(1604, 7, 14)  # --07-14
    assert handles(gio) == {("email", "gio.rossi@example.it"), ("phone", "(415) 555-0123")}
    assert "Nobody Reachable" not in found


def test_google_csv_2023_layout():
    found = contacts(CSV_2023)
    hana = found["Hana Sato"]
    assert handles(hana) == {
        ("email", "hana@kumo.example"),
        ("phone", "+81 90-1234-5678"),
        ("phone", "+81 3-1234-5678"),
        ("bluesky", "hana.example.com"),
    }
    assert (hana.city, hana.organisation, hana.role) == ("Tokyo", "Kumo Studio", "Producer")
    assert hana.birthday == date(1992, 4, 8)
    ivo = found["Ivo J. Petrov"]
    assert handles(ivo) == {("email", "ivo@example.bg"), ("mastodon", "ivo@mastodon.example")}


def test_utf16_google_csv(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(LEGACY_CSV.read_text(encoding="utf-8").encode("utf-16"))
    assert IMPORTER.identify(path)
    assert contacts(path) == contacts(LEGACY_CSV)


def test_header_only_exports_are_recognised_and_empty():
    for name in (
        "google_contacts_csv_header_legacy.csv",
        "google_contacts_csv_header_2023plus.csv",
    ):
        assert IMPORTER.identify(FIXTURES / name)
        assert records(FIXTURES / name) == []


def test_keys_are_stable_across_runs_and_unique():
    for path in FIXTURES.iterdir():
        first = [r.key for r in records(path) if isinstance(r, Contact)]
        assert first == [r.key for r in records(path) if isinstance(r, Contact)]
        assert len(set(first)) == len(first)


def test_a_card_cut_short_is_refused_with_its_line(tmp_path):
    with pytest.raises(ImportFailed, match=r"line \d+"):
        records(truncated(SOCIAL, tmp_path))


def test_a_damaged_photo_is_refused_with_its_card(tmp_path):
    path = tmp_path / "bad.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEMAIL:a@example.com\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\nPHOTO;ENCODING=b:!!notbase64\r\nEND:VCARD\r\n"
    )
    with pytest.raises(ImportFailed, match="card 2"):
        records(path)


def test_a_csv_cut_short_is_refused_with_its_line(tmp_path):
    with pytest.raises(ImportFailed, match=r"line \d+"):
        records(truncated(LEGACY_CSV, tmp_path, keep=0.8))


def test_identify_refuses_other_formats(tmp_path):
    assert not IMPORTER.identify(wrong_format(tmp_path))
    assert not IMPORTER.identify(Path(__file__).parent.parent / "fixtures" / "ics" / "meetings.ics")
    outlook = tmp_path / "outlook.csv"
    outlook.write_text("First Name,Middle Name,Last Name,Title,E-mail Address,Mobile Phone\n")
    assert not IMPORTER.identify(outlook)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://twitter.com/ana_x", ("x", "ana_x")),
        ("https://mobile.twitter.com/ana_x/status/1", ("x", "ana_x")),
        (
            "http://x.com/intent/follow?screen_name=ana",
            ("web", "http://x.com/intent/follow?screen_name=ana"),
        ),
        ("https://de.linkedin.com/in/ana-x/", ("linkedin", "ana-x")),
        ("https://www.linkedin.com/company/acme", ("web", "https://www.linkedin.com/company/acme")),
        ("https://mastodon.social/@ana", ("mastodon", "ana@mastodon.social")),
        ("https://mastodon.social/@ana@example.social", ("mastodon", "ana@example.social")),
        ("https://www.youtube.com/@ana", ("web", "https://www.youtube.com/@ana")),
        ("https://bsky.app/profile/ana.bsky.social", ("bluesky", "ana.bsky.social")),
        ("https://m.facebook.com/ana.x", ("facebook", "ana.x")),
        ("https://www.facebook.com/groups/123", ("web", "https://www.facebook.com/groups/123")),
        ("https://instagram.com/ana.x", ("instagram", "ana.x")),
        ("https://t.me/ana_x", ("telegram", "ana_x")),
        ("https://ana.example.org", ("web", "https://ana.example.org")),
    ],
)
def test_profile_links(url, expected):
    assert profile_from_url(url) == Handle(*expected)


def test_bare_names_need_a_platform_and_im_addresses_are_left_out():
    assert profile_handle("ana", None) is None
    assert profile_handle("ana", "instagram") == Handle("instagram", "ana")
    assert profile_handle("xmpp:ana@jabber.example", None) is None
    assert profile_handle("twitter.com/ana", None) == Handle("x", "ana")
    assert profile_handle("https://social.example/users/ana", "mastodon") == Handle(
        "mastodon", "ana@social.example"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-17", date(1990, 5, 17)),
        ("19900517", date(1990, 5, 17)),
        ("1953-10-15T23:10:00Z", date(1953, 10, 15)),
        ("--1209", date(1604, 12, 9)),
        ("--12-09", date(1604, 12, 9)),
        ("1985", None),
        ("circa 1800", None),
        ("1990-13-01", None),
        ("", None),
    ],
)
def test_birthdays(text, expected):
    assert parse_birthday(text) == expected


# -- through the CLI ----------------------------------------------------------------------


def test_cli_imports_contacts_and_leaves_the_user_out(cli):
    summary = imports_cleanly(cli, "vcard", SOCIAL, "--me", "lee@example.org")
    assert (summary["people_created"], summary["interactions_added"]) == (3, 0)
    people = cli.json("people")
    assert sorted(p["name"] for p in people) == ["Ana Costa", "Bisi Okafor", "Chen Wei"]
    ana = cli.json("show", "x:ana_costa")
    assert ana["name"] == "Ana Costa"
    assert {(i["platform"], i["handle"]) for i in ana["identities"]} == {
        ("email", "ana.costa@northwind.example"),
        ("x", "ana_costa"),
    }
    assert ana["counts"] == {"in": 0, "out": 0}
    assert ana["stage"] == "noticed"
    assert ana["city"]
    assert cli.json("show", "email:ana.costa@northwind.example")["id"] == ana["id"]


def test_cli_imports_a_takeout_zip_of_every_kind(cli, tmp_path):
    folder = tmp_path / "Takeout" / "Contacts" / "All Contacts"
    folder.mkdir(parents=True)
    for path in FIXTURES.iterdir():
        shutil.copy(path, folder / path.name)
    archive = zipped(tmp_path / "Takeout", tmp_path, "takeout.zip")
    summary = imports_cleanly(cli, "vcard", archive)
    names = {p["name"] for p in cli.json("people")}
    assert {"Ada Lovelace", "Grace Hopper", "Farah Haddad", "Hana Sato", "Lee Novak"} <= names
    assert summary["people_created"] == len(names)
    assert "Plumber" not in names


def test_cli_a_later_import_enriches_the_same_person(sqlite_cli, tmp_path):
    imports_cleanly(sqlite_cli, "vcard", SOCIAL)
    newer = tmp_path / "newer.vcf"
    newer.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Costa\r\nEMAIL:ana.costa@northwind.example\r\n"
        "URL:https://bsky.app/profile/ana.example.com\r\nEND:VCARD\r\n"
    )
    again = sqlite_cli.json("import", "vcard", str(newer))
    assert (again["people_created"], again["people_matched"]) == (0, 1)
    ana = sqlite_cli.json("show", "bluesky:ana.example.com")
    assert ana["name"] == "Ana Costa"
    assert {i["platform"] for i in ana["identities"]} == {"email", "x", "bluesky"}


def test_cli_refuses_a_truncated_vcard(cli, tmp_path):
    refuses(cli, "vcard", truncated(SOCIAL, tmp_path), "line")


def test_cli_refuses_a_truncated_csv(cli, tmp_path):
    refuses(cli, "vcard", truncated(CSV_2023, tmp_path, keep=0.9), "cut short")


def test_cli_refuses_a_wrong_format(cli, tmp_path):
    refuses(cli, "vcard", wrong_format(tmp_path), "does not look like")


def test_cli_refuses_a_truncated_zip(cli, tmp_path):
    archive = zipped(FIXTURES, tmp_path)
    refuses(cli, "vcard", truncated(archive, tmp_path), "zip")
