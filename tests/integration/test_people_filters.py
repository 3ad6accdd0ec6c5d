"""The People list's city filter: the city as typed finds the city as stored."""

from __future__ import annotations

from kith.api import Kith


def test_a_city_filter_finds_the_stored_city_with_its_region(db_url: str) -> None:
    with Kith(db_url) as base:
        base.add("Ana Example", city="Chicago, IL")
        base.add("Bo Example", city="Chicago Heights, IL")
        base.add("Cy Example", city="Lisbon")
        stored = {r["name"]: r["city"] for r in base.people()}
        assert stored["Ana Example"] == "Chicago, IL, US"
        for typed in ("Chicago", "chicago", "  CHICAGO ", "Chicago, IL, US"):
            assert [r["name"] for r in base.people(city=typed)] == ["Ana Example"], typed
        assert base.count_people(city="Chicago") == 1
        assert base.people(city="Chic") == []
        assert base.people(city="%") == []  # a pattern character is a character
