from datetime import UTC, date, datetime

import pytest

from kith.domain import Channel
from kith.errors import InvalidInput
from kith.parsing import parse_choice, parse_date, parse_time

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_times_without_zone_are_in_the_users_zone_and_stored_as_utc():
    got = parse_time("2026-03-01T09:00", "America/Chicago", NOW)
    assert got == datetime(2026, 3, 1, 15, tzinfo=UTC)
    assert parse_time("2026-03-01T09:00Z", "America/Chicago", NOW).hour == 9


def test_relative_days():
    assert parse_date("tomorrow", "UTC", NOW) == date(2026, 3, 2)
    assert parse_date("2026-04-05", "UTC", NOW) == date(2026, 4, 5)


@pytest.mark.parametrize("bad", ["not a date", "2026-13-45", "32/32/2026"])
def test_malformed_dates_are_one_sentence(bad):
    with pytest.raises(InvalidInput) as err:
        parse_date(bad, "UTC", NOW)
    assert bad in err.value.message
    with pytest.raises(InvalidInput):
        parse_time(bad, "UTC", NOW)


def test_unknown_choice_lists_valid_values():
    with pytest.raises(InvalidInput) as err:
        parse_choice(Channel, "sms", "channel")
    assert "valid channels: follow, like" in err.value.message


@pytest.mark.parametrize(
    ("typed", "tz"),
    [
        ("0001-01-01T00:00", "Pacific/Kiritimati"),  # before year 1 once in UTC: OverflowError
        ("9999-12-31T23:59", "America/Los_Angeles"),  # after year 9999 in UTC
        ("1850-06-01", "UTC"),
        ("2200-01-01T00:00Z", "UTC"),
    ],
)
def test_a_time_outside_the_years_kith_keeps_is_one_sentence(typed, tz):
    with pytest.raises(InvalidInput, match="1900 to 2199"):
        parse_time(typed, tz, NOW)


def test_the_years_kith_keeps_end_where_they_say():
    assert parse_time("1900-01-01T00:00Z", "UTC", NOW) == datetime(1900, 1, 1, tzinfo=UTC)
    assert parse_time("2199-12-31T23:59Z", "UTC", NOW).year == 2199
