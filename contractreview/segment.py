"""Numbering- and heading-aware clause segmentation (pure Python, no third-party imports).

A contract's structure lives in its numbering: "Article V", "5.2", "(a)", "Exhibit B". Each block (and
each line inside a block that starts with a clause number) opens a clause; unnumbered paragraphs belong
to the clause before them. Clauses are ordered, do not overlap, and together cover every non-blank
character of the body text, so every finding can name the clause it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .domain import BlockKind, Clause, Document, Format

_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)

_NUMBER_RE = re.compile(
    r"""^[ \t\u00a0]*(?:
        (?P<exhibit>(?:EXHIBIT|Exhibit|SCHEDULE|Schedule|APPENDIX|Appendix|ANNEX|Annex|ATTACHMENT|Attachment|
                      ADDENDUM|Addendum)\s+(?P<exn>[A-Z0-9]{1,4}(?:[-.]\d{1,2})?)\b[.:]?)
      | (?P<article>(?:ARTICLE|Article)\s+(?P<artn>[IVXLC]{1,6}|\d{1,3}|[A-Z])\b[.:]?)
      | (?P<section>(?:SECTION|Section|CLAUSE|Clause|§)\s*(?P<secn>\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}\b)(?P<secp>(?:\([a-zA-Z0-9]{1,4}\))*)\.?)
      | (?P<dec>(?P<decn>\d{1,3}(?:\.\d{1,3})+)(?P<decp>(?:\([a-zA-Z0-9]{1,4}\))*)\.?)
      | (?P<dec1>(?P<dec1n>\d{1,3})[.)])
      | (?P<paren>\((?P<parn>[a-zA-Z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,2})\))
      | (?P<dot>(?P<dotn>[A-Za-z]|[IVXivx]{1,5})[.)])
    )(?=[\s\u00a0]|$)""",
    re.VERBOSE,
)

_QUOTED_DEFINITION = re.compile(
    r"^[\s\"“”'‘(]*[\"“'‘][^\"”’]{1,80}[\"”'’][\s)]*(?:shall\s+)?(?:means?|refers?|has the meaning|includes?)\b"
)
_DEFINITIONS_HEADING = re.compile(r"\bdefinitions?\b|\binterpretation\b|\bdefined terms\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumberLabel:
    """A clause number found at the start of a line.

    :ivar style: exhibit | article | decimal | paren-lower | paren-roman | paren-upper | paren-digit |
        dot-lower | dot-upper | dot-roman | dot-ROMAN
    :ivar label: the number as it should be shown ("Article V", "5.2", "(a)", "Exhibit B")
    :ivar depth: components of a decimal number ("5.2" → 2); 1 otherwise
    :ivar length: characters the number occupies at the start of the line (leading blanks included)
    """

    style: str
    label: str
    depth: int
    length: int
    trailing: tuple[str, ...] = ()  # "(a)" parts glued to a decimal number: "5.2(a)"


def _paren_style(token: str) -> str:
    if token.isdigit():
        return "paren-digit"
    if _ROMAN.match(token) and len(token) > 0:
        return "paren-roman" if token.islower() else "paren-ROMAN"
    return "paren-lower" if token.islower() else "paren-upper"


def match_number(line: str) -> NumberLabel | None:
    """The clause number at the start of ``line``, or ``None``."""
    m = _NUMBER_RE.match(line)
    if not m:
        return None
    end = m.end()
    if m.group("exhibit") or m.group("article") or m.group("section"):
        # "Article 5 of this Agreement", "Attachment A and …" start sentences; they are references.
        rest = line[end:].lstrip(" \t\u00a0")
        if rest[:1].islower() or rest.startswith(("of ", "and ", "or ", "to ", "in ", "above", "below")):
            return None
    if m.group("exhibit"):
        kind = m.group("exhibit").split()[0].capitalize()
        return NumberLabel("exhibit", f"{kind} {m.group('exn')}", 1, end)
    if m.group("article"):
        return NumberLabel("article", f"Article {m.group('artn')}", 1, end)
    if m.group("section"):
        num = m.group("secn")
        if not num[0].isdigit():
            return NumberLabel("article", f"{m.group('section').split()[0].capitalize()} {num}", 1, end)
        parts = tuple(re.findall(r"\([^)]+\)", m.group("secp") or ""))
        return NumberLabel("decimal", num, num.count(".") + 1, end, parts)
    if m.group("dec"):
        num = m.group("decn")
        rest = line[end:].lstrip(" \t\u00a0")
        if rest[:1].islower() and not m.group("decp"):
            return None  # "…under this Section\n2.5 will expire": a wrapped reference, not clause 2.5
        if num.endswith(".0") and num.count(".") == 1:
            num = num[:-2]  # "1.0 Definitions" is section 1 written the engineering way
        parts = tuple(re.findall(r"\([^)]+\)", m.group("decp") or ""))
        return NumberLabel("decimal", num, num.count(".") + 1, end, parts)
    if m.group("dec1"):
        rest = line[end:].lstrip()
        # "30. days" never happens, but "2024." as a year or a lone number line does: insist on text.
        if not rest or (m.group("dec1").endswith(")") and not rest[:1].isupper()):
            return None
        return NumberLabel("decimal", m.group("dec1n"), 1, end)
    if m.group("paren"):
        tok = m.group("parn")
        return NumberLabel(_paren_style(tok), f"({tok})", 1, end)
    if m.group("dot"):
        tok = m.group("dotn")
        rest = line[end:].lstrip()
        closing_paren = m.group("dot").endswith(")")
        if not rest or not (
            rest[:1].isupper() or rest[:1] in '"“(' or (closing_paren and rest[:1].isalpha())
        ):
            # "e. g." or an initial ("J. Smith") is not a clause number; "b) neither access nor use" is one.
            return None
        if len(tok) > 1 or tok in "IVXivx":
            style = "dot-roman" if tok.islower() else "dot-ROMAN"
            if len(tok) == 1 and tok not in "IVXivx":
                style = "dot-lower" if tok.islower() else "dot-upper"
        else:
            style = "dot-lower" if tok.islower() else "dot-upper"
        return NumberLabel(style, tok, 1, end)
    return None  # pragma: no cover - the regex has no other branch


def looks_like_heading(text: str) -> bool:
    """A short line in capitals ("DATA SECURITY"), the way unnumbered contract headings look."""
    s = text.strip()
    if not s or "\n" in s or len(s) > 90 or s[-1] in ".,;":
        return False
    letters = [c for c in s if c.isalpha()]
    if len(letters) < 3 or len(s.split()) > 12:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.8


_TITLE_THEN_PERIOD = re.compile(
    r"^([A-Z][\w'’/&-]*(?:\s+(?:[A-Z][\w'’/&-]*|of|and|or|the|to|for|in|on|a|an)){0,7})\.\s"
)
_STRONG_START = ("ARTICLE", "Article", "SECTION", "Section", "CLAUSE", "Clause", "§")


def _heading_after_number(rest: str) -> str:
    """The heading that follows a clause number on the same line, if the line reads like one."""
    rest = rest.strip()
    cut = rest.find("\n")
    single = cut < 0
    first_line = (rest if single else rest[:cut]).strip()
    if not first_line:
        return ""
    for sep in (" – ", " - ", " — ", ": "):
        if sep in first_line[:3]:
            first_line = first_line.split(sep, 1)[-1]
    first_line = first_line.lstrip("–-—: ").strip()
    if (
        looks_like_heading(first_line)
        or (
            len(first_line) <= 60
            and not first_line.endswith((",", ";"))
            and (
                _title_case(first_line)
                # A one-line numbered block of a few words in sentence case is a heading too ("6. Location and
                # transfer of Personal Data"), as long as it does not end like a sentence.
                or (single and first_line[:1].isupper() and not first_line.endswith((".", "?", "!")))
            )
            and (not single or len(first_line.split()) <= 8)
        )
    ):
        return first_line.rstrip(":.").strip()
    # "5.2 Data Security. Vendor shall ..." → "Data Security"
    m = _TITLE_THEN_PERIOD.match(first_line)
    if m and len(m.group(1)) <= 60:
        return m.group(1)
    return ""


_SMALL_WORDS = {"of", "and", "or", "the", "to", "for", "in", "on", "a", "an", "by", "with", "&", "-", "–"}


def _title_case(s: str) -> bool:
    words = [w for w in s.rstrip(".:").split() if w.lower() not in _SMALL_WORDS]
    if not words or len(words) > 8:
        return False
    return all(w[:1].isupper() or w[:1] in '"“(' or w[:1].isdigit() for w in words)


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    page: int
    kind: BlockKind
    number: NumberLabel | None
    style: str = ""


def _units(document: Document) -> list[_Unit]:
    """Blocks, split where a line inside a block starts with a clause number."""
    text = document.text
    out: list[_Unit] = []
    for b in document.blocks:
        if b.kind in (BlockKind.HEADER, BlockKind.FOOTER) or b.end <= b.start:
            continue
        if b.label and b.label != "•":
            # DOCX automatic numbering resolved by the reader; the text may or may not repeat it.
            lab = match_number(b.label + " X")
            if lab is not None:
                shown = text.startswith(b.label, b.start)
                lab = replace(lab, length=len(b.label) if shown else 0)
                out.append(_Unit(b.start, b.end, b.page, b.kind, lab, b.style))
                continue
        seg_start = b.start
        pos = b.start
        body = text[b.start : b.end]
        first = True
        for line in body.split("\n"):
            line_start = pos
            pos += len(line) + 1
            if first:
                first = False
                current = match_number(line)
                continue
            head = line.lstrip(" \t\u00a0")[:1]
            # Only strong numbering can open a clause mid-block; skip the regex for ordinary lines.
            lab = match_number(line) if head.isdigit() or line.lstrip().startswith(_STRONG_START) else None
            # Only strong numbering opens a clause inside a block (a wrapped line may start "(a)" by chance
            # only rarely, but "a." or "1)" too often).
            if lab and lab.style in ("article", "decimal") and lab.label != "":
                if line_start > seg_start:
                    out.append(
                        _Unit(
                            seg_start,
                            _rstrip_end(text, seg_start, line_start - 1),
                            b.page,
                            b.kind,
                            current,
                            b.style,
                        )
                    )
                seg_start, current = line_start, lab
        out.append(_Unit(seg_start, b.end, b.page, b.kind, current, b.style))
    return [u for u in out if text[u.start : u.end].strip()]


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


@dataclass(slots=True)
class _Level:
    style: str
    rank: float
    label: str  # shown in the path
    number: str  # composed number ("5.2(a)")
    kind: str


_FIXED_RANK = {"exhibit": 0.0, "article": 1.0, "heading": 1.5}


def segment(document: Document) -> tuple[Clause, ...]:
    """Split ``document`` into clauses with numbers, headings and paths.

    Text before the first clause is a ``preamble`` clause; unnumbered paragraphs join the clause before.
    """
    text = document.text
    units = _units(document)
    clauses: list[Clause] = []
    stack: list[_Level] = []
    cur: dict | None = None  # the clause being built

    def flush() -> None:
        if cur is not None:
            clauses.append(
                Clause(
                    cur["start"],
                    cur["end"],
                    cur["number"],
                    cur["heading"],
                    cur["path"],
                    cur["level"],
                    cur["page"],
                    cur["kind"],
                )
            )

    for u in units:
        raw = text[u.start : u.end]
        lab = u.number
        if (
            lab is not None
            and lab.style == "exhibit"
            and (
                u.kind == BlockKind.LIST_ITEM
                or (u.kind != BlockKind.HEADING and ("\n" in raw or len(raw) > 100))
            )
        ):
            lab = None  # "- Appendix A – Security Measures" in a list of contents is a reference
        # The PDF reader already judged headings with font and width; capitals alone may be a redaction stamp.
        is_heading = lab is None and (
            u.kind == BlockKind.HEADING or (document.format != Format.PDF and looks_like_heading(raw))
        )
        if lab is None and not is_heading:
            if cur is None:
                cur = dict(
                    start=u.start,
                    end=u.end,
                    number="",
                    heading="",
                    path="",
                    level=0,
                    page=u.page,
                    kind="preamble",
                )
            else:
                cur["end"] = u.end
            continue
        flush()
        if lab is None:
            heading = " ".join(raw.split())
            hrank = _heading_rank(u.style)
            while stack and stack[-1].rank >= hrank:
                stack.pop()
            in_exhibit = any(s.style == "exhibit" for s in stack)
            kind = (
                "exhibit"
                if in_exhibit
                else ("definition" if _DEFINITIONS_HEADING.search(heading) else "section")
            )
            stack.append(_Level("heading", hrank, heading[:60], "", kind))
            number = ""
        else:
            if lab.style == "exhibit" and not any(c.number for c in clauses) and not stack:
                # "EXHIBIT 10.2" atop an SEC filing labels the whole agreement; it is not an attachment.
                lab = NumberLabel("heading", lab.label, 1, lab.length)
            titled = bool(_heading_after_number(raw[lab.length :])) if lab.length <= len(raw) else False
            rank, style = _rank_for(lab, stack, titled=titled)
            while stack and stack[-1].rank >= rank:
                stack.pop()
            parent_number = next((s.number for s in reversed(stack) if s.number), "")
            parent_kind = stack[-1].kind if stack else "section"
            if lab.style == "exhibit":
                number, shown, kind = lab.label, lab.label, "exhibit"
            elif lab.style == "heading":
                number, shown, kind = "", lab.label, "section"
            elif lab.style == "article":
                number, shown, kind = lab.label, lab.label, "section"
            elif lab.style == "decimal":
                number = shown = lab.label
                kind = parent_kind if parent_kind in ("exhibit", "definition") else "section"
                if lab.trailing:
                    # "5.2(a)" opens 5.2 and its (a): a following "(b)" is then a sibling of (a).
                    rank = 2.0 + lab.depth - 1
                    for part in lab.trailing:
                        stack.append(_Level(style, rank, shown, number, kind))
                        style = _paren_style(part.strip("()"))
                        rank += 1.0
                        shown, number = part, number + part
            else:
                shown = lab.label if lab.style.startswith("paren") else lab.label + "."
                base = (
                    parent_number
                    if parent_number
                    and not parent_number.startswith(
                        ("Article", "Exhibit", "Schedule", "Appendix", "Annex", "Attachment", "Addendum")
                    )
                    else ""
                )
                number = (
                    (base + lab.label)
                    if lab.style.startswith("paren")
                    else (base + "." + lab.label if base else lab.label)
                )
                kind = parent_kind if parent_kind in ("exhibit", "definition") else "section"
            heading = _heading_after_number(raw[lab.length :]) if lab.length <= len(raw) else ""
            if not heading and u.kind == BlockKind.HEADING and lab.length >= len(raw.split("\n")[0]):
                heading = ""
            if style == "heading" and not heading:
                heading = lab.label
            if kind == "section" and heading and _DEFINITIONS_HEADING.search(heading):
                kind = "definition"
            stack.append(_Level(style, rank, shown, number, kind))
        body = raw[lab.length :] if lab else raw
        if kind == "section" and _QUOTED_DEFINITION.match(body):
            kind = "definition"
        path = " > ".join(s.label for s in stack)
        cur = dict(
            start=u.start,
            end=u.end,
            number=number,
            heading=heading,
            path=path,
            level=len(stack),
            page=u.page,
            kind=kind,
        )
    flush()
    return tuple(clauses)


def _heading_rank(style: str) -> float:
    """Unnumbered headings sit between articles and numbered sections; Markdown/Word heading levels
    ("h2", "Heading 3") order them among themselves."""
    m = re.search(r"(\d)$", style or "")
    if m and (style.startswith("h") or "heading" in style.lower()):
        return 1.0 + 0.1 * int(m.group(1))
    return 1.5


def _rank_for(lab: NumberLabel, stack: list[_Level], *, titled: bool = False) -> tuple[float, str]:
    """How deep a number sits, and its resolved style.

    Fixed for exhibits/articles/decimals; for letters and roman numerals learned from the stack, the way
    a reader does: a style seen before returns to its level, a new style nests one deeper.
    """
    if lab.style in _FIXED_RANK:
        return _FIXED_RANK[lab.style], lab.style
    if lab.style == "decimal":
        return 2.0 + lab.depth - 1, lab.style
    style = lab.style
    # "(i)" right after "(h)" is a letter, not a roman numeral.
    if style in ("paren-roman", "paren-ROMAN", "dot-roman", "dot-ROMAN"):
        letter_style = {
            "paren-roman": "paren-lower",
            "paren-ROMAN": "paren-upper",
            "dot-roman": "dot-lower",
            "dot-ROMAN": "dot-upper",
        }[style]
        for s in reversed(stack):
            if s.style == style and _roman_value(lab.label) == _roman_value(s.label) + 1:
                return s.rank, style
            if s.style == letter_style and _follows(s.label, lab.label):
                return s.rank, letter_style
    for s in reversed(stack):
        if s.style == style:
            return s.rank, style
    if titled and (not stack or stack[-1].style in ("heading", "article", "exhibit")):
        # Outline letters with a title right under a heading ("A. PURPOSE") rank above decimals, so "1."
        # nests in "A."; untitled ones ("A. Changepoint owns …" recitals) do not hold the decimals after.
        base = stack[-1].rank if stack else 1.5
        return max(base, 1.5) + 0.25, style
    return max(stack[-1].rank if stack else 1.5, 1.5) + 1.0, style


def _follows(previous_label: str, label: str) -> bool:
    p = previous_label.strip("().")
    q = label.strip("().")
    return len(p) == 1 and len(q) == 1 and ord(q.lower()) == ord(p.lower()) + 1


_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _roman_value(label: str) -> int:
    token = label.strip("().").lower()
    if not token or any(ch not in _ROMAN_DIGITS for ch in token):
        return -10
    total = 0
    for a, b in zip(token, token[1:] + " ", strict=True):
        va, vb = _ROMAN_DIGITS[a], _ROMAN_DIGITS.get(b, 0)
        total += -va if va < vb else va
    return total
