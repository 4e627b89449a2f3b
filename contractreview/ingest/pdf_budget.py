"""A decompression budget for PDF streams, checked before pdfium sees the file (#19).

pdfium inflates a page's content streams whole when it loads the page, with no limit: a 2 MB PDF whose
one content stream inflates to 2 GB took 3 GB of memory. DOCX members have had a ratio limit since the
first hardening round; this is the PDF counterpart. Every stream of the file is decoded here, as a
stream of chunks that are counted and dropped (memory stays at a few megabytes), through the filters
its dictionary names (Flate, LZW, RunLength, ASCIIHex, ASCII85; chains of them too). A stream that
would inflate beyond ``Limits.max_pdf_stream_bytes``, a file whose streams together exceed
``Limits.max_pdf_decoded_bytes``, or a scan longer than the reading time limit is refused with one line
naming the file.

Image streams (DCT, JPX, JBIG2, CCITT, or a dictionary with ``/Subtype /Image``) and embedded files are
not decoded: text extraction never decodes them. An encrypted file's streams are decrypted by pypdf first (the password
given, or the empty one); one pypdf cannot decrypt is left to pdfium's refusal.
"""

from __future__ import annotations

import base64
import re
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import DocumentTooLargeError
from ..limits import Limits

_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")  # not the one ending "endstream"
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9.#]+)")
_NAME = re.compile(rb"/([A-Za-z0-9.#]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
# Streams text extraction never decodes: images, and attached files (unless they are also a form, which
# pdfium would draw). They are decoded after all if a page names one as its content (see ``_Meter.deferred``).
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_EMBEDDED = re.compile(rb"/Type\s*/EmbeddedFile\b")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _unescape(dictionary: bytes) -> bytes:
    """Names with ``#xx`` escapes as pdfium reads them (``/F#6frm`` is ``/Form``), so no key hides."""
    if b"#" not in dictionary:
        return dictionary
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), dictionary)
_CHUNK = 1 << 16
_IMAGE_FILTERS = {b"DCTDecode", b"DCT", b"JPXDecode", b"JBIG2Decode", b"CCITTFaxDecode", b"CCF", b"Crypt"}


class _OverBudget(Exception):
    pass


def _chunks(raw: memoryview) -> Iterator[bytes]:
    for i in range(0, len(raw), _CHUNK):
        yield bytes(raw[i : i + _CHUNK])


def _flate(src: Iterable[bytes]) -> Iterator[bytes]:
    d = zlib.decompressobj()
    try:
        for chunk in src:
            data = chunk
            while data:
                out = d.decompress(data, _CHUNK)
                if out:
                    yield out
                data = d.unconsumed_tail
            if d.eof:
                return
        out = d.flush()
        if out:
            yield out
    except zlib.error:
        return  # damaged data: pdfium stops there too


def _run_length(src: Iterable[bytes]) -> Iterator[bytes]:
    buf = b""
    for chunk in src:
        buf += chunk
        out = bytearray()
        i = 0
        while i < len(buf):
            n = buf[i]
            if n == 128:
                yield bytes(out)
                return
            if n < 128:
                if i + 1 + n + 1 > len(buf):
                    break
                out += buf[i + 1 : i + 2 + n]
                i += 2 + n
            else:
                if i + 1 >= len(buf):
                    break
                out += buf[i + 1 : i + 2] * (257 - n)
                i += 2
        buf = buf[i:]
        if out:
            yield bytes(out)


def _lzw(src: Iterable[bytes]) -> Iterator[bytes]:
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    width, bits, nbits, prev = 9, 0, 0, b""
    for chunk in src:
        out = bytearray()
        for byte in chunk:
            bits = (bits << 8) | byte
            nbits += 8
            while nbits >= width:
                nbits -= width
                code = (bits >> nbits) & ((1 << width) - 1)
                bits &= (1 << nbits) - 1
                if code == 256:
                    table, width, prev = table[:258], 9, b""
                    continue
                if code == 257:
                    yield bytes(out)
                    return
                if code < len(table):
                    entry = table[code]
                elif prev:
                    entry = prev + prev[:1]
                else:
                    yield bytes(out)
                    return
                out += entry
                if prev:
                    table.append(prev + entry[:1])
                prev = entry
                if len(table) + 1 >= (1 << width) and width < 12:
                    width += 1
        if out:
            yield bytes(out)


def _ascii_hex(src: Iterable[bytes]) -> Iterator[bytes]:
    data = b"".join(src)
    data = re.sub(rb"\s", b"", data.split(b">", 1)[0])
    if len(data) % 2:
        data += b"0"
    try:
        yield bytes.fromhex(data.decode("ascii"))
    except ValueError:
        return


def _ascii85(src: Iterable[bytes]) -> Iterator[bytes]:
    data = b"".join(src)
    data = data.split(b"~>", 1)[0].translate(None, b" \t\r\n\x0c\x00").removeprefix(b"<~")
    try:
        yield _a85_fast(data)
    except ValueError:
        return


def _a85_fast(data: bytes) -> bytes:
    """ASCII85 decoding with numpy (a spaCy dependency, always present): reportlab writes every content
    stream as ASCII85 + Flate, and ``base64.a85decode`` (pure Python) tripled the scan's time."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return base64.a85decode(data)
    if b"z" in data:
        data = data.replace(b"z", b"!!!!!")
    if not data:
        return b""
    pad = -len(data) % 5
    digits = np.frombuffer(data + b"u" * pad, dtype=np.uint8).astype(np.uint64)
    if digits.size and (digits.min() < 33 or digits.max() > 117):
        raise ValueError("not ASCII85")
    groups = (digits - 33).reshape(-1, 5)
    values = groups @ np.array([85**4, 85**3, 85**2, 85, 1], dtype=np.uint64)
    if values.size and values.max() > 0xFFFFFFFF:
        raise ValueError("ASCII85 group out of range")
    out = values.astype(">u4").tobytes()
    return out[: len(out) - pad] if pad else out


_DECODERS = {
    b"FlateDecode": _flate,
    b"Fl": _flate,
    b"LZWDecode": _lzw,
    b"LZW": _lzw,
    b"RunLengthDecode": _run_length,
    b"RL": _run_length,
    b"ASCIIHexDecode": _ascii_hex,
    b"AHx": _ascii_hex,
    b"ASCII85Decode": _ascii85,
    b"A85": _ascii85,
}


def _filters(dictionary: bytes) -> list[bytes]:
    m = _FILTER.search(dictionary)
    if m is None:
        return []
    return _NAME.findall(m.group(1))


def _budgeted(src: Iterable[bytes], limit: int, keep: list[bytes] | None = None) -> int:
    n = 0
    for chunk in src:
        n += len(chunk)
        if n > limit:
            raise _OverBudget
        if keep is not None:
            keep.append(chunk)
    return n


# What a stream is, from its dictionary: fonts may be large and are not parsed into page objects; object
# streams hold the dictionaries of other objects (pages among them); forms are drawn into pages.
_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_CONTENTS = re.compile(rb"/Contents\s*(?:(\d+)\s+\d+\s+R|\[((?:\s*\d+\s+\d+\s+R)*)\s*\])")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")
# "/Fm0 Do" in content, and "/Fm0 12 0 R" in a resource dictionary: which form a page (or form) draws,
# and how often. pdfium parses a form's content again for every time it is drawn.
_DO = re.compile(rb"/([^\s/<>\[\]()%{}]+)\s*Do\b")
_NAMED_REF = re.compile(rb"/([^\s/<>\[\]()%{}]+)\s*(\d+)\s+\d+\s+R")
_MAX_NESTING = 64


class _Meter:
    """Counts decoded bytes per stream, per page, for forms and in all, and watches the clock.

    pdfium's memory follows the content it parses, not the file: a 60 MB content stream of tiny path
    operators took 1.25 GB and 28 s to load as one page. So content streams (and the form XObjects pages
    draw) get a small budget; fonts a larger one; and a page's content streams together one more.
    """

    def __init__(self, path: Path, limits: Limits, started: float) -> None:
        self.path, self.limits, self.started = path, limits, started
        self.count_draws = True  # without a form in the file, drawing costs nothing more to count
        self.total = self.forms = 0
        self.sizes: dict[int, int] = {}
        self.objstm: list[bytes] = []  # decoded object streams: where compressed page dictionaries live
        self.draws: dict[int, Counter[bytes]] = {}  # stream -> XObject name -> times drawn
        self.form_ids: set[int] = set()
        self.named: dict[bytes, set[int]] = {}  # resource name -> objects it names somewhere in the file
        self._expanded: dict[int, int] = {}
        self.deferred: dict[int, tuple[Iterable[bytes], bytes]] = {}  # skipped streams, decoded if drawn

    def _refuse(self, what: str, limit: int, env: str) -> DocumentTooLargeError:
        return DocumentTooLargeError(
            f"{what} inflates to more than {limit / 1e6:.1f} MB (a compression bomb, or content far beyond "
            "any contract); it was not opened.",
            self.path,
            f"Raise {env} if the file is trusted.",
        )

    def stream(self, src: Iterable[bytes], label: str, dictionary: bytes, idnum: int | None) -> None:
        limits = self.limits
        objstm = bool(_OBJSTM.search(dictionary))
        big = objstm or bool(_FONT.search(dictionary))
        limit = limits.max_pdf_stream_bytes if big else limits.max_pdf_content_bytes
        # Object streams are kept to find page dictionaries; content (at most the content budget) to count
        # the forms it draws, when the file has forms.
        keep: list[bytes] | None = [] if objstm or (self.count_draws and not big) else None
        try:
            size = _budgeted(src, limit, keep)
        except _OverBudget:
            env = "CONTRACTREVIEW_MAX_PDF_STREAM_BYTES" if big else "CONTRACTREVIEW_MAX_PDF_CONTENT_BYTES"
            raise self._refuse(f"{label} of the PDF", limit, env) from None
        if keep is not None:
            blob = b"".join(keep)
            if objstm:
                self.objstm.append(blob)
            elif idnum is not None and b"Do" in blob:
                self.draws[idnum] = Counter(_DO.findall(blob))
        if idnum is not None:
            self.sizes[idnum] = size
        if _FORM.search(dictionary):
            if idnum is not None:
                self.form_ids.add(idnum)
            self.forms += size
            if self.forms > limits.max_pdf_content_bytes * 2:
                raise self._refuse("the PDF's form XObjects together", limits.max_pdf_content_bytes * 2,
                                   "CONTRACTREVIEW_MAX_PDF_CONTENT_BYTES")
        self.total += size
        if self.total > limits.max_pdf_decoded_bytes:
            raise self._refuse("the PDF's streams together", limits.max_pdf_decoded_bytes,
                               "CONTRACTREVIEW_MAX_PDF_DECODED_BYTES")
        if time.monotonic() - self.started > limits.max_seconds:
            raise DocumentTooLargeError(
                f"reading took longer than {limits.max_seconds:g} seconds (checking the PDF's streams).",
                self.path,
                "Raise CONTRACTREVIEW_MAX_SECONDS if the file is trusted.",
            )

    def expanded(self, idnum: int, stack: tuple[int, ...] = ()) -> int:
        """The content pdfium parses for stream ``idnum``: its own bytes, plus each form it draws as many
        times as it draws it, recursively (a 3 KB PDF drawing one 10 KB form 100,000 times took 18 GB
        and did not finish in five minutes). A form's name counts for the largest form it names anywhere
        in the file; a form already being drawn (a cycle) or nesting deeper than pdfium goes counts 0."""
        if idnum in self._expanded:
            return self._expanded[idnum]
        if idnum in stack or len(stack) > _MAX_NESTING:
            return 0
        total = self.sizes.get(idnum, 0)
        for name, times in self.draws.get(idnum, Counter()).items():
            forms = [f for f in self.named.get(name, ()) if f in self.form_ids]
            if forms:
                total += times * max(self.expanded(f, (*stack, idnum)) for f in forms)
            if total > self.limits.max_pdf_decoded_bytes:
                break  # already beyond every budget; the exact figure does not matter
        self._expanded[idnum] = total
        return total

    def names_in(self, blob: bytes) -> None:
        """Every ``/Name N 0 R`` in ``blob``: resource dictionaries naming forms (inline or not)."""
        for m in _NAMED_REF.finditer(blob):
            self.named.setdefault(m.group(1), set()).add(int(m.group(2)))

    def check_drawing(self) -> None:
        """Refuse content that, with the forms it draws, expands beyond the content budget."""
        limit = self.limits.max_pdf_content_bytes
        for idnum in self.draws:
            if self.expanded(idnum) > limit:
                raise self._refuse(
                    f"object {idnum} of the PDF with the forms it draws", limit, "CONTRACTREVIEW_MAX_PDF_CONTENT_BYTES"
                )

    def page(self, refs: Iterable[int], label: str) -> None:
        size = sum(self.expanded(r) for r in refs)
        if size > self.limits.max_pdf_content_bytes:
            raise self._refuse(label, self.limits.max_pdf_content_bytes, "CONTRACTREVIEW_MAX_PDF_CONTENT_BYTES")

    def finish(self, blobs: list[bytes]) -> None:
        """After every stream: pages (``/Contents`` in the raw file and the object streams), the forms they
        draw, and a page's content streams together. A stream skipped as an image or attachment that a
        page names as its content is decoded now: pdfium parses it whatever its dictionary says."""
        pages = [
            [int(m.group(1))] if m.group(1) else [int(r) for r in _REF.findall(m.group(2))]
            for blob in blobs
            for m in _CONTENTS.finditer(blob)
        ]
        for refs in pages:
            for r in refs:
                if r in self.deferred:
                    src, dictionary = self.deferred.pop(r)
                    self.count_draws = True
                    self.stream(src, f"object {r}", dictionary.replace(b"/Subtype", b"/Was"), r)
        if self.draws:
            for blob in blobs:
                self.names_in(blob)
            self.check_drawing()
        for refs in pages:
            self.page(refs, "one page's content of the PDF")


def check_pdf_streams(
    data: bytes, path: Path, limits: Limits, *, started: float | None = None, password: str | None = None
) -> int:
    """Decode every stream of the PDF ``data`` against the budget; returns the decoded total in bytes.

    :raises DocumentTooLargeError: a stream, a page's content, the forms or the whole file inflate beyond
        the limits, or the scan takes longer than the reading time limit.
    """
    meter = _Meter(path, limits, time.monotonic() if started is None else started)
    if b"/Encrypt" in data[-65536:] or b"/Encrypt" in data[:65536]:
        _check_encrypted(data, meter, password)
        return meter.total
    view = memoryview(data)
    found: list[tuple[int, int, bytes, int | None]] = []  # start, end, dictionary, object number
    for m in _STREAM.finditer(data):
        start = m.end()
        before = data.rfind(b"obj", max(0, m.start() - 65536), m.start())
        if before < 0 or data.rfind(b"endobj", before, m.start()) >= 0:
            continue  # the word "stream" inside some other object, not a stream's start
        dictionary = _unescape(data[before : m.start()])
        length = _LENGTH.search(dictionary)
        end = start + int(length.group(1)) if length else data.find(b"endstream", start)
        if end < start or end > len(data):
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        obj = _OBJ.search(data, max(0, before - 24), before + 3)
        found.append((start, end, dictionary, int(obj.group(1)) if obj else None))
    # Form dictionaries are streams, never inside object streams: the dictionaries say whether drawing
    # needs counting at all.
    meter.count_draws = any(_FORM.search(d) for _, _, d, _ in found)
    for start, end, dictionary, idnum in found:
        names = _filters(dictionary)
        if any(n not in _DECODERS and n not in _IMAGE_FILTERS for n in names):
            continue  # unknown filters cannot be inflated here
        src: Iterable[bytes] = _chunks(view[start:end])  # unfiltered content counts too: pdfium parses it
        if any(n in _IMAGE_FILTERS for n in names):
            continue  # an image codec: pdfium leaves such data encoded when it reads content
        for name in names:
            src = _DECODERS[name](src)
        label = f"object {idnum}" if idnum is not None else f"the stream at byte {start:,}"
        if _IMAGE.search(dictionary) or (_EMBEDDED.search(dictionary) and not _FORM.search(dictionary)):
            if idnum is not None:
                meter.deferred[idnum] = (src, dictionary)  # decoded only if a page draws it as content
            continue
        meter.stream(src, label, dictionary, idnum)
    meter.finish([data, *meter.objstm])
    return meter.total


def _check_encrypted(data: bytes, meter: _Meter, password: str | None) -> None:
    """The same budget for an encrypted PDF: its streams are ciphertext until decrypted, so pypdf
    decrypts each one (with the password given, or the empty one most such files use) before it is
    counted. When pypdf cannot decrypt (a wrong password, a scheme it lacks), pdfium refuses the file."""
    import io

    try:
        from pypdf import PdfReader
        from pypdf.generic import ArrayObject, IndirectObject, NameObject, StreamObject

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(password or ""):
            return
        ids = sorted({idnum for table in reader.xref.values() for idnum in table})
    except Exception:  # noqa: BLE001 - pdfium decides about a file pypdf cannot read
        return
    for idnum in ids:
        try:
            obj = reader.get_object(idnum)
        except Exception:  # noqa: BLE001 - a damaged object: pdfium skips it too
            continue
        if not isinstance(obj, StreamObject):
            continue
        filters = obj.get("/Filter")
        names = [bytes(str(f)[1:], "latin-1") for f in (filters if isinstance(filters, ArrayObject) else [filters])
                 if isinstance(f, NameObject)]
        if any(n in _IMAGE_FILTERS for n in names) or any(n not in _DECODERS for n in names):
            continue
        src: Iterable[bytes] = _chunks(memoryview(obj._data))
        for name in names:
            src = _DECODERS[name](src)
        kind = b" ".join(
            f"{k} {v}".encode("latin-1", "replace") for k, v in obj.items() if k in ("/Subtype", "/Type", "/Length1")
        )
        if obj.get("/Subtype") == "/Image" or (obj.get("/Type") == "/EmbeddedFile" and obj.get("/Subtype") != "/Form"):
            meter.deferred[idnum] = (src, kind)  # decoded only if a page draws it as content
            continue
        meter.stream(src, f"object {idnum}", kind, idnum)
    try:
        pages = []
        for page in reader.pages:
            contents = page.get("/Contents")
            refs = contents if isinstance(contents, ArrayObject) else [contents]
            pages.append([r.idnum for r in refs if isinstance(r, IndirectObject)])
    except Exception:  # noqa: BLE001 - a damaged page tree: pdfium decides
        pages = []
    for refs in pages:
        for r in refs:
            if r in meter.deferred:
                src, kind = meter.deferred.pop(r)
                meter.stream(src, f"object {r}", kind.replace(b"/Subtype", b"/Was"), r)
    if meter.draws:
        for idnum in ids:
            try:
                _collect_names(reader.get_object(idnum), meter.named, 0)
            except Exception:  # noqa: BLE001 - damaged objects name nothing
                continue
        meter.check_drawing()
    for number, refs in enumerate(pages, 1):
        meter.page(refs, f"page {number} of the PDF")


def _collect_names(obj: object, named: dict[bytes, set[int]], depth: int) -> None:
    """``/Name -> N 0 R`` entries of a pypdf object's dictionaries (resources inline or not), unresolved."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > 8:
        return
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if isinstance(value, IndirectObject):
                named.setdefault(str(key)[1:].encode("latin-1", "replace"), set()).add(value.idnum)
            else:
                _collect_names(value, named, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _collect_names(value, named, depth + 1)
