"""Password hashing for team members: Argon2id through argon2-cffi (docs/team.md)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kith.errors import InvalidInput

#: the shortest password accepted (NIST SP 800-63B asks for at least 8)
MIN_LENGTH = 10
MAX_LENGTH = 1024

_HASHER = PasswordHasher()


def hashed(password: str) -> str:
    """The stored form of a new password; a password too short or too long is refused."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Choose a password of at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Choose a password of at most {MAX_LENGTH} characters.")
    return _HASHER.hash(password)


def matches(stored: str | None, password: str) -> bool:
    """Whether `password` is the one `stored` was made from (False without one)."""
    if not stored or len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
