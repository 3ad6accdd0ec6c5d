"""What each import source can see, per channel (docs/path.md, "What each source can see").

One entry per source of `kith.ingest.registry`, kept in this small table (rather than on
the importer classes) because every command that reads the base needs it, while an
importer module is loaded only to import. A test keeps the two tables in step and checks
each declaration against what the importer really yields.
"""

from __future__ import annotations

from functools import cache

from kith.domain.coverage import BOTH_WAYS, IN_ONLY, OUT_ONLY, SHARED, Coverage, SourceView
from kith.domain.model import Channel

C = Channel

SOURCE_VIEWS: dict[str, SourceView] = {
    # the user's own tweets; DMs both ways; group DMs: the others' messages only
    "x": SourceView(
        "your X archive",
        {
            C.REPLY: OUT_ONLY,
            C.MENTION: OUT_ONLY,
            C.SHARE: OUT_ONLY,
            C.DM: BOTH_WAYS,
            C.CHAT: IN_ONLY,
            C.FOLLOW: BOTH_WAYS,
        },
    ),
    # connections, messages both ways, invitations; group messages: the others' only
    "linkedin": SourceView(
        "your LinkedIn export",
        {C.FOLLOW: BOTH_WAYS, C.DM: BOTH_WAYS, C.CHAT: IN_ONLY},
    ),
    # the outbox: everything in it is the user's own doing
    "mastodon": SourceView(
        "your Mastodon archive",
        {
            C.REPLY: OUT_ONLY,
            C.MENTION: OUT_ONLY,
            C.SHARE: OUT_ONLY,
            C.LIKE: OUT_ONLY,
            C.DM: OUT_ONLY,
        },
    ),
    # the repository: the user's own records only
    "bluesky": SourceView(
        "your Bluesky repository",
        {
            C.REPLY: OUT_ONLY,
            C.MENTION: OUT_ONLY,
            C.SHARE: OUT_ONLY,
            C.LIKE: OUT_ONLY,
            C.FOLLOW: OUT_ONLY,
        },
    ),
    # Messenger both ways; friends (no direction); the user's own comments
    "facebook": SourceView(
        "your Facebook export",
        {
            C.CHAT: BOTH_WAYS,
            C.LIKE: BOTH_WAYS,
            C.CALL: SHARED,
            C.VIDEO: SHARED,
            C.FOLLOW: IN_ONLY,
            C.COMMENT: OUT_ONLY,
            C.REPLY: OUT_ONLY,
        },
    ),
    # direct messages both ways (groups: the others' messages only); followers and
    # following; the user's own comments
    "instagram": SourceView(
        "your Instagram export",
        {
            C.DM: BOTH_WAYS,
            C.CHAT: IN_ONLY,
            C.LIKE: BOTH_WAYS,
            C.CALL: SHARED,
            C.VIDEO: SHARED,
            C.FOLLOW: BOTH_WAYS,
            C.COMMENT: OUT_ONLY,
        },
    ),
    "telegram": SourceView("your Telegram export", {C.CHAT: BOTH_WAYS, C.CALL: SHARED}),
    "whatsapp": SourceView(
        "your WhatsApp chat", {C.CHAT: BOTH_WAYS, C.CALL: SHARED, C.VIDEO: SHARED}
    ),
    # an address book holds people, not interactions
    "vcard": SourceView("your address book", {}),
    "ics": SourceView("your calendar", {C.MEETING: SHARED, C.GATHERING: SHARED, C.VIDEO: SHARED}),
    "mbox": SourceView("your mailbox", {C.EMAIL: BOTH_WAYS}),
}


#: what a source sees once a sync source reads the same account continuously (docs/sync.md):
#: a Mastodon account's notifications hold the other side that its archive lacks
SYNCED_VIEWS: dict[str, SourceView] = {
    "mastodon": SourceView(
        "your Mastodon account",
        {C.REPLY: BOTH_WAYS, C.MENTION: BOTH_WAYS, C.SHARE: BOTH_WAYS, C.LIKE: BOTH_WAYS,
         C.DM: BOTH_WAYS},
    ),
    "bluesky": SourceView(
        "your Bluesky account",
        {C.REPLY: BOTH_WAYS, C.MENTION: BOTH_WAYS, C.SHARE: BOTH_WAYS, C.LIKE: BOTH_WAYS,
         C.FOLLOW: BOTH_WAYS},
    ),
}  # fmt: skip


@cache
def coverage(synced: frozenset[str] = frozenset()) -> Coverage:
    """The views of every import source; touches from any other source (logged by hand,
    gatherings, the demo) are taken to show both sides. `synced`: the sources a sync source
    also reads (kith.sync), whose view may then be wider. Made once per set."""
    views = {**SOURCE_VIEWS, **{s: SYNCED_VIEWS[s] for s in synced if s in SYNCED_VIEWS}}
    return Coverage(views)
