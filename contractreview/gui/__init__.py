"""The desktop review workspace (PySide6). The only package that imports Qt.

Entry point: :func:`contractreview.gui.app.main` (``contractreview-gui``).
"""
