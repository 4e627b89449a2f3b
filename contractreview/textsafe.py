"""Text fit for a terminal or a JSON file, whatever a vendor put in a file name or a contract (#19).

File names and contract text are chosen by whoever wrote the file. Printed raw, an OSC sequence sets the
terminal's title or clears the screen, a carriage return or newline in a name fakes output lines, and a
right-to-left override reverses what the reader sees. Undecodable bytes in a Linux file name arrive as
lone surrogates, which no UTF-8 writer accepts. These helpers turn all of that into visible escapes.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any, TextIO

# C0 controls, DEL, C1 controls (U+009B is a one-character CSI on some terminals), bidirectional
# overrides and isolates, line and paragraph separators, and lone surrogates.
_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# The same minus newline, carriage return and tab, for whole blocks of output the program lays out itself.
_UNSAFE_IN_BLOCK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def one_line(text: str) -> str:
    """``text`` (a file name, a quote from a contract) with every control character escaped: one line,
    nothing a terminal would act on."""
    return _UNSAFE_IN_LINE.sub(_escape, text) if text else text


def terminal_block(text: str) -> str:
    """Program output with line structure kept (newline, tab, carriage return) and every other control
    character escaped. Fields that come from files should already have gone through :func:`one_line`."""
    return _UNSAFE_IN_BLOCK.sub(_escape, text) if text else text


def path_text(path: str) -> str:
    """A path as valid Unicode: undecodable bytes (lone surrogates) become ``\\xNN``."""
    if not _has_surrogates(path):
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        if not _has_surrogates(value):
            return value
        try:
            return path_text(value)
        except UnicodeEncodeError:  # a surrogate that is not an escaped byte
            return re.sub("[\ud800-\udfff]", "\ufffd", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any, **kwargs: Any) -> str:
    """``json.dumps`` that always gives valid UTF-8 JSON that is also safe on a terminal: undecodable
    path bytes are written as ``\\xNN`` text, and the control characters JSON leaves raw are ``\\uXXXX``."""
    text = json.dumps(_clean(data), ensure_ascii=False, **kwargs)
    # Outside strings JSON has only ASCII punctuation, so these characters are inside strings, where a
    # \\u escape means the same character.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


class SafeTextStream(io.TextIOBase):
    """A text stream that escapes control characters before they reach the real one (a terminal)."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, s: str) -> int:
        self._inner.write(terminal_block(s))
        return len(s)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._inner, "encoding", "utf-8")

    def writable(self) -> bool:
        return True
