"""One running window per user: a second launch hands its file to the first and exits.

Double-clicking a second contract in the file manager ("Open with ContractReview") starts the program
again. Two windows would write to the same review database and settings, so the second launch connects
to the first over a local socket (a Unix domain socket, or a named pipe on Windows, reachable only by
the same user), sends the path and quits; the first window opens the file.

    guard = SingleInstance("org.contractreview.ContractReview")
    if not guard.is_primary():
        sys.exit(0 if guard.send(path or "") else 1)
    guard.file_received.connect(window.open_path)
    guard.activation_requested.connect(window.raise_)

Messages are JSON lines (``{"open": "<path>"}``), so any path, even one holding a newline, travels intact.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import socket
import stat
import struct
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500
WRITE_TIMEOUT_MS = 2000
LOCK_TIMEOUT_MS = 5000
MAX_MESSAGE_BYTES = 64 * 1024  # a path; anything longer is not ours


def runtime_dir() -> Path | None:
    """A folder only this user can enter, for the socket and its lock file (#19), or None (Windows).

    ``$XDG_RUNTIME_DIR`` when it is ours and 0700 (systemd's per-user folder); otherwise
    ``<temp>/contractreview-<uid>``, created 0700. A folder of that name that another user made first, that
    is a symbolic link, or that others may enter is never used: a name in the shared ``/tmp`` is exactly
    what let another local user bind the socket first and receive every contract path the victim opened.
    """
    if os.name == "nt":
        return None  # named pipes; Qt's UserAccessOption restricts them to the user
    uid = os.geteuid()
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and _private_dir(Path(xdg), uid):
        return Path(xdg)
    base = Path(QDir.tempPath()) / f"contractreview-{uid}"
    try:
        base.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    return base if _private_dir(base, uid) else None


def _private_dir(path: Path, uid: int) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == uid and (st.st_mode & 0o077) == 0


def peer_uid(conn: QLocalSocket) -> int | None:
    """The user id of the process at the other end of a connected local socket (Linux ``SO_PEERCRED``)."""
    if not sys.platform.startswith("linux"):
        return None
    fd = int(conn.socketDescriptor())
    if fd < 0:
        return None
    try:
        s = socket.socket(fileno=os.dup(fd))
    except OSError:
        return None
    try:
        creds = s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    finally:
        s.close()
    return struct.unpack("3i", creds)[1]


def _same_user(conn: QLocalSocket) -> bool:
    """True when the peer is this user, or the platform cannot tell (the 0700 folder still guards it)."""
    uid = peer_uid(conn)
    return uid is None or uid == os.geteuid()


def server_name_for(app_id: str) -> str:
    """Socket name for ``app_id`` and the current user (short: Unix socket paths are limited to ~100 bytes)."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some sandboxes; one shared name is still correct
        user = "user"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", app_id)[:40] or "app"
    digest = hashlib.sha256(f"{app_id}\0{user}".encode()).hexdigest()[:12]
    return f"{safe}-{digest}"


class _PrimaryCheck:
    """What ``guard.is_primary`` evaluates to: call it, or truth-test it, and get the same decision.

    ``if not guard.is_primary:`` (parentheses forgotten) would otherwise test a bound method, which is
    always true, and silently turn the guard off.
    """

    __slots__ = ("_decide",)

    def __init__(self, decide: Callable[[], bool]) -> None:
        self._decide = decide

    def __call__(self) -> bool:
        return self._decide()

    def __bool__(self) -> bool:
        return self._decide()


class SingleInstance(QObject):
    """Guard for ``app_id``; decide with :meth:`is_primary`, then listen or :meth:`send`."""

    file_received = Signal(str)
    message_received = Signal(str)  # alias of file_received, for callers that use that name
    activation_requested = Signal()

    def __init__(self, app_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app_id = app_id
        folder = runtime_dir()
        # A full path puts the Unix socket in our private folder; on Windows it stays a pipe name. Without
        # a private folder there is no guard (several windows may open) rather than an exposed one.
        self.server_name = str(folder / server_name_for(app_id)) if folder is not None else server_name_for(app_id)
        self._guarded = folder is not None or os.name == "nt"
        self._server: QLocalServer | None = None
        self._primary: bool | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}

    # --- deciding ---------------------------------------------------------------------------------
    @property
    def is_primary(self) -> _PrimaryCheck:
        """``is_primary()``: True when this process is the first instance (it now listens), False when
        one is already running. Decided once, on first use."""
        return _PrimaryCheck(self._is_primary)

    def _is_primary(self) -> bool:
        if self._primary is None:
            self._primary = self._decide()
        return self._primary

    def _decide(self) -> bool:
        # Double-clicking several files at once starts several launches together. Probe-then-listen is
        # only safe one launch at a time: Qt's listen() with socket options binds in a private folder
        # and renames onto the name, silently replacing a live server's socket. A lock file (stale
        # locks of crashed launches are detected by PID) makes the decision one at a time.
        if not self._guarded:
            return True
        lock = QLockFile(
            f"{self.server_name}.lock" if os.name != "nt" else str(Path(QDir.tempPath()) / f"{self.server_name}.lock")
        )
        locked = lock.tryLock(LOCK_TIMEOUT_MS)
        try:
            return self._probe_then_listen()
        finally:
            if locked:
                lock.unlock()

    def _probe_then_listen(self) -> bool:
        if self._another_is_listening():
            return False
        server = QLocalServer(self)
        # Only the same user may hand us files.
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.server_name):
            # A socket file left by a crashed instance (nobody answered the probe): remove and retry.
            QLocalServer.removeServer(self.server_name)
            if not server.listen(self.server_name):
                # Cannot listen at all (e.g. no writable temp folder): run unguarded.
                server.deleteLater()
                return True
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def _another_is_listening(self) -> bool:
        probe = QLocalSocket()
        probe.connectToServer(self.server_name)
        connected = probe.waitForConnected(CONNECT_TIMEOUT_MS) and _same_user(probe)
        if connected:
            probe.disconnectFromServer()
        probe.abort()
        return connected

    # --- second instance --------------------------------------------------------------------------
    def send(self, path: str) -> bool:
        """Hand ``path`` (or ``""`` to just raise the window) to the running instance; True if delivered."""
        conn = QLocalSocket()
        conn.connectToServer(self.server_name)
        if not conn.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        if not _same_user(conn):
            conn.abort()  # someone else's server: it must not learn which contract we open
            return False
        message = (json.dumps({"open": path}) + "\n").encode("utf-8")
        conn.write(QByteArray(message))
        ok = conn.waitForBytesWritten(WRITE_TIMEOUT_MS) or conn.bytesToWrite() == 0
        conn.disconnectFromServer()
        if conn.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            conn.waitForDisconnected(WRITE_TIMEOUT_MS)
        return bool(ok)

    # --- first instance ---------------------------------------------------------------------------
    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            if conn is None:
                break
            if not _same_user(conn):
                conn.abort()  # another local user may not make our window open files
                conn.deleteLater()
                continue
            self._buffers[conn] = bytearray()
            # Bound methods, not lambdas: Qt drops these connections when this object is destroyed,
            # so a socket closing during teardown cannot call into a deleted guard.
            conn.readyRead.connect(self._on_ready_read_signal)
            conn.disconnected.connect(self._on_disconnected_signal)
            if conn.bytesAvailable():
                self._on_ready_read(conn)
            if conn.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                self._on_disconnected(conn)  # the sender was quicker than us: no signal will come

    def _on_ready_read_signal(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket):
            self._on_ready_read(conn)

    def _on_disconnected_signal(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket):
            self._on_disconnected(conn)

    def _on_ready_read(self, conn: QLocalSocket) -> None:
        buf = self._buffers.get(conn)
        if buf is None:
            return
        buf.extend(bytes(conn.readAll().data()))
        while b"\n" in buf:
            line, _, rest = bytes(buf).partition(b"\n")
            buf[:] = rest
            self._dispatch(line)
        if len(buf) > MAX_MESSAGE_BYTES:
            self._buffers.pop(conn, None)
            conn.abort()

    def _on_disconnected(self, conn: QLocalSocket) -> None:
        buf = self._buffers.pop(conn, None)
        if buf is not None:
            buf.extend(bytes(conn.readAll().data()))
            for line in bytes(buf).split(b"\n"):  # whatever is left, a last line maybe without newline
                if line.strip():
                    self._dispatch(line)
        conn.deleteLater()

    def _dispatch(self, line: bytes) -> None:
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return  # not one of ours; ignore rather than open a garbled path
        if not isinstance(message, dict) or not isinstance(message.get("open"), str):
            return
        self.activation_requested.emit()
        if message["open"]:
            self.file_received.emit(message["open"])
            self.message_received.emit(message["open"])

    def close(self) -> None:
        """Stop listening (the socket file is removed), e.g. when the main window closes."""
        for conn in list(self._buffers):
            conn.readyRead.disconnect(self._on_ready_read_signal)
            conn.disconnected.disconnect(self._on_disconnected_signal)
            conn.abort()
            conn.deleteLater()
        self._buffers.clear()
        if self._server is not None:
            self._server.newConnection.disconnect(self._on_new_connection)
            self._server.close()
            self._server.deleteLater()
            self._server = None
