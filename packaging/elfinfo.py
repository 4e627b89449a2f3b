"""Read what an ELF file needs from the system: shared libraries (DT_NEEDED) and symbol versions.

The bundle's glibc floor is the highest ``GLIBC_x.y`` version any bundled program or library asks
for (its ``.gnu.version_r`` section, what ``objdump -T`` shows); the dynamic loader refuses to start a
file whose versions the system's C library lacks. Standard library only, so the PyInstaller spec, the
bundle build and the tests can all use it without binutils.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_SHT_DYNAMIC = 6
_SHT_GNU_VERNEED = 0x6FFFFFFE
_DT_NEEDED = 1
_DT_SONAME = 14
_GLIBC = re.compile(r"^GLIBC_(\d+(?:\.\d+)+)$")


@dataclass(frozen=True, slots=True)
class ElfInfo:
    """The dynamic-linking facts of one ELF file."""

    path: Path
    soname: str | None
    needed: tuple[str, ...]
    # needed library -> symbol version names asked of it ("GLIBC_2.34", "GLIBCXX_3.4.29", ...)
    versions: dict[str, frozenset[str]] = field(default_factory=dict)

    def version_floor(self, prefix: str = "GLIBC") -> tuple[int, ...] | None:
        """Highest ``<prefix>_x.y[.z]`` version this file requires, or None."""
        pattern = _GLIBC if prefix == "GLIBC" else re.compile(rf"^{re.escape(prefix)}_(\d+(?:\.\d+)+)$")
        found = [
            tuple(int(p) for p in m.group(1).split("."))
            for names in self.versions.values()
            for name in names
            if (m := pattern.match(name))
        ]
        return max(found) if found else None


def read_elf(path: Path) -> ElfInfo | None:
    """The file's needed libraries and symbol versions; None when it is not an ELF file."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"\x7fELF":
                return None
        blob = path.read_bytes()
    except OSError:
        return None
    if len(blob) < 64:
        return None
    wide = blob[4] == 2
    end = "<" if blob[5] == 1 else ">"
    if wide:
        (shoff,) = struct.unpack_from(end + "Q", blob, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", blob, 0x3A)
        sh_fmt = end + "IIQQQQIIQQ"
    else:
        (shoff,) = struct.unpack_from(end + "I", blob, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", blob, 0x2E)
        sh_fmt = end + "IIIIIIIIII"
    sections = []
    for i in range(shnum):
        off = shoff + i * shentsize
        if off + struct.calcsize(sh_fmt) > len(blob):
            break
        _name, sh_type, _flags, _addr, offset, size, link, info, _align, _entsize = struct.unpack_from(
            sh_fmt, blob, off
        )
        sections.append((sh_type, offset, size, link, info))

    def string(table: int, index: int) -> str:
        if not 0 <= table < len(sections):
            return ""
        start = sections[table][1] + index
        stop = blob.find(b"\0", start)
        return blob[start:stop].decode("utf-8", "replace")

    needed: list[str] = []
    soname = None
    versions: dict[str, set[str]] = {}
    dyn_fmt = end + ("qQ" if wide else "iI")
    dyn_size = struct.calcsize(dyn_fmt)
    for sh_type, offset, size, link, info in sections:
        if sh_type == _SHT_DYNAMIC:
            for pos in range(offset, offset + size - dyn_size + 1, dyn_size):
                tag, val = struct.unpack_from(dyn_fmt, blob, pos)
                if tag == 0:
                    break
                if tag == _DT_NEEDED:
                    needed.append(string(link, val))
                elif tag == _DT_SONAME:
                    soname = string(link, val)
        elif sh_type == _SHT_GNU_VERNEED:
            pos = offset
            for _ in range(info):
                _ver, count, file_idx, aux, nxt = struct.unpack_from(end + "HHIII", blob, pos)
                lib = string(link, file_idx)
                apos = pos + aux
                for _ in range(count):
                    _hash, _vflags, _other, name_idx, anext = struct.unpack_from(end + "IHHII", blob, apos)
                    versions.setdefault(lib, set()).add(string(link, name_idx))
                    if not anext:
                        break
                    apos += anext
                if not nxt:
                    break
                pos += nxt
    return ElfInfo(path, soname, tuple(needed), {k: frozenset(v) for k, v in versions.items()})


def elf_files(folder: Path) -> Iterator[ElfInfo]:
    """Every ELF file under ``folder`` (symbolic links skipped: their targets are listed)."""
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = read_elf(path)
            if info is not None:
                yield info


def glibc_floor(infos: Iterable[ElfInfo]) -> tuple[tuple[int, ...] | None, list[Path]]:
    """The highest GLIBC version required by any of ``infos``, and the files that require it."""
    best: tuple[int, ...] | None = None
    files: list[Path] = []
    for info in infos:
        v = info.version_floor("GLIBC")
        if v is None:
            continue
        if best is None or v > best:
            best, files = v, [info.path]
        elif v == best:
            files.append(info.path)
    return best, files


def version_text(version: tuple[int, ...] | None) -> str:
    return ".".join(map(str, version)) if version else "none"
