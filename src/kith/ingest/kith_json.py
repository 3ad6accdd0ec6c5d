"""kith's own export (`kith export json`): everything, read back exactly.

The file is one JSON document (see `kith.services.exporting`) read in a single streaming
pass with ijson: the header, settings and trips first, then one person at a time, so a
large base restores with bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import ijson

from kith.ingest import kith_json_schema as schema
from kith.ingest.archive import Archive
from kith.ingest.base import Importer, ImportFailed, Options
from kith.ingest.jsonstream import parser_words
from kith.ingest.records import Record, SavedBase, SavedGatherings, SavedPerson

#: what the document says it is (`kith.services.exporting` writes it)
FORMAT = "kith-json"
VERSION = 1

_HEAD = ("format", "version", "exported_at")
_T = TypeVar("_T")


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
                    raise ImportFailed(
                        f"'{name}' is cut short or not valid JSON ({parser_words(exc)})."
                    ) from exc

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
                        yield SavedPerson(_checked(schema.person, name, builder.value, people))
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
                yield SavedBase(
                    _checked(schema.settings, name, saved["settings"]),
                    tuple(_checked(schema.trips, name, saved["trips"])),
                )
                sent_base = True
            elif prefix == "people.item" and event == "start_map":
                builder, building = ijson.ObjectBuilder(), prefix
                builder.event(event, value)
            elif prefix == "people.item":  # a number, a string, a list where a person goes
                raise ImportFailed(
                    f"'{name}' is not a kith export this kith can restore: person "
                    f"{people + 1} is not an object."
                )
        if not sent_base:
            self._check(head, name)
            raise ImportFailed(f"'{name}' holds no people list.")
        yield SavedGatherings(tuple(_checked(schema.gatherings, name, saved["gatherings"])))

    @staticmethod
    def _check(head: dict[str, Any], name: str) -> None:
        if head.get("format") != FORMAT:
            raise ImportFailed(f"'{name}' is not a kith export.")
        if head.get("version") != VERSION:
            raise ImportFailed(
                f"'{name}' is a kith export of version {head.get('version')}; this kith reads "
                f"version {VERSION}."
            )


def _checked(check: Callable[..., _T], name: str, *args: Any) -> _T:
    """`check(*args)` (kith.ingest.kith_json_schema), its complaint as one sentence."""
    try:
        return check(*args)
    except schema.Invalid as exc:
        raise ImportFailed(f"'{name}' is not a kith export this kith can restore: {exc}.") from None


IMPORTER = KithJsonImporter()
