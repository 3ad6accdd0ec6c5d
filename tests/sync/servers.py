"""Real mail and calendar servers on loopback for the sync tests: Dovecot (IMAP) and Radicale
(CalDAV and CardDAV).

Each server lives in a folder of its own (config, users, data, logs), listens on 127.0.0.1
only, on a free port, and is stopped with everything it started when its ``with`` block
ends::

    with Dovecot(tmp_path) as imap:
        imap.append("INBOX", raw_message)
        ...  # IMAPClient("127.0.0.1", imap.port, ssl=False).login(imap.user, imap.password)

    with Radicale(tmp_path) as dav:
        calendar = dav.make_calendar("work")
        dav.put_event(calendar, "e1", ics_text)

The pytest fixtures (``dovecot``, ``radicale``) are in conftest.py.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urljoin
from xml.sax.saxutils import escape

import httpx

HOST = "127.0.0.1"
START_TIMEOUT = 10.0  # seconds a server gets to answer before the test fails
STOP_TIMEOUT = 5.0
DOVECOT_PATHS = ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")


class ServerError(RuntimeError):
    """A test server did not start (the message ends with the tail of its log)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    The port is only free when asked: another process may take it before the server binds
    it, so the servers below retry on a fresh port when the bind fails.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _tail(paths: Iterable[Path], lines: int = 30) -> str:
    parts = []
    for path in paths:
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        if text.strip():
            parts.append(f"--- {path} ---\n" + "\n".join(text.splitlines()[-lines:]))
    return "\n".join(parts) or "(the logs are empty)"


def _port_in_use(paths: Iterable[Path]) -> bool:
    return "Address already in use" in _tail(paths, lines=100)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process started with ``start_new_session=True`` and all its children.

    The whole process group gets SIGTERM at once (Dovecot's master alone takes a second to
    stop its children; the group goes in a few milliseconds), then SIGKILL if it lingers.
    """
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_TIMEOUT)
    # children outliving the leader (normally none): wait for the group to empty
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


# --------------------------------------------------------------------------------------------
# Dovecot (IMAP)

# A minimal IMAP-only Dovecot 2.3 config, checked with Debian's dovecot-imapd 2.3.19. The
# placeholders (@ROOT@, @PORT@, the users) are filled in by Dovecot._write_config.
DOVECOT_CONF = """\
# Written by kith's tests/sync/servers.py for one test run; nothing here is system-wide.
protocols = imap
listen = 127.0.0.1
base_dir = @ROOT@/run
state_dir = @ROOT@/state
log_path = @ROOT@/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# a wrong password is refused at once, not after the default 2 s
auth_failure_delay = 0
mail_location = maildir:@ROOT@/mail/%u
# The login processes refuse to run as root, and mail must belong to a non-root uid.
default_internal_user = @INTERNAL_USER@
default_login_user = @LOGIN_USER@
default_internal_group = @INTERNAL_GROUP@
first_valid_uid = 1
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = @PORT@
  }
  inet_listener imaps {
    port = 0
  }
  # no chroot: the login and anvil processes would need a chroot folder of their own
  chroot =
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u @ROOT@/users
}
userdb {
  driver = static
  args = uid=@MAIL_UID@ gid=@MAIL_GID@ home=@ROOT@/mail/%u
}
"""


def dovecot_binary() -> str | None:
    """Where Dovecot is installed (sbin is often not on a non-root PATH), or None."""
    found = shutil.which("dovecot")
    if found:
        return found
    for path in DOVECOT_PATHS:
        if os.access(path, os.X_OK):
            return path
    return None


def _dovecot_users() -> dict[str, str]:
    """Who Dovecot's processes and the mail files run as.

    As root (as in CI): the Debian package's ``dovecot`` and ``dovenull`` users. As anyone
    else, Dovecot cannot change users, so everything runs as the current one.
    """
    if os.geteuid() == 0:
        return {
            "INTERNAL_USER": "dovecot",
            "LOGIN_USER": "dovenull",
            "INTERNAL_GROUP": "dovecot",
            "MAIL_UID": "dovecot",
            "MAIL_GID": "dovecot",
        }
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return {
        "INTERNAL_USER": user,
        "LOGIN_USER": user,
        "INTERNAL_GROUP": group,
        "MAIL_UID": user,
        "MAIL_GID": group,
    }


def _allow_traversal(folder: Path) -> None:
    """Let other users pass through ``folder``'s parents (o+x, never o+r).

    Dovecot's unprivileged processes (``dovecot``, ``dovenull``) must reach the files under
    its root: a parent they cannot enter (pytest's and ``tempfile.mkdtemp``'s folders are
    0700) shows up as "Temporary authentication failure" at login. Only folders owned by
    the current user are changed.
    """
    me = os.geteuid()
    for parent in folder.resolve().parents:
        info = parent.stat()
        if info.st_uid == me and not info.st_mode & stat.S_IXOTH:
            parent.chmod(stat.S_IMODE(info.st_mode) | stat.S_IXOTH)


class Dovecot:
    """A Dovecot IMAP server on 127.0.0.1 with one user, in ``folder`` (created if needed).

    ``user``/``password`` log in over plain IMAP (no TLS) on ``host``:``port``; ``client()``
    gives a logged-in ``imapclient.IMAPClient``. The seeding helpers (``append``,
    ``create_folder``, ``renew_uidvalidity``) each use a connection of their own.
    """

    user = "ana@example.org"
    password = "s3cret-imap-pw"
    host = HOST

    def __init__(self, folder: Path, binary: str | None = None) -> None:
        self.root = Path(folder) / "dovecot"
        self.binary = binary or dovecot_binary() or "dovecot"
        self.port = 0
        self.config = self.root / "dovecot.conf"
        self.log = self.root / "log" / "dovecot.log"
        self.stderr_log = self.root / "log" / "stderr.log"
        self.startup_seconds = 0.0  # how long the last start took, until the greeting
        self._proc: subprocess.Popen[bytes] | None = None
        self._exit = ""

    @property
    def mail_home(self) -> Path:
        """The user's Maildir (INBOX; other folders are ``.Name`` inside it)."""
        return self.root / "mail" / self.user

    # ---- life cycle

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Write the config, start Dovecot in the foreground and wait for its greeting."""
        self._prepare()
        for attempt in range(3):
            if attempt or not self.port:  # a restart keeps its port while it is free
                self.port = free_port()
            self._write_config()
            if self._launch():
                return
            if not _port_in_use(self._logs) or attempt == 2:
                break
        raise ServerError(
            f"Dovecot did not start on {HOST}:{self.port}{self._exit}:\n" + _tail(self._logs)
        )

    def stop(self) -> None:
        """Stop Dovecot and all its processes, and wait until they are gone."""
        if self._proc is not None:
            _stop_group(self._proc)
            self._proc = None
        (self.root / "run" / "master.pid").unlink(missing_ok=True)

    @property
    def _logs(self) -> list[Path]:
        return [self.log, self.stderr_log]

    def _prepare(self) -> None:
        for sub in ("mail", "run", "state", "log"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            _allow_traversal(self.root)
            self.root.chmod(0o755)
            mail_uid = pwd.getpwnam("dovecot").pw_uid
            mail_gid = grp.getgrnam("dovecot").gr_gid
            for path in (self.root / "mail", *(self.root / "mail").rglob("*")):
                os.chown(path, mail_uid, mail_gid)
        # a master.pid left by a Dovecot that was killed keeps the next one from starting
        (self.root / "run" / "master.pid").unlink(missing_ok=True)
        users = self.root / "users"
        users.write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        users.chmod(0o644)

    def _write_config(self) -> None:
        text = DOVECOT_CONF.replace("@ROOT@", str(self.root)).replace("@PORT@", str(self.port))
        for key, value in _dovecot_users().items():
            text = text.replace(f"@{key}@", value)
        self.config.write_text(text)
        self.config.chmod(0o644)

    def _launch(self) -> bool:
        started = time.monotonic()
        with self.stderr_log.open("ab") as err:
            # -F: stay in the foreground, so the process is ours to wait for (without it
            # Dovecot daemonises). Its own session: stop() signals the whole group.
            self._proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.config)],
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                start_new_session=True,
            )
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._exit = f" (it exited with status {self._proc.returncode})"
                self._proc = None
                return False
            if _imap_greets(self.port):
                self.startup_seconds = time.monotonic() - started
                return True
            time.sleep(0.01)
        self.stop()
        raise ServerError(
            f"Dovecot gave no IMAP greeting on {HOST}:{self.port} within {START_TIMEOUT:.0f} s:\n"
            + _tail(self._logs)
        )

    # ---- seeding

    @contextlib.contextmanager
    def client(self) -> Iterator[Any]:
        """A logged-in ``imapclient.IMAPClient``, logged out afterwards."""
        import imapclient

        conn = imapclient.IMAPClient(self.host, self.port, ssl=False, timeout=10)
        try:
            conn.login(self.user, self.password)
            yield conn
        finally:
            with contextlib.suppress(Exception):
                conn.logout()

    def create_folder(self, name: str) -> None:
        """Create a folder (e.g. "Sent", "Archive.2024"); nothing happens if it exists."""
        with self.client() as conn:
            if not conn.folder_exists(name):
                conn.create_folder(name)

    def append(
        self,
        folder: str,
        raw: bytes,
        flags: Sequence[str | bytes] = (),
        when: datetime | None = None,
    ) -> int:
        """Add a message (its RFC 5322 bytes) to ``folder``, creating the folder if needed.

        ``flags`` e.g. ``[r"\\Seen"]``; ``when`` is the INTERNALDATE (an aware datetime;
        the server's "now" when None). Returns the UID the server gave the message.
        """
        with self.client() as conn:
            if folder.upper() != "INBOX" and not conn.folder_exists(folder):
                conn.create_folder(folder)
            return _append(conn, folder, raw, flags, when)

    def uidvalidity(self, folder: str) -> int:
        with self.client() as conn:
            status = conn.folder_status(folder, [b"UIDVALIDITY"])
            return int(status[b"UIDVALIDITY"])

    def renew_uidvalidity(self, folder: str) -> int:
        """Give ``folder`` a new UIDVALIDITY, keeping its messages; returns the new value.

        This is what a client sees when a server has rebuilt a folder: every UID it
        remembers is void, and the same messages come back under new UIDs (1, 2, ...).

        - Any folder but INBOX: over IMAP, the messages are fetched (bytes, flags,
          INTERNALDATE), the folder is deleted and created again, and the messages are
          appended back in their old order.
        - INBOX, which IMAP cannot delete: the folder's ``dovecot-uidlist`` and index files
          are removed from the Maildir, so Dovecot, on the next login, numbers the message
          files anew under a new UIDVALIDITY (the flags live in the file names and stay).

        Dovecot draws UIDVALIDITY from a per-user counter (``dovecot-uidvalidity``), so the
        new value differs from the old even within the same second. Call it with no other
        session holding the folder open.
        """
        old = self.uidvalidity(folder)
        if folder.upper() == "INBOX":
            for path in self.mail_home.glob("dovecot-uidlist*"):
                path.unlink()
            for path in self.mail_home.glob("dovecot.index*"):
                path.unlink()
        else:
            with self.client() as conn:
                conn.select_folder(folder, readonly=True)
                uids = sorted(conn.search("ALL"))
                fetched = conn.fetch(uids, ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"]) if uids else {}
                conn.close_folder()
                conn.delete_folder(folder)
                conn.create_folder(folder)
                for uid in uids:
                    data = fetched[uid]
                    kept = [f for f in data[b"FLAGS"] if f != b"\\Recent"]
                    _append(conn, folder, data[b"BODY[]"], kept, data[b"INTERNALDATE"])
        new = self.uidvalidity(folder)
        if new == old:
            raise ServerError(f"UIDVALIDITY of {folder!r} stayed {old}")
        return new


def _append(
    conn: Any, folder: str, raw: bytes, flags: Sequence[str | bytes], when: datetime | None
) -> int:
    response = conn.append(folder, raw, flags=tuple(flags), msg_time=when)
    # b"[APPENDUID <uidvalidity> <uid>] Append completed."
    text = response.decode() if isinstance(response, bytes) else str(response)
    if text.startswith("[APPENDUID "):
        return int(text.split("]", 1)[0].split()[2])
    raise ServerError(f"APPEND to {folder!r} gave no UID: {text}")


def _imap_greets(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as s:
            return s.recv(64).startswith(b"* OK")
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# Radicale (CalDAV, CardDAV)


def radicale_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("radicale") is not None


class Radicale:
    """A Radicale server on 127.0.0.1 with one user, in ``folder`` (created if needed).

    ``url`` is the server's root (``http://127.0.0.1:PORT/``); the user's collections live
    under ``{url}{user}/``. Seeding goes over plain HTTP (``httpx``), the way a DAV client
    would, so calendars and address books alike are made the standard way (MKCALENDAR,
    MKCOL with an addressbook resourcetype).
    """

    user = "ana"
    password = "s3cret-dav-pw"
    host = HOST

    def __init__(self, folder: Path) -> None:
        self.root = Path(folder) / "radicale"
        self.port = 0
        self.users_file = self.root / "users"
        self.storage = self.root / "collections"
        self.log = self.root / "radicale.log"
        self.startup_seconds = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._http: httpx.Client | None = None
        self._exit = ""

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def home_url(self) -> str:
        """The user's principal collection, where their calendars and address books go."""
        return f"{self.url}{quote(self.user)}/"

    # ---- life cycle

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self.storage.mkdir(parents=True, exist_ok=True)
        self.users_file.write_text(f"{self.user}:{self.password}\n")
        for attempt in range(3):
            if attempt or not self.port:  # a restart keeps its port while it is free
                self.port = free_port()
            if self._launch():
                self._http = httpx.Client(auth=(self.user, self.password), timeout=10)
                return
            if not _port_in_use([self.log]) or attempt == 2:
                break
        raise ServerError(
            f"Radicale did not start on {HOST}:{self.port}{self._exit}:\n" + _tail([self.log])
        )

    def stop(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
        if self._proc is not None:
            _stop_group(self._proc)
            self._proc = None

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "radicale",
            "--config",  # with no file: neither /etc/radicale/config nor ~/.config/radicale
            "--server-hosts",
            f"{HOST}:{self.port}",
            "--storage-filesystem-folder",
            str(self.storage),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(self.users_file),
            "--auth-htpasswd-encryption",
            "plain",
            "--auth-delay",
            "0",  # a wrong password gets its 401 at once
            "--rights-type",
            "owner_only",
            "--web-type",
            "none",
            "--logging-level",
            "info",
        ]

    def _launch(self) -> bool:
        started = time.monotonic()
        env = {k: v for k, v in os.environ.items() if k != "RADICALE_CONFIG"}
        with self.log.open("ab") as out:
            self._proc = subprocess.Popen(
                self._command(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                env=env,
                start_new_session=True,
            )
        deadline = started + START_TIMEOUT
        with httpx.Client(timeout=1) as probe:
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    self._proc = None
                    return False
                try:
                    probe.options(self.url)
                except httpx.TransportError:
                    time.sleep(0.02)
                    continue
                self.startup_seconds = time.monotonic() - started
                return True
        self.stop()
        raise ServerError(
            f"Radicale gave no HTTP answer on {self.url} within {START_TIMEOUT:.0f} s:\n"
            + _tail([self.log])
        )

    # ---- seeding

    @property
    def http(self) -> httpx.Client:
        """An ``httpx.Client`` signed in as the test user."""
        if self._http is None:
            raise ServerError("Radicale is not running")
        return self._http

    def _request(
        self,
        method: str,
        url: str,
        body: str | None = None,
        content_type: str = "application/xml; charset=utf-8",
    ) -> httpx.Response:
        headers = {"Content-Type": content_type} if body is not None else {}
        response = self.http.request(
            method, url, content=body.encode() if body is not None else None, headers=headers
        )
        if response.status_code >= 300:
            raise ServerError(f"{method} {url}: {response.status_code} {response.text[:500]}")
        return response

    def make_calendar(self, name: str, display_name: str | None = None) -> str:
        """Create the calendar ``{home_url}{name}/`` (MKCALENDAR); returns its URL."""
        url = f"{self.home_url}{quote(name, safe='')}/"
        self._request(
            "MKCALENDAR",
            url,
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            f"<D:set><D:prop><D:displayname>{escape(display_name or name)}</D:displayname>"
            "</D:prop></D:set></C:mkcalendar>",
        )
        return url

    def make_address_book(self, name: str, display_name: str | None = None) -> str:
        """Create the address book ``{home_url}{name}/`` (extended MKCOL); returns its URL."""
        url = f"{self.home_url}{quote(name, safe='')}/"
        self._request(
            "MKCOL",
            url,
            '<?xml version="1.0" encoding="utf-8"?>'
            '<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
            "<D:set><D:prop>"
            "<D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>"
            f"<D:displayname>{escape(display_name or name)}</D:displayname>"
            "</D:prop></D:set></D:mkcol>",
        )
        return url

    def put_event(self, calendar_url: str, uid: str, ics_text: str) -> str:
        """Store ``ics_text`` (a VCALENDAR) as ``{calendar_url}{uid}.ics``; returns its URL.

        Storing again under the same uid replaces the event (and changes its ETag).
        """
        url = urljoin(calendar_url, f"{quote(uid, safe='')}.ics")
        self._request("PUT", url, ics_text, content_type="text/calendar; charset=utf-8")
        return url

    def put_card(self, book_url: str, uid: str, vcard_text: str) -> str:
        """Store ``vcard_text`` (a VCARD) as ``{book_url}{uid}.vcf``; returns its URL."""
        url = urljoin(book_url, f"{quote(uid, safe='')}.vcf")
        self._request("PUT", url, vcard_text, content_type="text/vcard; charset=utf-8")
        return url

    def delete(self, url: str) -> None:
        """Delete an event, a card or a whole collection."""
        self._request("DELETE", url)
