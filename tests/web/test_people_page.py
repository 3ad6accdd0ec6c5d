"""The People page for everyone: accent- and case-insensitive search in SQL on both back
ends, a name order that puts "Zoë" beside "Zoe", filters that apply as you type, sort
controls that agree, a "possible duplicate" badge, adding a person and merging two after a
preview: through the app (no browser) and in Chromium (Playwright)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import create_engine, text

from kith.api import Kith
from kith.domain.names import fold
from kith.errors import CircleFullError
from kith.store import database, migrate
from tests.web.browsing import BROWSER, Live, Tab, expect
from tests.web.conftest import FIXTURES, HOSTILE_NAME, Web, clock

NAMES_ROW = re.compile(r'<td data-label="Name" class="name"><a href="/people/(\d+)"[^>]*>([^<]*)<')


def listed(html: str) -> list[str]:
    """The names of the People rows of a page, as shown."""
    return [
        name.replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'")
        for _pid, name in NAMES_ROW.findall(html)
    ]


def header(html: str, label: str) -> str:
    """The `<th>` of the column `label`."""
    found = re.search(r"<th [^>]*>(?:(?!</th>).)*>" + label + r"\b(?:(?!</th>).)*</th>", html)
    assert found, label
    return found.group(0)


# -- search and order in SQL, on SQLite and PostgreSQL -------------------------------------
PEOPLE = [
    "Zoe Zhang",
    "Zoë Adams",
    "zoe alves",
    "Chloé Evans",
    "CHLOE Kim",
    "Anders Ångström",
    "Søren Kierkegaard",
    "O'Brien Tara",
    "Jean-Luc Moreau",
    "Ana Example",
    "Ánh Nguyễn",
    "Łukasz Nowak",
]


def _base_with(url: str, names: list[str]) -> Kith:
    base = Kith(url, clock_fn=clock)
    for name in names:
        base.add(name)
    return base


def test_search_ignores_case_accents_and_punctuation_on_each_backend(db_url: str) -> None:
    with _base_with(db_url, PEOPLE) as base:

        def found(search: str) -> set[str]:
            return {r["name"] for r in base.people(search=search)}

        assert found("chloe") == {"Chloé Evans", "CHLOE Kim"}
        assert found("CHLOÉ") == {"Chloé Evans", "CHLOE Kim"}
        assert found("angstrom") == {"Anders Ångström"}
        assert found("Ångström") == {"Anders Ångström"}
        assert found("soren") == {"Søren Kierkegaard"}
        assert found("lukasz") == {"Łukasz Nowak"}
        assert found("nguyen") == {"Ánh Nguyễn"}
        assert found("obrien") == found("o'brien") == {"O'Brien Tara"}
        assert found("jean luc") == found("jean-luc") == {"Jean-Luc Moreau"}
        assert found("zoe") == {"Zoe Zhang", "Zoë Adams", "zoe alves"}
        assert found("100%") == set()  # LIKE's wildcards are text
        assert base.count_people(search="chloe") == 2
        # the CLI's "did you mean" suggestions fold the same way
        with pytest.raises(Exception, match="Did you mean: Chloé Evans"):
            base.show("chloe nobody")


def test_names_sort_by_their_letters_the_same_on_each_backend(db_url: str) -> None:
    with _base_with(db_url, PEOPLE) as base:
        by_name = [r["name"] for r in base.people(sort="name")]
        # "Zoë Adams" sits with the other Zoes, before "Zoe Zhang", not after it
        assert by_name[-3:] == ["Zoë Adams", "zoe alves", "Zoe Zhang"]
        assert by_name[:3] == ["Ana Example", "Anders Ångström", "Ánh Nguyễn"]
        assert by_name == sorted(by_name, key=lambda n: (fold(n), n.casefold()))
        assert base.people_order(sort="name") == [r["id"] for r in base.people(sort="name")]
        # a rename moves the person in the list and in searches
        base.edit("Ana Example", name="Émile Zola")
        assert [r["name"] for r in base.people(search="emile")] == ["Émile Zola"]
        renamed = [r["name"] for r in base.people(sort="name")]
        assert renamed[renamed.index("CHLOE Kim") + 1] == "Émile Zola"  # among the E's


#: the expected order of `PEOPLE` by name, spelled out once (SQLite and PostgreSQL agree)
EXPECTED_ORDER = [
    "Ana Example",
    "Anders Ångström",
    "Ánh Nguyễn",
    "Chloé Evans",
    "CHLOE Kim",
    "Jean-Luc Moreau",
    "Łukasz Nowak",
    "O'Brien Tara",
    "Søren Kierkegaard",
    "Zoë Adams",
    "zoe alves",
    "Zoe Zhang",
]


def test_the_order_by_name_is_spelled_out(db_url: str) -> None:
    with _base_with(db_url, PEOPLE) as base:
        assert [r["name"] for r in base.people(sort="name")] == EXPECTED_ORDER


def test_an_older_base_gets_its_folded_names_when_it_upgrades(db_url: str) -> None:
    from alembic import command

    engine = database.create(db_url)
    try:
        with engine.begin() as c:
            command.upgrade(migrate._alembic_config(c), "0005")
        with engine.begin() as c:
            for n, name in enumerate(["Chloé Xu", "Zoë Adams", "Zoe Zhang", "🙂"], start=1):
                c.execute(
                    text(
                        "INSERT INTO people (id, name, name_key, paused, created_at) "
                        "VALUES (:id, :name, :key, false, '2026-01-01 00:00:00')"
                    ),
                    {"id": n, "name": name, "key": name.casefold()},
                )
        assert migrate.upgrade(engine) is True
        with engine.connect() as c:
            folded = dict(c.execute(text("SELECT name, name_fold FROM people")).all())
        assert folded == {
            "Chloé Xu": "chloe xu",
            "Zoë Adams": "zoe adams",
            "Zoe Zhang": "zoe zhang",
            "🙂": "🙂",
        }
    finally:
        engine.dispose()
    with Kith(db_url, clock_fn=clock) as base:
        assert [r["name"] for r in base.people(search="chloe")] == ["Chloé Xu"]
        assert [r["name"] for r in base.people(search="🙂")] == ["🙂"]
        assert [r["name"] for r in base.people(sort="name")] == [
            "Chloé Xu",
            "Zoë Adams",
            "Zoe Zhang",
            "🙂",
        ]


def test_imports_and_restores_write_the_folded_name_too(db_url: str, tmp_path: Path) -> None:
    with Kith(db_url, clock_fn=clock) as base:
        base.import_file("vcard", FIXTURES / "vcard" / "outlook_android_v21.vcf")
        assert [r["name"] for r in base.people(search="jurgen muller")] == ["Jürgen Müller"]
        saved = io.StringIO()
        base.export_json(saved)
        path = tmp_path / "saved.json"
        path.write_text(saved.getvalue(), encoding="utf-8")
    other = tmp_path / "restored.sqlite"
    with Kith(f"sqlite:///{other}", clock_fn=clock) as restored:
        restored.import_file("kith-json", path)
        assert [r["name"] for r in restored.people(search="JURGEN")] == ["Jürgen Müller"]


def test_the_order_by_name_and_the_search_read_an_index(sqlite_db: str) -> None:
    """At 100,000 people the order by name reads the index of folded names in order (no
    sort of the table), and a search scans that narrow index rather than every row."""
    with _base_with(sqlite_db, PEOPLE) as base:
        base.people(limit=1)
    engine = create_engine(sqlite_db)
    try:
        with engine.connect() as c:

            def plan(sql: str) -> str:
                return " ".join(
                    str(row[-1]) for row in c.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
                )

            ordered = plan("SELECT id FROM people ORDER BY name_fold, id")
            searched = plan("SELECT id FROM people WHERE name_fold LIKE '%chloe%'")
        assert "ix_people_name_fold_id" in ordered
        assert "TEMP B-TREE" not in ordered
        assert "COVERING INDEX ix_people_name_fold_id" in searched
    finally:
        engine.dispose()


# -- the page, through the app -------------------------------------------------------------
@pytest.fixture
def accented(base: Kith) -> Kith:
    for name in ("Zoë Adams", "Anders Ångström", "Chloé Martin", "CHLOÉ DUPONT"):
        base.add(name)
    return base


def test_the_page_finds_chloe_and_angstrom(web: Web, accented: Kith) -> None:
    everyone = [r["name"] for r in accented.people()]
    expected = sorted(n for n in everyone if "chlo" in n.casefold())
    assert len(expected) >= 3
    assert all("chloé" in n.casefold() for n in expected)  # every one of them with the accent
    assert sorted(listed(web.get("/people?q=chloe").text)) == expected
    assert listed(web.get("/people?q=angstrom").text) == ["Anders Ångström"]
    zoes = listed(web.get("/people?q=zoe&sort=name").text)
    assert zoes[0] == "Zoë Adams"  # next to the other Zoes, first by surname
    assert zoes == sorted(zoes, key=fold)


def test_the_sorted_column_says_so_and_the_sort_list_agrees(web: Web) -> None:
    by_name = web.get("/people?sort=name").text
    assert 'aria-sort="ascending"' in header(by_name, "Name")
    assert "▲" in header(by_name, "Name")
    assert "aria-sort" not in header(by_name, "Tie strength")
    assert re.search(r'<option value="name" selected>name, A to Z</option>', by_name)
    assert by_name.count("aria-sort=") == 1
    default = web.get("/people").text
    assert 'aria-sort="descending"' in header(default, "Tie strength")
    assert "▼" in header(default, "Tie strength")
    assert re.search(r'<option value="strength" selected>', default)
    recent = web.get("/people?sort=recent").text
    assert 'aria-sort="descending"' in header(recent, "Last contact")


def test_a_header_link_updates_the_filters_form_too(web: Web) -> None:
    results = {"HX-Target": "people-results"}
    clicked = web.get(
        "/people?sort=name&stage=conversing",
        htmx=True,
        headers={**results, "HX-Trigger": "sort-name"},
    )
    assert "<html" not in clicked.text
    form = re.search(r'<form id="people-filters"[^>]*>', clicked.text)
    assert form
    assert 'hx-swap-oob="true"' in form.group(0)
    assert '<option value="name" selected>' in clicked.text
    assert '<option value="conversing" selected>' in clicked.text
    assert 'id="people-count" hx-swap-oob="innerHTML"' in clicked.text
    assert clicked.headers["hx-push-url"] == "/people?stage=conversing&sort=name"
    typed = web.get(
        "/people?q=ana&tag=", htmx=True, headers={**results, "HX-Trigger": "people-filters"}
    )
    assert 'id="people-filters"' not in typed.text  # the form being typed in stays as it is
    assert 'id="people-count" hx-swap-oob="innerHTML"' in typed.text
    assert typed.headers["hx-push-url"] == "/people?q=ana"


def test_filters_apply_as_you_type_and_can_be_cleared(web: Web) -> None:
    page = web.get("/people").text
    form = re.search(r'<form id="people-filters"[^>]*>', page, re.S)
    assert form
    trigger = re.search(r'hx-trigger="([^"]*)"', form.group(0))
    assert trigger
    assert "input changed delay:350ms from:(#people-filters input)" in trigger.group(1)
    assert "change from:(#people-filters select)" in trigger.group(1)
    assert "Clear filters" not in page  # nothing to clear
    crew = web.get("/people?tag=crew&sort=name").text
    clear = re.search(r'<a id="clear-filters"[^>]*>Clear filters</a>', crew)
    assert clear
    assert 'href="/people?sort=name"' in clear.group(0)
    nobody = web.get("/people?q=nobody+at+all").text
    assert "No one matches." in nobody
    assert 'id="clear-filters"' in nobody
    cleared = web.get(
        "/people", htmx=True, headers={"HX-Target": "people-results", "HX-Trigger": "clear-filters"}
    ).text
    assert re.search(r'<input id="q"[^>]*autofocus', cleared)


def test_possible_duplicates_carry_a_badge_that_leads_to_the_merge(web: Web, base: Kith) -> None:
    pairs = base.duplicates(1000)
    assert pairs
    first = pairs[0]
    a, b = first["a"]["id"], first["b"]["id"]
    page = web.get(f"/people?q={first['a']['name']}").text
    assert f'href="/people/merge?a={a}&amp;b={b}"' in page
    assert "possible duplicate" in page
    listing = web.get("/people/duplicates").text
    assert f'href="/people/merge?a={a}&amp;b={b}"' in listing
    assert "Review and merge" in listing
    assert f"{len(pairs)} possible duplicates" in web.get("/people").text


def test_adding_a_person_goes_to_their_page(web: Web, base: Kith) -> None:
    form = {
        "name": "  Maya   Ångström ",
        "city": "Lisbon",
        "tags": "climbing, PyCon,",
        "circle": "3",
    }
    done = web.post("/people/new", form, htmx=False)
    assert done.status_code == 303
    pid = int(done.headers["location"].rsplit("/", 1)[1])
    shown = base.show(f"#{pid}")
    assert shown["name"] == "Maya Ångström"
    assert shown["city"] == "Lisbon, PT"
    assert shown["circle"] == 3
    assert sorted(shown["tags"]) == ["climbing", "pycon"]
    with_htmx = web.post("/people/new", {"name": "Ilse Öberg"})
    assert with_htmx.status_code == 200
    assert with_htmx.headers["hx-redirect"] == f"/people/{base.person_id('Ilse Öberg')}"


def test_adding_says_what_the_cli_says(web: Web, base: Kith) -> None:
    before = base.count_people()
    empty = web.post("/people/new", {"name": "   "})
    assert empty.status_code == 200  # the form again, in place
    assert "A person needs a name." in empty.text
    assert "autofocus" in empty.text
    # the circle cap: the same sentence as `kith add --circle 1`
    message, added = None, 0
    for n in range(10):
        try:
            base.add(f"Close Friend {n}", circle=1)
            added += 1
        except CircleFullError as exc:
            message = exc.message
            break
    assert message
    full = web.post("/people/new", {"name": "One Too Many", "circle": "1"})
    assert str(escape(message)) in full.text
    # an ambiguous city: its candidates, to choose from
    ambiguous = web.post("/people/new", {"name": "Pat Portland", "city": "Portland"})
    assert "could be several cities" in ambiguous.text
    choices = re.findall(r'name="city_choice" value="([^"]+)"', ambiguous.text)
    assert "Portland, OR, US" in choices
    assert "Portland, ME, US" in choices
    assert 'value="Pat Portland"' in ambiguous.text  # what was typed is kept
    chosen = web.post(
        "/people/new",
        {"name": "Pat Portland", "city": "Portland", "city_choice": "Portland, ME, US"},
    )
    assert chosen.status_code == 200
    assert base.show("Pat Portland")["city"] == "Portland, ME, US"
    # without JavaScript, the form comes back on a page of its own
    plain = web.post("/people/new", {"name": ""}, htmx=False)
    assert plain.status_code == 422
    assert "<html" in plain.text
    assert "A person needs a name." in plain.text
    assert base.count_people() == before + added + 1  # the circle's, and Pat


def test_merging_previews_both_records_then_joins_them(web: Web, base: Kith) -> None:
    keep = base.add("Aisha Becker", handles=["x:aisha_b"], city="Berlin", tags=["climbing"])
    base.log(f"#{keep['id']}", "dm", direction="in", text="hi")
    base.log(f"#{keep['id']}", "dm", direction="out", text="hello")
    gone = base.add("aisha becker", handles=["email:aisha@example.org"], tags=["pycon"], circle=4)
    base.log(f"#{gone['id']}", "dm", direction="in", text="from the other record")
    a, b = sorted((keep["id"], gone["id"]))
    preview = web.get(f"/people/merge?a={b}&b={a}")
    assert preview.status_code == 200
    html = preview.text
    # the record with more history is kept, unless asked otherwise
    assert f'name="keep" value="{keep["id"]}"' in html
    assert f'name="gone" value="{gone["id"]}"' in html
    for shown in ("x:aisha_b", "email:aisha@example.org", "Berlin, DE", "climbing", "pycon"):
        assert shown in html
    assert "2 interactions" in html
    assert "1 interaction," in html
    assert "3 interactions" in html  # after the merge
    assert f"from #{gone['id']}" in html  # the circle comes from the other record
    swapped = web.get(f"/people/merge?a={a}&b={b}&keep={gone['id']}").text
    assert f'name="keep" value="{gone["id"]}"' in swapped
    assert web.get(f"/people/merge?a={a}&b={b}&keep=424242").status_code == 422
    # what the preview says is what the merge does
    said = base.merge_preview(f"#{keep['id']}", f"#{gone['id']}")
    done = web.post("/people/merge", {"keep": keep["id"], "gone": gone["id"]}, htmx=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/people/duplicates?merged={keep['id']}"
    after = base.show(f"#{keep['id']}")
    assert after["name"] == "Aisha Becker"
    assert sorted(f"{h['platform']}:{h['handle']}" for h in after["identities"]) == sorted(
        said["merged"]["handles"]
    )
    assert sorted(after["tags"]) == said["merged"]["tags"] == ["climbing", "pycon"]
    assert after["circle"] == said["merged"]["circle"] == 4
    assert after["counts"]["in"] + after["counts"]["out"] == 3
    with pytest.raises(Exception, match="No person with id"):
        base.show(f"#{gone['id']}")
    landed = web.get(done.headers["location"]).text
    assert "now holds both records" in landed
    assert re.search(r'<p class="flash ok" role="status" tabindex="-1" autofocus>', landed)
    # a pair that no longer exists is one sentence
    assert web.get(f"/people/merge?a={keep['id']}&b={gone['id']}").status_code == 404


def test_not_the_same_person_leaves_the_list_with_an_undo(web: Web, base: Kith) -> None:
    a = base.add("Tomás Ferreira")["id"]
    b = base.add("tomas ferreira")["id"]
    assert "pill duplicate" in web.get("/people?q=ferreira").text
    pair = f'Tomás Ferreira</a> <span class="muted">#{a}</span>'
    assert pair in web.get("/people/duplicates").text
    preview = web.get(f"/people/merge?a={a}&b={b}").text
    assert 'action="/people/not-same"' in preview
    done = web.post("/people/not-same", {"a": a, "b": b}, htmx=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/people/duplicates?apart={a},{b}"
    landed = web.get(done.headers["location"]).text
    assert "are different people; they are not suggested again" in landed
    assert 'action="/people/same-maybe"' in landed  # the Undo
    assert pair not in landed
    assert all({p["a"]["id"], p["b"]["id"]} != {a, b} for p in base.duplicates())
    # the People list's badge goes too
    assert "pill duplicate" not in web.get("/people?q=ferreira").text
    undone = web.post("/people/same-maybe", {"a": a, "b": b}, htmx=False)
    assert undone.headers["location"] == f"/people/duplicates?again={a},{b}"
    again = web.get(undone.headers["location"]).text
    assert "may be suggested as one person again" in again
    assert pair in again
    assert web.post("/people/not-same", {"a": a, "b": a}, htmx=False).status_code == 422


def test_people_can_be_added_merged_kept_apart_and_forgotten_as_json(
    web: Web, client: Any, base: Kith
) -> None:
    added = web.api("/api/people", {"name": "Lena Vogel", "tags": ["climbing"], "circle": 3})
    assert added.status_code == 200
    lena = added.json()
    assert (lena["name"], lena["tags"], lena["circle"]) == ("Lena Vogel", ["climbing"], 3)
    twin = web.api("/api/people", {"name": "lena vogel", "handles": ["x:lenav"]}).json()
    other = web.api("/api/people", {"name": "Léna Vogel"}).json()
    pairs = client.get("/api/people/duplicates").json()
    assert {(p["a"]["id"], p["b"]["id"]) for p in pairs} >= {
        (lena["id"], twin["id"]),
        (lena["id"], other["id"]),
    }
    apart = web.api("/api/people/not-same", {"a": other["id"], "b": lena["id"]}).json()
    assert apart == {
        "a": {"id": other["id"], "name": "Léna Vogel"},
        "b": {"id": lena["id"], "name": "Lena Vogel"},
        "changed": True,
    }
    assert (lena["id"], other["id"]) not in {
        (p["a"]["id"], p["b"]["id"]) for p in client.get("/api/people/duplicates").json()
    }
    undone = web.api("/api/people/not-same", {"a": other["id"], "b": lena["id"], "undo": True})
    assert undone.json()["changed"] is True
    merged = web.api("/api/people/merge", {"keep": lena["id"], "gone": twin["id"]}).json()
    assert [f"{h['platform']}:{h['handle']}" for h in merged["identities"]] == ["x:lenav"]
    assert client.get(f"/api/people/{twin['id']}").status_code == 404
    bad = web.api("/api/people", {"name": "Someone", "circle": 9})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("Circle")
    no_token = client.delete(f"/api/people/{other['id']}")
    assert no_token.status_code == 403
    gone = client.delete(f"/api/people/{other['id']}", headers={"X-CSRF-Token": web.token})
    assert gone.json() == {"id": other["id"], "name": "Léna Vogel"}
    assert client.get(f"/api/people/{other['id']}").status_code == 404


def test_writes_need_the_token_and_gets_change_nothing(
    web: Web, client: Any, base: Kith, demo_url: str
) -> None:
    from tests.conftest import snapshot

    pair = base.duplicates(1)[0]
    a, b = pair["a"]["id"], pair["b"]["id"]
    for path in ("/people/duplicates", f"/people/merge?a={a}&b={b}", "/people/new"):
        assert web.get(path).status_code == 200
    before = snapshot(demo_url)
    for path in ("/people/duplicates", f"/people/merge?a={a}&b={b}", "/people/new"):
        web.get(path)
    assert snapshot(demo_url) == before
    forged = [
        client.post("/people/new", data={"name": "Forged"}),
        client.post("/people/merge", data={"keep": a, "gone": b}),
        client.post("/people/merge", data={"keep": a, "gone": b, "csrf_token": "0" * 64}),
    ]
    assert [r.status_code for r in forged] == [403, 403, 403]
    assert snapshot(demo_url) == before


def test_hostile_names_stay_text_in_the_badge_the_list_and_the_preview(
    web: Web, base: Kith
) -> None:
    twin = base.add(HOSTILE_NAME.upper(), handles=["x:hostile_two"])
    hostile = base.person_id("x:hostile")
    pages = [
        web.get("/people?q=script").text,
        web.get("/people/duplicates").text,
        web.get(f"/people/merge?a={hostile}&b={twin['id']}").text,
        web.post("/people/new", {"name": HOSTILE_NAME, "city": "<b>Portland</b>"}).text,
    ]
    for html in pages:
        assert "<script>alert(1)</script>" not in html
        assert "<SCRIPT>ALERT(1)</SCRIPT>" not in html
        assert "<b>Portland</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2]
    assert "possible duplicate" in pages[0]


# -- in the browser ------------------------------------------------------------------------
def in_browser(test: Any) -> Any:
    """A test that drives Chromium (the `live`, `browser` and `tab` fixtures of conftest)."""
    for mark in BROWSER:
        test = mark(test)
    return test


def _names(page: Any) -> list[str]:
    return [
        n.strip() for n in page.locator("table.people td.name > a:first-child").all_inner_texts()
    ]


def _nav_bottom(page: Any) -> float:
    return float(
        page.evaluate("document.querySelector('header.top').getBoundingClientRect().bottom")
    )


@in_browser
def test_search_finds_chloe_and_angstrom_as_you_type(tab: Tab, live: Live) -> None:
    for name in ("Anders Ångström", "Zoë Adams", "Chloé Martin", "CHLOÉ DUPONT"):
        live.base.add(name)
    chloes = sorted(r["name"] for r in live.base.people(search="chloe"))
    assert len(chloes) >= 3
    assert all("chloé" in n.casefold() for n in chloes)
    page = tab.page
    page.goto("/people")
    tab.mark()
    page.locator("#q").press_sequentially("chloe", delay=30)
    n = len(chloes)
    expect(page.locator("#people-count")).to_contain_text(f"1–{n} of {n} people matching")
    assert sorted(_names(page)) == chloes
    tab.shoot("people-search")
    page.locator("#q").fill("angstrom")
    expect(page.locator("#people-count")).to_contain_text("1–1 of 1 person matching")
    assert _names(page) == ["Anders Ångström"]
    expect(page.locator("#q")).to_be_focused()  # typing was never interrupted
    page.locator("#q").fill("zo")
    page.locator("#people-sort").select_option("name")
    expect(page.locator("th[aria-sort]")).to_contain_text("Name")
    names = _names(page)
    zoes = [n for n in names if fold(n).startswith("zoe")]
    first = names.index(zoes[0])
    assert names[first : first + len(zoes)] == zoes  # together, "Zoë" among them
    assert zoes[0] == "Zoë Adams"
    assert tab.still_same_page()


@in_browser
def test_a_tag_filter_applies_without_enter_and_clear_filters_resets(tab: Tab) -> None:
    page = tab.page
    page.goto("/people?sort=name")
    tab.mark()
    page.locator("#people-tag").press_sequentially("crew", delay=40)
    expect(page.locator("#people-count")).to_contain_text("matching")
    expect(page.get_by_text(HOSTILE_NAME, exact=True)).to_be_visible()
    assert "tag=crew" in page.url
    assert "sort=name" in page.url
    page.locator("#people-tag").fill("no-such-tag")
    expect(page.locator("#people-count")).to_contain_text("No one matches.")
    clear = page.locator("#people-count").get_by_role("link", name="Clear filters")
    expect(clear).to_be_visible()
    tab.shoot("people-no-match")
    clear.click()
    expect(page.locator("#people-count")).not_to_contain_text("matching")
    expect(page.locator("#people-tag")).to_have_value("")
    expect(page.locator("#people-sort")).to_have_value("name")  # the sort stays
    expect(page.locator("#q")).to_be_focused()
    assert page.url.endswith("/people?sort=name")
    assert tab.still_same_page()


@in_browser
def test_header_sort_and_sort_list_agree_and_stay_in_view(tab: Tab) -> None:
    page = tab.page
    page.goto("/people")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Tie strength")
    tab.mark()
    page.locator("#sort-name").click()
    expect(page.locator("#people-sort")).to_have_value("name")
    expect(page.locator("th[aria-sort]")).to_have_count(1)
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Name ▲")
    expect(page.locator("#sort-name")).to_be_focused()  # the keyboard stays where it was
    names = _names(page)
    assert names == sorted(names, key=fold)
    page.locator("#people-sort").select_option("recent")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Last contact ▼")
    expect(page.locator("th[aria-sort]")).to_have_count(1)
    # paging from the foot of the list: the count and the header show below the top bar
    page.locator("#page-next").scroll_into_view_if_needed()
    page.locator("#page-next").click()
    expect(page.locator("#people-count")).to_contain_text("51–100")
    page.wait_for_timeout(200)
    count_top = page.locator("#people-count").bounding_box()["y"]
    assert count_top >= _nav_bottom(page), "the count hides under the top bar"
    assert "page=2" in page.url
    assert "sort=recent" in page.url
    page.mouse.wheel(0, 900)
    page.wait_for_timeout(200)
    head = page.locator("table.people thead th").first.bounding_box()
    assert head["y"] >= _nav_bottom(page) - 1, "the table header hides under the top bar"
    assert head["y"] <= _nav_bottom(page) + 2, "the table header does not stay in view"
    page.evaluate("window.scrollTo(0, 0)")
    tab.shoot("people-sorted")
    assert tab.still_same_page()


@in_browser
def test_add_a_person_choosing_among_cities(tab: Tab, live: Live) -> None:
    page = tab.page
    page.goto("/people")
    page.get_by_text("Add a person").click()
    form = page.locator("#people-add")
    form.locator("input[name=name]").fill("Maya Ångström")
    form.locator("input[name=city]").fill("Portland")
    form.locator("input[name=tags]").fill("climbing, pycon")
    form.locator("select[name=circle]").select_option("3")
    form.get_by_role("button", name="Add the person").click()
    error = page.locator("#people-add-error")
    expect(error).to_contain_text("could be several cities")
    expect(error).to_be_focused()
    tab.shoot("people-add")
    page.get_by_label("Portland, OR, US").check()
    page.locator("#people-add").get_by_role("button", name="Add the person").click()
    expect(page.locator(".person-name")).to_have_text("Maya Ångström")
    pid = int(page.url.rsplit("/", 1)[1])
    shown = live.base.show(f"#{pid}")
    assert shown["city"] == "Portland, OR, US"
    assert sorted(shown["tags"]) == ["climbing", "pycon"]
    assert shown["circle"] == 3


@in_browser
def test_merge_two_from_the_duplicates_badge_after_a_preview(tab: Tab, live: Live) -> None:
    base = live.base
    kept = base.add("Ingrid Bergström", handles=["x:ingrid_b"], city="Stockholm")
    base.log(f"#{kept['id']}", "dm", direction="in", text="hej!")
    twin = base.add("ingrid bergstrom", handles=["email:ingrid@example.org"], tags=["fika"])
    live.app.state.web.invalidate()  # written around the server: let it see them now
    before = base.count_people()
    page = tab.page
    page.goto("/people?q=bergstrom")
    expect(page.locator("#people-count")).to_contain_text("1–2 of 2 people matching")
    # the badge on the twin's row, named for a screen reader
    badge = page.get_by_role(
        "link", name=f"possible duplicate of Ingrid Bergström (#{kept['id']}): review and merge"
    )
    expect(badge).to_contain_text("possible duplicate")
    tab.shoot("people-duplicate-badge")
    badge.click()
    expect(page.locator("h1")).to_have_text("Merge two records into one")
    expect(page.locator(".merge-record")).to_have_count(2)
    expect(page.locator("#keep-h + .merge-name")).to_contain_text("Ingrid Bergström")
    expect(page.locator(".merge-result")).to_contain_text("After the merge")
    for shown in ("x:ingrid_b", "email:ingrid@example.org", "fika", "Stockholm, SE"):
        expect(page.locator(".merge-result")).to_contain_text(shown)
    keep = page.locator("#people-merge input[name=keep]").get_attribute("value")
    gone = page.locator("#people-merge input[name=gone]").get_attribute("value")
    assert (int(keep), int(gone)) == (kept["id"], twin["id"])  # the one with history is kept
    tab.shoot("people-merge")
    page.locator("#people-merge").get_by_role("button", name=re.compile("^Merge into")).click()
    flash = page.locator(".flash.ok")
    expect(flash).to_contain_text("Ingrid Bergström")
    expect(flash).to_contain_text("now holds both records")
    expect(flash).to_be_focused()
    tab.shoot("people-duplicates")
    assert base.count_people() == before - 1
    merged = base.show(f"#{kept['id']}")
    assert sorted(f"{h['platform']}:{h['handle']}" for h in merged["identities"]) == [
        "email:ingrid@example.org",
        "x:ingrid_b",
    ]
    assert merged["tags"] == ["fika"]


@in_browser
def test_not_the_same_person_from_the_merge_preview_and_undo(tab: Tab, live: Live) -> None:
    base = live.base
    first = base.add("Mateo Rossi", city="Rome")
    second = base.add("mateo rossi", city="Buenos Aires")
    live.app.state.web.invalidate()  # written around the server: let it see them now
    page = tab.page
    page.goto(f"/people/merge?a={first['id']}&b={second['id']}")
    page.get_by_role("button", name="Not the same person").click()
    flash = page.locator(".flash.ok")
    expect(flash).to_contain_text("are different people")
    expect(flash).to_be_focused()
    expect(page.locator(".duplicate-pairs")).not_to_contain_text("Mateo Rossi")
    tab.shoot("people-not-same")
    flash.get_by_role("button", name="Undo").click()
    expect(page.locator(".flash.ok")).to_contain_text("may be suggested as one person again")
    pair = page.locator(".duplicate-pairs > li", has_text="Mateo Rossi")
    expect(pair).to_have_count(1)
    # and straight from the list
    pair.get_by_role("button", name=re.compile("^Not the same person")).click()
    expect(page.locator(".flash.ok")).to_contain_text("are different people")
    assert all(
        {p["a"]["id"], p["b"]["id"]} != {first["id"], second["id"]} for p in base.duplicates()
    )


@in_browser
def test_the_people_pages_read_well_on_a_phone(tab: Tab, live: Live) -> None:
    page = tab.page
    page.goto("/people")
    tab.shoot("people-list")
    pair = live.base.duplicates(1)[0]
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/people",
        "/people?page=2",
        "/people/duplicates",
        f"/people/merge?a={pair['a']['id']}&b={pair['b']['id']}",
        "/people/new",
    ):
        page.goto(path)
        sideways = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 0, f"{path} scrolls sideways by {sideways}px at 390px"
    page.goto("/people")
    row = page.locator("table.people tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"  # one card a person
    expect(page.locator("#people-sort")).to_be_visible()
    expect(page.get_by_text("Add a person")).to_be_visible()
