"""kith's own export (`kith export json`): everything, read back exactly.

The file is one JSON document (see `kith.services.exporting`) read in a single streaming
pass with ijson: the header, settings and trips first, then one person at a time, so a
large base restores with bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.records import Record, SavedBase, SavedGatherings, SavedPerson

#: what the document says it is (`kith.services.exporting` writes it)
FORMAT = "kith-json"
VERSION = 1

_HEAD = ("format", "version", "exported_at")


class KithJsonImporter(Importer):
    source = "kith-json"
    title = "a kith JSON export"

    @staticmethod
    def _documents(archive: Archive) -> list[str]:
        """The export inside a zip or folder, or the file itself whatever its name."""
        return archive.names() if archive.is_single_file else archive.find("*.json")

    def identify(self, path: Path) -> bool:
        with Archive(path) as archive:
            names = self._documents(archive)
            if not names:
                return False
            with archive.open_binary(names[0]) as stream:
                head = stream.read(200)
        return b'"format"' in head and FORMAT.encode() in head

    def extract(self, path: Path, options: Options) -> Iterator[Record]:
        with Archive(path, options.progress) as archive:
            name = self._documents(archive)[0]
            with archive.open_binary(name) as stream:
                try:
                    yield from self._read(ijson.parse(stream, use_float=True), name)
                except ijson.JSONError as exc:
                    raise ImportFailed(f"'{name}' is cut short or not valid JSON ({exc}).") from exc

    def _read(self, events: Iterator[tuple[str, str, Any]], name: str) -> Iterator[Record]:
        head: dict[str, Any] = {}
        saved: dict[str, Any] = {"settings": {}, "trips": [], "gatherings": []}
        builder: Any = None
        building = ""
        sent_base = False
        people = 0
        for prefix, event, value in events:
            if builder is not None:
                if prefix == building and event in ("end_map", "end_array"):
                    builder.event(event, value)
                    if building == "people.item":
                        people += 1
                        if not isinstance(builder.value, dict) or "name" not in builder.value:
                            raise ImportFailed(f"'{name}': person {people} is not complete.")
                        yield SavedPerson(builder.value)
                    else:
                        saved[building] = builder.value
                    builder = None
                else:
                    builder.event(event, value)
                continue
            if prefix in _HEAD:
                head[prefix] = value
            elif prefix in ("settings", "trips", "gatherings") and event in (
                "start_map",
                "start_array",
            ):
                builder, building = ijson.ObjectBuilder(), prefix
                builder.event(event, value)
            elif prefix == "people" and event == "start_array":
                self._check(head, name)
                yield SavedBase(dict(saved["settings"]), tuple(saved["trips"]))
                sent_base = True
            elif prefix == "people.item" and event == "start_map":
                builder, building = ijson.ObjectBuilder(), prefix
                builder.event(event, value)
        if not sent_base:
            self._check(head, name)
            raise ImportFailed(f"'{name}' holds no people list.")
        yield SavedGatherings(tuple(saved["gatherings"]))

    @staticmethod
    def _check(head: dict[str, Any], name: str) -> None:
        if head.get("format") != FORMAT:
            raise ImportFailed(f"'{name}' is not a kith export.")
        if head.get("version") != VERSION:
            raise ImportFailed(
                f"'{name}' is a kith export of version {head.get('version')}; this kith reads "
                f"version {VERSION}."
            )


IMPORTER = KithJsonImporter()
