"""What each source can see (docs/path.md): declarations that match the importers, and rules
that read no silence into a source that could not have shown an answer."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from kith.api import Kith
from kith.domain.coverage import SHARED
from kith.domain.model import Channel, Direction
from kith.ingest.base import ImportFailed, Options
from kith.ingest.coverage import SOURCE_VIEWS
from kith.ingest.records import Touch
from kith.ingest.registry import SOURCES, get

FIXTURES = Path(__file__).parent.parent / "fixtures"
X_OLD = FIXTURES / "x" / "old_layout"
NOW = "2026-11-26T12:00:00Z"
#: fixture folders holding each source's files
FOLDERS = {
    "x": ["x"],
    "linkedin": ["linkedin"],
    "mastodon": ["mastodon"],
    "bluesky": ["bluesky"],
    "facebook": ["facebook"],
    "instagram": ["instagram"],
    "telegram": ["telegram"],
    "whatsapp": ["whatsapp"],
    "vcard": ["vcard"],
    "ics": ["ics"],
    "mbox": ["mbox"],
}


def test_every_import_source_declares_what_it_sees():
    assert set(SOURCE_VIEWS) == set(SOURCES) - {"kith-json"}  # a backup keeps its sources


def _seen(source: str) -> dict[tuple[str, Direction], int]:
    """(channel, direction) of every touch the importer yields from its fixtures."""
    importer = get(source)
    found: dict[tuple[str, Direction], int] = defaultdict(int)
    for folder in FOLDERS[source]:
        for path in sorted((FIXTURES / folder).iterdir()):
            try:
                if not importer.identify(path):
                    continue
                for record in importer.extract(path, Options()):
                    if isinstance(record, Touch):
                        found[(record.channel.value, record.direction)] += 1
            except ImportFailed:
                continue  # a fixture of a refusal, or one that needs --me
    return found


@pytest.mark.parametrize("source", sorted(SOURCE_VIEWS))
def test_declarations_cover_what_each_importer_yields(source):
    view = SOURCE_VIEWS[source]
    seen = _seen(source)
    if source == "vcard":
        assert seen == {}  # an address book holds no interaction
        return
    assert seen, f"no {source} fixture imported"
    for channel, direction in seen:
        declared = view.sees.get(Channel(channel), frozenset())
        if direction is Direction.BOTH:
            assert declared == SHARED, (source, channel)
        else:
            assert direction in declared, (source, channel, direction)


def _base(tmp_path: Path) -> Kith:
    return Kith(f"sqlite:///{tmp_path / 'kith.sqlite'}", clock_fn=lambda: _now())


def _now():
    from datetime import datetime

    return datetime.fromisoformat(NOW.replace("Z", "+00:00"))


def test_an_x_archive_of_replies_and_mentions_asks_no_one_to_slow_down(tmp_path):
    with _base(tmp_path) as base:
        base.init(timezone="UTC")
        summary = base.import_file("x", X_OLD)
        assert summary["interactions_added"] > 30
        lena = next(p["id"] for p in base.people() if p["name"] == "@lena_b")
        base.edit(str(lena), circle=3)  # so that the agenda has something to say
        items = base.today(limit=50)
        assert [(i["person"]["name"], i["action"]) for i in items] == [("@lena_b", "engage")]
        assert "no reply from them recorded" in items[0]["reason"]
        assert all(i["action"] != "slow_down" for i in items)
        assert all("nothing back" not in i["reason"] for i in items)
        for row in base.people():
            shown = base.show(str(row["id"]))
            assert shown["slow_down"] is False
            assert shown["pace"] == "pace is fine"
            assert shown["next"] is None or shown["next"]["action"] != "slow_down"
            assert "your X archive holds only one side of" in shown["coverage"]


def test_the_same_history_logged_by_hand_as_unanswered_dms_asks_to_slow_down(tmp_path):
    """Touches logged by hand show both sides: five unanswered ones in a row are a run."""
    from kith.ingest.records import Contact
    from kith.ingest.x import IMPORTER

    records = list(IMPORTER.extract(X_OLD, Options(me=("x:id:70000001",))))
    names = {r.key: r.name for r in records if isinstance(r, Contact)}
    touches = [r for r in records if isinstance(r, Touch) and r.channel.value != "follow"]
    with _base(tmp_path) as base:
        base.init(timezone="UTC")
        for key in sorted({t.contact for t in touches}):
            base.add(str(names[key]), handles=[key.replace("x:", "x:id:")])
        for t in touches:
            base.log(t.contact.replace("x:", "x:id:"), "dm", "out", at=t.occurred_at)
        items = {i["person"]["name"]: i for i in base.today(limit=50)}
    tomo = items["Tomo Watanabe"]  # six mentions, no answer: by hand, that is a run
    assert tomo["action"] == "slow_down"
    assert tomo["reason"].startswith("your last 6 touches got nothing back")
    sam = items["Sam Kowalski"]  # six this week against one a week before
    assert sam["action"] == "slow_down"
    assert sam["reason"].startswith("6 touches from you in the last 7 days")
    # the others' last touches are weeks old: an old run is no longer worth a warning
    slow = {name for name, i in items.items() if i["action"] == "slow_down"}
    assert slow == {"Tomo Watanabe", "Sam Kowalski", "Priya Raman"}
