"""Garbage collection on the GUI thread only, while a main window is open.

Python runs a cyclic collection in whichever thread happens to allocate past the threshold. When that is
the worker thread (an analysis, the portfolio export), the collection can destroy Qt objects that belong
to the GUI thread, and Qt crashes (seen once: a segmentation fault inside "Garbage-collecting" on the
worker during the portfolio export test). So, as Anki and the PyQt documentation do, automatic collection
is off while a window is open and a timer on the GUI thread collects each generation once its count passes
the usual threshold.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_OPEN = 0  # windows holding automatic collection off
_WAS_ENABLED = True


class GuiThreadCollector(QObject):
    """Created with (and parented to) a main window; :meth:`release` when the window closes."""

    INTERVAL_MS = 500

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        global _OPEN, _WAS_ENABLED
        if _OPEN == 0:
            _WAS_ENABLED = gc.isenabled()
            gc.disable()
        _OPEN += 1
        self._held = True
        self._threshold = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(self.INTERVAL_MS)
        # A window deleted without being closed gives its hold back too (pure Python: no Qt call there).
        parent.destroyed.connect(lambda *_: self._give_back())

    def collect(self) -> None:
        """Collect the generations whose counts passed their thresholds (on this, the GUI, thread)."""
        c0, c1, c2 = gc.get_count()
        t0, t1, t2 = self._threshold
        if c0 > t0:
            gc.collect(0)
            if c1 > t1:
                gc.collect(1)
                if c2 > t2:
                    gc.collect(2)

    def release(self) -> None:
        """Stop collecting here; automatic collection comes back when no window holds it off."""
        self._timer.stop()
        self._give_back()

    def _give_back(self) -> None:
        global _OPEN
        if not self._held:
            return
        self._held = False
        _OPEN -= 1
        if _OPEN == 0 and _WAS_ENABLED:
            gc.enable()
