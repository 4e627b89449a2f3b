"""PDFium is not thread-safe: ingestion on a worker thread and page rendering on the GUI thread must
never be inside it at the same time (a segmentation fault seen in a full test run before the lock)."""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2 as pdfium

from contractreview.ingest import load_document
from contractreview.paths import sample_contract
from contractreview.pdfium_guard import PDFIUM_LOCK


def test_reading_and_rendering_from_two_threads_at_once(tmp_path: Path) -> None:
    sample = sample_contract("pdf")
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            for _ in range(40):
                assert load_document(sample).text
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            stop.set()

    worker = threading.Thread(target=reader)
    worker.start()
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(sample))
    renders = 0
    while not stop.is_set():  # what the document view does on the GUI thread
        with PDFIUM_LOCK:
            page = pdf[renders % len(pdf)]
            page.render(scale=1.0).close()
            page.close()
        renders += 1
    worker.join(60)
    with PDFIUM_LOCK:
        pdf.close()
    assert errors == []
    assert renders > 0
