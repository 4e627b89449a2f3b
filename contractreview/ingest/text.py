"""Plain-text and Markdown contracts (many vendor terms reach districts as saved web pages).

Blocks are paragraphs separated by blank lines; a line that starts with a clause number starts a new
block; Markdown headings become HEADING blocks and list items LIST_ITEM blocks. Markdown markup
(``**``, links, heading hashes) is dropped from ``Document.text`` so the analysis reads the words.
A form feed starts a new page.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..domain import Block, BlockKind, Document, Format, Page
from ..errors import CorruptDocumentError, DocumentTooLargeError, UnsupportedFormatError
from ..limits import Limits
from ..segment import looks_like_heading, match_number

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)([-*+•])\s+(.*)$")
_ORDERED = re.compile(r"^(\s*)(\d{1,3}[.)])\s+(.*)$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?=\S)([^*_]{1,100}?)(?<=\S)\1\s*:?\s*$")
_HTML_HEADING = re.compile(r"^\s*(?:<[^>]+>\s*)*<h([1-6])[^>]*>(.*?)</h\1>", re.IGNORECASE)

# Each inner class excludes its own opening delimiter, so a failed match stops at the next opener: with
# "[^\]]+" a line of 2 million "[" took quadratic time and never finished (#19).
_INLINE = (
    (re.compile(r"!\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\((?:[^()]|\([^()]*\))*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^<>]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"), ""),
    (re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)([^_\n]+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])"), r"\1"),
)
_ENTITIES = {
    "&nbsp;": " ",
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&#39;": "'",
    "&rsquo;": "’",
    "&lsquo;": "‘",
    "&ldquo;": "“",
    "&rdquo;": "”",
    "&mdash;": "—",
    "&ndash;": "–",
    "&sect;": "§",
}


def decode_text(data: bytes, path: Path) -> tuple[str, list[str]]:
    """Decode by BOM, then strict UTF-8, then Windows-1252 (with a warning saying so)."""
    warnings: list[str] = []
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text = data[3:].decode("utf-8")
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
                warnings.append(
                    f"{path.name} is not UTF-8; it was read as Windows-1252 (check quotes and accented letters)."
                )
    except UnicodeDecodeError as exc:
        raise CorruptDocumentError(
            f"the text cannot be decoded ({exc.reason} at byte {exc.start}).", path
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise UnsupportedFormatError(
            "the file holds binary data, not text.", path, "Open the original PDF or DOCX instead."
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


# The character each inline pattern needs: most lines have none of them, and a substitution call costs
# microseconds even without a match (500,000 one-word headings took minutes, #19).
_INLINE_TRIGGER = ("!", "[", "[", "<", "<", "**", "__", "*", "`", "\\")


def _clean_inline(s: str) -> str:
    for (rx, rep), trigger in zip(_INLINE, _INLINE_TRIGGER, strict=True):
        if trigger in s:
            s = rx.sub(rep, s)
    if "&" in s:
        for k, v in _ENTITIES.items():
            s = s.replace(k, v)
    return s


def load_text(
    path: Path, data: bytes, sha256: str, *, fmt: Format, limits: Limits, warnings: list[str] | None = None
) -> Document:
    """A ``Document`` from decoded plain text or Markdown."""
    text, dec_warnings = decode_text(data, path)
    if looks_html(text):
        text = html_to_markdown(text)
        fmt = Format.MD
        dec_warnings.append(f"{path.name} is a web page (HTML); its text was read without layout.")
    if len(text) > limits.max_text_chars:
        raise DocumentTooLargeError(
            f"the text has {len(text):,} characters, more than the limit of {limits.max_text_chars:,}.", path
        )
    markdown = fmt == Format.MD
    text, rejoined = unwrap_blank_line_paragraphs(text)
    if rejoined:
        dec_warnings.append(
            f"{path.name} has a blank line after most lines (text copied out of a PDF); "
            f"{rejoined:,} broken sentences were joined back together."
        )
    builder = _Builder()
    raw_pages = text.split("\f")
    if len(raw_pages) > limits.max_pages:
        raise DocumentTooLargeError(
            f"the file has {len(raw_pages)} pages (form feeds), more than {limits.max_pages}.", path
        )
    for number, page_text in enumerate(raw_pages, start=1):
        builder.page = number
        if markdown:
            _markdown_blocks(page_text, builder)
        else:
            _plain_blocks(page_text, builder)
    pages = tuple(Page(i, 612.0, 792.0, True) for i in range(1, len(raw_pages) + 1))
    body = "".join(builder.parts)
    title = builder.title or _title_from(body, builder.blocks)
    return Document(
        source_path=str(path),
        sha256=sha256,
        format=fmt,
        text=body,
        pages=pages,
        blocks=tuple(builder.blocks),
        warnings=tuple((warnings or []) + dec_warnings),
        title=title,
    )


_NOT_A_TITLE = re.compile(
    r"^(effective|last (updated|modified|revised)|updated|revised|version)\b", re.IGNORECASE
)


def _title_from(body: str, blocks: list[Block]) -> str:
    """The first top-level heading; else the first heading that is not a date line ("Effective Date: …")."""
    headings = [b for b in blocks[:40] if b.kind == BlockKind.HEADING]
    for b in headings:
        if b.style in ("h1", "h2"):
            return body[b.start : b.end]
    for b in headings:
        if not _NOT_A_TITLE.match(body[b.start : b.end]):
            return body[b.start : b.end]
    return ""


_OPEN_END = re.compile(r"[.!?:;\"”’)\]]\s*$")
_NOT_CONTINUATION = re.compile(r"^\s*(?:#|\||[-*+•]\s|>|```|~~~)")
# Share of long paragraphs that end mid-sentence above which a text counts as hard-wrapped with blank lines.
WRAPPED_SHARE = 0.5
_MIN_WRAPPED_LINE = 40
_MD_NUMBER_ESCAPE = re.compile(r"^(\s*\(?[0-9A-Za-z]{1,3})\\([.)])")  # "10\. Scope" at a line start


def unwrap_blank_line_paragraphs(text: str) -> tuple[str, int]:
    """Join sentences that a blank line after every line has cut into separate paragraphs.

    Text copied out of a PDF often reaches us with a blank line after each printed line, so that "solely
    to the" and "extent that such assistance is necessary" become two paragraphs and no sentence is whole.
    When at least :data:`WRAPPED_SHARE` of the long paragraphs end mid-sentence, a blank line is dropped
    wherever the paragraph before it ends without closing punctuation and the one after it does not
    start a heading, list item, table row or numbered clause. Ordinary text is returned unchanged.
    Returns the text and the number of joins.
    """
    paras = re.split(r"(\n[ \t]*\n(?:[ \t]*\n)*)", text)
    bodies = paras[0::2]
    long = [b for b in bodies if len(b.rstrip().rsplit("\n", 1)[-1].strip()) >= _MIN_WRAPPED_LINE]
    if len(long) < 5:
        return text, 0
    open_end = sum(1 for b in long if not _OPEN_END.search(b))
    if open_end / len(long) < WRAPPED_SHARE:
        return text, 0
    out = [bodies[0]]
    joins = 0
    for i in range(1, len(bodies)):
        prev, cur, sep = bodies[i - 1], bodies[i], paras[2 * i - 1]
        prev_lines = prev.strip().split("\n")
        last = prev_lines[-1].strip()
        first = _MD_NUMBER_ESCAPE.sub(r"\1\2", cur.lstrip().split("\n", 1)[0])
        numbered_heading = (
            len(prev_lines) == 1
            and len(last) <= 90
            and match_number(_MD_NUMBER_ESCAPE.sub(r"\1\2", last)) is not None
        )
        join = (
            len(last) >= _MIN_WRAPPED_LINE
            and not _OPEN_END.search(last)
            and not looks_like_heading(last)
            and not numbered_heading
            and first.strip() != ""
            and not _NOT_CONTINUATION.match(first)
            and match_number(first.strip()) is None
            and not looks_like_heading(first)
        )
        if join:
            out.append("\n")
            joins += 1
        else:
            out.append(sep)
        out.append(cur)
    return "".join(out), joins


class _Builder:
    """Appends blocks to the body text, keeping offsets exact."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.page = 1
        self.title = ""

    def add(self, lines: list[str], kind: BlockKind, label: str = "", style: str = "") -> None:
        # Trim each line; drop empty ones so a block never holds a blank line.
        content = "\n".join(ln.strip() for ln in lines if ln.strip())
        if not content:
            return
        if self.blocks:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(content)
        self.length += len(content)
        self.blocks.append(Block(start, self.length, self.page, kind, None, style, label))


def _plain_blocks(page_text: str, out: _Builder) -> None:
    para: list[str] = []

    def flush() -> None:
        if para:
            first = para[0]
            kind = BlockKind.HEADING if len(para) == 1 and looks_like_heading(first) else BlockKind.PARAGRAPH
            out.add(para, kind)
            para.clear()

    lines = page_text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            flush()
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        # A capitals line on its own is a heading; several in a row are a shouted paragraph (disclaimers).
        heading = (
            looks_like_heading(line)
            and not looks_like_heading(nxt)
            and not (para and looks_like_heading(para[-1]))
        )
        if para and (match_number(line) is not None or heading):
            flush()
        para.append(line)
        if len(para) == 1 and heading:
            flush()
    flush()


def _markdown_blocks(page_text: str, out: _Builder) -> None:
    lines = page_text.split("\n")
    para: list[str] = []
    para_kind = BlockKind.PARAGRAPH
    in_fence = False
    in_table = False
    # YAML front matter of saved web pages ("---\ntitle: …\n---") is metadata, not terms.
    if lines and lines[0].strip() == "---":
        for j in range(1, min(len(lines), 80)):
            if lines[j].strip() in ("---", "..."):
                for meta in lines[1:j]:
                    if meta.startswith("title:") and not out.title:
                        out.title = meta[6:].strip().strip("'\"")
                lines = lines[j + 1 :]
                break

    def flush() -> None:
        nonlocal para_kind
        if para:
            if para_kind == BlockKind.PARAGRAPH and len(para) == 1 and _BOLD_LINE.match(para[0]):
                # A paragraph that is one short bold phrase is how saved web pages mark sub-headings.
                out.add([_clean_inline(para[0]).rstrip(":")], BlockKind.HEADING, style="h6")
            else:
                out.add([_clean_inline(p) for p in para], para_kind)
            para.clear()
        para_kind = BlockKind.PARAGRAPH

    i = 0
    while i < len(lines):
        line = _MD_NUMBER_ESCAPE.sub(r"\1\2", lines[i])
        i += 1
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            out.add([line], BlockKind.PARAGRAPH)
            continue
        if not line.strip():
            flush()
            in_table = False
            continue
        m = _ATX.match(line)
        if m:
            flush()
            out.add([_clean_inline(m.group(2))], BlockKind.HEADING, style=f"h{len(m.group(1))}")
            continue
        mh = _HTML_HEADING.match(line)
        if mh:
            flush()
            out.add([_clean_inline(mh.group(2))], BlockKind.HEADING, style=f"h{mh.group(1)}")
            continue
        if _RULE.match(line) and not para:
            continue
        if para and len(para) == 1 and _SETEXT.match(line) and para_kind == BlockKind.PARAGRAPH:
            para_kind = BlockKind.HEADING
            out.add([_clean_inline(para[0])], BlockKind.HEADING, style="h1" if "=" in line else "h2")
            para.clear()
            para_kind = BlockKind.PARAGRAPH
            continue
        nxt = lines[i] if i < len(lines) else ""
        if "|" in line and not in_table and _TABLE_SEP.match(nxt) and "|" in nxt:
            in_table = True
        if in_table and "|" not in line:
            in_table = False
        if line.lstrip().startswith("|") or in_table:
            flush()
            if not _TABLE_SEP.match(line):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                out.add([_clean_inline(" | ".join(c for c in cells if c))], BlockKind.TABLE_CELL)
            continue
        mb = _BULLET.match(line)
        mo = _ORDERED.match(line)
        if mb:
            flush()
            para_kind = BlockKind.LIST_ITEM
            para.append(mb.group(3))
            continue
        if mo:
            flush()
            para_kind = BlockKind.LIST_ITEM
            para.append(f"{mo.group(2)} {mo.group(3)}")
            continue
        stripped = line.lstrip()
        if stripped.startswith(">"):
            line = stripped.lstrip("> ")
        if para and para_kind == BlockKind.PARAGRAPH and match_number(line) is not None:
            flush()
        para.append(line)
    flush()


_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


def looks_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def html_to_markdown(text: str) -> str:
    """A saved web page reduced to Markdown-like lines: headings, paragraphs, list items, table rows.

    Scripts, styles and navigation chrome are dropped; nothing is fetched or executed.
    """
    from html.parser import HTMLParser

    class _Reader(HTMLParser):
        BLOCK = {
            "p",
            "div",
            "section",
            "article",
            "br",
            "tr",
            "table",
            "ul",
            "ol",
            "dl",
            "dt",
            "dd",
            "blockquote",
            "pre",
            "hr",
            "main",
            "header",
            "footer",
            "aside",
            "form",
        }
        SKIP = {"script", "style", "noscript", "template", "svg", "nav", "head", "button", "select"}

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in self.SKIP:
                self.skip += 1
            elif self.skip:
                return
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.out.append("\n\n" + "#" * int(tag[1]) + " ")
            elif tag == "li":
                self.out.append("\n- ")
            elif tag in ("td", "th"):
                self.out.append(" | ")
            elif tag in self.BLOCK:
                self.out.append("\n\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in self.SKIP:
                self.skip = max(0, self.skip - 1)
            elif not self.skip and (tag in self.BLOCK or tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li")):
                self.out.append("\n\n" if tag != "li" else "\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.out.append(re.sub(r"\s+", " ", data))

    reader = _Reader()
    reader.feed(text)
    reader.close()
    return "\n".join(ln.strip() for ln in "".join(reader.out).split("\n"))
