"""The errors every `/api/` operation can answer, written into the OpenAPI document.

FastAPI documents what a route declares; the answers given before a route runs (the host
check, the CSRF check and sign-in of `security.Guard` and `signin.SignIn`, a body that is not
JSON) and after (a database that cannot be used) are added here, each with the one-sentence
body every error has (`{"detail": "..."}`), so that the document lists every status code the
server really answers."""

from __future__ import annotations

from typing import Any

from kith.web.signin import PUBLIC

PROBLEM = {"$ref": "#/components/schemas/Problem"}
WRITES = ("post", "put", "patch", "delete")
METHODS = ("get", "head", "options", "trace", *WRITES)

#: status -> what it means, on every operation
EVERYWHERE = {
    "400": (
        "The request cannot be read: a body that is not JSON (or not UTF-8), or an address "
        "(Host) this server does not answer"
    ),
    "401": "A team base: sign in first (POST /api/login, or Authorization: Bearer TOKEN)",
    "422": "Bad input: one sentence that says what to change",
    "503": "The base cannot be used just now (busy, or its disk is full); nothing was written",
}
#: on every write
ON_WRITES = {
    "403": (
        "Refused: the CSRF token is missing or stale, the request came from another site, or "
        "the member's role does not allow it (a viewer's write, an owner's work)"
    ),
    "413": "The body is past its limit (a url-encoded form: 1 MiB; an upload: --max-upload-mb)",
}
#: on an operation with an id in its path
ON_IDS = {"404": "Nothing with that id (a person, a gathering, an import)"}
#: sign-in locks out after five failures (docs/team.md)
LOCKED = {
    "429": "Too many failed sign-ins: wait for Retry-After seconds",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": PROBLEM}}}


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with the errors above on each of its operations (what a route documents
    itself is kept)."""
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            wanted = dict(EVERYWHERE)
            if path.startswith(PUBLIC):
                del wanted["401"]  # reachable without signing in
            if method in WRITES:
                wanted.update(ON_WRITES)
            if "{" in path:
                wanted.update(ON_IDS)
            if path == "/api/login":
                wanted.update(LOCKED)
            for status, description in wanted.items():
                if status not in responses:
                    responses[status] = _problem(description)
                elif "content" not in responses[status]:
                    responses[status].update(_problem(responses[status]["description"]))
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {
                        "description": "seconds until one more sign-in may be tried",
                        "schema": {"type": "integer"},
                    }
                }
            operation["responses"] = dict(sorted(responses.items()))
    return document
