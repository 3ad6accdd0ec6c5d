"""One acquaintance across five exports becomes one person holding everything (issue 3).

A vCard lists Dana's e-mail and X profile; then an X archive, a LinkedIn export, an mbox
and a calendar each hold exchanges with her. After importing all five: one Dana, with every
identity and every interaction; a second round of imports adds nothing.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.conftest import CLI
from tests.ingest.contract import NOW

ME = "80000000"
DANA_ID = "777"


def vcard(root: Path) -> Path:
    path = root / "contacts.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Reyes\r\nN:Reyes;Dana;;;\r\n"
        "EMAIL;TYPE=INTERNET:dana@example.org\r\nURL:https://x.com/DanaReyes\r\n"
        "ORG:Northwind Media\r\nEND:VCARD\r\n"
    )
    return path


def x_archive(root: Path) -> Path:
    def js(name: str, variable: str, items: list) -> tuple[str, str]:
        return f"data/{name}", f"window.YTD.{variable} = " + json.dumps(items, indent=2)

    tweet = {
        "id_str": "1001",
        "created_at": "Mon Mar 04 10:00:00 +0000 2024",
        "full_text": "@danareyes loved your piece on local news",
        "in_reply_to_user_id_str": DANA_ID,
        "in_reply_to_screen_name": "danareyes",
        "entities": {
            "user_mentions": [
                {"id_str": DANA_ID, "screen_name": "danareyes", "name": "Dana Reyes"}
            ],
            "urls": [],
        },
    }
    dms = [
        {
            "dmConversation": {
                "conversationId": f"{DANA_ID}-{ME}",
                "messages": [
                    {
                        "messageCreate": {
                            "id": "2002",
                            "senderId": DANA_ID,
                            "recipientId": ME,
                            "text": "Thanks! Are you in Chicago next month?",
                            "createdAt": "2024-03-05T09:00:00.000Z",
                        }
                    },
                    {
                        "messageCreate": {
                            "id": "2001",
                            "senderId": ME,
                            "recipientId": DANA_ID,
                            "text": "Great piece, would love to compare notes",
                            "createdAt": "2024-03-04T18:00:00.000Z",
                        }
                    },
                ],
            }
        }
    ]
    files = [
        js(
            "account.js",
            "account.part0",
            [{"account": {"accountId": ME, "username": "samexample"}}],
        ),
        js("tweets.js", "tweets.part0", [{"tweet": tweet}]),
        js("direct-messages.js", "direct_messages.part0", dms),
    ]
    path = root / "twitter.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files:
            z.writestr(name, text)
    return path


def linkedin(root: Path) -> Path:
    connections = (
        "Notes:\n"
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."\n\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Dana,Reyes,https://www.linkedin.com/in/dana-reyes,dana@example.org,Northwind Media,"
        "Editor,12 Mar 2024\n"
    )
    messages = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER,ATTACHMENTS\n"
        "c1,,Dana Reyes,https://www.linkedin.com/in/dana-reyes,Sam Example,"
        "https://www.linkedin.com/in/sam-example,2024-03-13 09:00:00 UTC,,"
        '"Thanks for connecting!",INBOX,\n'
        "c1,,Sam Example,https://www.linkedin.com/in/sam-example,Dana Reyes,"
        "https://www.linkedin.com/in/dana-reyes,2024-03-13 10:00:00 UTC,,"
        '"Likewise, see you at the summit",INBOX,\n'
    )
    path = root / "linkedin.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Connections.csv", connections)
        z.writestr("messages.csv", messages)
    return path


def mbox(root: Path) -> Path:
    path = root / "mail.mbox"
    path.write_text(
        "From 1@xxx Thu Mar 14 10:00:00 +0000 2024\n"
        "X-Gmail-Labels: Inbox\n"
        "Message-ID: <m1@example.org>\n"
        "Date: Thu, 14 Mar 2024 10:00:00 +0000\n"
        "From: Dana Reyes <Dana@Example.org>\n"
        "To: Sam Example <sam@example.com>\n"
        "Subject: Coffee?\n\n"
        "Shall we meet for a coffee next week?\n\n"
        "From 2@xxx Thu Mar 14 12:00:00 +0000 2024\n"
        "X-Gmail-Labels: Sent\n"
        "Message-ID: <m2@example.com>\n"
        "Date: Thu, 14 Mar 2024 12:00:00 +0000\n"
        "From: Sam Example <sam@example.com>\n"
        "To: Dana Reyes <dana@example.org>\n"
        "Subject: Re: Coffee?\n\n"
        "Tuesday at nine works for me.\n\n"
    )
    return path


def calendar(root: Path) -> Path:
    path = root / "calendar.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "X-WR-CALNAME:sam@example.com\r\n"
        "BEGIN:VEVENT\r\nUID:coffee-1@example.com\r\nDTSTAMP:20240301T000000Z\r\n"
        "DTSTART:20240319T140000Z\r\nDTEND:20240319T150000Z\r\nSUMMARY:Coffee with Dana\r\n"
        "ORGANIZER;CN=Sam Example:mailto:sam@example.com\r\n"
        "ATTENDEE;CN=Dana Reyes;PARTSTAT=ACCEPTED:mailto:dana@example.org\r\n"
        "ATTENDEE;CN=Sam Example;PARTSTAT=ACCEPTED:mailto:sam@example.com\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return path


def import_all(cli: CLI, root: Path) -> list[dict]:
    me = ("--me", "sam@example.com")
    return [
        cli.json("import", "vcard", str(vcard(root)), *me, now=NOW),
        cli.json("import", "x", str(x_archive(root)), now=NOW),
        cli.json("import", "linkedin", str(linkedin(root)), now=NOW),
        cli.json("import", "mbox", str(mbox(root)), *me, now=NOW),
        cli.json("import", "ics", str(calendar(root)), *me, now=NOW),
    ]


def test_one_acquaintance_across_five_exports_is_one_person(cli, tmp_path):
    summaries = import_all(cli, tmp_path)
    assert [s["people_created"] for s in summaries] == [1, 0, 0, 0, 0]
    (dana,) = cli.json("people", now=NOW)
    shown = cli.json("show", f"#{dana['id']}", now=NOW)
    assert shown["name"] == "Dana Reyes"
    assert {(i["platform"], i["handle"]) for i in shown["identities"]} == {
        ("email", "dana@example.org"),
        ("x", "danareyes"),
        ("x", f"id:{DANA_ID}"),
        ("linkedin", "dana-reyes"),
    }
    channels = sorted(
        (t["channel"], t["direction"]) for t in cli.json("show", "x:danareyes", now=NOW)["recent"]
    )
    assert channels == sorted(
        [
            ("reply", "out"),
            ("dm", "out"),
            ("dm", "in"),  # X
            ("follow", "in"),
            ("dm", "in"),
            ("dm", "out"),  # LinkedIn
            ("email", "in"),
            ("email", "out"),  # mbox
            ("meeting", "both"),  # calendar
        ]
    )
    assert shown["stage"] == "met"
    for handle in ("email:dana@example.org", "linkedin:dana-reyes", f"x:id:{DANA_ID}"):
        assert cli.json("show", handle, now=NOW)["id"] == dana["id"]

    again = import_all(cli, tmp_path)
    assert [s["interactions_added"] for s in again] == [0, 0, 0, 0, 0]
    assert [s["people_created"] for s in again] == [0, 0, 0, 0, 0]
    assert len(cli.json("people", now=NOW)) == 1
