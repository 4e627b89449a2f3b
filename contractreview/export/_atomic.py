"""Atomic, private file writes shared by every exporter."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import ExportError

STALE_TEMP_SECONDS = 15 * 60


def sweep_stale_temps(folder: Path, name: str, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove temporary files a killed export of ``name`` left in ``folder`` (issue #7: temp files are
    removed after a crash on the next run). Only our own pattern (``.NAME.<random>.tmp``), only files
    untouched for ``older_than`` seconds, so a concurrent export's temp file is never taken."""
    import time

    removed = 0
    now = time.time()
    try:
        candidates = list(Path(folder).glob(f".{glob_escape(name)}.*.tmp"))
    except OSError:
        return 0
    for p in candidates:
        try:
            st = p.lstat()
            if p.is_symlink() or not p.is_file() or now - st.st_mtime < older_than:
                continue
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                continue
            p.unlink()
            removed += 1
        except OSError:
            continue
    return removed


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


@contextlib.contextmanager
def atomic_path(dest: Path, *, refuse: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path next to ``dest``; on success it replaces ``dest`` with mode 0600.

    The temporary file lives in the destination directory so ``os.replace`` never crosses a file
    system, and a crash leaves either the old file or the new one, never half of one.
    :raises ExportError: when the folder is missing or not writable, or ``dest`` is a protected file.
    """
    dest = Path(dest)
    for other in refuse:
        with contextlib.suppress(OSError):
            if dest.exists() and os.path.samefile(dest, other):
                raise ExportError(
                    "refusing to overwrite the original contract. Choose another output file.", dest
                )
    if dest.is_dir():
        raise ExportError("is a folder; give a file name for the export.", dest)
    parent = dest.parent if str(dest.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"the folder {parent.name or parent} does not exist. Create it or choose another output folder.", dest)
    sweep_stale_temps(parent, dest.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ExportError(f"cannot write in this folder ({exc.strerror or exc}).", dest) from exc
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        os.chmod(tmp_path, 0o600)
        yield tmp_path
        os.chmod(tmp_path, 0o600)
        os.replace(tmp_path, dest)
    except ExportError:
        tmp_path.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise ExportError(f"could not be written ({exc.strerror or exc}).", dest) from exc
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_atomic(dest: Path, writer: Callable[[Path], None], *, refuse: tuple[Path, ...] = ()) -> Path:
    """Run ``writer(tmp_path)`` and move the result onto ``dest`` atomically (mode 0600)."""
    with atomic_path(Path(dest), refuse=refuse) as tmp:
        writer(tmp)
    return Path(dest)


def save_docx(document: object) -> Callable[[Path], None]:
    """A writer for :func:`write_atomic` that saves a python-docx document.

    The package is built in memory and written with one plain file write: python-docx saving straight
    to the file on a full disk left a half-closed ``ZipFile`` whose finaliser printed a traceback after
    the one-line error (#19).
    """
    import io

    def _w(tmp: Path) -> None:
        buf = io.BytesIO()
        document.save(buf)  # type: ignore[attr-defined]
        with open(tmp, "wb") as fh:
            fh.write(buf.getbuffer())

    return _w


def write_text_atomic(dest: Path, text: str, *, newline: str | None = None) -> Path:
    def _w(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline=newline) as fh:
            fh.write(text)

    return write_atomic(dest, _w)
