"""One process-wide lock around every pdfium call.

PDFium is not thread-safe: the GUI renders pages on its thread while the worker thread reads another
PDF, and two threads inside pdfium at once crash the process (seen as a segmentation fault in a test run).
Every module that calls pypdfium2 takes this lock for the duration of its pdfium work.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
