"""Import an export: resolve identities, store what is new, refresh figures; all or nothing.

The importer streams records; an `ImportJob` (`kith.services.import_job`) owns everything
that touches the base:
* identity resolution: a contact becomes the person who already holds one of its handles
  (same e-mail, phone, profile URL or handle); a contact whose handles belong to several
  people proves they are one human, and they are merged; nothing merges on a name alone;
* deduplication: a touch whose (source, external_id) is already stored is skipped, so a
  second import of the same file adds nothing and a newer export adds only what is new;
* atomicity: it runs inside the caller's transaction; any failure leaves the base as it was.
A kith-json export's saved records are restored on the same job (`kith.services.restore`).
"""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from kith.domain.context import Context
from kith.errors import KithError, describe
from kith.ingest.base import BytesRead, Importer, ImportFailed, Options
from kith.ingest.records import Note, Record
from kith.services import own_identities
from kith.services.import_job import ImportJob, ImportSummary
from kith.services.progress import Progress


def options(
    connection: Connection,
    given: Iterable[str],
    tz: str,
    region: str,
    now: datetime,
    progress: BytesRead | None = None,
    member: str | None = None,
) -> Options:
    """What every importer is given: who the user is (what `--me` said, then the user's own
    identities: the profile, earlier imports), read once, and the import's settings."""
    me = tuple(dict.fromkeys([*given, *own_identities.load(connection, member).values()]))
    return Options(me=me, tz=tz, region=region, now=now, progress=progress)


def _records(importer: Importer, path: Path, options: Options) -> Iterator[Record]:
    """The importer's records; any unexpected failure becomes one sentence naming the file."""
    try:
        yield from cleaned(importer.extract(path, options), f"'{path.name}'")
    except KithError:
        raise
    except Exception as exc:  # a parser library's own error class included: never a traceback
        raise _unreadable(importer, path, exc) from exc


def cleaned(records: Iterable[Record], where: str) -> Iterator[Record]:
    """Records as the base takes them (kith.ingest.cleaning): moments outside the kept
    years left out, text cleaned and cut to its limits, each with a note once."""
    from kith.ingest import cleaning

    cut = dated_wrong = False
    for found in records:
        if cleaning.out_of_time(found):
            if not dated_wrong:
                dated_wrong = True
                yield Note(cleaning.OUT_OF_TIME_NOTE)
            continue
        record = cleaning.record(found, where)
        yield record
        if not cut and record is not found and cleaning.was_cut(found):
            cut = True
            yield Note(cleaning.CUT_NOTE)


def _identified(importer: Importer, path: Path) -> bool:
    """Whether `path` looks like the importer's export; a file too damaged to tell (a zip
    whose member will not open) is refused in one sentence, as in reading."""
    try:
        return importer.identify(path)
    except KithError:
        raise
    except Exception as exc:
        raise _unreadable(importer, path, exc) from exc


def _unreadable(importer: Importer, path: Path, exc: Exception) -> ImportFailed:
    return ImportFailed(f"{path.name} could not be read as {importer.title}: {what_is_wrong(exc)}.")


def what_is_wrong(exc: Exception) -> str:
    """What an unforeseen failure while reading says of the file, in words: not Python's own
    ("'list' object has no attribute 'get'", "unhashable type: 'slice'"; issue 12, probe 12).
    A library's own error (a parser's) says it best, so its message is kept."""
    if isinstance(exc, zipfile.BadZipFile | zlib.error | tarfile.TarError | EOFError):
        # "File name in directory 'x' and header b'y' differ", "Error -3 while decompressing"
        return (
            "part of the archive cannot be unpacked: it is damaged or cut short; download it again"
        )
    if isinstance(exc, KeyError):
        return f"a field it needs is missing ({describe(exc)[:60]})"
    if isinstance(exc, AttributeError | TypeError):
        return "a value has the wrong type (a list or an object where a text or a number goes)"
    if isinstance(exc, IndexError):
        return "a list in it is shorter than the format says"
    if isinstance(exc, UnicodeError):
        return "part of it is not text in the encoding it should be"
    if isinstance(exc, RecursionError):
        return "it is nested deeper than any export is"
    if isinstance(exc, OverflowError):
        return "a number in it is too large"
    if type(exc) is ValueError:
        return "a value in it cannot be read (a date, a time or a number)"
    return describe(exc)[:200]


def run(
    connection: Connection,
    ctx: Context,
    importer: Importer,
    path: Path,
    options: Options,
    progress: Progress | None = None,
    member: str | None = None,
) -> ImportSummary:
    """Import `path` inside the caller's transaction; in a team base, as `member` (whose
    history it becomes, with their own identities as the user)."""
    if not _identified(importer, path):
        raise ImportFailed(f"{path} does not look like {importer.title}.")
    return take_all(
        connection,
        ctx,
        importer.source,
        str(path),
        _records(importer, path, options),
        options,
        progress,
        member,
    )


def take_all(
    connection: Connection,
    ctx: Context,
    source: str,
    origin: str,
    records: Iterable[Record],
    options: Options,
    progress: Progress | None = None,
    member: str | None = None,
) -> ImportSummary:
    """Store what `records` say, as the importer of `source` would, inside the caller's
    transaction (an import, or a sync run: kith.services.syncing)."""
    summary = ImportSummary(source=source, file=origin)
    job = ImportJob(connection, ctx, source, options, summary, member)
    for record in records:
        if not job.take(record):
            # a kith-json backup's saved records; restoring loads the backup schema, so
            # only an import that has them pays for it
            from kith.services import restore

            restore.take(job, record)
    job.finish(progress)
    return summary


__all__ = ["ImportSummary", "cleaned", "options", "run", "take_all"]
