"""Word-level differences between two versions of a clause (what a reviewer of a revised draft reads).

Pure Python (``difflib``); the CLI prints it as ``[-7-]{+90+}`` (git's plain word diff), the GUI as
struck-through and underlined words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class DiffPart:
    """One run of words: ``op`` is ``"same"``, ``"del"`` (only in the old text) or ``"ins"`` (only in the new)."""

    op: str
    text: str


def word_diff(old: str, new: str) -> tuple[DiffPart, ...]:
    """The two texts as runs of unchanged, deleted and inserted words (whitespace-normalised)."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    parts: list[DiffPart] = []

    def add(op: str, words: list[str]) -> None:
        if not words:
            return
        if parts and parts[-1].op == op:
            parts[-1] = DiffPart(op, parts[-1].text + " " + " ".join(words))
        else:
            parts.append(DiffPart(op, " ".join(words)))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", a[i1:i2])
        else:
            add("del", a[i1:i2])
            add("ins", b[j1:j2])
    return tuple(parts)


def plain_word_diff(old: str, new: str) -> str:
    """``"delete the data within [-7-] {+90+} days"`` (git ``--word-diff=plain`` notation)."""
    out = []
    for p in word_diff(old, new):
        out.append(p.text if p.op == "same" else f"[-{p.text}-]" if p.op == "del" else f"{{+{p.text}+}}")
    return " ".join(out)


def changed_only(old: str, new: str, context: int = 6) -> str:
    """The plain word diff with long unchanged runs shortened to ``context`` words each side."""
    parts = word_diff(old, new)
    out = []
    for i, p in enumerate(parts):
        if p.op != "same":
            out.append(f"[-{p.text}-]" if p.op == "del" else f"{{+{p.text}+}}")
            continue
        words = p.text.split(" ")
        keep_left = context if i > 0 else 0
        keep_right = context if i < len(parts) - 1 else 0
        if len(words) > keep_left + keep_right + 3:
            head = words[:keep_left]
            tail = words[len(words) - keep_right:] if keep_right else []
            out.append(" ".join([*head, "…", *tail]).strip())
        else:
            out.append(p.text)
    return " ".join(x for x in out if x)
