"""kith's own export: `kith export json` then `kith import kith-json` is exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.demo import build_demo
from kith.store.database import sqlite_url
from tests.conftest import CLI
from tests.ingest.contract import NOW, imports_cleanly, refuses, truncated, wrong_format


def every_show(cli: CLI) -> list[dict]:
    return [cli.json("show", f"#{p['id']}", now=NOW) for p in cli.json("people", now=NOW)]


@pytest.fixture
def demo_export(tmp_path: Path, capsys, monkeypatch) -> tuple[Path, list, list]:
    from datetime import datetime

    url = sqlite_url(tmp_path / "demo.sqlite")
    build_demo(url, people=60, seed=5, now=datetime.fromisoformat(NOW.replace("Z", "+00:00")))
    source = CLI(capsys, monkeypatch, url)
    # make the source base less regular: a gap in ids, a manual entry, tags and a trip-free
    # person with a private fact
    source.ok("forget", "#3", "--yes", now=NOW)
    source.ok(
        "add", "Zoë <b>Example</b>", "--handle", "email:zoe@example.org", "--tag", "press", now=NOW
    )
    source.ok("remember", "email:zoe@example.org", "secret", "--private", now=NOW)
    source.ok(
        "gather",
        "Send-off",
        "--at",
        "2026-11-01T19:00",
        "--where",
        "Bar Lumen",
        "--invite",
        "email:zoe@example.org",
        "--invite",
        "#5",
        now=NOW,
    )
    source.ok("rsvp", "Send-off", "email:zoe@example.org", "yes", now=NOW)
    source.ok("attended", "Send-off", now=NOW)
    out = tmp_path / "export.json"
    source.ok("export", "json", str(out), now=NOW)
    return out, source.json("people", now=NOW), every_show(source)


def test_round_trip_into_an_empty_base_is_exact(cli, demo_export):
    path, people, shows = demo_export
    summary = imports_cleanly(cli, "kith-json", path)
    assert summary["people_created"] == len(people)
    assert cli.json("people", now=NOW) == people
    assert every_show(cli) == shows


def test_restoring_into_a_base_with_data_merges_by_identity(sqlite_cli, demo_export):
    sqlite_cli.ok("add", "Zoe E", "--handle", "email:zoe@example.org", now=NOW)
    sqlite_cli.ok("add", "Someone Else", now=NOW)
    summary = sqlite_cli.json("import", "kith-json", str(demo_export[0]), now=NOW)
    assert summary["people_matched"] == 1
    zoe = sqlite_cli.json("show", "email:zoe@example.org", now=NOW)
    assert zoe["name"] == "Zoe E"  # the base's own record keeps its name
    assert zoe["tags"] == ["press"]
    assert [f["text"] for f in zoe["facts"]] == ["secret"]


def test_a_cut_short_export_is_refused(cli, demo_export, tmp_path):
    refuses(cli, "kith-json", truncated(demo_export[0], tmp_path), "cut short")
    refuses(cli, "kith-json", wrong_format(tmp_path), "does not look like a kith JSON export")


def test_the_json_parsers_words_are_text_on_one_line(cli, tmp_path):
    """Found by fuzzing: the parser's C back end gives its message as bytes, quoted over
    several lines ("(b'lexical error: invalid char in json text.\\n...')")."""
    document = _small_backup(cli, tmp_path)
    text = _write(tmp_path, document, "whole").read_bytes()
    at = text.index(b'"Solo Person"')
    broken = tmp_path / "backup.json"
    broken.write_bytes(text[:at] + b"\xff\xfe" + text[at:])
    said = refuses(cli, "kith-json", broken, "is cut short or not valid JSON (")
    assert "b'" not in said, said
    assert "\\n" not in said, said


def test_export_to_standard_output_and_bad_format(sqlite_cli):
    sqlite_cli.ok("add", "Ana", now=NOW)
    out = sqlite_cli.ok("export", "json", now=NOW).out
    assert out.lstrip().startswith("{")
    assert '"format": "kith-json"' in out
    bad = sqlite_cli("export", "xml", now=NOW)
    assert bad.code == 2
    assert "Unknown export format 'xml'" in bad.err


def _small_backup(cli: CLI, tmp_path: Path) -> dict:
    """A backup of a small base (a person without any handle among them), as JSON."""
    import json

    cli.ok("init", "--tz", "UTC", now=NOW)
    cli.ok("add", "Solo Person", now=NOW)
    cli.ok("add", "Ana Example", "--handle", "x:ana", "--city", "Berlin", now=NOW)
    cli.ok("log", "Solo Person", "dm", "--in", "--text", "hello", now=NOW)
    cli.ok("remember", "x:ana", "runs a meetup", "--on", "2026-03-04", now=NOW)
    cli.ok("invite", "x:ana", now=NOW)
    out = tmp_path / "backup.json"
    cli.ok("export", "json", str(out), now=NOW)
    return json.loads(out.read_text("utf-8"))


def _write(tmp_path: Path, document: dict, name: str) -> Path:
    import json

    out = tmp_path / f"{name}.json"
    out.write_text(json.dumps(document), "utf-8")
    return out


def _person(document: dict, name: str) -> dict:
    return next(p for p in document["people"] if p["name"] == name)


def test_importing_a_backup_twice_adds_no_one_twice(cli, tmp_path):
    """Probe 2: a person with no handle was created again on every import, and an
    interaction whose external id was "" imported once, then failed on its unique key."""
    document = _small_backup(cli, tmp_path)
    _person(document, "Solo Person")["interactions"].append(
        {
            "occurred_at": "2026-02-01T10:00:00Z",
            "channel": "dm",
            "direction": "out",
            "text": "an id that is empty",
            "minutes": None,
            "source": "x",
            "external_id": "",
            "member": None,
        }
    )
    path = _write(tmp_path, document, "edited")
    people = cli.json("people", now=NOW)
    first = cli.json("import", "kith-json", str(path), now=NOW)
    assert first["people_created"] == 0
    assert first["interactions_added"] == 1  # the edited-in one
    imports_cleanly(cli, "kith-json", path)
    assert [p["name"] for p in cli.json("people", now=NOW)] == [p["name"] for p in people]


@pytest.mark.parametrize("missing", ["null", "absent"])
def test_an_interaction_without_an_id_is_restored_once(cli, tmp_path, missing):
    """Found by fuzzing: a saved interaction with no id of its source (null, or the key
    gone) was added again by every import of the same backup."""
    document = _small_backup(cli, tmp_path)
    saved = _person(document, "Solo Person")["interactions"][0]
    if missing == "null":
        saved["external_id"] = None
    else:
        del saved["external_id"]
    saved["text"] = "said without an id"
    path = _write(tmp_path, document, "unkeyed")
    first = cli.json("import", "kith-json", str(path), now=NOW)
    assert first["interactions_added"] == 1
    again = cli.json("import", "kith-json", str(path), now=NOW)
    assert again["interactions_added"] == 0, again
    assert again["interactions_skipped"] >= first["interactions_skipped"] + 1


@pytest.mark.parametrize("saved_id", ["kept", "someone else's"])
def test_a_person_whose_handles_cannot_be_read_is_restored_once(cli, tmp_path, saved_id):
    """Found by fuzzing: a saved person whose identities kith cannot read (an unknown
    platform, a handle with spaces) was created again by every import of the backup."""
    document = _small_backup(cli, tmp_path)
    ana = _person(document, "Ana Example")
    ana["identities"] = [{"platform": "not a platform", "handle": "ana", "display": "ana"}]
    if saved_id == "someone else's":
        ana["id"] = _person(document, "Solo Person")["id"]
    path = _write(tmp_path, document, "unreadable")
    cli.json("import", "kith-json", str(path), now=NOW)
    names = sorted(p["name"] for p in cli.json("people", now=NOW))
    again = cli.json("import", "kith-json", str(path), now=NOW)
    assert again["people_created"] == 0, again
    assert sorted(p["name"] for p in cli.json("people", now=NOW)) == names


def test_own_identities_kith_cannot_read_are_not_restored(cli, tmp_path):
    """Found by fuzzing: a backup's own identity that is no handle ('xxx...') was kept as
    written, read back as the platform 'xxx...' with an empty handle, and the next import
    wrote it again as 'xxx...:', changing the base on every import."""
    document = _small_backup(cli, tmp_path)
    document["settings"]["me"] = {"handles": ["x:sam", "x" * 300, "x:"], "names": ["Sam"]}
    path = _write(tmp_path, document, "own")
    cli.json("import", "kith-json", str(path), now=NOW)
    profile = cli.json("profile", now=NOW)
    assert "x:sam" in profile["handles"]
    assert not any(h.startswith("xxx") or h == "x:" for h in profile["handles"]), profile
    cli.json("import", "kith-json", str(path), now=NOW)
    assert cli.json("profile", now=NOW) == profile


HOSTILE_EDITS = [
    ("no source", lambda d: _person(d, "Solo Person")["interactions"][0].pop("source"), "source"),
    ("name is a list", lambda d: _person(d, "Solo Person").update(name=["x"]), "name"),
    (
        "a time past year 9999 in UTC",
        lambda d: _person(d, "Solo Person")["interactions"][0].update(
            occurred_at="9999-12-31T23:59:59-05:00"
        ),
        "occurred_at",
    ),
    (
        "a time before 1900",
        lambda d: _person(d, "Solo Person")["interactions"][0].update(
            occurred_at="1850-01-01T00:00:00Z"
        ),
        "occurred_at",
    ),
    (
        "not a time",
        lambda d: _person(d, "Solo Person")["interactions"][0].update(occurred_at="soon"),
        "occurred_at",
    ),
    ("latitude is text", lambda d: _person(d, "Ana Example").update(lat="north"), "lat"),
    ("latitude off the globe", lambda d: _person(d, "Ana Example").update(lat=91.5), "lat"),
    ("a tag that is a list", lambda d: _person(d, "Ana Example").update(tags=[["a"]]), "tags"),
    (
        "an external id that is a number",
        lambda d: _person(d, "Solo Person")["interactions"][0].update(external_id=1.5e308),
        "external_id",
    ),
    (
        "an unknown channel",
        lambda d: _person(d, "Solo Person")["interactions"][0].update(channel="pigeon"),
        "channel",
    ),
    ("an id beyond the integers", lambda d: _person(d, "Ana Example").update(id=2**40), "id"),
    ("a zone that is an object", lambda d: d["settings"].update(timezone={"a": 1}), "timezone"),
    ("home is a list", lambda d: d["settings"].update(home=[1, 2]), "home"),
    ("a fact without words", lambda d: _person(d, "Ana Example")["facts"][0].pop("text"), "text"),
    (
        "an ask of no kind",
        lambda d: _person(d, "Ana Example")["invites"][0].update(kind="duel"),
        "kind",
    ),
    ("a person that is a number", lambda d: d["people"].append(7), "person 3"),
]


@pytest.mark.parametrize(
    ("edit", "field"),
    [(e, f) for _, e, f in HOSTILE_EDITS],
    ids=[name for name, _, _ in HOSTILE_EDITS],
)
def test_a_damaged_backup_is_refused_in_one_sentence(cli, tmp_path, edit, field):
    """Probe 1: 14 of 200 mutated backups ended in a traceback (KeyError, AttributeError,
    ValueError, TypeError); each is now refused, naming what is wrong, with nothing
    written."""
    document = _small_backup(cli, tmp_path)
    edit(document)
    said = refuses(cli, "kith-json", _write(tmp_path, document, "damaged"), field)
    assert "is not a kith export this kith can restore" in said
    for internal in ("KeyError", "object has no attribute", "unhashable", "Traceback"):
        assert internal not in said
