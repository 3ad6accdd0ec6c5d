"""The import service with a small in-test importer: resolution, dedup, atomicity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kith.api import Kith
from kith.domain import Channel, Direction
from kith.errors import KithError
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.records import Contact, Handle, Me, Record, Touch
from kith.services import importing
from tests.conftest import snapshot

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


class ListImporter(Importer):
    """Yields the records it was built with; fails where told to."""

    source = "test"
    title = "a test export"

    def __init__(self, records: list[Record], fail_after: int | None = None) -> None:
        self.records = records
        self.fail_after = fail_after

    def identify(self, path: Path) -> bool:
        return path.suffix == ".test"

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        for n, record in enumerate(self.records):
            if self.fail_after is not None and n == self.fail_after:
                raise ImportFailed(f"{path.name}: record {n} is truncated.")
            yield record


def touch(key: str, ext: str, days: int, direction: str = "in", channel: str = "dm") -> Touch:
    return Touch(
        ext,
        key,
        datetime(2026, 2, days, 10, tzinfo=UTC),
        Channel(channel),
        Direction(direction),
        text="hello there friend",
    )


def run(url: str, importer: Importer, tmp_path: Path) -> importing.ImportSummary:
    path = tmp_path / "export.test"
    path.write_text("x")
    with Kith(url, clock_fn=lambda: NOW) as base, base.unit() as (connection, ctx):
        return importing.run(connection, ctx, importer, path, Options(now=NOW))


def people_of(url: str) -> list[dict]:
    with Kith(url, clock_fn=lambda: NOW) as base:
        return [base.show(str(p["id"])) for p in base.people(sort="name")]


def test_contacts_become_people_and_touches_interactions(db_url, tmp_path):
    records: list[Record] = [
        Me((Handle("x", "me_myself"),), "Me Myself"),
        Contact("t:1", "Ana Example", (Handle("x", "@AnaEx"), Handle("email", "ana@example.org"))),
        touch("t:1", "m1", 1),
        touch("t:1", "m2", 2, "out"),
    ]
    summary = run(db_url, ListImporter(records), tmp_path)
    assert (summary.people_created, summary.interactions_added) == (1, 2)
    (ana,) = people_of(db_url)
    assert ana["name"] == "Ana Example"
    assert {(i["platform"], i["handle"]) for i in ana["identities"]} == {
        ("x", "anaex"),
        ("email", "ana@example.org"),
    }
    assert ana["counts"] == {"in": 1, "out": 1}
    assert ana["stage"] == "conversing"


def test_a_second_import_adds_nothing(db_url, tmp_path):
    records: list[Record] = [Contact("t:1", "Ana", (Handle("x", "ana"),)), touch("t:1", "m1", 1)]
    run(db_url, ListImporter(records), tmp_path)
    again = run(db_url, ListImporter(records), tmp_path)
    assert (again.interactions_added, again.interactions_skipped) == (0, 1)
    assert (again.people_created, again.people_matched) == (0, 1)


def test_a_first_import_skips_a_message_it_repeats_batches_later(db_url, tmp_path):
    """A source's first import remembers what it wrote instead of asking the base: the
    same message twice, more than a batch apart, is still stored once."""
    from kith.services.import_job import BATCH

    records: list[Record] = [Contact("t:1", "Ana Example", (Handle("x", "@AnaEx"),))]
    records += [touch("t:1", f"m{n}", 1 + n % 27) for n in range(BATCH + 10)]
    records.append(touch("t:1", "m3", 4))  # already written, one batch back
    summary = run(db_url, ListImporter(records), tmp_path)
    assert (summary.interactions_added, summary.interactions_skipped) == (BATCH + 10, 1)
    (ana,) = people_of(db_url)
    assert ana["counts"] == {"in": BATCH + 10, "out": 0}


def test_a_later_import_of_a_source_asks_the_base(db_url, tmp_path):
    """Once a source has messages in the base, each batch is checked against them."""
    run(
        db_url,
        ListImporter([Contact("t:1", "Ana", (Handle("x", "@ana"),)), touch("t:1", "a", 1)]),
        tmp_path,
    )
    again = [
        Contact("t:1", "Ana", (Handle("x", "@ana"),)),
        touch("t:1", "a", 1),
        touch("t:1", "b", 2),
    ]
    summary = run(db_url, ListImporter(again), tmp_path)
    assert (summary.interactions_added, summary.interactions_skipped) == (1, 1)


def test_same_email_means_same_person_and_a_bridge_merges_two(db_url, tmp_path):
    run(
        db_url,
        ListImporter([Contact("a", "Ana E", (Handle("email", "ana@example.org"),))]),
        tmp_path,
    )
    run(db_url, ListImporter([Contact("b", "ana_x", (Handle("x", "ana_x"),))]), tmp_path)
    assert len(people_of(db_url)) == 2
    bridge = Contact("c", "Ana", (Handle("x", "ana_x"), Handle("email", "ANA@example.org")))
    summary = run(db_url, ListImporter([bridge, touch("c", "m9", 3)]), tmp_path)
    assert summary.people_merged == 1
    (ana,) = people_of(db_url)
    assert {i["platform"] for i in ana["identities"]} == {"x", "email"}
    assert ana["name"] == "Ana E"  # the older record keeps its name


def test_nothing_merges_on_a_name_alone(db_url, tmp_path):
    records: list[Record] = [
        Contact("a", "Alex Kim", (Handle("x", "alex1"),)),
        Contact("b", "Alex Kim", (Handle("x", "alex2"),)),
    ]
    run(db_url, ListImporter(records), tmp_path)
    assert [p["name"] for p in people_of(db_url)] == ["Alex Kim", "Alex Kim"]


def test_the_user_is_never_a_person(db_url, tmp_path):
    records: list[Record] = [
        Me((Handle("email", "me@example.org"),)),
        Contact("self", "Me", (Handle("email", "me@example.org"),)),
        touch("self", "note", 1, "out"),
    ]
    summary = run(db_url, ListImporter(records), tmp_path)
    assert people_of(db_url) == []
    assert summary.interactions_added == 0


def test_a_failure_leaves_the_base_as_it_was(db_url, tmp_path):
    run(
        db_url,
        ListImporter([Contact("a", "Ana", (Handle("x", "ana"),)), touch("a", "m1", 1)]),
        tmp_path,
    )
    before = snapshot(db_url)
    records: list[Record] = [
        Contact("b", "Bo", (Handle("x", "bo"),)),
        *(touch("b", f"b{n}", 1 + n % 20) for n in range(7000)),
        Contact("c", "Cy", (Handle("x", "cy"),)),
    ]
    with pytest.raises(KithError):
        run(db_url, ListImporter(records, fail_after=7001), tmp_path)
    assert snapshot(db_url) == before


def test_touch_of_an_unknown_contact_is_refused(sqlite_db, tmp_path):
    with pytest.raises(ImportFailed):
        run(sqlite_db, ListImporter([touch("ghost", "m1", 1)]), tmp_path)


def test_a_stand_in_name_gives_way_to_a_real_one(sqlite_db, tmp_path):
    run(sqlite_db, ListImporter([Contact("a", "anaex", (Handle("x", "anaex"),))]), tmp_path)
    run(sqlite_db, ListImporter([Contact("b", "X user 42", (Handle("x", "id:42"),))]), tmp_path)
    run(
        sqlite_db,
        ListImporter(
            [
                Contact("c", "Ana Example", (Handle("x", "anaex"),)),
                Contact("d", "Bo Builder", (Handle("x", "id:42"),)),
            ]
        ),
        tmp_path,
    )
    assert sorted(p["name"] for p in people_of(sqlite_db)) == ["Ana Example", "Bo Builder"]
    run(sqlite_db, ListImporter([Contact("e", "Someone Else", (Handle("x", "anaex"),))]), tmp_path)
    assert sorted(p["name"] for p in people_of(sqlite_db)) == ["Ana Example", "Bo Builder"]


def test_two_contacts_sharing_a_handle_in_one_batch_pool_their_handles(sqlite_db, tmp_path):
    records: list[Record] = [
        Contact("a", "Ana", (Handle("email", "ana@example.org"),)),
        Contact("b", "Ana E", (Handle("email", "ana@example.org"), Handle("x", "anaex"))),
    ]
    first = run(sqlite_db, ListImporter(records), tmp_path)
    (ana,) = people_of(sqlite_db)
    assert {i["platform"] for i in ana["identities"]} == {"email", "x"}
    again = run(sqlite_db, ListImporter(records), tmp_path)
    assert first.identities_added == 2
    assert again.identities_added == 0


def test_region_reads_phone_numbers_written_without_a_country_code(sqlite_cli, tmp_path):
    card = tmp_path / "card.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jonas Weber\r\nTEL:0171 1234567\r\nEND:VCARD\r\n"
    )
    sqlite_cli.ok("import", "vcard", str(card), "--region", "DE", now="2026-03-01T12:00:00Z")
    jonas = sqlite_cli.json("show", "phone:+491711234567", now="2026-03-01T12:00:00Z")
    assert jonas["name"] == "Jonas Weber"
    bad = sqlite_cli(
        "import", "vcard", str(card), "--region", "Germany", now="2026-03-01T12:00:00Z"
    )
    assert bad.code == 2
    assert "two-letter country code" in bad.err


def test_notes_become_warnings_once(sqlite_db, tmp_path):
    from kith.ingest.records import Note

    records: list[Record] = [
        Note("A group of 40 people was left out."),
        Note("A group of 40 people was left out."),
    ]
    summary = run(sqlite_db, ListImporter(records), tmp_path)
    assert summary.warnings == ["A group of 40 people was left out."]


def test_a_damaged_zip_is_named_whatever_its_name(tmp_path):
    from kith.ingest.archive import Archive

    fake = tmp_path / "export.bin"
    fake.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(ImportFailed, match="not a readable archive"):
        Archive(fake)


def test_every_source_says_where_its_export_is_requested() -> None:
    from kith.api import source_guides, source_names
    from kith.ingest.guides import GUIDES

    assert set(GUIDES) == set(source_names())
    assert all(len(text) > 40 and "kith import" not in text for text in source_guides().values())
