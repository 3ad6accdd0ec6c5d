"""The WhatsApp importer: records from exported chats, and `kith import whatsapp`."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kith.domain import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.records import Contact, Handle, Me, Note, Record, Touch
from kith.ingest.whatsapp import IMPORTER, DateEvidence, DateOrder, Header
from tests.conftest import CLI
from tests.ingest.contract import imports_cleanly, refuses, truncated, wrong_format, zipped

FIXTURES = Path(__file__).parent.parent / "fixtures" / "whatsapp"
ANA = FIXTURES / "WhatsApp Chat with Ana Example.txt"
PHONE = FIXTURES / "WhatsApp Chat with +1 555 010 0199.txt"
HIKING = FIXTURES / "WhatsApp Chat with Hiking Friends.txt"
BIG = FIXTURES / "WhatsApp Chat with Big Group.txt"
IOS_GROUP = FIXTURES / "synthetic_ios_12h__chat.txt"
ANDROID_SAMPLE = FIXTURES / "synthetic_android_12h_WhatsApp Chat with Ana Example.txt"
CHATMINER = sorted(FIXTURES.glob("chatminer_test_*.txt"))
FAMILY = FIXTURES / "WhatsApp Chat with Family Trip 2024.txt"
IOS_FAMILY = FIXTURES / "ios_family_trip"


def records(path: Path, *me: str, tz: str = "Europe/Lisbon") -> list[Record]:
    return list(IMPORTER.extract(path, Options(me=me, tz=tz)))


def notes(found: list[Record]) -> list[str]:
    return [r.text for r in found if isinstance(r, Note)]


def touches(found: list[Record]) -> list[Touch]:
    return [r for r in found if isinstance(r, Touch)]


def contacts(found: list[Record]) -> dict[str, Contact]:
    return {r.key: r for r in found if isinstance(r, Contact)}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def ios_zip(tmp_path: Path) -> Path:
    """The iPhone export as the phone shares it: `_chat.txt` and the media, zipped."""
    return zipped(FIXTURES / "ios_bo", tmp_path, "WhatsApp Chat - Bo Example.zip")


# -- one-to-one chats ------------------------------------------------------------------------
def test_android_chat_with_ana():
    found = records(ANA)
    assert [r for r in found if isinstance(r, Me)] == [
        Me((Handle("whatsapp", "name:Ben Sample"),), "Ben Sample")
    ]
    assert contacts(found) == {
        "whatsapp:name:ana example": Contact(
            "whatsapp:name:ana example",
            "Ana Example",
            (Handle("whatsapp", "name:Ana Example"),),
        )
    }
    assert [(t.direction, t.text) for t in touches(found)] == [
        (Direction.IN, "Good morning! Coffee on Friday?"),
        (Direction.OUT, "Yes!\nWhere do you want to meet?"),  # a message on two lines
        (Direction.IN, None),  # <Media omitted>
        (Direction.IN, "ok"),
        (Direction.IN, "ok"),
        (Direction.IN, None),  # deleted: it was sent, its text is gone
        (Direction.IN, "the view from the top"),  # a photo's caption
        (Direction.OUT, "see you: at the station at 10"),
        (Direction.IN, "summer time in Lisbon"),
    ]  # the encryption notice and the security-code line are system lines
    assert {t.channel for t in touches(found)} == {Channel.CHAT}


def test_local_times_become_utc_with_the_given_zone():
    lisbon = touches(records(ANA, tz="Europe/Lisbon"))
    assert lisbon[0].occurred_at == utc("2024-01-15T09:12")  # winter: UTC+0
    assert lisbon[-1].occurred_at == utc("2024-07-15T20:05")  # summer: UTC+1
    new_york = touches(records(ANA, tz="America/New_York"))
    assert new_york[0].occurred_at == utc("2024-01-15T14:12")
    # the ids come from the file, not from the zone it is read in
    assert [t.external_id for t in lisbon] == [t.external_id for t in new_york]


def test_ids_are_stable_and_identical_lines_stay_distinct():
    first = [t.external_id for t in touches(records(ANA))]
    assert first == [t.external_id for t in touches(records(ANA))]
    assert len(set(first)) == len(first)  # the two "ok" at 09:15 are two touches


def test_iphone_zip_with_media_calls_and_marks(tmp_path):
    found = records(ios_zip(tmp_path))
    assert [r.handles for r in found if isinstance(r, Me)] == [
        (Handle("whatsapp", "name:Ben Sample"),)
    ]
    assert list(contacts(found)) == ["whatsapp:name:bo example"]
    got = [(t.channel, t.direction, t.text, t.minutes) for t in touches(found)]
    assert got == [
        (Channel.CHAT, Direction.IN, "Hey, it's Bo", None),
        (Channel.CHAT, Direction.OUT, "Hi Bo!", None),
        (Channel.CHAT, Direction.IN, None, None),  # <attached: ...>
        (Channel.CHAT, Direction.IN, None, None),  # image omitted
        (Channel.CALL, Direction.BOTH, None, 0),  # missed voice call
        (Channel.CALL, Direction.BOTH, None, 12),
        (Channel.CHAT, Direction.IN, "great talking", None),  # the edit mark removed
        (Channel.CHAT, Direction.IN, "Location: https://maps.google.com/?q=38.7,-9.1", None),
        (Channel.CHAT, Direction.OUT, None, None),  # you deleted this message
    ]
    # 12-hour clock with U+202F, and a day over 12: day first, even on a 12-hour clock
    assert touches(found)[0].occurred_at == utc("2024-01-14T20:05:10")
    assert touches(found)[-1].occurred_at == utc("2024-01-15T00:15")


def test_the_folder_gives_what_the_zip_gives(tmp_path):
    assert records(FIXTURES / "ios_bo") == records(ios_zip(tmp_path))


def test_a_partner_known_by_number():
    found = records(PHONE)
    (cy,) = contacts(found).values()
    assert cy.key == "whatsapp:+15550100199"
    assert cy.handles == (Handle("whatsapp", "+15550100199"), Handle("phone", "+15550100199"))
    assert [(t.direction, t.occurred_at) for t in touches(found)] == [
        (Direction.IN, utc("2024-01-15T09:12")),
        (Direction.OUT, utc("2024-01-15T09:13")),
        (Direction.IN, utc("2024-01-15T12:30")),  # 12:30 PM
    ]


def test_android_sample_month_first_12_hour():
    found = touches(records(ANDROID_SAMPLE))
    assert [(t.direction, t.text, t.occurred_at) for t in found] == [
        (Direction.IN, "Hi!", utc("2021-10-14T14:34")),  # 3:34 PM, Lisbon summer time
        (Direction.OUT, None, utc("2021-10-14T14:35")),
        (Direction.OUT, "line one\nline two", utc("2021-10-14T14:36")),
        (Direction.IN, None, utc("2021-10-14T14:37")),  # IMG-....jpg (file attached)
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # nothing decides: day first on a 24-hour clock, month first on a 12-hour one
        (
            "ambiguous_24h_WhatsApp Chat with Dee Example.txt",
            ["2024-04-03T09:00", "2024-04-03T09:05"],
        ),
        (
            "ambiguous_12h_WhatsApp Chat with Dee Example.txt",
            ["2024-03-04T10:00", "2024-03-04T22:05"],
        ),
        (
            "old_ios_WhatsApp Chat with Eve Example.txt",
            ["2016-07-01T15:56:55", "2016-07-13T16:08:08"],
        ),
        ("WhatsApp-Chat mit Fay Example.txt", ["2024-01-15T09:12", "2024-01-15T09:13"]),
    ],
)
def test_locale_formats(name, expected):
    found = records(FIXTURES / name)
    assert [t.occurred_at for t in touches(found)] == [utc(e) for e in expected]
    assert [t.direction for t in touches(found)] == [Direction.IN, Direction.OUT]
    assert len(contacts(found)) == 1


def test_chatminer_formats_agree():
    """chat-miner's four spellings of one chat (day first, month first, 12-hour with
    "a. m."/"p. m.", year first; two-digit years) read as the same messages."""
    read = [touches(records(path, "John Doe")) for path in CHATMINER]
    assert len(read) == 4
    for other in read[1:]:
        assert other == read[0]
    assert [(t.contact, t.occurred_at, t.text) for t in read[0]] == [
        (
            "whatsapp:name:jahn doe",
            utc("2019-01-30T20:49"),
            "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero.",
        ),
        ("whatsapp:name:john-john doe", utc("2020-06-10T14:55"), "Lorem ipsum : dolor sit amet."),
        ("whatsapp:name:john doe 🤓", utc("2021-12-10T10:10"), "Lorem ipsum 🤓"),
        ("whatsapp:name:🤓", utc("2021-12-20T12:10"), "Lorem ipsum 🤓"),
    ]  # John Doe's own messages, "created group" and "You were added" are not touches


# -- groups ----------------------------------------------------------------------------------
def test_a_small_group_gives_each_member_their_own_messages():
    with pytest.raises(ImportFailed, match="pass --me"):
        records(HIKING)
    found = records(HIKING, "Ben Sample")
    assert [(t.contact, t.direction, t.text) for t in touches(found)] == [
        ("whatsapp:name:ana example", Direction.IN, "Saturday hike?"),
        ("whatsapp:name:cy example", Direction.IN, "me too"),
        ("whatsapp:+447700900123", Direction.IN, "who's driving?"),
    ]  # Ben's own message is not attributed; the subject change is a system line
    assert set(contacts(found)) == {
        "whatsapp:name:ana example",
        "whatsapp:name:cy example",
        "whatsapp:+447700900123",
    }
    assert touches(records(HIKING, "whatsapp:name:Ben Sample")) == touches(found)


def test_the_user_named_by_phone_number():
    found = records(HIKING, "+44 7700 900123")
    assert [r for r in found if isinstance(r, Me)] == [
        Me((Handle("whatsapp", "+447700900123"), Handle("phone", "+447700900123")))
    ]
    assert [t.contact for t in touches(found)] == [
        "whatsapp:name:ana example",
        "whatsapp:name:ben sample",
        "whatsapp:name:cy example",
    ]


def test_iphone_group_with_the_group_as_sender_of_system_lines():
    with pytest.raises(ImportFailed, match="pass --me"):
        records(IOS_GROUP)
    found = records(IOS_GROUP, "Ben Sample")
    assert [(t.contact, t.text) for t in touches(found)] == [
        ("whatsapp:name:ana example", "Hi all!"),
        ("whatsapp:name:ana example", "Second paragraph of a multi-line\nmessage continues here."),
        ("whatsapp:name:ana example", None),  # This message was deleted.
    ]
    assert list(contacts(found)) == ["whatsapp:name:ana example"]


def test_a_large_group_is_left_out_with_a_note() -> None:
    for found in (records(BIG), records(BIG, "Ben Sample")):
        assert touches(found) == []
        assert notes(found) == [
            "WhatsApp Chat with Big Group.txt is a group of more than 8 people (11 of them "
            "wrote in it); kith imports groups of up to 8, so it was left out."
        ]


def test_two_senders_and_no_way_to_tell_who_is_the_user(tmp_path):
    chat = tmp_path / "_chat.txt"
    chat.write_text("15/01/2024, 09:12 - Ana: hi\n15/01/2024, 09:13 - Bo: hello\n")
    with pytest.raises(ImportFailed, match="cannot tell whether you are Ana or Bo"):
        records(chat)
    assert [t.direction for t in touches(records(chat, "Bo"))] == [Direction.IN, Direction.OUT]


# -- group exports: WhatsApp's own lines, chats kith cannot attribute ----------------------------
FAMILY_TOUCHES = [
    ("whatsapp:name:ana example", "Welcome! Dates are 14-21 July, the cabin by the lake"),
    ("whatsapp:name:cy example", "Same here"),
    ("whatsapp:name:dee example", "Can we bring the dog?"),
    ("whatsapp:name:eve example", None),  # media
    ("whatsapp:name:fay example", "Hi everyone!"),
    ("whatsapp:+447700900456", "Hi all, it's Gus (new number)"),
    ("whatsapp:name:hal example", "Evening! Who's driving?"),
    ("whatsapp:name:eve example", "new phone, same me"),
]


def _without_marks(folder: Path, tmp_path: Path) -> Path:
    """The iPhone export with its U+200E marks gone (as some tools that pass it on leave it)."""
    out = tmp_path / "WhatsApp Chat - Family Trip 2024"
    out.mkdir()
    text = (folder / "_chat.txt").read_text(encoding="utf-8")
    (out / "_chat.txt").write_text(text.replace("\u200e", ""), encoding="utf-8")
    return out / "_chat.txt"


@pytest.mark.parametrize("export", ["android", "iphone", "iphone without marks"])
def test_a_group_of_eight_whose_name_signs_the_encryption_notice(
    export: str, tmp_path: Path
) -> None:
    """The group's name writes the encryption notice (and, on iPhone, the group events): it is
    no one, so this group of 8 (the user included) stays within the limit."""
    if export == "android":
        path = FAMILY
    elif export == "iphone":
        path = zipped(IOS_FAMILY, tmp_path, "WhatsApp Chat - Family Trip 2024.zip")
    else:
        path = _without_marks(IOS_FAMILY, tmp_path)
    found = records(path, "Ben Sample")
    assert [(t.contact, t.direction, t.text) for t in touches(found)] == [
        (contact, Direction.IN, text) for contact, text in FAMILY_TOUCHES
    ]
    assert "whatsapp:name:family trip 2024" not in contacts(found)
    assert len(contacts(found)) == 7
    assert notes(found) == []
    with pytest.raises(ImportFailed, match=r"none of its senders \(.*\) is known to be you"):
        records(path)


SYSTEM_LINES = [
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them. Tap to learn more.",
    "Messages and calls are end-to-end encrypted. Only people in this chat can read, listen "
    "to, or share them. Learn more.",
    "Messages to this group are now secured with end-to-end encryption. Tap for more info.",
    "Messages you send to this group are now secured with end-to-end encryption.",
    "Messages to this chat and calls are now secured with end-to-end encryption.",
    "You were added",
    "You created group \u201cWeekend\u201d",
    'Ana Example created group "Weekend"',
    "Ana Example added Cy Example",
    "Ana Example added you",
    "Ana Example removed Cy Example",
    "Cy Example left",
    'Ana Example changed the subject from "A" to "Weekend"',
    "Ana Example changed this group's icon",
    "Ana Example changed the group description",
    "Cy Example joined using this group's invite link",
    "Cy Example changed their phone number to a new number. Tap to message or add the new number.",
    "Cy Example's security code changed. Tap to learn more.",
    "Your security code with Cy Example changed. Tap to learn more.",
    "Ana Example turned on disappearing messages. New messages will disappear from this chat "
    "7 days after they're sent, except when kept. Tap to change.",
    "You turned off disappearing messages.",
    "You're now an admin",
]


@pytest.mark.parametrize("line", SYSTEM_LINES)
@pytest.mark.parametrize("prefix", ["", "Weekend: "])
def test_whatsapp_system_lines_are_no_senders_and_no_messages(
    line: str, prefix: str, tmp_path: Path
) -> None:
    chat = tmp_path / "WhatsApp Chat with Weekend.txt"
    chat.write_text(
        f"12/01/2024, 09:00 - {prefix}{line}\n"
        "12/01/2024, 09:01 - Ana Example: hi all\n"
        "13/01/2024, 09:02 - Cy Example: hello\n"
        "13/01/2024, 09:03 - Ben Sample: hey\n",
        encoding="utf-8",
    )
    found = records(chat, "Ben Sample")
    assert [(t.contact, t.text) for t in touches(found)] == [
        ("whatsapp:name:ana example", "hi all"),
        ("whatsapp:name:cy example", "hello"),
    ]
    assert set(contacts(found)) == {"whatsapp:name:ana example", "whatsapp:name:cy example"}


def test_a_member_may_write_what_looks_like_a_group_event(tmp_path: Path) -> None:
    """Only WhatsApp's own lines are left out: a member who writes "Bo left" is heard (a name
    that only ever writes such lines is the group's)."""
    chat = tmp_path / "WhatsApp Chat with Weekend.txt"
    chat.write_text(
        "12/01/2024, 09:00 - Weekend: Ana Example added Cy Example\n"
        "12/01/2024, 09:01 - Ana Example: hi all\n"
        "13/01/2024, 09:02 - Ana Example: Bo left\n"
        "13/01/2024, 09:03 - Cy Example: I added salt\n"
        "13/01/2024, 09:04 - Cy Example: and pepper\n"
        "13/01/2024, 09:05 - Ben Sample: hey\n",
        encoding="utf-8",
    )
    found = records(chat, "Ben Sample")
    assert [t.text for t in touches(found)] == ["hi all", "Bo left", "I added salt", "and pepper"]
    assert "whatsapp:name:weekend" not in contacts(found)


def test_a_group_without_you_is_left_out_with_a_note_once_you_are_known(
    tmp_path: Path,
) -> None:
    chat = tmp_path / "WhatsApp Chat with Weekend.txt"
    chat.write_text(
        '12/01/2024, 09:00 - Ana Example created group "Weekend"\n'
        "12/01/2024, 09:01 - Ana Example: hi all\n"
        "13/01/2024, 09:02 - Cy Example: hello\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match=r"\(Ana Example, Cy Example\).*pass --me"):
        records(chat)
    found = records(chat, "Ben Sample")
    assert touches(found) == []
    assert notes(found) == [
        "WhatsApp Chat with Weekend.txt was left out: none of its senders (Ana Example, "
        "Cy Example) is you as --me or earlier imports know you; if you wrote in it, import it "
        "again with --me and your name as this chat shows it."
    ]


def test_a_chat_that_gives_nothing_says_so(tmp_path: Path) -> None:
    only_notices = tmp_path / "WhatsApp Chat with Weekend.txt"
    only_notices.write_text(
        "12/01/2024, 09:00 - Weekend: Messages and calls are end-to-end encrypted. No one "
        "outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn "
        'more.\n12/01/2024, 09:00 - Ana Example created group "Weekend"\n'
        "12/01/2024, 09:00 - Ana Example added you\n",
        encoding="utf-8",
    )
    for me in ((), ("Ben Sample",)):
        found = records(only_notices, *me)
        assert [r for r in found if not isinstance(r, Me)] == [
            Note(
                "WhatsApp Chat with Weekend.txt holds no message from anyone, only WhatsApp's "
                "own notices; nothing to import."
            )
        ]
    only_you = tmp_path / "WhatsApp Chat with Quiet Group.txt"
    only_you.write_text(
        "12/01/2024, 09:00 - Ana Example added you\n13/01/2024, 09:01 - Ben Sample: hello?\n",
        encoding="utf-8",
    )
    found = records(only_you, "Ben Sample")
    assert touches(found) == []
    assert notes(found) == [
        "WhatsApp Chat with Quiet Group.txt: no message in it can be attributed to anyone but "
        "you; nothing was imported from it."
    ]
    lone = tmp_path / "_chat.txt"  # no name to say who the chat is with
    lone.write_text("[13/01/2024, 09:01:00] Ben Sample: hello?\n", encoding="utf-8")
    found = records(lone, "Ben Sample")
    assert touches(found) == []
    assert notes(found) == [
        "_chat.txt: only you wrote in it and its name does not say who the chat is with; "
        "nothing was imported from it (keep the name WhatsApp gives the file)."
    ]


def test_cli_imports_a_group_export_and_says_what_it_leaves_out(sqlite_cli: CLI) -> None:
    sentence = refuses(sqlite_cli, "whatsapp", FAMILY, "pass --me")
    assert "Ana Example, Ben Sample, Cy Example" in sentence
    summary = imports_cleanly(sqlite_cli, "whatsapp", FAMILY, "--me", "Ben Sample")
    assert (summary["people_created"], summary["interactions_added"]) == (7, 8)
    assert summary["warnings"] == []
    names = sorted(p["name"] for p in sqlite_cli.json("people"))
    assert "Family Trip 2024" not in names
    assert len(names) == 7
    # a group too large: exit 0, nothing added, and the user is told why
    result = sqlite_cli("import", "whatsapp", str(BIG))
    assert result.code == 0, result.err
    assert "0 interactions added" in result.out
    assert (
        "Note: WhatsApp Chat with Big Group.txt is a group of more than 8 people (11 of them "
        "wrote in it); kith imports groups of up to 8, so it was left out."
    ) in " ".join(result.err.split())


# -- dates -----------------------------------------------------------------------------------
def header(a: str, b: str, c: str, ampm: str | None = None) -> Header:
    return Header(1, a, b, c, 9, 0, 0, ampm, "x: y")


@pytest.mark.parametrize(
    ("dates", "ampm", "order"),
    [
        ([("13", "01", "24"), ("01", "02", "24")], None, DateOrder.DMY),
        ([("01", "13", "24"), ("02", "01", "24")], "PM", DateOrder.MDY),
        ([("01", "13", "24")], None, DateOrder.MDY),  # evidence beats the clock habit
        ([("13", "01", "24")], "PM", DateOrder.DMY),
        ([("2024", "01", "15")], None, DateOrder.YMD),
        ([("01", "02", "24")], None, DateOrder.DMY),
        ([("01", "02", "24")], "AM", DateOrder.MDY),
    ],
)
def test_date_order_is_inferred_from_the_whole_file(dates, ampm, order):
    evidence = DateEvidence()
    for a, b, c in dates:
        evidence.add(header(a, b, c, ampm))
    assert evidence.order("chat.txt") is order


def test_an_impossible_date_is_refused_naming_its_line(tmp_path):
    chat = tmp_path / "WhatsApp Chat with Ana.txt"
    chat.write_text("15/01/2024, 09:12 - Ana: hi\n31/02/2024, 09:13 - Ana: hello\n")
    with pytest.raises(ImportFailed, match="line 2: '31/02/2024' is not a date"):
        records(chat)


def test_a_lone_chat_file_takes_its_partner_from_its_folder(tmp_path):
    folder = tmp_path / "WhatsApp Chat - Bo Example"
    shutil.copytree(FIXTURES / "ios_bo", folder)
    assert records(folder / "_chat.txt") == records(FIXTURES / "ios_bo")
    (folder / "_chat.txt").write_text("[14/01/2024, 20:06:00] Ben Sample: Hi Bo!\n")
    assert [(t.contact, t.direction) for t in touches(records(folder / "_chat.txt"))] == [
        ("whatsapp:name:bo example", Direction.OUT)
    ]


def test_contradicting_dates_are_refused():
    with pytest.raises(ImportFailed, match="mixes day-first and month-first"):
        records(FIXTURES / "mixed_orders.txt")


def test_identify():
    assert IMPORTER.identify(ANA)
    assert IMPORTER.identify(FIXTURES / "ios_bo")
    assert IMPORTER.identify(FIXTURES / "chatminer_test_mmddyy_24hrs.txt")
    assert not IMPORTER.identify(FIXTURES.parent / "telegram" / "group_chat_export.json")


# -- through the CLI -------------------------------------------------------------------------
def test_import_chat_in_lisbon(cli):
    summary = imports_cleanly(cli, "whatsapp", ANA, "--tz", "Europe/Lisbon")
    assert (summary["people_created"], summary["interactions_added"]) == (1, 9)
    ana = cli.json("show", "whatsapp:name:Ana Example")
    assert ana["name"] == "Ana Example"
    assert ana["identities"] == [{"platform": "whatsapp", "handle": "name:ana example"}]
    assert ana["counts"] == {"in": 7, "out": 2}
    assert ana["stage"] == "conversing"
    times = sorted(r["at"] for r in ana["recent"])
    assert times[0] == "2024-01-15T09:12:00+00:00"
    assert times[-1] == "2024-07-15T20:05:00+00:00"  # 21:05 Lisbon summer time
    assert [p["name"] for p in cli.json("people")] == ["Ana Example"]


def test_import_zip_then_the_user_is_known(cli, tmp_path):
    imports_cleanly(cli, "whatsapp", ios_zip(tmp_path))
    bo = cli.json("show", "whatsapp:name:Bo Example")
    assert bo["stage"] == "voice"  # the 12-minute call; the missed one does not count
    # Ben Sample was learnt as the user: a group chat now needs no --me
    group = cli.json("import", "whatsapp", str(HIKING))
    assert (group["people_created"], group["interactions_added"]) == (3, 3)
    assert cli.json("show", "phone:+447700900123")["counts"] == {"in": 1, "out": 0}


def test_a_number_links_to_the_same_phone_elsewhere(sqlite_cli):
    sqlite_cli.ok("add", "Cy Example", "--handle", "phone:+1 555 010 0199")
    summary = sqlite_cli.json("import", "whatsapp", str(PHONE))
    assert (summary["people_created"], summary["people_matched"]) == (0, 1)
    cy = sqlite_cli.json("show", "Cy Example")
    assert {i["platform"] for i in cy["identities"]} == {"phone", "whatsapp"}


def test_a_folder_of_chats_imports_each(sqlite_cli, tmp_path):
    folder = tmp_path / "chats"
    folder.mkdir()
    for chat in (ANA, PHONE):
        shutil.copy(chat, folder / chat.name)
    summary = imports_cleanly(sqlite_cli, "whatsapp", folder)
    assert (summary["people_created"], summary["interactions_added"]) == (2, 12)


def test_refusals(sqlite_cli, tmp_path):
    refuses(sqlite_cli, "whatsapp", wrong_format(tmp_path), "does not look like")
    refuses(sqlite_cli, "whatsapp", truncated(ios_zip(tmp_path), tmp_path), "damaged or incomplete")
    refuses(sqlite_cli, "whatsapp", FIXTURES / "mixed_orders.txt", "mixes day-first")
    refuses(sqlite_cli, "whatsapp", HIKING, "pass --me")
    refuses(sqlite_cli, "whatsapp", ANA, "Unknown time zone", "--tz", "Mars/Olympus")


def test_a_cut_text_file_imports_the_messages_it_still_has(sqlite_cli, tmp_path):
    """A .txt has no end marker: a cut one is read up to where it stops, and importing the
    whole file later adds only the rest."""
    data = ANA.read_bytes()
    cut = tmp_path / ANA.name
    cut.write_bytes(data[: data.index(b"\n", len(data) // 2) + 1])  # cut between two lines
    first = sqlite_cli.json("import", "whatsapp", str(cut))
    whole = sqlite_cli.json("import", "whatsapp", str(ANA))
    assert first["interactions_added"] + whole["interactions_added"] == 9
    assert whole["interactions_skipped"] == first["interactions_added"]


def test_one_person_spelt_two_ways_is_not_taken_for_the_user(cli, tmp_path):
    """Found by fuzzing: in a chat with Ana where the user's own lines were unreadable,
    'Ana ExamplE' was taken for the user (the chat's name says it is with 'Ana Example'),
    and the user's identities then held Ana's own handle."""
    chat = tmp_path / "WhatsApp Chat with Ana Example.txt"
    chat.write_text(
        "15/01/2024, 09:12 - Ana Example: Good morning! Coffee on Friday?\n"
        "15/01/2024, 09:15 - Ana ExamplE: ok\n"
        "15/07/2024, 21:05 - Ana Example: summer time in Lisbon\n",
        "utf-8",
    )
    cli.ok("init", "--tz", "Europe/Lisbon")
    imports_cleanly(cli, "whatsapp", chat, "--tz", "Europe/Lisbon")
    profile = cli.json("profile")
    assert "whatsapp:name:ana example" not in profile["handles"], profile
    assert not any(n.lower() == "ana example" for n in profile["names"]), profile
