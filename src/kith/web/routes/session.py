"""The session's CSRF token, for scripts that use the JSON API (see kith.web.security)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kith.web import models, security

router = APIRouter()
api = APIRouter()


@api.get("/session", response_model=models.Session)
def session_json(request: Request) -> dict[str, Any]:
    """The CSRF token to send as the `X-CSRF-Token` header of every POST, together with the
    session cookie this response sets. A page on another site cannot read this response."""
    return {"csrf_token": security.token_for(request), "header": "X-CSRF-Token"}
