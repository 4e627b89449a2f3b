"""Owner-only atomic file writes shared by the store's hand-over files and the settings file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private_atomic(dest: Path, payload: bytes) -> Path:
    """Write ``payload`` to ``dest`` through a 0600 temp file in the same folder, fsync, then ``os.replace``.

    A folder it has to create is owner-only (0700): names in it can be vendors' file names. A crash leaves
    the old file or the new one, never half of one.
    """
    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)  # mkstemp is 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return dest
