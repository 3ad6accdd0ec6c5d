"""The Import page: uploads streamed to a temporary file, imported in the background with a
progress bar, a summary or one sentence at the end, and a size limit."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request

from kith.api import Kith
from kith.web.jobs import Job
from kith.web.uploads import safe_name
from tests.conftest import snapshot
from tests.web.conftest import FIXTURES, UPLOAD_LIMIT, Web

VCARD = FIXTURES / "vcard" / "rfc6350_style_v4.vcf"
WHATSAPP = FIXTURES / "whatsapp" / "WhatsApp Chat with Ana Example.txt"


@pytest.fixture(autouse=True)
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads land in this test's own temporary folder, to check they are cleaned up."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def x_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((FIXTURES / "x" / "sample").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(FIXTURES / "x" / "sample").as_posix())
    return buffer.getvalue()


def upload(
    web: Web,
    source: str,
    name: str,
    data: bytes,
    api: bool = False,
    trigger: str | None = None,
    **fields: str,
) -> Any:
    files = {"file": (name, data, "application/octet-stream")}
    path = "/api/import" if api else "/import"
    return web.post(path, {"source": source, **fields}, htmx=not api, trigger=trigger, files=files)


def finished(web: Web, app: Any, job_id: str) -> dict[str, Any]:
    app.state.web.jobs.wait(30)
    state: dict[str, Any] = web.get(f"/api/import/jobs/{job_id}").json()
    assert state["state"] in ("done", "failed")
    return state


def test_a_vcard_upload_is_imported_with_a_summary(
    web: Web, app: Any, base: Kith, private_temp: Path
) -> None:
    response = upload(web, "vcard", VCARD.name, VCARD.read_bytes())
    assert response.status_code == 200
    job_id = response.text.split('id="job-', 1)[1].split('"', 1)[0]
    state = finished(web, app, job_id)
    assert state["state"] == "done"
    summary = state["summary"]
    assert summary["source"] == "vcard"
    assert summary["file"] == VCARD.name
    assert summary["people_created"] >= 1
    assert base.person_id("Grace Hopper")
    page = web.get(f"/import/jobs/{job_id}", htmx=True).text
    assert f"Imported {VCARD.name} (vcard)" in page
    assert "every 500ms" not in page  # finished: the page stops polling
    assert list(private_temp.iterdir()) == []  # the upload is gone


def test_the_uploaded_file_keeps_its_name(web: Web, app: Any, base: Kith) -> None:
    """WhatsApp names the contact in the file name: the upload must keep it."""
    response = upload(
        web, "whatsapp", WHATSAPP.name, WHATSAPP.read_bytes(), api=True, me="Ben Sample"
    )
    assert response.status_code == 202
    state = finished(web, app, response.json()["id"])
    assert state["state"] == "done", state["error"]
    assert state["summary"]["interactions_added"] > 0
    assert base.show("Ana Example")["counts"]["in"] > 0


def test_an_x_archive_zip_imports(web: Web, app: Any) -> None:
    response = upload(web, "x", "twitter-archive.zip", x_archive(), api=True)
    state = finished(web, app, response.json()["id"])
    assert state["state"] == "done", state["error"]
    assert state["summary"]["interactions_added"] > 0


def test_a_bad_file_fails_in_one_sentence_and_writes_nothing(
    web: Web, app: Any, demo_url: str, private_temp: Path
) -> None:
    before = snapshot(demo_url)
    response = upload(web, "x", "twitter.zip", b"this is not a zip archive")
    job_id = response.text.split('id="job-', 1)[1].split('"', 1)[0]
    state = finished(web, app, job_id)
    assert state["state"] == "failed"
    assert state["error"]
    assert "\n" not in state["error"]
    assert "kith-upload" not in state["error"]  # the file as the user named it
    assert "twitter.zip" in state["error"]
    assert state["summary"] is None
    page = web.get(f"/import/jobs/{job_id}", htmx=True).text
    assert "Nothing was imported." in page
    assert snapshot(demo_url) == before
    assert list(private_temp.iterdir()) == []


def test_the_form_is_checked_before_anything_starts(web: Web) -> None:
    unknown = upload(web, "myspace", "a.txt", b"x")
    assert unknown.status_code == 422
    assert "Choose what the file is" in unknown.text
    empty = upload(web, "vcard", "empty.vcf", b"")
    assert empty.status_code == 422
    assert "Choose a file to import" in empty.text
    not_multipart = web.post("/api/import", None, htmx=False, json={"source": "x"})
    assert not_multipart.status_code == 422


def test_an_upload_past_the_limit_is_refused_before_it_is_read(
    web: Web, demo_url: str, private_temp: Path
) -> None:
    before = snapshot(demo_url)
    response = upload(
        web, "vcard", "big.vcf", b"x" * (UPLOAD_LIMIT + 100_000), trigger="import-form"
    )
    assert response.status_code == 413
    assert "larger than the upload limit of 0.25 MB" in response.text
    assert response.headers["HX-Retarget"] == "#import-form .form-error"
    assert snapshot(demo_url) == before
    assert list(private_temp.iterdir()) == []


def test_a_streamed_upload_stops_at_the_limit(web: Web, private_temp: Path) -> None:
    """Without a Content-Length, the server counts what arrives and stops at the limit."""
    boundary = "kithtestboundary"
    sent = {"bytes": 0}

    def body() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nvcard\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="huge.vcf"\r\nContent-Type: text/vcard\r\n\r\n'
        ).encode()
        for _ in range(200):  # 12.8 MB in all, far past the limit
            sent["bytes"] += 64 * 1024
            yield b"v" * (64 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    response = web.client.post(
        "/api/import",
        content=body(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRF-Token": web.token,
        },
    )
    assert response.status_code == 413
    assert "upload limit" in response.json()["detail"]
    assert list(private_temp.iterdir()) == []


def test_a_running_import_polls_every_half_second(app: Any) -> None:
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "app": app})
    running = Job(id="0" * 16, source="x", filename="a.zip", state="running", done=30, total=120)
    html = app.state.web.render(request, "partials/import_job.html", {"job": running}).body
    text = html.decode()
    assert 'hx-trigger="every 500ms"' in text
    assert 'hx-get="/import/jobs/0000000000000000"' in text
    assert '<progress max="100" value="25"' in text


def test_safe_names() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\ana\\chat.txt") == "chat.txt"
    assert safe_name("WhatsApp Chat with Ana.txt") == "WhatsApp Chat with Ana.txt"
    assert safe_name("...") == "upload"
    assert safe_name("a\x00b\nc.vcf") == "a_b_c.vcf"
