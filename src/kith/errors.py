"""Errors a user can act on. Each carries one plain sentence; the CLI exits with status 2."""

from __future__ import annotations

from collections.abc import Sequence


class KithError(Exception):
    """Bad input or an impossible request; nothing has been written."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        message = " ".join(message.split())  # one line, whatever a library said
        super().__init__(message)
        self.message = message


class InvalidInput(KithError):
    pass


class NotSignedIn(KithError):
    """A sign-in that did not succeed, or a request without a valid session (the web
    answers 401)."""


class TooManyAttempts(KithError):
    """Too many failed sign-ins lately (the web answers 429 with `Retry-After`)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotAllowed(KithError):
    """In a team base: nobody named, or the acting member's role does not allow this (the
    web answers 403)."""


class NotFound(KithError):
    def __init__(self, message: str, candidates: Sequence[str] = ()) -> None:
        if candidates:
            message = f"{message} Did you mean: {', '.join(candidates)}?"
        super().__init__(message)
        self.candidates = tuple(candidates)


class Ambiguous(KithError):
    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(f"{message} Candidates: {'; '.join(candidates)}.")
        self.candidates = tuple(candidates)


class CircleFullError(KithError):
    pass


def describe(exc: BaseException, default: str | None = None) -> str:
    """The first line of what `exc` says (a library's message can run to many lines); when it
    says nothing, `default`, else the name of its class."""
    text = str(exc).strip()
    if text:
        return text.splitlines()[0]
    return type(exc).__name__ if default is None else default
