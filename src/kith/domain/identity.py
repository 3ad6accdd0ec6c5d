"""Handles on each platform, normalised so that one human's handle is always written one way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from kith.domain.links import split_url

PLATFORMS: tuple[str, ...] = (
    "x",
    "linkedin",
    "mastodon",
    "bluesky",
    "facebook",
    "instagram",
    "telegram",
    "whatsapp",
    "email",
    "phone",
    "web",
)

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_HOSTS: dict[str, tuple[str, ...]] = {
    "x": ("x.com", "twitter.com", "mobile.twitter.com"),
    "facebook": ("facebook.com", "fb.com", "m.facebook.com"),
    "instagram": ("instagram.com",),
    "telegram": ("t.me", "telegram.me"),
    "bluesky": ("bsky.app",),
}


def name_key(name: str) -> str:
    """How display names are matched: case and spacing do not matter ("Ana  Example" and
    "ana example" are one key)."""
    return " ".join(name.casefold().split())


class HandleError(ValueError):
    """A handle that cannot be read for its platform; the message says why."""


@dataclass(frozen=True, slots=True)
class Handle:
    platform: str
    handle: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


def _path_after_host(value: str, hosts: tuple[str, ...]) -> str | None:
    text = value if "://" in value else f"https://{value}"
    parts = split_url(text)
    if parts is None:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host not in hosts:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] == "profile.php":  # facebook.com/profile.php?id=1000123
        numeric = parse_qs(parts.query).get("id", [""])[0]
        return f"id:{numeric}" if numeric.isdigit() else ""
    if len(segments) >= 2 and segments[0] == "profile":  # bsky.app/profile/ana.bsky.social
        return segments[1]
    return segments[-1] if segments else ""


def normalise_phone(value: str, region: str | None = None) -> str:
    """E.164 form (+15551234567) of a phone number; `region` guesses numbers without +."""
    import phonenumbers  # here, not at the top: it costs every command ~40 ms of start-up

    cleaned = value.strip().removeprefix("tel:")
    try:
        number = phonenumbers.parse(cleaned, None if cleaned.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        raise HandleError(f"'{value}' is not a phone number ({exc}).") from exc
    if not phonenumbers.is_possible_number(number):
        raise HandleError(f"'{value}' is not a possible phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise(platform: str, handle: str, region: str | None = "US") -> str:
    """The one spelling of `handle` on `platform`; raises HandleError when it cannot be read."""
    platform = platform.strip().lower()
    value = handle.strip()
    if platform not in PLATFORMS:
        raise HandleError(
            f"Unknown platform '{platform}'; valid platforms: {', '.join(PLATFORMS)}."
        )
    if not value:
        raise HandleError(f"Empty {platform} handle.")
    if value.lower().startswith("name:") and platform not in ("email", "phone", "web"):
        # exports that only know display names (Facebook messages, WhatsApp chats): the
        # name is an identity within that platform only, never matched across platforms
        name = name_key(value[5:])
        if not name:
            raise HandleError(f"Empty {platform} name.")
        return f"name:{name}"
    if platform == "email":
        value = value.removeprefix("mailto:").strip().lower()
        if not _EMAIL.match(value):
            raise HandleError(f"'{handle}' is not an e-mail address.")
        return value
    if platform in ("phone", "whatsapp"):
        return normalise_phone(value, region)
    if platform == "linkedin":
        slug = _linkedin_slug(value)
        return slug.lower()
    if platform == "mastodon":
        return _mastodon(value)
    if platform == "web":
        parts = split_url(value if "://" in value else f"https://{value}")
        host = "" if parts is None else (parts.hostname or "").lower().removeprefix("www.")
        if parts is None or not host:
            raise HandleError(f"'{handle}' is not a web address.")
        return (host + parts.path.rstrip("/")).lower()
    if platform in _HOSTS:
        from_url = _path_after_host(value, _HOSTS[platform])
        if from_url is not None:
            value = from_url
    value = value.lstrip("@").lower()
    if not value or any(c.isspace() for c in value):
        raise HandleError(f"'{handle}' is not a {platform} handle.")
    return value


def _linkedin_slug(value: str) -> str:
    return unquote(_linkedin_path(value))


def _linkedin_path(value: str) -> str:
    text = (
        value
        if "://" in value
        else (f"https://{value}" if "linkedin.com" in value.lower() else value)
    )
    parts = split_url(text) if "://" in text else None
    if parts is not None:
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) >= 2 and segments[0] in ("in", "pub"):
            return segments[1]
        if segments:
            return segments[-1]
        raise HandleError(f"'{value}' is not a LinkedIn profile.")
    return value.strip("/")


def _mastodon(value: str) -> str:
    parts = split_url(value) if "://" in value else None
    if parts is not None:
        host = (parts.hostname or "").lower()
        segments = [s for s in parts.path.split("/") if s]
        user = ""
        if segments and segments[0].startswith("@"):
            user = segments[0][1:]
        elif len(segments) >= 2 and segments[0] == "users":
            user = segments[1]
        if not user or not host:
            raise HandleError(f"'{value}' is not a Mastodon profile.")
        return f"{user}@{host}".lower()
    bare = value.lstrip("@")
    if "@" not in bare:
        raise HandleError(f"'{value}' is not a Mastodon handle (expected user@server).")
    return bare.lower()


def parse_reference(text: str) -> Handle | None:
    """`platform:handle` if `text` starts with a known platform, else None."""
    platform, sep, rest = text.partition(":")
    if not sep or platform.strip().lower() not in PLATFORMS or not rest.strip():
        return None
    return Handle(platform.strip().lower(), rest.strip())
