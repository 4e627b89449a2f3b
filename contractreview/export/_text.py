"""Text helpers shared by the DOCX and PDF writers."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (python-docx and reportlab would fail on them); contract text extracted
# from a damaged PDF can contain them.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_BAD.sub("\ufffd", text or "")
