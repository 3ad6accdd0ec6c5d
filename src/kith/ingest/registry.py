"""Source name to importer: adding a source is adding one module and one line here."""

from __future__ import annotations

import importlib

from kith.errors import InvalidInput
from kith.ingest.base import Importer

SOURCES: dict[str, str] = {
    "x": "kith.ingest.x",
    "linkedin": "kith.ingest.linkedin",
    "mastodon": "kith.ingest.mastodon",
    "bluesky": "kith.ingest.bluesky",
    "facebook": "kith.ingest.facebook",
    "instagram": "kith.ingest.instagram",
    "telegram": "kith.ingest.telegram",
    "whatsapp": "kith.ingest.whatsapp",
    "vcard": "kith.ingest.vcard",
    "ics": "kith.ingest.ics",
    "mbox": "kith.ingest.mbox",
    "kith-json": "kith.ingest.kith_json",
}


def get(source: str) -> Importer:
    """The importer for `source`; each module defines `IMPORTER`."""
    name = source.strip().lower()
    if name not in SOURCES:
        raise InvalidInput(f"Unknown source '{source}'; sources: {', '.join(SOURCES)}.")
    module = importlib.import_module(SOURCES[name])
    importer: Importer = module.IMPORTER
    return importer
