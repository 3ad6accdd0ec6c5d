"""The user's own identities: given once (`kith init --me`, `kith profile`, `import --me`),
used by every import, never asked again."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOW = "2026-11-26T12:00:00Z"


def test_init_and_profile_keep_the_users_identities(cli):
    cli.now = NOW
    made = cli.json("init", "--me", "x:ana_writes", "--me", "Ana@Example.org", "--me", "Ana W")
    assert made["handles"] == ["x:ana_writes", "email:ana@example.org"]
    assert made["names"] == ["Ana W"]
    shown = cli.json("profile", "--add", "phone:+1 555 010 0199", "--remove", "ana w")
    assert shown["handles"] == ["x:ana_writes", "email:ana@example.org", "phone:+15550100199"]
    assert shown["names"] == []
    human = cli.ok("profile").out
    assert "x:ana_writes, email:ana@example.org, phone:+15550100199" in human


def test_bad_profile_changes_are_refused_and_write_nothing(cli):
    cli.now = NOW
    cli.ok("init", "--me", "x:ana_writes")
    before = snapshot(cli.db)
    for args, message in (
        (("--remove", "x:nobody"), "'x:nobody' is not one of your identities"),
        (("--add", "email:not-an-address"), "is not an e-mail address"),
        (("--add", "x:ok", "--add", "x:two words"), "is not a x handle"),
    ):
        result = cli("profile", *args)
        assert result.code == 2
        assert message in result.err
        assert snapshot(cli.db) == before


def test_an_import_uses_the_identities_given_at_init(sqlite_cli, tmp_path):
    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    tweet = {
        "id_str": "1",
        "created_at": "Wed Oct 11 09:05:00 +0000 2023",
        "full_text": "@bo hi",
        "in_reply_to_user_id_str": "5",
        "in_reply_to_screen_name": "bo",
    }
    (data / "tweet.js").write_text("window.YTD.tweet.part0 = " + json.dumps([tweet]))
    refused = sqlite_cli("import", "x", str(data.parent), now=NOW)
    assert refused.code == 2  # the archive does not say whose it is
    sqlite_cli.ok("init", "--me", "x:id:70000001", now=NOW)
    summary = sqlite_cli.json("import", "x", str(data.parent), now=NOW)
    assert summary["interactions_added"] == 1


def test_me_given_to_one_import_is_not_asked_again(cli):
    cli.now = NOW
    group = FIXTURES / "telegram" / "group_chat_export.json"
    assert cli("import", "telegram", str(group)).code == 2  # which member is you?
    first = cli.json("import", "telegram", str(group), "--me", "telegram:id:777001")
    assert first["interactions_added"] > 0
    assert "telegram:id:777001" in cli.json("profile")["handles"]
    again = cli.json("import", "telegram", str(group))
    assert again["interactions_added"] == 0
    assert again["interactions_skipped"] == first["interactions_added"]


def test_a_dry_run_remembers_nothing(sqlite_cli):
    sqlite_cli.now = NOW
    group = FIXTURES / "telegram" / "group_chat_export.json"
    sqlite_cli.ok("import", "telegram", str(group), "--me", "telegram:id:777001", "--dry-run")
    assert sqlite_cli.json("profile")["handles"] == []
