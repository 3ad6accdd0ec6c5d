"""Receive an uploaded export without holding it in memory.

The multipart body is parsed as it arrives (python-multipart's streaming parser): the file
goes chunk by chunk to a private temporary folder, under its own base name (some importers
read the name: "WhatsApp Chat with Ana.txt"), and reading stops as soon as the file passes
the size limit. A declared Content-Length past the limit is refused before any byte is read.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from kith.errors import InvalidInput, KithError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

#: room for the other form fields and the multipart framing, on top of the file itself
FORM_SLACK = 64 * 1024
MEGABYTE = 1024 * 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]")


class UploadTooLarge(KithError):
    """The upload passed the server's size limit; nothing was imported."""


def too_large_message(limit: int) -> str:
    return (
        f"The file is larger than the upload limit of {limit / MEGABYTE:g} MB; nothing was "
        "imported. Whoever runs kith here can raise the limit, or import the file on that "
        "machine."
    )


def safe_name(name: str) -> str:
    """The base name of an uploaded file, fit for a file system."""
    base = re.split(r"[/\\]", name)[-1]
    base = _UNSAFE.sub("_", base).strip().lstrip(".")
    return base[:180] or "upload"


@dataclass
class Upload:
    """What the form sent: its text fields and the file, in `folder` (remove it when done)."""

    folder: Path
    fields: dict[str, list[str]] = field(default_factory=dict)
    file: Path | None = None
    filename: str | None = None
    size: int = 0

    def first(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class _Receiver:
    """Multipart callbacks: headers of each part, then its data to a file or a field."""

    def __init__(self, upload: Upload, file_field: str, limit: int) -> None:
        self.upload = upload
        self.file_field = file_field
        self.limit = limit
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.name: str | None = None
        self.value = bytearray()
        self.out: IO[bytes] | None = None
        self.too_large = False

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field_data,
            "on_header_value": self.header_value_data,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.headers = {}
        self.name = None
        self.value = bytearray()

    def header_field_data(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def header_value_data(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.header_field.strip().lower()] = self.header_value.strip()
        self.header_field = b""
        self.header_value = b""

    def headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        if filename is not None and self.name == self.file_field and self.upload.file is None:
            original = filename.decode("utf-8", "replace")
            if not original.strip():
                return  # the form was sent without choosing a file
            self.upload.filename = original
            self.upload.file = self.upload.folder / safe_name(original)
            self.out = self.upload.file.open("xb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.out is not None:
            self.upload.size += end - start
            if self.upload.size > self.limit:
                self.too_large = True
                return
            self.out.write(data[start:end])
        elif self.name is not None:
            self.value += data[start:end]
            if len(self.value) > FORM_SLACK:
                raise InvalidInput(f"The form field '{self.name}' is too long.")

    def part_end(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        elif self.name:
            text = self.value.decode("utf-8", "replace")
            self.upload.fields.setdefault(self.name, []).append(text)
        self.name = None

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


async def receive(request: Request, limit: int, file_field: str = "file") -> Upload:
    """Parse the multipart request into a temporary folder; `UploadTooLarge` once the file
    passes `limit` bytes (the caller answers 413), `InvalidInput` for a malformed form."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidInput("Send the export as a multipart/form-data upload.")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit + FORM_SLACK:
        raise UploadTooLarge(too_large_message(limit))
    upload = Upload(Path(tempfile.mkdtemp(prefix="kith-upload-")))
    receiver = _Receiver(upload, file_field, limit)
    parser = MultipartParser(boundary, receiver.callbacks())
    body = 0
    try:
        async for chunk in request.stream():
            body += len(chunk)
            if body > limit + FORM_SLACK:
                receiver.too_large = True
            if not receiver.too_large:
                parser.write(chunk)
            if receiver.too_large:
                raise UploadTooLarge(too_large_message(limit))
        parser.finalize()
    except KithError:
        receiver.close()
        upload.discard()
        raise
    except Exception as exc:
        receiver.close()
        upload.discard()
        raise InvalidInput("The upload was cut short or is not a well-formed form.") from exc
    receiver.close()
    return upload
