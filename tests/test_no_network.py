"""No network, by test: ingest, analyze, every export and the GUI open no connection and fetch nothing
a document names.

Two independent nets: (1) a Python audit hook in the child process aborts on any socket, DNS or urllib
event; (2) a real HTTP server on localhost, named by the hostile documents (linked image, attached
template, hyperlink, PDF JavaScript and URI action, an <img> tag in the clause text), must receive zero
requests, which also catches fetches from C++ code (Qt, pdfium) that no Python hook would see.
"""

from __future__ import annotations

import http.server
import io
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def trap_server():
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counter.hits
    server.shutdown()


def _hostile_docx(path: Path, base: str) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document()
    document.add_heading("Data Privacy Agreement", level=1)
    document.add_paragraph(
        "5.1 Provider shall notify the District of a breach within 48 hours after discovery. "
        f'<img src="{base}/inline-img.png"> See {base}/policy for details.'
    )
    document.add_paragraph("6.1 Provider shall not sell Student Data.")
    document.part.relate_to(f"{base}/linked-image.png", RT.IMAGE, is_external=True)
    document.part.relate_to(f"{base}/hyperlink", RT.HYPERLINK, is_external=True)
    document.part._settings_part.relate_to(
        f"{base}/template.dotm",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
        is_external=True,
    )
    document.save(str(path))


def _hostile_pdf(path: Path, base: str) -> None:
    from pypdf import PdfWriter
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=LETTER)
    c.drawString(
        72, 700, "5.1 Provider shall notify the District of a breach within 48 hours after discovery."
    )
    c.drawString(72, 680, "6.1 Provider shall not sell Student Data.")
    c.linkURL(f"{base}/uri-action", (72, 670, 400, 700))
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=io.BytesIO(buf.getvalue()))
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.launchURL('{base}/javascript', true);"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js)
    writer.add_attachment("payload.html", f'<img src="{base}/attachment">'.encode())
    with path.open("wb") as fh:
        writer.write(fh)


_CHILD = r"""
import os, sys
NET_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
              "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect", "webbrowser.open"}
def _hook(event, args):
    if event in NET_EVENTS:
        os.write(2, f"NETWORK ATTEMPT: {event} {args!r}\n".encode())
        os._exit(97)
sys.addaudithook(_hook)
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from contractreview.ingest import load_document
from contractreview.engine import analyze
from contractreview.domain import ReportMeta
from contractreview import export
out = Path(sys.argv[1]); files = [Path(p) for p in sys.argv[2:]]
for f in files:
    analysis = analyze(load_document(f))
    meta = ReportMeta(reviewer="Audit", vendor="Test vendor", agreement=f.name, date="2026-12-03")
    for fmt in ("docx", "pdf", "html", "md", "csv", "json"):
        export.export_report(analysis, {}, meta, fmt, out / f"{f.stem}-report.{fmt}")
    export.export_annotated(analysis, {}, meta, f, out / f"{f.stem}-annotated{f.suffix}")
    export.export_change_request(analysis, {}, meta, out / f"{f.stem}-request.docx")
    print("core ok", f.name, flush=True)
# The GUI: open each hostile file in a real (offscreen) main window and render it.
from PySide6.QtWidgets import QApplication
from contractreview.gui.app import create_window, load_user_settings
from contractreview.store import open_store
app = QApplication.instance() or QApplication([])
store = open_store(out / "gui.db")
window = create_window(store, load_user_settings()[0])
shown = []
window.analysisShown.connect(lambda a: shown.append(a))
window.openFailed.connect(lambda e: shown.append(e))
window.show()
import time
for f in files:
    shown.clear()
    window.open_file(str(f))
    deadline = time.monotonic() + 60
    while not shown and time.monotonic() < deadline:
        app.processEvents(); time.sleep(0.01)
    assert shown and not isinstance(shown[0], BaseException), f"GUI did not show findings for {f.name}: {shown}"
    window.grab()  # force a full paint of the document view
    print("gui ok", f.name, flush=True)
window.close()
print("ALL OK")
"""


def test_no_network_in_ingest_analyze_export_and_gui(tmp_path: Path, trap_server) -> None:
    base, hits = trap_server
    docx_path, pdf_path = tmp_path / "hostile.docx", tmp_path / "hostile.pdf"
    _hostile_docx(docx_path, base)
    _hostile_pdf(pdf_path, base)
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CHILD), str(out), str(docx_path), str(pdf_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert "NETWORK ATTEMPT" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "ALL OK" in proc.stdout
    assert hits == [], f"a document-named resource was fetched: {hits}"
    # The HTML report must not carry a live reference to the remote resources named in the contract.
    html = (out / "hostile-report.html").read_text(encoding="utf-8")
    assert '<img src="http' not in html.lower()
    assert 'src="http' not in html.lower()
