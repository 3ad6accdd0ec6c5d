"""`kith report` end to end: a small history made with add/log/invite/respond, the clock fixed
with KITH_NOW, and every number checked against a hand count (on SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from tests.conftest import snapshot

NOW = "2026-03-01T12:00:00Z"
HOSTILE = '<script>alert("x")</script> [bold]Bo[/bold] & Co'


def script(cli) -> None:
    """Four people; the calendar is UTC (the test fixtures set KITH_TZ=UTC).

    Ana Example: comment out 2025-11-21, reply in 2025-12-01 (first two-way contact), DM out
      2025-12-11, DM in 2025-12-12, coffee ask 2025-12-20 answered positive 2025-12-21,
      meeting 2025-12-31 (30 days after the first contact), DM out 2026-02-15.
    HOSTILE ("Bo"): share out 2026-02-20, DM out that is only a link 2026-02-21, DM in
      2026-02-22, call 2026-02-25; meal ask 2026-02-26 answered negative 2026-02-27.
    Di Noticed: like out 2026-02-28; call ask the same day, unanswered.
    Cy Paused: a gathering on 2025-02-01 (393 days before now, the first contact: 0 days), paused.
    """
    early = "2025-01-01T12:00:00Z"
    for name in ("Ana Example", HOSTILE, "Di Noticed", "Cy Paused"):
        cli.ok("add", name, now=early)

    def log(who: str, *args: str) -> None:
        cli.ok("log", who, *args, now=NOW)

    log(
        "Ana Example",
        "comment",
        "--out",
        "--at",
        "2025-11-21T12:00:00Z",
        "--text",
        "Lovely photo of the harbour, where was that?",
    )
    log("Ana Example", "reply", "--in", "--at", "2025-12-01T12:00:00Z")
    log(
        "Ana Example",
        "dm",
        "--out",
        "--at",
        "2025-12-11T12:00:00Z",
        "--text",
        "Coffee some time? I am near the station most days.",
    )
    log("Ana Example", "dm", "--in", "--at", "2025-12-12T12:00:00Z")
    cli.ok("invite", "Ana Example", "--kind", "coffee", now="2025-12-20T12:00:00Z")
    cli.ok(
        "respond",
        "Ana Example",
        "positive",
        "--when",
        "2025-12-31T12:00:00Z",
        now="2025-12-21T12:00:00Z",
    )
    log("Ana Example", "meeting", "--at", "2025-12-31T12:00:00Z", "--minutes", "90")
    log(
        "Ana Example",
        "dm",
        "--out",
        "--at",
        "2026-02-15T12:00:00Z",
        "--text",
        "How was the recital? I hope the Chopin went well.",
    )

    log(HOSTILE, "share", "--out", "--at", "2026-02-20T12:00:00Z")
    log(HOSTILE, "dm", "--out", "--at", "2026-02-21T12:00:00Z", "--text", "https://example.com/x")
    log(HOSTILE, "dm", "--in", "--at", "2026-02-22T12:00:00Z")
    log(HOSTILE, "call", "--at", "2026-02-25T12:00:00Z", "--minutes", "20")
    cli.ok("invite", HOSTILE, "--kind", "meal", now="2026-02-26T12:00:00Z")
    cli.ok("respond", HOSTILE, "negative", now="2026-02-27T12:00:00Z")

    log("Di Noticed", "like", "--out", "--at", "2026-02-28T09:00:00Z")
    cli.ok("invite", "Di Noticed", "--kind", "call", now="2026-02-28T10:00:00Z")

    log("Cy Paused", "gathering", "--at", "2025-02-01T18:00:00Z", "--minutes", "120")
    cli.ok("edit", "Cy Paused", "--pause", now=NOW)


def test_report_json_gives_the_hand_counted_numbers(cli):
    script(cli)
    r = cli.json("report", now=NOW)

    assert r["people"] == 4
    assert r["paused"] == 1
    # Ana: met; Bo: voice (a call); Di: noticed (a like); Cy: met (a gathering)
    assert r["by_stage"] == {
        "noticed": 1,
        "engaging": 0,
        "acquainted": 0,
        "conversing": 0,
        "voice": 1,
        "met": 2,
        "friend": 0,
        "close": 0,
    }
    assert list(r["funnel"].values()) == [4, 3, 3, 3, 3, 2, 0, 0]
    # Ana met on 2025-12-31; Cy's gathering was 393 days ago
    assert r["met_last_365d"] == 1
    assert r["met_ever"] == 2
    # Ana 30 days, Cy 0 days: median 15
    assert r["median_days_to_first_meeting"] == 15.0

    # talk: Ana's comment and her two DMs = 3; links: Bo's share and his URL-only DM = 2.
    # The meeting, the call and the gathering are shared moments; Di's like is one click.
    assert r["conversation_share"] == 0.6
    assert r["conversation"] == {
        "window_days": 365,
        "talk": 3,
        "links": 2,
        "share": 0.6,
        "all_time": {"talk": 3, "links": 2, "share": 0.6},
    }

    # last 180 days (from 2025-09-03): Ana in 3 (reply, DM, meeting) out 4 (comment, 2 DMs,
    # meeting) = 0.75; Bo in 2 (DM, call) out 3 (share, DM, call) = 0.6667; Di in 0 out 1 = 0;
    # Cy nothing. Overall 5 / 8; median of [0.75, 0.6667, 0]
    assert r["reciprocity"] == 0.625
    assert r["reciprocity_detail"] == {
        "window_days": 180,
        "inbound": 5,
        "outbound": 8,
        "ratio": 0.625,
        "median_per_person": 0.6667,
        "people": 3,
    }

    # asks: coffee (positive), meal (negative), call (pending): 1 accepted of 2 answered
    invites = r["invites"]
    assert {k: invites[k] for k in ("asked", "answered", "positive", "negative", "pending")} == {
        "asked": 3,
        "answered": 2,
        "positive": 1,
        "negative": 1,
        "pending": 1,
    }
    assert invites["neutral"] == 0
    assert invites["accepted_share"] == 0.5
    by_kind = invites["by_kind"]
    assert (by_kind["coffee"]["asked"], by_kind["coffee"]["accepted_share"]) == (1, 1.0)
    assert (by_kind["meal"]["answered"], by_kind["meal"]["accepted_share"]) == (1, 0.0)
    assert (by_kind["call"]["pending"], by_kind["call"]["accepted_share"]) == (1, None)
    assert by_kind["video"]["asked"] == by_kind["event"]["asked"] == 0

    # first time at each stage, by quarter, from 2025-Q1 (Cy's gathering) to 2026-Q1
    quarters = {q["quarter"]: q for q in r["conversions"]}
    assert list(quarters) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]

    def reached(label):
        return {k: n for k, n in quarters[label]["reached"].items() if n}

    assert reached("2025-Q1") == {"noticed": 1, "met": 1}  # Cy: straight to met
    assert reached("2025-Q2") == reached("2025-Q3") == {}
    # Ana: noticed and engaging 11-21, acquainted 12-01, conversing 12-12, met 12-31
    assert reached("2025-Q4") == {
        "noticed": 1,
        "engaging": 1,
        "acquainted": 1,
        "conversing": 1,
        "met": 1,
    }
    # Bo: noticed and engaging 02-20, conversing 02-22 (his first reply was a DM), voice
    # 02-25; Di: noticed 02-28
    assert reached("2026-Q1") == {"noticed": 2, "engaging": 1, "conversing": 1, "voice": 1}
    assert [(q["first_call"], q["first_meeting"]) for q in r["conversions"]] == [
        (0, 1),
        (0, 0),
        (0, 0),
        (0, 1),
        (1, 0),
    ]

    months = {m["month"]: m for m in r["months"]}
    assert len(months) == 24
    assert (r["months"][0]["month"], r["months"][-1]["month"]) == ("2024-04", "2026-03")
    firsts = {k: (m["first_call"], m["first_meeting"]) for k, m in months.items()}
    assert {k: v for k, v in firsts.items() if v != (0, 0)} == {
        "2025-02": (0, 1),
        "2025-12": (0, 1),
        "2026-02": (1, 0),
    }
    talk = {k: (m["talk"], m["links"], m["conversation_share"]) for k, m in months.items()}
    assert {k: v for k, v in talk.items() if v[2] is not None} == {
        "2025-11": (1, 0, 1.0),
        "2025-12": (1, 0, 1.0),
        "2026-02": (1, 2, 0.3333),
    }

    # first calls and meetings of the last 90 days, newest first
    assert [(c["person"]["name"], c["kind"], c["at"]) for c in r["recent"]] == [
        (HOSTILE, "first_call", "2026-02-25T12:00:00+00:00"),
        ("Ana Example", "first_meeting", "2025-12-31T12:00:00+00:00"),
    ]


def test_human_report_has_the_numbers_sparklines_and_the_name_as_text(sqlite_cli):
    script(sqlite_cli)
    out = sqlite_cli.ok("report", now=NOW).out
    # first meetings per month over 2024-04..2026-03: 2025-02 (Cy) and 2025-12 (Ana)
    assert "▁" * 10 + "█" + "▁" * 9 + "█" + "▁" * 3 in out
    # first calls: 2026-02 (Bo)
    assert "▁" * 22 + "█" + "▁" in out
    # conversation share: 100% in 2025-11 and 2025-12, a third in 2026-02, no data elsewhere
    assert "·" * 19 + "██·▃·" in out
    assert "60% of your outbound touches are talk (3 talk, 2 links)" in out
    assert "0.62 overall (5 in / 8 out)" in out
    assert "3 asked, 2 answered, 1 accepted (50% of answered)" in out
    assert "4 (1 paused)" in out
    assert HOSTILE in out  # printed as itself, never read as markup


def test_png_is_a_readable_image(sqlite_cli, tmp_path: Path):
    from PIL import Image

    script(sqlite_cli)
    target = tmp_path / "report.png"
    result = sqlite_cli.ok("report", "--png", str(target), now=NOW)
    assert str(target) in result.out
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(target) as image:
        assert image.format == "PNG"
        assert image.size == (1000, 940)
        # not a blank canvas: the bars and text use many colours
        assert len(image.convert("RGB").getcolors(maxcolors=100_000) or ()) > 20

    import matplotlib.image

    pixels = matplotlib.image.imread(target)
    assert pixels.shape[:2] == (940, 1000)


def test_html_page_is_self_contained_with_the_numbers_and_names_escaped(sqlite_cli, tmp_path: Path):
    script(sqlite_cli)
    target = tmp_path / "report.html"
    sqlite_cli.ok("report", "--html", str(target), now=NOW)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # the hostile name appears escaped, never as markup
    assert html.escape(HOSTILE) in page
    assert "<script" not in page
    assert HOSTILE not in page
    # nothing fetched from elsewhere: no scripts, no style sheets, no remote images
    assert "<link" not in page
    assert re.findall(r'(?:src|href)="(?!#|data:)', page) == []
    # the charts are inline SVG, one measure each, captioned by the page, scaled by the page
    assert page.count("<svg") == 3
    for caption in ("People by the furthest stage reached", "Conversation share, per month"):
        assert f">{caption}</figcaption>" in page
    assert page.count('class="y-axis"') == 2  # first calls and meetings; the share
    assert re.findall(r"<svg [^>]*\b(?:width|height)=", page) == []
    assert page.count('viewBox="0 0 400 ') == 3
    # the numbers
    assert "<dd>4 (1 paused)</dd>" in page
    assert "60% (3 talk, 2 links)" in page
    assert "<dd>15</dd>" in page  # median days to a first meeting
    assert "0.62 overall (5 in / 8 out); median person 0.67" in page
    assert "3 asked, 2 answered, 1 accepted (50% of answered)" in page
    assert "<td>2026-Q1</td><td>2</td><td>1</td><td>0</td><td>1</td><td>1</td>" in page


def test_json_with_files_keeps_stdout_pure_json(sqlite_cli, tmp_path: Path):
    script(sqlite_cli)
    png, page = tmp_path / "r.png", tmp_path / "r.html"
    result = sqlite_cli.ok("report", "--json", "--png", str(png), "--html", str(page), now=NOW)
    assert result.json()["people"] == 4
    assert str(png) in result.err
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_empty_base_reports_zeros(cli):
    cli.ok("init", now=NOW)
    r = cli.json("report", now=NOW)
    assert r["people"] == 0
    assert r["median_days_to_first_meeting"] is None
    assert r["conversation_share"] is None
    assert r["reciprocity"] is None
    assert r["invites"]["accepted_share"] is None
    assert "kith report" in cli.ok("report", now=NOW).out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--png", "{tmp}/missing/report.png"), "does not exist"),
        (("--html", "{tmp}"), "needs a file name"),
        (("--png", "{tmp}/same", "--html", "{tmp}/same"), "two different files"),
    ],
)
def test_bad_targets_are_one_sentence_and_write_nothing(
    sqlite_cli, sqlite_db, tmp_path: Path, args, message
):
    sqlite_cli.ok("add", "Ana Example", now=NOW)
    before = snapshot(sqlite_db)
    files_before = sorted(tmp_path.rglob("*"))
    result = sqlite_cli("report", *(a.format(tmp=tmp_path) for a in args), now=NOW)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""
    assert sorted(tmp_path.rglob("*")) == files_before
    assert snapshot(sqlite_db) == before


def test_small_batches_give_the_same_report(db_url, cli):
    """The service streams histories a batch at a time; the batch size changes nothing."""
    from datetime import UTC, datetime

    from kith.api import Kith
    from kith.services import report as service

    script(cli)
    seen: list[tuple[int, int]] = []
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    with Kith(db_url, clock_fn=lambda: moment) as base, base.unit() as (connection, ctx):
        whole = service.as_json(service.build(connection, ctx))
        batched = service.as_json(
            service.build(connection, ctx, lambda done, total: seen.append((done, total)), batch=3)
        )
    assert batched == whole
    assert whole == cli.json("report", now=NOW)
    # progress after each batch of 3 and at the end
    assert seen == [(3, 4), (4, 4)]
