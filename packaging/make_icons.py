#!/usr/bin/env python3
"""Render the application icon set from ``resources/icons/contractreview.svg``.

    python packaging/make_icons.py          # with the project's venv (needs PySide6: QtSvg)

Writes, next to the SVG:

* ``contractreview-<N>.png`` for N in 16, 24, 32, 48, 64, 128, 256, 512 (Linux hicolor theme, Qt window icon);
* ``contractreview.ico`` (Windows: PNG-compressed entries 16..256, readable since Windows Vista);
* ``contractreview.icns`` (macOS: PNG entries 16..1024 incl. the @2x retina types).

ICO and ICNS are written by hand (both are small container formats holding PNGs), so no image tool
beyond Qt is needed. The output is regenerated only from the SVG, so rerunning it is harmless.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "contractreview.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (https://en.wikipedia.org/wiki/Apple_Icon_Image_format)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(renderer, size: int) -> bytes:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "PNG"):
        raise RuntimeError(f"Qt could not encode a {size}px PNG")
    buf.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + ICONDIRENTRY list + PNG payloads (a width/height byte of 0 means 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + entries + payload


def icns_bytes(elements: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - keeps Qt's GUI state alive
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"make_icons: {SVG.name} is not a valid SVG for Qt", file=sys.stderr)
        return 1
    cache: dict[int, bytes] = {}

    def png(size: int) -> bytes:
        if size not in cache:
            cache[size] = render_png(renderer, size)
        return cache[size]

    for size in PNG_SIZES:
        (ICONS / f"contractreview-{size}.png").write_bytes(png(size))
    (ICONS / "contractreview.ico").write_bytes(ico_bytes({s: png(s) for s in ICO_SIZES}))
    (ICONS / "contractreview.icns").write_bytes(icns_bytes([(kind, png(size)) for kind, size in ICNS_TYPES]))
    print(
        f"make_icons: wrote {len(PNG_SIZES)} PNGs, contractreview.ico and contractreview.icns in resources/icons/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
