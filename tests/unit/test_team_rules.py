"""Who may do what in a team base (kith.domain.team)."""

from __future__ import annotations

import pytest

from kith.domain.team import (
    OWNER_ONLY,
    Role,
    TeamError,
    leaves_an_owner,
    normalise_email,
    parse_role,
    refusal,
)


def test_emails_are_known_trimmed_and_in_lower_case() -> None:
    assert normalise_email("  Ana.Lopez@Example.ORG ") == "ana.lopez@example.org"
    for bad in ("", "ana", "ana@", "@example.org", "ana @example.org", "ana@example", "a@b."):
        with pytest.raises(TeamError, match="is not an email address"):
            normalise_email(bad)


def test_roles_by_name() -> None:
    assert parse_role(" Viewer ") is Role.VIEWER
    with pytest.raises(TeamError, match="roles: owner, member, viewer"):
        parse_role("admin")


@pytest.mark.parametrize("operation", ["people", "record", "import", *sorted(OWNER_ONLY)])
def test_what_each_role_may_do(operation: str) -> None:
    assert refusal(Role.OWNER, operation) is None
    assert refusal(Role.VIEWER, operation) == "Viewers can read the base but not change it."
    member = refusal(Role.MEMBER, operation)
    if operation in OWNER_ONLY:
        assert str(member).startswith("Only an owner can ")
        assert "(" not in str(member)  # said in words, not as an operation's name
    else:
        assert member is None
    assert "--as EMAIL or KITH_USER" in str(refusal(None, operation))


def test_the_last_owner_stays() -> None:
    team = [Role.OWNER, Role.MEMBER, Role.VIEWER]
    assert not leaves_an_owner(team, 0, Role.MEMBER)
    assert not leaves_an_owner(team, 0, None)
    assert leaves_an_owner(team, 1, Role.OWNER)
    assert leaves_an_owner([Role.OWNER, Role.OWNER], 0, None)
    assert leaves_an_owner(team, 2, None)
