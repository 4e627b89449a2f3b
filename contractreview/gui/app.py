"""Composition root of the desktop app: QApplication, settings, store, library services, main window.

``contractreview-gui [FILE] [--db PATH] [--profile NAME] [--offscreen-screenshot PNG [--screen WxH]]``
(argument parsing is by hand: only ``contractreview.cli`` may import argparse).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

USAGE = (
    "usage: contractreview-gui [FILE] [--db PATH] [--profile NAME] [--offscreen-screenshot PNG]\n"
    "  FILE                      contract to open (PDF, DOCX, TXT, MD)\n"
    "  --db PATH                 review database (default: the user data folder)\n"
    "  --profile NAME            clause-library profile to review against\n"
    "  --offscreen-screenshot P  render without a display, save a PNG of the window to P and exit\n"
    "  --screen WxH              with --offscreen-screenshot: the screen in device pixels (default 1400x860);\n"
    "                            QT_SCALE_FACTOR=1.5 renders it as a 150% display\n"
)


@dataclass
class GuiArgs:
    file: str | None = None
    db: str | None = None
    profile: str | None = None
    screenshot: str | None = None
    screen: str | None = None
    help: bool = False


_OPTS = {"--db": "db", "--profile": "profile", "--offscreen-screenshot": "screenshot", "--screen": "screen"}


def screen_size(spec: str | None) -> tuple[int, int]:
    """``"1366x768"`` -> (1366, 768) device pixels; the default is the documentation's 1400x860."""
    if not spec:
        return 1400, 860
    try:
        w, h = (int(x) for x in spec.lower().split("x"))
    except ValueError:
        raise SystemExit(f"contractreview-gui: --screen wants WIDTHxHEIGHT, e.g. 1366x768 (got {spec!r})") from None
    return w, h


def parse_args(argv: Sequence[str]) -> GuiArgs:
    args = GuiArgs()
    it = iter(argv)
    for a in it:
        if a in ("-h", "--help"):
            args.help = True
        elif a in _OPTS:
            value = next(it, None)
            if value is None:
                raise SystemExit(f"contractreview-gui: {a} needs a value\n{USAGE}")
            setattr(args, _OPTS[a], value)
        elif a.startswith(tuple(f"{o}=" for o in _OPTS)):
            key, value = a.split("=", 1)
            setattr(args, _OPTS[key], value)
        elif a.startswith("-") and a != "-":
            raise SystemExit(f"contractreview-gui: unknown option {a}\n{USAGE}")
        elif args.file is None:
            args.file = a
        else:
            raise SystemExit(f"contractreview-gui: only one FILE may be given\n{USAGE}")
    return args


def load_user_settings() -> Any:
    import warnings

    from ..settings import load_settings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        settings = load_settings()
    return settings, [str(w.message) for w in caught]


def create_window(store: Any, settings: Any, **service_overrides: Any) -> Any:
    """Build the main window over ``store`` and ``settings`` (used by ``main`` and the tests)."""
    from .main_window import MainWindow
    from .services import Services

    services = Services(store=store, settings=settings, **service_overrides)
    return MainWindow(services)


def _ensure_app(argv: Sequence[str]) -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(["contractreview-gui", *argv])
    from PySide6.QtGui import QIcon

    from ..paths import resources_dir

    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("contractreview-*.png")):
        icon.addFile(str(png))
    app.setWindowIcon(icon)
    QGuiApplication.setDesktopFileName("org.contractreview.ContractReview")
    app.setApplicationName("ContractReview")
    app.setOrganizationName("ContractReview")
    app.setApplicationDisplayName("ContractReview")
    return app


def run_screenshot(
    window: Any, app: Any, png: str, file: str | None, timeout_ms: int = 120_000, screen: str | None = None
) -> int:
    """Open ``file`` (if any), wait for the analysis or its error, save a PNG of the window.

    ``screen`` is the display in device pixels; under ``QT_SCALE_FACTOR`` the window gets the logical
    size that fills it (1366x768 at 1.5 is 911x512), as on a laptop set to 150%."""
    from PySide6.QtCore import QEventLoop, QTimer

    w, h = screen_size(screen)
    ratio = app.devicePixelRatio() or 1.0
    window.resize(round(w / ratio), round(h / ratio))
    window.non_interactive = True
    window.show()
    failed: list[BaseException] = []
    if file:
        loop = QEventLoop()
        window.analysisShown.connect(lambda _a: loop.quit())
        window.openFailed.connect(lambda e: (failed.append(e), loop.quit()))
        QTimer.singleShot(timeout_ms, loop.quit)
        QTimer.singleShot(0, lambda: window.open_file(file))
        loop.exec()
    for _ in range(5):
        app.processEvents()
    # The picture shows the contract: owner-only (0600) like every export, written atomically (#19).
    from ..errors import ContractReviewError
    from ..export._atomic import atomic_path

    pixmap = window.grab()
    ok = False
    try:
        with atomic_path(Path(png)) as tmp:
            ok = pixmap.save(str(tmp), "PNG")
            if not ok:
                raise OSError("the picture could not be encoded")
    except (ContractReviewError, OSError) as exc:
        print(f"contractreview-gui: {exc}", file=sys.stderr)
        ok = False
    window.close()
    return 0 if ok and not failed else 1


@dataclass
class Launched:
    """A started app (:func:`launch`): what ``main`` runs the event loop over and closes after."""

    app: Any
    window: Any
    store: Any = None
    guard: Any = None

    def close(self) -> None:
        first = self.window.services.take_first_review()
        if first is not None:  # never opened (the window closed first): stop the child
            first.close()
        if self.guard is not None:
            self.guard.close()
        if self.store is not None:
            self.store.close()


def _start_first_review(file: str | None, settings: Any) -> Any:
    """Review the command line's file in a forked child while Qt starts (#13), or None.

    Forked before Qt is imported, while this process runs no other thread; the window's first open of
    that file (same profile and library) shows the child's analysis, or reviews the file itself when the
    child delivers none."""
    if not file or "spacy" in sys.modules:  # spaCy loaded already (the GUI started from a CLI run): review here
        return None
    try:
        from ..library import load_library
        from ..pipeline import start_review_in_child

        profile = getattr(settings, "profile", "default") or "default"
        library_path = getattr(settings, "library_path", None)
        # Loaded before the fork, the clause library serves both: the child inherits it (it would otherwise
        # load it while Qt starts here, on the same two cores) and the window lists its profiles from it.
        load_library(profile, user_dir=library_path)
        return start_review_in_child(file, profile=profile, library_path=library_path)
    except Exception:  # noqa: BLE001 - the window then reviews the file itself
        return None


def _warm_up_after_first_open(window: Any) -> None:
    """Build the in-process pipeline once the command line's file is shown (or failed): the child's review
    left this process without one, and a second core would only slow the child down before."""
    started: list[bool] = []

    def go(*_args: Any) -> None:
        if not started:
            started.append(True)
            window.warm_up()

    window.analysisShown.connect(go)
    window.openFailed.connect(go)


def launch(args: GuiArgs) -> Launched | int:
    """Start the app for ``args`` up to its event loop: window shown and the file opening (an exit code
    instead when it cannot start). ``main`` runs the loop; the benchmark measures launch to first finding."""
    if args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    settings, warnings_seen = load_user_settings()
    if args.profile:
        settings = replace(settings, profile=args.profile)
    first = _start_first_review(args.file, settings)
    launched: Launched | int | None = None
    try:
        launched = _launch_window(args, settings, warnings_seen, first)
        return launched
    finally:
        if not isinstance(launched, Launched) and first is not None:  # no window: stop the child
            first.close()


def _launch_window(args: GuiArgs, settings: Any, warnings_seen: list[str], first: Any) -> Launched | int:
    from .preflight import check

    problem = check()
    if problem:
        # Qt would abort the process with a core dump; say why in one line instead.
        print(f"contractreview-gui: error: {problem}", file=sys.stderr)
        return 2
    app = _ensure_app([])

    from PySide6.QtWidgets import QMessageBox

    from ..errors import ContractReviewError
    from ..store import open_store

    guard = None
    if not args.screenshot:
        from .single_instance import SingleInstance

        try:
            guard = SingleInstance("org.contractreview.ContractReview")
            if not guard.is_primary():
                # Another window is running: hand it the file (or just raise it) and quit.
                return 0 if guard.send(str(Path(args.file).resolve()) if args.file else "") else 1
        except Exception:  # noqa: BLE001 - a second window is better than no window
            guard = None

    try:
        store = open_store(args.db)
    except ContractReviewError as exc:
        QMessageBox.critical(None, "Review database unavailable", f"{exc.message}\n\nReviews will not be saved this session.")
        store = None
    window = create_window(store, settings, first_review=first)
    launched = Launched(app, window, store, guard)
    if guard is not None:
        guard.file_received.connect(lambda p: p and window.open_file(p))
        guard.activation_requested.connect(lambda: (window.showNormal(), window.raise_(), window.activateWindow()))
    if not args.screenshot:
        window.show()
        if first is None:
            window.warm_up()
        else:
            _warm_up_after_first_open(window)
        for w in warnings_seen:
            window.statusBar().showMessage(w, 10000)
        if args.file:
            window.open_file(args.file)
    return launched


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``contractreview-gui`` (and of ``contractreview gui``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.help:
        print(USAGE)
        return 0
    launched = launch(args)
    if isinstance(launched, int):
        return launched
    try:
        if args.screenshot:
            return run_screenshot(launched.window, launched.app, args.screenshot, args.file, screen=args.screen)
        return int(launched.app.exec())
    finally:
        launched.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
