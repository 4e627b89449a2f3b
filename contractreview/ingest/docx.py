"""DOCX ingestion: vet the zip, parse WordprocessingML with a hardened XML parser, resolve numbering.

python-docx models neither tracked changes (``w:ins``/``w:del``) nor list numbering, and it would open
the zip before anyone has looked at it, so this module reads the package itself:

1. the zip is vetted first (member count, declared and actual inflated sizes, compression ratio,
   macros) and only the parts we need are inflated, each with a hard cap;
2. every XML part is refused if it carries a DOCTYPE (XXE, billion laughs) and is then parsed with
   entity resolution, DTD loading and network access switched off;
3. the body is walked in document order: paragraphs (numbering labels resolved through
   ``numbering.xml`` and prefixed into the text), tables (one ``TABLE_CELL`` block per cell),
   content controls, tracked changes (accepted view by default, original view on request),
   comment anchors, page breaks; headers/footers become furniture, footnotes and endnotes are
   appended after the body as ``FOOTNOTE`` blocks.

DOCX has no pages. Word's own ``w:lastRenderedPageBreak`` marks are used when present; otherwise
pages are estimated from explicit page and section breaks plus a text-length estimate, so that
``Block.page`` is a useful approximation. Bounding boxes are ``None``.
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from posixpath import dirname, normpath
from posixpath import join as pjoin
from typing import Any
from zipfile import BadZipFile, LargeZipFile, ZipFile, ZipInfo

from ..domain import Block, BlockKind, Comment, Document, Format, Furniture, Page
from ..errors import (
    ContractReviewError,
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    HostileDocumentError,
)
from ..limits import DEFAULT_LIMITS, Limits

__all__ = ["load_docx", "is_encrypted_ooxml", "MAX_ZIP_MEMBERS"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
DC_NS = "http://purl.org/dc/elements/1.1/"

MAX_ZIP_MEMBERS = 5000
# The ratio check only applies to members that inflate to more than this; tiny XML parts can compress
# very well without being a bomb.
RATIO_FLOOR_BYTES = 1024 * 1024
LETTER = (612.0, 792.0)
# Text-length page estimate for documents without rendered page breaks (Letter, 11 pt, 1" margins).
CHARS_PER_PAGE = 3300
CHARS_PER_LINE = 90

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCTYPE_RE = re.compile(rb"<!\s*DOCTYPE|<!\s*ENTITY", re.IGNORECASE)
_DOCTYPE_UTF16 = [
    s.encode(enc) for s in ("<!DOCTYPE", "<!doctype", "<!ENTITY") for enc in ("utf-16-le", "utf-16-be")
]
_STRICT_NS = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", R_NS.encode()),
)
_MACRO_CT = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def is_encrypted_ooxml(data: bytes) -> bool:
    """True for a password-protected Office file: a CFB container holding ``EncryptionInfo``.

    Word saves an encrypted .docx as an OLE compound file (not a zip) with an ``EncryptionInfo``
    stream and an ``EncryptedPackage`` stream; directory entry names are UTF-16LE.
    """
    if not data.startswith(_CFB_MAGIC):
        return False
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


# --------------------------------------------------------------------------- zip vetting


class _Package:
    """The vetted zip: parts are inflated on demand with their caps enforced."""

    def __init__(self, path: Path, data: bytes, limits: Limits, deadline: float) -> None:
        self.path = path
        self.data = data
        self.limits = limits
        self.deadline = deadline
        self.inflated = 0
        try:
            zf = ZipFile(BytesIO(data))
            infos = zf.infolist()
        except (BadZipFile, LargeZipFile, OSError, ValueError, EOFError, struct.error) as exc:
            raise CorruptDocumentError(f"not a valid DOCX (zip) file ({exc}).", path) from exc
        if len(infos) > MAX_ZIP_MEMBERS:
            raise HostileDocumentError(
                f"the DOCX zip has {len(infos)} members (limit {MAX_ZIP_MEMBERS}); refusing to open it.", path
            )
        declared = 0
        self.members: dict[str, ZipInfo] = {}
        for info in infos:
            declared += info.file_size
            if info.file_size > RATIO_FLOOR_BYTES:
                ratio = info.file_size / max(1, info.compress_size)
                if ratio > limits.max_docx_ratio:
                    raise HostileDocumentError(
                        f"zip bomb: part '{info.filename}' would inflate {ratio:,.0f}x to "
                        f"{info.file_size:,} bytes (limit {limits.max_docx_ratio}x).",
                        path,
                    )
            if info.file_size > limits.max_docx_xml_bytes and info.filename.lower().endswith((".xml", ".rels")):
                # Parsed as a tree, XML takes about 16 times its size in memory (200 MB of formatted runs
                # took 3.3 GB, #19); the ratio check alone let such a part through.
                raise DocumentTooLargeError(
                    f"part '{info.filename}' is {info.file_size / 1e6:.1f} MB of XML, more than the limit of "
                    f"{limits.max_docx_xml_bytes / 1e6:.1f} MB for one part.",
                    path,
                    "Raise CONTRACTREVIEW_MAX_DOCX_XML_BYTES if the file is trusted.",
                )
            self.members[info.filename.lstrip("/")] = info
        if declared > limits.max_docx_uncompressed_bytes:
            raise HostileDocumentError(
                f"zip bomb: the DOCX would inflate to {declared:,} bytes "
                f"(limit {limits.max_docx_uncompressed_bytes:,}).",
                path,
            )
        lower = {name.lower(): name for name in self.members}
        if any(name.endswith("vbaproject.bin") or name.endswith("vbadata.xml") for name in lower):
            raise HostileDocumentError(
                "contains macros (vbaProject.bin); macro-enabled files are not opened.", path
            )
        if path.suffix.lower() in {".docm", ".dotm"}:
            raise HostileDocumentError(
                "contains macros (a macro-enabled .docm file); save it as .docx first.", path
            )
        ct = self.members.get("[Content_Types].xml")
        if ct is not None and _MACRO_CT.search(self.read("[Content_Types].xml")):
            raise HostileDocumentError(
                "contains macros (macro-enabled content type); save it as .docx first.", path
            )

    def has(self, name: str) -> bool:
        return name in self.members

    def read(self, name: str) -> bytes:
        """Inflate one member, never past its declared size or the package budget."""
        info = self.members[name]
        if info.flag_bits & 0x1:
            raise CorruptDocumentError(f"zip part '{name}' is encrypted.", self.path)
        off = info.header_offset
        header = self.data[off : off + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise CorruptDocumentError(f"zip part '{name}' has a broken local header.", self.path)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = off + 30 + name_len + extra_len
        raw = self.data[start : start + info.compress_size]
        if len(raw) < info.compress_size:
            raise CorruptDocumentError(f"zip part '{name}' is truncated.", self.path)
        budget = min(info.file_size, self.limits.max_docx_uncompressed_bytes - self.inflated)
        if info.compress_type == 0:
            out = raw
        elif info.compress_type == 8:
            out = self._inflate(name, raw, budget, info.file_size)
        else:
            raise CorruptDocumentError(
                f"zip part '{name}' uses an unsupported compression method ({info.compress_type}).", self.path
            )
        if len(out) != info.file_size:
            raise CorruptDocumentError(
                f"zip part '{name}' inflates to {len(out):,} bytes but declares {info.file_size:,}.",
                self.path,
            )
        if zlib.crc32(out) & 0xFFFFFFFF != info.CRC:
            raise CorruptDocumentError(f"zip part '{name}' fails its CRC check.", self.path)
        self.inflated += len(out)
        return out

    def _inflate(self, name: str, raw: bytes, budget: int, declared: int) -> bytes:
        d = zlib.decompressobj(-15)
        chunks: list[bytes] = []
        total = 0
        pos = 0
        step = 1 << 16
        try:
            while True:
                if d.unconsumed_tail:
                    piece = d.decompress(d.unconsumed_tail, step)
                elif pos < len(raw):
                    piece = d.decompress(raw[pos : pos + step], step)
                    pos += step
                else:
                    piece = d.flush()
                    if not piece:
                        break
                total += len(piece)
                if total > budget:
                    if total > declared:
                        raise HostileDocumentError(
                            f"zip bomb: part '{name}' inflates past its declared size of {declared:,} bytes.",
                            self.path,
                        )
                    raise HostileDocumentError(
                        f"zip bomb: the DOCX inflates past {self.limits.max_docx_uncompressed_bytes:,} bytes.",
                        self.path,
                    )
                chunks.append(piece)
                if d.eof:
                    break
                if time.monotonic() > self.deadline:
                    raise DocumentTooLargeError(
                        f"reading took longer than {self.limits.max_seconds:g} s.", self.path
                    )
        except zlib.error as exc:
            raise CorruptDocumentError(f"zip part '{name}' is corrupt ({exc}).", self.path) from exc
        return b"".join(chunks)

    def xml(self, name: str) -> Any:
        return _parse_xml(self.read(name), name, self.path)

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationships of ``part``: id -> (type suffix, resolved target, external)."""
        rels_name = pjoin(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels")
        out: dict[str, tuple[str, str, bool]] = {}
        if not self.has(rels_name):
            return out
        for rel in self.xml(rels_name).iter(f"{{{PKG_REL}}}Relationship"):
            rid = rel.get("Id", "")
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            external = rel.get("TargetMode", "") == "External"
            if not external:
                target = (
                    normpath(target.lstrip("/"))
                    if target.startswith("/")
                    else normpath(pjoin(dirname(part), target))
                )
            out[rid] = (kind, target, external)
        return out


def _parse_xml(raw: bytes, name: str, path: Path) -> Any:
    """Parse one part; any DTD is refused before libxml2 sees it, and nothing is ever resolved."""
    from lxml import etree

    if _DOCTYPE_RE.search(raw) or any(p in raw for p in _DOCTYPE_UTF16):
        raise HostileDocumentError(
            f"part '{name}' declares a DOCTYPE/entities (XML external entity or entity-expansion attack); "
            "refusing to parse it.",
            path,
        )
    if b"purl.oclc.org/ooxml" in raw:
        # "Strict Open XML" files use ISO 29500 strict namespaces; the vocabulary is the same.
        for strict, transitional in _STRICT_NS:
            raw = raw.replace(strict, transitional)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptDocumentError(f"part '{name}' is not well-formed XML ({exc}).", path) from exc
    if root is None:
        raise CorruptDocumentError(f"part '{name}' is empty.", path)
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise HostileDocumentError(f"part '{name}' declares a DOCTYPE; refusing to parse it.", path)
    return root


# --------------------------------------------------------------------------- numbering


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    is_lgl: bool = False
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    suff: str = "tab"
    pstyle: str = ""


@dataclass(slots=True)
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _val(el: Any, tag: str) -> str | None:
    child = el.find(_w(tag)) if el is not None else None
    return None if child is None else child.get(_w("val"))


def _read_level(lvl: Any) -> _Level:
    level = _Level()
    fmt = _val(lvl, "numFmt")
    if fmt:
        level.fmt = fmt
    text = _val(lvl, "lvlText")
    if text is not None:
        level.text = text
    level.start = _int(_val(lvl, "start"), 1)
    lgl = lvl.find(_w("isLgl"))
    level.is_lgl = lgl is not None and lgl.get(_w("val"), "true") not in {"0", "false", "off"}
    restart = _val(lvl, "lvlRestart")
    level.restart = None if restart is None else _int(restart, 0)
    level.suff = _val(lvl, "suff") or "tab"
    level.pstyle = _val(lvl, "pStyle") or ""
    return level


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word repeats the letter: a..z, aa..zz, aaa..
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (unknown formats fall back to decimal)."""
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """numbering.xml plus Word's counting: counters are shared per abstractNum, restarted by overrides."""

    def __init__(self, root: Any | None, style_num: dict[str, tuple[str, int | None]]) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}
        self.nums: dict[str, _Num] = {}
        self.style_num = style_num
        self.counters: dict[str, list[int | None]] = {}
        self.seen_nums: set[str] = set()
        if root is None:
            return
        for an in root.iter(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"), "")
            self.abstract[aid] = {
                _int(lvl.get(_w("ilvl"))): _read_level(lvl) for lvl in an.findall(_w("lvl"))
            }
            link = _val(an, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in root.iter(_w("num")):
            nid = num.get(_w("numId"), "")
            entry = _Num(_val(num, "abstractNumId") or "")
            for ov in num.findall(_w("lvlOverride")):
                ilvl = _int(ov.get(_w("ilvl")))
                so = _val(ov, "startOverride")
                if so is not None:
                    entry.starts[ilvl] = _int(so, 1)
                lvl = ov.find(_w("lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _read_level(lvl)
                    if so is None:
                        entry.starts[ilvl] = entry.levels[ilvl].start
            self.nums[nid] = entry

    def _abstract_id(self, num: _Num, depth: int = 0) -> str:
        aid = num.abstract
        # numStyleLink: the list definition lives with the numbering style it names.
        if aid in self.style_link and depth < 5:
            target = self.style_num.get(self.style_link[aid])
            if target and target[0] in self.nums and self.nums[target[0]] is not num:
                return self._abstract_id(self.nums[target[0]], depth + 1)
        return aid

    def levels(self, num_id: str) -> tuple[str, dict[int, _Level]] | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        aid = self._abstract_id(num)
        levels = dict(self.abstract.get(aid, {}))
        levels.update(num.levels)
        return aid, levels

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        found = self.levels(num_id)
        if found is None:
            return None
        for ilvl, level in found[1].items():
            if level.pstyle == style_id:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> tuple[str, str, str]:
        """Advance the list and return (label, suffix, numFmt) for one numbered paragraph."""
        found = self.levels(num_id)
        if found is None:
            return "", "", ""
        aid, levels = found
        ilvl = max(0, min(8, ilvl))
        level = levels.get(ilvl)
        if level is None:
            return "", "", ""
        counters = self.counters.setdefault(aid, [None] * 9)
        num = self.nums[num_id]
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            for lvl_no in num.starts:
                if 0 <= lvl_no < 9:
                    counters[lvl_no] = None
        current = counters[ilvl]
        counters[ilvl] = self._start(num, levels, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            # lvlRestart=0 never restarts; lvlRestart=k restarts after level k (1-based) or any higher one.
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "bullet":
            return "•", " ", "bullet"

        def sub(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            lvl = levels.get(ref, _Level())
            value = (
                counters[ref] if 0 <= ref < 9 and counters[ref] is not None else self._start(num, levels, ref)
            )
            fmt = "decimal" if level.is_lgl and lvl.fmt != "none" else lvl.fmt
            return format_number(int(value or 0), fmt)

        text = re.sub(r"%([1-9])", sub, level.text).strip()
        suff = {"tab": " ", "space": " ", "nothing": ""}.get(level.suff, " ")
        return text, suff, level.fmt

    @staticmethod
    def _start(num: _Num, levels: dict[int, _Level], ilvl: int) -> int:
        if ilvl in num.starts:
            return num.starts[ilvl]
        return levels[ilvl].start if ilvl in levels else 1


# --------------------------------------------------------------------------- styles


@dataclass(slots=True)
class _Style:
    name: str
    based_on: str = ""
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None


def _display_style_name(name: str) -> str:
    # Built-in styles are stored lower-case ("heading 1"); Word shows them capitalised.
    low = name.lower()
    if re.fullmatch(r"heading [1-9]", low) or low in {"title", "subtitle", "normal"}:
        return name[:1].upper() + name[1:]
    return name


class _Styles:
    def __init__(self, root: Any | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_para = ""
        if root is None:
            return
        for st in root.iter(_w("style")):
            if st.get(_w("type"), "paragraph") not in {"paragraph", "numbering"}:
                continue
            sid = st.get(_w("styleId"), "")
            style = _Style(_display_style_name(_val(st, "name") or sid), _val(st, "basedOn") or "")
            ppr = st.find(_w("pPr"))
            if ppr is not None:
                numpr = ppr.find(_w("numPr"))
                if numpr is not None:
                    style.num_id = _val(numpr, "numId")
                    ilvl = _val(numpr, "ilvl")
                    style.ilvl = None if ilvl is None else _int(ilvl)
                outline = _val(ppr, "outlineLvl")
                style.outline = None if outline is None else _int(outline)
            self.styles[sid] = style
            if st.get(_w("default")) in {"1", "true"} and st.get(_w("type"), "paragraph") == "paragraph":
                self.default_para = sid

    def name(self, sid: str) -> str:
        style = self.styles.get(sid)
        return style.name if style else sid

    def num_pr(self, sid: str) -> tuple[str | None, int | None, str]:
        """(numId, ilvl, defining style id) inherited through basedOn."""
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None:
                break
            if style.num_id is not None:
                return style.num_id, style.ilvl, sid
            sid = style.based_on
        return None, None, ""

    def heading_level(self, sid: str) -> int | None:
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None:
                return None
            low = style.name.lower()
            m = re.fullmatch(r"heading ([1-9])", low)
            if m:
                return int(m.group(1))
            if low == "title":
                return 0
            sid = style.based_on
        return None

    def numbering_styles(self) -> dict[str, tuple[str, int | None]]:
        return {sid: (s.num_id, s.ilvl) for sid, s in self.styles.items() if s.num_id is not None}


# --------------------------------------------------------------------------- body walk


@dataclass(slots=True)
class _Para:
    text: str
    style_id: str
    label: str = ""
    suffix: str = ""
    kind: BlockKind = BlockKind.PARAGRAPH
    page: int = 1
    # comment id -> local offsets inside ``text`` (start and/or end), before label prefixing
    marks: list[tuple[str, str, int]] = field(default_factory=list)
    breaks_after: int = 0  # explicit page breaks at the very end of the paragraph


_DESCEND = {
    "hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "bdo", "dir", "permStart",
    "ruby", "rubyBase",
}  # fmt: skip


_BOXES = {_w("drawing"), _w("pict"), _w("object"), f"{{{MC_NS}}}AlternateContent"}


class _Walker:
    def __init__(self, original_view: bool, deadline: float, path: Path, limits: Limits) -> None:
        self.original_view = original_view
        self.tracked = 0
        self.hidden = 0
        self.rendered_breaks = 0
        self.boxed = 0  # runs holding text boxes or shapes with text (not read)
        # Complex fields (fldChar begin/separate/end) nest and may span paragraphs: a stack of
        # "code"/"result" states; instruction text is never body text, results are.
        self.fields: list[str] = []
        self.deadline = deadline
        self.path = path
        self.limits = limits
        self.count = 0

    def _tick(self) -> None:
        self.count += 1
        if self.count % 500 == 0 and time.monotonic() > self.deadline:
            raise DocumentTooLargeError(f"reading took longer than {self.limits.max_seconds:g} s.", self.path)

    def paragraph_text(self, p: Any) -> tuple[str, list[tuple[str, str, int]], list[int]]:
        """Text of one ``w:p``; comment marks; local offsets where a page break occurs."""
        self._tick()
        parts: list[str] = []
        marks: list[tuple[str, str, int]] = []
        breaks: list[int] = []
        length = 0

        def emit(s: str) -> None:
            nonlocal length
            if s:
                parts.append(s)
                length += len(s)

        def walk(el: Any) -> None:
            for child in el:
                tag = child.tag
                if not isinstance(tag, str) or not tag.startswith("{" + W):
                    if isinstance(tag, str) and tag == f"{{{MC_NS}}}AlternateContent":
                        fallback = child.find(f"{{{MC_NS}}}Fallback")
                        if fallback is not None:
                            walk(fallback)
                    continue
                local = tag[len(W) + 2 :]
                if local == "r":
                    run(child)
                elif local in {"ins", "moveTo"}:
                    self.tracked += 1
                    if not self.original_view:
                        walk(child)
                elif local in {"del", "moveFrom"}:
                    self.tracked += 1
                    if self.original_view:
                        walk(child)
                elif local == "commentRangeStart":
                    marks.append((child.get(_w("id"), ""), "start", length))
                elif local == "commentRangeEnd":
                    marks.append((child.get(_w("id"), ""), "end", length))
                elif local in _DESCEND:
                    walk(child)

        def run(r: Any) -> None:
            rpr = r.find(_w("rPr"))
            if rpr is not None:
                vanish = rpr.find(_w("vanish"))
                if vanish is not None and vanish.get(_w("val"), "true") not in {"0", "false", "off"}:
                    if any(c.tag in (_w("t"), _w("delText")) and c.text for c in r):
                        self.hidden += 1
                    return
            for c in r:
                tag = c.tag
                if tag == _w("t"):
                    if "code" not in self.fields:
                        emit(c.text or "")
                elif tag == _w("delText"):
                    if self.original_view and "code" not in self.fields:
                        emit(c.text or "")
                elif tag == _w("tab") or tag == _w("ptab"):
                    emit("\t")
                elif tag == _w("br"):
                    kind = c.get(_w("type"), "textWrapping")
                    if kind == "page":
                        breaks.append(length)
                    elif kind == "textWrapping":
                        emit("\n")
                elif tag == _w("cr"):
                    emit("\n")
                elif tag == _w("noBreakHyphen"):
                    emit("-")
                elif tag == _w("lastRenderedPageBreak"):
                    self.rendered_breaks += 1
                    breaks.append(-1 - length)  # negative: Word's rendered break
                elif tag == _w("fldChar"):
                    kind = c.get(_w("fldCharType"))
                    if kind == "begin" and len(self.fields) < 64:
                        self.fields.append("code")
                    elif kind == "separate" and self.fields:
                        self.fields[-1] = "result"
                    elif kind == "end" and self.fields:
                        self.fields.pop()
                elif tag == _w("commentReference"):
                    marks.append((c.get(_w("id"), ""), "ref", length))
                elif tag == _w("footnoteReference") or tag == _w("endnoteReference"):
                    marks.append(
                        (c.get(_w("id"), ""), "fn" if tag == _w("footnoteReference") else "en", length)
                    )
                elif tag in _BOXES:
                    if any((t.text or "").strip() for t in c.iter(_w("t"))):
                        self.boxed += 1

        walk(p)
        return "".join(parts), marks, breaks


# --------------------------------------------------------------------------- assembly


@dataclass(slots=True)
class _Builder:
    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0
    comment_pos: dict[str, dict[str, int]] = field(default_factory=dict)
    note_refs: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, id, page)

    def add(
        self,
        text: str,
        *,
        page: int,
        kind: BlockKind,
        style: str = "",
        label: str = "",
        prefix: str = "",
        marks: list[tuple[str, str, int]] | None = None,
    ) -> None:
        stripped = text.strip()
        lead = len(text) - len(text.lstrip())
        if not stripped:
            # An empty paragraph can still carry comment anchors; pin them at the current position.
            for cid, what, _ in marks or ():
                self._mark(cid, what, self.length)
            return
        if self.parts:
            self.parts.append("\n")
            self.length += 1
        start = self.length
        body = prefix + stripped
        self.parts.append(body)
        self.length += len(body)
        self.blocks.append(Block(start, self.length, page, kind, None, style, label))
        for cid, what, local in marks or ():
            pos = start + len(prefix) + min(max(0, local - lead), len(stripped))
            if what in {"fn", "en"}:
                self.note_refs.append((what, cid, page))
            else:
                self._mark(cid, what, pos)

    def _mark(self, cid: str, what: str, pos: int) -> None:
        if what in {"fn", "en"}:
            return
        entry = self.comment_pos.setdefault(cid, {})
        entry.setdefault(what, pos)
        if what == "end":
            entry["end"] = pos

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _DocxReader:
    def __init__(self, path: Path, data: bytes, sha256: str, original_view: bool, limits: Limits) -> None:
        self.path = path
        self.sha256 = sha256
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.pkg = _Package(path, data, limits, self.deadline)
        self.warnings: list[str] = []
        self.walker = _Walker(original_view, self.deadline, path, limits)
        self.builder = _Builder()
        self.page = 1
        self.chars_on_page = 0
        self.use_rendered = False
        self.page_size = LETTER
        self.section_pages: list[tuple[int, Any]] = []  # (first page, sectPr)
        self.section_start = 1
        self.styles = _Styles(None)
        self.numbering = _Numbering(None, {})

    # -- package layout
    def main_part(self) -> str:
        if self.pkg.has("_rels/.rels"):
            for rel in self.pkg.xml("_rels/.rels").iter(f"{{{PKG_REL}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                    target = normpath(rel.get("Target", "").lstrip("/"))
                    if self.pkg.has(target):
                        return target
        if self.pkg.has("word/document.xml"):
            return "word/document.xml"
        raise CorruptDocumentError(
            "not a Word document: word/document.xml is missing from the zip.", self.path
        )

    def check_external(self) -> None:
        linked: list[str] = []
        for name in self.pkg.members:
            if not name.endswith(".rels"):
                continue
            for rel in self.pkg.xml(name).iter(f"{{{PKG_REL}}}Relationship"):
                if rel.get("TargetMode", "") == "External":
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    if kind != "hyperlink":
                        linked.append(kind)
        if linked:
            kinds = ", ".join(sorted(set(linked)))
            self.warnings.append(
                f"document links to {len(linked)} external resource(s) ({kinds}); they were not fetched"
            )

    # -- pages
    def _advance_estimate(self, n_chars: int) -> None:
        if self.use_rendered:
            return
        self.chars_on_page += max(n_chars, CHARS_PER_LINE // 2) + CHARS_PER_LINE // 3
        while self.chars_on_page > CHARS_PER_PAGE:
            self.page += 1
            self.chars_on_page -= CHARS_PER_PAGE

    def _new_page(self) -> None:
        self.page += 1
        self.chars_on_page = 0
        if self.page > self.limits.max_pages:
            raise DocumentTooLargeError(
                f"the document runs to more than {self.limits.max_pages} pages (limit).", self.path
            )

    def paragraph(
        self, p: Any, *, kind_override: BlockKind | None = None, out: list[_Para] | None = None
    ) -> None:
        ppr = p.find(_w("pPr"))
        style_id = (_val(ppr, "pStyle") if ppr is not None else None) or self.styles.default_para
        if ppr is not None and ppr.find(_w("pageBreakBefore")) is not None and not self.use_rendered:
            if _val(ppr, "pageBreakBefore") not in {"0", "false", "off"}:
                self._new_page()
        text, marks, breaks = self.walker.paragraph_text(p)
        # numbering: direct numPr wins over the style's
        num_id: str | None = None
        ilvl: int | None = None
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        defining_style = ""
        if numpr is not None and numpr.find(_w("numId")) is not None:
            num_id = _val(numpr, "numId")
            ilvl = _int(_val(numpr, "ilvl"), 0) if numpr.find(_w("ilvl")) is not None else None
            if ilvl is None:
                s_num, s_ilvl, defining_style = self.styles.num_pr(style_id)
                ilvl = s_ilvl if s_num == num_id else None
        else:
            num_id, ilvl, defining_style = self.styles.num_pr(style_id)
            if numpr is not None and numpr.find(_w("ilvl")) is not None:
                ilvl = _int(_val(numpr, "ilvl"), 0)  # direct level on the style's list
        label = suffix = fmt = ""
        # A paragraph whose mark is a tracked deletion (accepted view) or insertion (original view)
        # does not exist in that view, so it must not consume a list number; Word counts every other
        # numbered paragraph, even an empty one.
        mark = ppr.find(_w("rPr")) if ppr is not None else None
        gone = mark is not None and mark.find(_w("ins" if self.walker.original_view else "del")) is not None
        if mark is not None and (mark.find(_w("ins")) is not None or mark.find(_w("del")) is not None):
            self.walker.tracked += 1
        if num_id and num_id != "0" and (text.strip() or not gone):
            if ilvl is None:
                ilvl = self.numbering.level_for_style(num_id, defining_style or style_id) or 0
            label, suffix, fmt = self.numbering.label(num_id, ilvl)
        heading = self.styles.heading_level(style_id)
        if kind_override is not None:
            kind = kind_override
        elif heading is not None:
            kind = BlockKind.HEADING
        elif label:
            kind = BlockKind.LIST_ITEM
        else:
            kind = BlockKind.PARAGRAPH
        # Page breaks before the first character belong before the block; later ones after it.
        # In rendered mode only Word's own marks count (it writes one for every break it rendered).
        if self.use_rendered:
            offsets = [-1 - b for b in breaks if b < 0]
        else:
            offsets = [b for b in breaks if b >= 0]
        has_text = bool(text.strip())
        before = sum(1 for b in offsets if has_text and not text[:b].strip())
        for _ in range(min(before, 1)):
            self._new_page()
        page = self.page
        para = _Para(text, style_id, label, suffix, kind, page, marks)
        para.breaks_after = len(offsets) - before
        if out is not None:
            out.append(para)
            return
        self.emit(para)

    def emit(self, para: _Para) -> None:
        prefix = ""
        if para.label and para.label != "•":
            prefix = para.label + (para.suffix or "")
        self.builder.add(
            para.text,
            page=para.page,
            kind=para.kind,
            style=self.styles.name(para.style_id),
            label=para.label,
            prefix=prefix,
            marks=para.marks,
        )
        self._advance_estimate(len(para.text))
        for _ in range(para.breaks_after):
            self._new_page()
        if self.builder.length > self.limits.max_text_chars:
            raise DocumentTooLargeError(
                f"the document has more than {self.limits.max_text_chars:,} characters of text (limit).",
                self.path,
            )

    def _rows(self, tbl: Any) -> Iterator[Any]:
        for child in tbl:
            if child.tag == _w("tr"):
                yield child
            elif child.tag in {_w("sdt"), _w("customXml"), _w("sdtContent")}:
                yield from self._rows(child)

    def table(self, tbl: Any) -> None:
        for tr in self._rows(tbl):
            for tc in self._cells(tr):
                paras: list[_Para] = []
                self._cell_paragraphs(tc, paras)
                paras = [p for p in paras if p.text.strip()]
                if not paras:
                    continue
                pieces: list[str] = []
                marks: list[tuple[str, str, int]] = []
                offset = 0
                for i, p in enumerate(paras):
                    if i:
                        pieces.append("\n")
                        offset += 1
                    prefix = p.label + p.suffix if p.label and p.label != "•" else ""
                    body = prefix + p.text.strip()
                    lead = len(p.text) - len(p.text.lstrip())
                    for cid, what, local in p.marks:
                        marks.append((cid, what, offset + len(prefix) + max(0, local - lead)))
                    pieces.append(body)
                    offset += len(body)
                first = paras[0]
                self.builder.add(
                    "".join(pieces),
                    page=first.page,
                    kind=BlockKind.TABLE_CELL,
                    style=self.styles.name(first.style_id),
                    label="",
                    marks=marks,
                )
                self._advance_estimate(offset)
                for p in paras:
                    for _ in range(p.breaks_after):
                        self._new_page()

    def _cells(self, tr: Any) -> Iterator[Any]:
        for child in tr:
            if child.tag == _w("tc"):
                yield child
            elif child.tag in {_w("sdt"), _w("customXml")}:
                content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
                if content is not None:
                    yield from self._cells(content)

    def _cell_paragraphs(self, container: Any, out: list[_Para]) -> None:
        for child in container:
            if child.tag == _w("p"):
                self.paragraph(child, kind_override=BlockKind.TABLE_CELL, out=out)
            elif child.tag == _w("tbl"):
                for tr in self._rows(child):
                    for tc in self._cells(tr):
                        self._cell_paragraphs(tc, out)
            elif child.tag in {_w("sdt"), _w("customXml"), _w("sdtContent")}:
                self._cell_paragraphs(child, out)

    def body(self, container: Any) -> None:
        for child in container:
            tag = child.tag
            if tag == _w("p"):
                self.paragraph(child)
                ppr = child.find(_w("pPr"))
                sect = ppr.find(_w("sectPr")) if ppr is not None else None
                if sect is not None:
                    self.section_pages.append((self.section_start, sect))
                    if not self.use_rendered and (_val(sect, "type") or "nextPage") != "continuous":
                        self._new_page()
                    self.section_start = self.page
            elif tag == _w("tbl"):
                self.table(child)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self.body(content)
            elif tag == _w("customXml"):
                self.body(child)
            elif tag in {_w("ins"), _w("moveTo")}:  # block-level tracked insertions (rare)
                self.walker.tracked += 1
                if not self.walker.original_view:
                    self.body(child)
            elif tag in {_w("del"), _w("moveFrom")}:
                self.walker.tracked += 1
                if self.walker.original_view:
                    self.body(child)
            elif tag == _w("sectPr"):
                self.section_pages.append((self.section_start, child))

    # -- side parts
    def furniture(self, rels: dict[str, tuple[str, str, bool]]) -> list[Furniture]:
        out: list[Furniture] = []
        seen: set[tuple[str, BlockKind]] = set()
        for first_page, sect in self.section_pages:
            for ref_tag, kind in (
                ("headerReference", BlockKind.HEADER),
                ("footerReference", BlockKind.FOOTER),
            ):
                for ref in sect.findall(_w(ref_tag)):
                    rid = ref.get(f"{{{R_NS}}}id", "")
                    if rid not in rels or rels[rid][2] or not self.pkg.has(rels[rid][1]):
                        continue
                    part = rels[rid][1]
                    root = self.pkg.xml(part)
                    self.walker.fields = []
                    texts = [self.walker.paragraph_text(p)[0].strip() for p in root.iter(_w("p"))]
                    text = "\n".join(t for t in texts if t)
                    if text and (text, kind) not in seen:
                        seen.add((text, kind))
                        out.append(Furniture(text, first_page, kind, None))
        return out

    def notes(self, rels: dict[str, tuple[str, str, bool]]) -> None:
        refs = self.builder.note_refs
        if not refs:
            return
        for kind, part_kind, tag in (("fn", "footnotes", "footnote"), ("en", "endnotes", "endnote")):
            wanted = [(cid, page) for k, cid, page in refs if k == kind]
            if not wanted:
                continue
            part = next((t for (k, t, ext) in rels.values() if k == part_kind and not ext), None)
            if part is None or not self.pkg.has(part):
                continue
            notes = {n.get(_w("id"), ""): n for n in self.pkg.xml(part).iter(_w(tag))}
            self.walker.fields = []
            number = 0
            for cid, page in wanted:
                note = notes.get(cid)
                if note is None or note.get(_w("type")) in {
                    "separator",
                    "continuationSeparator",
                    "continuationNotice",
                }:
                    continue
                number += 1
                label = str(number) if kind == "fn" else _roman(number)
                texts = [self.walker.paragraph_text(p)[0].strip() for p in note.iter(_w("p"))]
                text = " ".join(t for t in texts if t)
                if not text:
                    continue
                page_no = page if kind == "fn" else self.page
                self.builder.add(
                    text,
                    page=page_no,
                    kind=BlockKind.FOOTNOTE,
                    style=part_kind,
                    label=f"[{label}]",
                    prefix=f"[{label}] ",
                )

    def comments(self, rels: dict[str, tuple[str, str, bool]]) -> list[Comment]:
        part = next((t for (k, t, ext) in rels.values() if k == "comments" and not ext), None)
        if part is None or not self.pkg.has(part):
            return []
        out: list[Comment] = []
        end_of_text = self.builder.length
        self.walker.fields = []
        for c in self.pkg.xml(part).iter(_w("comment")):
            cid = c.get(_w("id"), "")
            texts = [self.walker.paragraph_text(p)[0].strip() for p in c.iter(_w("p"))]
            pos = self.builder.comment_pos.get(cid, {})
            start = pos.get("start", pos.get("ref", pos.get("end", 0)))
            end = pos.get("end", pos.get("ref", start))
            start = min(start, end_of_text)
            end = min(max(end, start), end_of_text)
            out.append(Comment(c.get(_w("author"), ""), "\n".join(t for t in texts if t), start, end))
        out.sort(key=lambda c: (c.start, c.end))
        return out

    def title(self) -> str:
        if self.pkg.has("docProps/core.xml"):
            try:
                el = self.pkg.xml("docProps/core.xml").find(f"{{{DC_NS}}}title")
            except CorruptDocumentError:
                el = None
            if el is not None and (el.text or "").strip():
                return el.text.strip()
        for b in self.builder.blocks:
            if b.kind is BlockKind.HEADING and b.style == "Title":
                return self.builder.text[b.start : b.end]
        return ""

    def read(self) -> Document:
        main = self.main_part()
        if self.pkg.members[main].file_size == 0:
            raise CorruptDocumentError("word/document.xml is empty.", self.path)
        self.check_external()
        rels = self.pkg.rels(main)
        styles_part = next(
            (t for (k, t, ext) in rels.values() if k == "styles" and not ext), "word/styles.xml"
        )
        numbering_part = next(
            (t for (k, t, ext) in rels.values() if k == "numbering" and not ext), "word/numbering.xml"
        )
        self.styles = _Styles(self.pkg.xml(styles_part) if self.pkg.has(styles_part) else None)
        self.numbering = _Numbering(
            self.pkg.xml(numbering_part) if self.pkg.has(numbering_part) else None,
            self.styles.numbering_styles(),
        )
        root = self.pkg.xml(main)
        body = root.find(_w("body"))
        if root.tag != _w("document") or body is None:
            raise CorruptDocumentError("word/document.xml has no document body.", self.path)
        # Trust Word's rendered page breaks when the file has them; otherwise estimate.
        self.use_rendered = next(body.iter(_w("lastRenderedPageBreak")), None) is not None
        self.body(body)
        final_sect = body.find(_w("sectPr"))
        if final_sect is not None:
            size = final_sect.find(_w("pgSz"))
            if size is not None:
                wd, ht = _int(size.get(_w("w"))), _int(size.get(_w("h")))
                if 1440 <= wd <= 200 * 1440 and 1440 <= ht <= 200 * 1440:
                    self.page_size = (wd / 20.0, ht / 20.0)
        self.notes(rels)
        comments = self.comments(rels)
        furniture = self.furniture(rels)
        text = self.builder.text
        # A trailing page break with nothing after it does not make a page.
        n_pages = max([1] + [b.page for b in self.builder.blocks]) if self.builder.blocks else 1
        if self.walker.tracked:
            self.warnings.insert(
                0,
                "document contains tracked changes (unaccepted revisions); showing the "
                + (
                    "original text, revisions rejected"
                    if self.walker.original_view
                    else "text with all changes accepted"
                ),
            )
        if self.walker.boxed:
            self.warnings.append(
                f"document has {self.walker.boxed} text box(es) or shape(s) with text; that text was not read"
            )
        if self.walker.hidden:
            self.warnings.append(
                f"document contains hidden text ({self.walker.hidden} run(s)); it was left out"
            )
        if not text.strip():
            self.warnings.append("document body has no text")
        w, h = self.page_size
        return Document(
            source_path=str(self.path),
            sha256=self.sha256,
            format=Format.DOCX,
            text=text,
            pages=tuple(Page(i, w, h, True) for i in range(1, n_pages + 1)),
            blocks=tuple(self.builder.blocks),
            warnings=tuple(self.warnings),
            furniture=tuple(furniture),
            comments=tuple(comments),
            title=self.title(),
        )


def load_docx(
    path: Path, data: bytes, sha256: str, *, original_view: bool = False, limits: Limits | None = None
) -> Document:
    """Read a DOCX already loaded into memory.

    :param original_view: show the text as it was before tracked changes (deletions kept, insertions dropped)
    :raises EncryptedDocumentError: password-protected OOXML
    :raises HostileDocumentError: zip bomb, DTD/entities, macros, absurd member count
    :raises CorruptDocumentError: not a zip, missing or broken parts
    :raises DocumentTooLargeError: past the text, page or time limits
    """
    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    if is_encrypted_ooxml(data):
        raise EncryptedDocumentError(
            "the Word document is password-protected, and encrypted DOCX files cannot be opened here.",
            path,
            "Remove the password in Word (File > Info > Protect Document > Encrypt with Password) and open the copy.",
        )
    if data.startswith(_CFB_MAGIC):
        raise CorruptDocumentError(
            "this is a legacy Word 97-2003 (.doc) or other OLE file, not a DOCX; save it as .docx first.",
            path,
        )
    try:
        return _DocxReader(path, data, sha256, original_view, limits).read()
    except ContractReviewError:
        raise
    except RecursionError as exc:
        raise HostileDocumentError("the document's XML is nested too deeply.", path) from exc
    except MemoryError as exc:
        raise DocumentTooLargeError("the document is too large to read into memory.", path) from exc
    except Exception as exc:  # noqa: BLE001 - ingestion never raises anything but our own errors
        raise CorruptDocumentError(
            f"the DOCX could not be read ({type(exc).__name__}: {exc}).", path
        ) from exc
