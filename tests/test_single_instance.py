"""Single-instance guard (#9): a second launch hands its file to the running window over a local socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtNetwork")

from PySide6.QtCore import QDir  # noqa: E402

from contractreview.gui.single_instance import SingleInstance, server_name_for  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def app_id() -> str:
    return f"test.contractreview.{uuid.uuid4().hex[:8]}"


@pytest.fixture
def primary(qtbot, app_id):  # type: ignore[no-untyped-def]
    guard = SingleInstance(app_id)
    assert guard.is_primary()
    yield guard
    guard.close()


def test_single_instance_first_launch_is_primary_second_is_not(primary, app_id) -> None:  # type: ignore[no-untyped-def]
    second = SingleInstance(app_id)
    assert second.is_primary() is False
    assert second.is_primary() is False  # decided once


def test_single_instance_truth_test_without_call_gives_same_decision(primary, app_id) -> None:  # type: ignore[no-untyped-def]
    """``if not guard.is_primary:`` must not silently mean "always primary" (a bound method is truthy)."""
    second = SingleInstance(app_id)
    assert not second.is_primary
    assert second.is_primary() is False
    assert primary.is_primary and primary.is_primary() is True


def test_single_instance_message_received_alias(qtbot, primary, app_id) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(primary.message_received, timeout=5000) as blocker:
        assert SingleInstance(app_id).send("/alias.pdf")
    assert blocker.args == ["/alias.pdf"]


def test_single_instance_send_delivers_path_to_primary(qtbot, primary, app_id, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "Vendor DPA (v2)\nodd name é.pdf"
    second = SingleInstance(app_id)
    assert not second.is_primary()
    with qtbot.waitSignal(primary.file_received, timeout=5000) as blocker:
        assert second.send(str(target)) is True
    assert blocker.args == [str(target)]


def test_single_instance_empty_send_only_activates(qtbot, primary, app_id) -> None:  # type: ignore[no-untyped-def]
    received: list[str] = []
    primary.file_received.connect(received.append)
    with qtbot.waitSignal(primary.activation_requested, timeout=5000):
        assert SingleInstance(app_id).send("")
    qtbot.wait(50)
    assert received == []


def test_single_instance_several_sends_arrive_in_order(qtbot, primary, app_id) -> None:  # type: ignore[no-untyped-def]
    received: list[str] = []
    primary.file_received.connect(received.append)
    paths = [f"/contracts/{i}.docx" for i in range(5)]
    for p in paths:
        assert SingleInstance(app_id).send(p)
    qtbot.waitUntil(lambda: len(received) == len(paths), timeout=5000)
    assert received == paths


def test_single_instance_ignores_garbage(qtbot, primary, app_id) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtNetwork import QLocalSocket

    received: list[str] = []
    primary.file_received.connect(received.append)
    raw = QLocalSocket()
    raw.connectToServer(primary.server_name)
    assert raw.waitForConnected(1000)
    raw.write(b'not json\n{"open": 5}\n\xff\xfe\n')
    raw.waitForBytesWritten(1000)
    raw.disconnectFromServer()
    # then a good message still gets through
    with qtbot.waitSignal(primary.file_received, timeout=5000) as blocker:
        assert SingleInstance(app_id).send("/ok.pdf")
    assert blocker.args == ["/ok.pdf"]
    assert received == ["/ok.pdf"]


def test_single_instance_send_without_primary_fails(qtbot, app_id) -> None:  # type: ignore[no-untyped-def]
    assert SingleInstance(app_id).send("/x.pdf") is False


def test_single_instance_after_close_next_launch_is_primary(qtbot, app_id) -> None:  # type: ignore[no-untyped-def]
    first = SingleInstance(app_id)
    assert first.is_primary()
    first.close()
    again = SingleInstance(app_id)
    assert again.is_primary()
    again.close()


@pytest.mark.skipif(os.name == "nt", reason="Unix socket files only")
def test_single_instance_stale_socket_from_crash_is_replaced(qtbot, app_id) -> None:  # type: ignore[no-untyped-def]
    stale = Path(SingleInstance(app_id).server_name)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(stale))  # bound, never listening: what a killed instance leaves behind
    s.close()
    assert stale.exists()
    try:
        guard = SingleInstance(app_id)
        assert guard.is_primary()
        with qtbot.waitSignal(guard.file_received, timeout=5000):
            assert SingleInstance(app_id).send("/after-crash.pdf")
        guard.close()
    finally:
        stale.unlink(missing_ok=True)


def test_single_instance_simultaneous_launches_elect_one_primary(app_id, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Several launches at the same moment (files double-clicked together): exactly one becomes primary."""
    start_at = time.time() + 3.0
    script = textwrap.dedent(
        f"""
        import sys, time
        from PySide6.QtCore import QCoreApplication
        from contractreview.gui.single_instance import SingleInstance
        probe = SingleInstance._another_is_listening
        def slow_probe(self):  # a busy machine: time passes between "nobody there" and listening
            answer = probe(self)
            time.sleep(0.3)
            return answer
        SingleInstance._another_is_listening = slow_probe
        app = QCoreApplication(sys.argv)
        guard = SingleInstance({app_id!r})
        while time.time() < {start_at!r}:
            time.sleep(0.001)
        print("primary" if guard.is_primary() else "second", flush=True)
        sys.stdin.read()  # stay up, as a window would, until every launch has decided
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    try:
        results = [p.stdout.readline().strip() for p in procs]  # type: ignore[union-attr]
    finally:
        for p in procs:
            p.stdin.close()  # type: ignore[union-attr]
            p.wait(timeout=30)
    assert sorted(results) == ["primary", "second", "second", "second"], results


def test_single_instance_names_differ_per_app_and_are_short(app_id) -> None:
    assert server_name_for(app_id) != server_name_for(app_id + "x")
    assert server_name_for(app_id) == server_name_for(app_id)
    long_name = server_name_for("org." + "x" * 300)
    assert len(long_name) < 60 and "/" not in server_name_for("a/b\\c")


def test_single_instance_second_process_hands_over_and_exits(qtbot, primary, app_id, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A real second launch: another Python process, as a double-click in the file manager would start."""
    contract = tmp_path / "second.pdf"
    script = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtCore import QCoreApplication
        from contractreview.gui.single_instance import SingleInstance
        app = QCoreApplication(sys.argv)
        guard = SingleInstance({app_id!r})
        if guard.is_primary():
            sys.exit(3)
        sys.exit(0 if guard.send({str(contract)!r}) else 4)
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    with qtbot.waitSignal(primary.file_received, timeout=20000) as blocker:
        proc = subprocess.Popen([sys.executable, "-c", script], env=env)
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    assert proc.returncode == 0
    assert blocker.args == [str(contract)]


# --------------------------------------------------------------------------- #19: a hostile local user


@pytest.mark.skipif(os.name == "nt", reason="Unix socket files only")
def test_issue_19_socket_lives_in_a_folder_only_its_owner_can_enter(primary) -> None:  # type: ignore[no-untyped-def]
    """It lived in the shared /tmp under a predictable name: another user could bind it first and receive
    the path of every contract the victim opened."""
    folder = Path(primary.server_name).parent
    st = folder.lstat()
    assert folder.is_absolute() and folder != Path(QDir.tempPath())
    assert st.st_uid == os.geteuid() and st.st_mode & 0o077 == 0 and not folder.is_symlink()
    assert Path(primary.server_name).exists()


@pytest.mark.skipif(os.name == "nt", reason="Unix socket files only")
def test_issue_19_a_squatted_runtime_folder_is_never_used(qtbot, app_id, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert Path(QDir.tempPath()) == tmp_path
    squat = tmp_path / f"contractreview-{os.geteuid()}"
    squat.mkdir()
    squat.chmod(0o777)  # made first by someone else, open to all
    if os.geteuid() == 0:
        os.chown(squat, 65534, 65534)
    guard = SingleInstance(app_id)
    try:
        assert not str(guard.server_name).startswith(str(squat))
        assert guard.is_primary()  # unguarded rather than exposed
        assert list(squat.iterdir()) == []
    finally:
        guard.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_PEERCRED")
def test_issue_19_peer_credentials_are_read_and_a_foreign_peer_is_refused(  # type: ignore[no-untyped-def]
    qtbot, primary, app_id, monkeypatch
) -> None:
    from PySide6.QtNetwork import QLocalSocket

    from contractreview.gui import single_instance as si

    probe = QLocalSocket()
    probe.connectToServer(primary.server_name)
    assert probe.waitForConnected(1000)
    assert si.peer_uid(probe) == os.geteuid()  # the real SO_PEERCRED answer
    probe.abort()

    received: list[str] = []
    primary.file_received.connect(received.append)
    monkeypatch.setattr(si, "peer_uid", lambda conn: os.geteuid() + 1)  # every peer is someone else
    # The sender refuses to tell a foreign server anything; the server ignores a foreign sender.
    assert SingleInstance(app_id).send("/secret/contract.pdf") is False
    raw = QLocalSocket()
    raw.connectToServer(primary.server_name)
    assert raw.waitForConnected(1000)
    raw.write(b'{"open": "/planted.pdf"}\n')
    raw.waitForBytesWritten(1000)
    qtbot.wait(300)
    assert received == []
    monkeypatch.undo()
    with qtbot.waitSignal(primary.file_received, timeout=5000):
        assert SingleInstance(app_id).send("/ok.pdf")
    assert received == ["/ok.pdf"]
