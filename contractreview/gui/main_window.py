"""The main window: welcome view, then three resizable panes (checklist | document | detail).

Services (store, settings, core generators) are passed in by ``app.py``; nothing here reaches for
globals. Long work runs on a worker thread (``worker.py``); the store is only used on this thread.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDesktopServices,
    QFont,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..domain import Analysis, Decision, Finding, Progress, ReviewDecision, Severity, Status
from ..errors import ContractReviewError, EncryptedDocumentError, NoTextLayerError
from .banner import Banner
from .controller import ReviewController
from .delegates import WrappingTitleDelegate
from .detail_pane import DetailPane
from .document_view import DocumentView
from .gc_guard import GuiThreadCollector
from .handoff import Opened, finish_on_worker
from .key_terms import KeyTermsPanel
from .models import (
    COL_CONFIDENCE,
    COL_DECISION,
    COL_SEVERITY,
    COL_STATUS,
    COL_TITLE,
    ROLE_FINDING,
    FindingsFilterProxy,
    FindingsModel,
    category_label,
    counts_text,
)
from .review_header import ReviewHeader
from .services import Services
from .status_style import SEVERITY_LABELS, STATUS_LABELS, STATUS_ORDER, status_icon
from .worker import WorkerHandle, start_worker

APP_TITLE = "ContractReview"
# A checklist narrower than this hides its Severity and Confidence columns (the detail pane shows both) ...
MEDIUM_CHECKLIST_PX = 560
# ... and narrower than this also its Decision column, and Status shows its icon only.
NARROW_CHECKLIST_PX = 440
OPEN_FILTER = "Contracts (*.pdf *.docx *.txt *.md);;PDF (*.pdf);;Word (*.docx);;Text (*.txt *.md);;All files (*)"
REPORT_FILTERS = {
    "docx": "Word report (*.docx)",
    "pdf": "PDF report (*.pdf)",
    "html": "Web page (*.html)",
    "md": "Markdown (*.md)",
    "csv": "CSV table (*.csv)",
    "json": "JSON analysis (*.json)",
}


class WelcomeView(QWidget):
    openRequested = Signal()  # noqa: N815
    sampleRequested = Signal()  # noqa: N815
    recentActivated = Signal(object)  # ReviewSummary  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        col = QVBoxLayout()
        col.addStretch(1)
        title = QLabel("ContractReview")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 2.2)
        f.setBold(True)
        title.setFont(f)
        sub = QLabel(
            "Check an ed-tech vendor contract or data privacy agreement for student-data protections "
            "(FERPA, COPPA, state student-privacy laws). Everything stays on this computer."
        )
        sub.setWordWrap(True)
        col.addWidget(title)
        col.addWidget(sub)
        col.addSpacing(12)
        row = QHBoxLayout()
        self.open_btn = QPushButton("&Open a contract…")
        self.open_btn.setToolTip("Open a PDF, DOCX, TXT or Markdown contract (Ctrl+O)")
        self.open_btn.setDefault(True)
        self.open_btn.clicked.connect(self.openRequested)
        self.sample_btn = QPushButton("Open the &sample contract")
        self.sample_btn.setToolTip("A fictional data privacy agreement with typical gaps")
        self.sample_btn.clicked.connect(self.sampleRequested)
        row.addWidget(self.open_btn)
        row.addWidget(self.sample_btn)
        row.addStretch(1)
        col.addLayout(row)
        hint = QLabel("…or drop a PDF, DOCX, TXT or Markdown file anywhere on this window.")
        hf = hint.font()
        hf.setItalic(True)
        hint.setFont(hf)
        col.addWidget(hint)
        col.addSpacing(16)
        self.recent_label = QLabel("&Recent reviews")
        rf = self.recent_label.font()
        rf.setBold(True)
        self.recent_label.setFont(rf)
        col.addWidget(self.recent_label)
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent reviews")
        self.recent.setMinimumHeight(160)
        self.recent.setSpacing(3)
        self.recent.itemActivated.connect(lambda item: self.recentActivated.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_label.setBuddy(self.recent)
        col.addWidget(self.recent)
        self.disclaimer = QLabel("ContractReview flags gaps for a human reviewer. It is not legal advice.")
        self.disclaimer.setWordWrap(True)
        col.addWidget(self.disclaimer)
        col.addStretch(2)
        box = QWidget()
        box.setLayout(col)
        box.setMaximumWidth(760)
        box.setMinimumWidth(420)
        outer.addWidget(box, 4)
        outer.addStretch(1)

    def set_recent(self, summaries: list[Any]) -> None:
        self.recent.clear()
        for s in summaries:
            counts = {Status(k): v for k, v in (s.counts or {}).items() if k in Status._value2member_map_}
            when = (s.finished_at or s.started_at or "")[:16].replace("T", " ")
            item = QListWidgetItem(f"{s.name}  —  {when} UTC  —  profile {s.profile}\n    {counts_text(counts)}")
            item.setData(Qt.ItemDataRole.UserRole, s)
            item.setToolTip(s.path)
            self.recent.addItem(item)
        if not summaries:
            item = QListWidgetItem("No reviews yet. Open a contract or the sample to start.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)


def _state(name: str) -> Any:
    """A window attribute kept in the controller's ``ReviewState`` (``analysis``, ``review_id`` …)."""
    return property(lambda self: getattr(self.controller.state, name),
                    lambda self, value: setattr(self.controller.state, name, value))


# What showing a first analysis imports (the page view's PDF reader, key terms, the contract check). When
# the analysis comes from a child process (``pipeline.ReviewInChild``) this process has not imported them:
# the worker does while it waits, instead of the GUI thread while it fills the panes (0.12 s measured).
_SHOWING_IMPORTS = (
    "pypdfium2",
    "contractreview.segment",
    "contractreview.engine.keyterms",
    "contractreview.textdiff",
    "contractreview.gui.compare",
)


def _importing_first(gen: Any) -> Any:
    import importlib

    for name in _SHOWING_IMPORTS:
        importlib.import_module(name)
    return (yield from gen)


class MainWindow(QMainWindow):
    analysis = _state("analysis")
    engine_analysis = _state("engine_analysis")  # the same review before the reviewer's key-term corrections
    review_id = _state("review_id")
    current_path = _state("current_path")
    password = _state("password")

    analysisReady = Signal(object)  # Analysis, as soon as the worker hands it over  # noqa: N815
    analysisShown = Signal(object)  # Analysis, after it is saved and the panes are filled  # noqa: N815
    openFailed = Signal(object)  # exception, after its dialog  # noqa: N815
    busyChanged = Signal(bool)  # noqa: N815
    exportWritten = Signal(object)  # Path of an export just written  # noqa: N815

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.store = services.store
        self.settings = services.settings
        # The open review, the store and the exports live in the controller; the window keeps widgets.
        self.controller = ReviewController(services.store, lambda: getattr(self.settings, "reviewer_name", ""))
        # Cyclic garbage is collected on this thread only: a collection on the worker can free Qt objects.
        self._collector = GuiThreadCollector(self)
        # Offscreen screenshot / smoke runs: problems go to stderr instead of modal dialogs nobody can close.
        self.non_interactive = False
        self.saved = True
        self.job: WorkerHandle | None = None
        self._job_seq = 0
        self._old_jobs: list[WorkerHandle] = []
        self.timings: dict[str, float] = {}
        self._t_open = 0.0
        self._gui_settings = self._open_gui_settings()
        self._splitter_restored = False
        self.undo_stack = QUndoStack(self)  # decisions and notes (Edit > Undo, Ctrl+Z)
        self._undoing = False
        self.setAcceptDrops(True)
        self.setMinimumSize(640, 440)  # 1366x768 at 150% is 911x512 logical pixels
        self._build_ui()
        self._build_menus()
        from .annotations import ReviewerNotes

        self.notes = ReviewerNotes(self, self.review_menu)  # comments and status overrides (#16)
        self._restore_layout()
        self.refresh_recent()
        self._update_title()

    # ================================================================== construction
    def _open_gui_settings(self) -> QSettings | None:
        # Splitter sizes and the font size are GUI-only and live next to settings.json.
        try:
            from ..settings import config_dir

            path = config_dir() / "gui.ini"
        except Exception:  # noqa: BLE001
            return None
        return QSettings(str(path), QSettings.Format.IniFormat)

    def _build_ui(self) -> None:
        self.stack = QStackedWidget(self)
        self.welcome = WelcomeView(self)
        self.welcome.openRequested.connect(self.open_dialog)
        self.welcome.sampleRequested.connect(self.open_sample)
        self.welcome.recentActivated.connect(self.open_recent)
        self.stack.addWidget(self.welcome)

        # ---- checklist pane
        left = QWidget()
        left.setAccessibleName("Findings checklist")
        lv = QVBoxLayout(left)
        lv.setContentsMargins(6, 6, 6, 6)
        prof_row = QHBoxLayout()
        prof_label = QLabel("&Profile:")
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName("Profile")
        self.profile_combo.setToolTip("Which laws and thresholds to check against (re-analyses; decisions are kept)")
        prof_label.setBuddy(self.profile_combo)
        prof_row.addWidget(prof_label)
        prof_row.addWidget(self.profile_combo, 1)
        lv.addLayout(prof_row)
        self.counts_label = QLabel("")
        self.counts_label.setAccessibleName("Counts per status")
        self.counts_label.setWordWrap(True)
        cf = self.counts_label.font()
        cf.setBold(True)
        self.counts_label.setFont(cf)
        lv.addWidget(self.counts_label)
        frow = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.setToolTip("Show only some statuses")
        self.status_filter.addItem("Status", None)
        self.status_filter.addItem("Flags (missing + weak + needs review)", "flags")
        for s in STATUS_ORDER:
            self.status_filter.addItem(status_icon(s), STATUS_LABELS[s], s.value)
        self.severity_filter = QComboBox()
        self.severity_filter.setAccessibleName("Filter by severity")
        self.severity_filter.setToolTip("Show only one severity")
        self.severity_filter.addItem("Severity", None)
        for sev in Severity:
            self.severity_filter.addItem(SEVERITY_LABELS[sev], sev.value)
        self.category_filter = QComboBox()
        self.category_filter.setAccessibleName("Filter by category")
        self.category_filter.setToolTip("Show only one category")
        self.category_filter.addItem("Category", None)
        for combo in (self.profile_combo, self.status_filter, self.severity_filter, self.category_filter):
            # the longest item ("Flags (missing + weak + needs review)") must not set the pane's minimum width
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        # one row of filters: on a short screen (1366x768 at 150%) every line above the checklist costs a row
        frow.addWidget(self.status_filter, 3)
        frow.addWidget(self.severity_filter, 2)
        frow.addWidget(self.category_filter, 2)
        lv.addLayout(frow)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search requirements (Ctrl+K)")
        self.search.setAccessibleName("Search requirements")
        self.search.setClearButtonEnabled(True)
        lv.addWidget(self.search)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setAccessibleName("Requirements")
        self.tree.setModel(self.proxy)
        # Long requirement titles wrap instead of being cut to "Vendor a…" on a laptop or at 150% (#17).
        self.tree.setUniformRowHeights(False)  # the title delegate wraps; the other columns elide
        self.tree.setItemDelegateForColumn(COL_TITLE, WrappingTitleDelegate(self.tree, COL_TITLE))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(14)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for col in (COL_STATUS, COL_SEVERITY):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DECISION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_CONFIDENCE, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(24)
        self.tree.viewport().installEventFilter(self)  # resize -> _fit_columns
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Click a column header to sort the findings within each category; View > Profile Order undoes it.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)
        # Row heights follow the Requirement column's width: re-layout once the resizing settles.
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self._fit_columns)
        header.sectionResized.connect(lambda i, _o, _n: i == COL_TITLE and self._relayout_timer.start())
        lv.addWidget(self.tree, 1)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.severity_filter.currentIndexChanged.connect(self._apply_filters)
        self.category_filter.currentIndexChanged.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        self.tree.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.tree.activated.connect(self._on_activated)

        # ---- document + detail panes
        self.doc_view = DocumentView(self)
        self.doc_view.setAccessibleName("Document")
        self.doc_view.highlightClicked.connect(self.select_requirement)
        self.detail = DetailPane(self)
        self.detail.decisionEdited.connect(self.save_decision)
        self.detail.decisionCleared.connect(self.clear_decision)
        self.detail.showEvidenceRequested.connect(self.doc_view.show_evidence)

        # ---- key terms at the top of the review (full width, above the three panes)
        self.key_terms = KeyTermsPanel(self)
        self.key_terms.jumpRequested.connect(self.doc_view.show_span)
        self.key_terms.correctionRequested.connect(self.correct_key_term)
        self.key_terms.correctionCleared.connect(self.clear_key_term)
        self.review_header = ReviewHeader(self.key_terms, self)  # folds to one line on a short screen (#17)
        self.review_header.namesRequested.connect(self.edit_names)
        self.review_header.expandedChanged.connect(self._on_key_terms_folded)
        self.review_header.userToggled.connect(self._remember_key_terms_folded)
        self.key_terms_dock = QDockWidget("Key terms", self)
        self.key_terms_dock.setObjectName("keyTermsDock")
        self.key_terms_dock.setWidget(self.review_header)
        self.key_terms_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.key_terms_dock.setTitleBarWidget(QWidget())  # the header's own toggle names it; saves a line
        self.key_terms_dock.setAllowedAreas(Qt.DockWidgetArea.TopDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.key_terms_dock)
        self.key_terms_dock.hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.doc_view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([540, 480, 380])
        # The review page: message bars (not a contract; a stored review reopened) above the three panes.
        self.review_page = QWidget()
        rp = QVBoxLayout(self.review_page)
        rp.setContentsMargins(0, 0, 0, 0)
        rp.setSpacing(2)
        self.not_contract_bar = Banner("Not a contract warning", self)
        self.reopen_bar = Banner("Stored review", self)
        self.reopen_bar.actionTriggered.connect(self.reanalyse_fresh)
        rp.addWidget(self.not_contract_bar)
        rp.addWidget(self.reopen_bar)
        self.export_bar = Banner("Export written", self)
        self.export_bar.actionTriggered.connect(lambda: self.open_exported(folder=False))
        self.export_bar.secondTriggered.connect(lambda: self.open_exported(folder=True))
        self.last_export: Path | None = None
        rp.addWidget(self.export_bar)
        rp.addWidget(self.splitter, 1)
        self.stack.addWidget(self.review_page)
        self.setCentralWidget(self.stack)

        # ---- status bar with progress and Cancel
        sb = self.statusBar()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setToolTip("Stop the analysis (Esc)")
        self.cancel_btn.clicked.connect(self.cancel_job)
        # Elapsed seconds in the progress text: something moves every second even while the core is
        # inside one long step (reading a 300-page PDF), between its own progress reports (#17).
        self._progress_text = ""
        self._job_started = 0.0
        self._elapsed_timer = QTimer(self)
        self._elapsed_timer.setInterval(1000)
        self._elapsed_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._elapsed_timer.timeout.connect(self._show_progress_text)
        self.progress_log: list[tuple[float, int, str]] = []  # (time, value, text) of worker reports
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_btn)
        self.progress.hide()
        self.cancel_btn.hide()
        self._populate_profiles()
        self.profile_combo.currentIndexChanged.connect(self._on_profile_combo)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        if obj is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._relayout_timer.start()
        return super().eventFilter(obj, event)

    def _fit_columns(self) -> None:
        """Give the Requirement column the room (issue #17).

        The other columns get their natural width while together they take under half of the view; on a
        narrow pane (1366 px at 150%) they shrink from the right instead, the Requirement column keeps at
        least half,
        and titles wrap rather than end in "…". Status keeps its icon shape when its word is cut."""
        header = self.tree.header()
        avail = self.tree.viewport().width()
        if avail <= 0:
            return
        # A narrow checklist (a laptop at 150%) drops the columns the detail pane shows anyway, so titles
        # wrap to fewer lines and about eight rows fit (#17).
        narrow = avail < NARROW_CHECKLIST_PX
        hide = {COL_SEVERITY, COL_CONFIDENCE} if avail < MEDIUM_CHECKLIST_PX else set()
        hide |= {COL_DECISION} if narrow else set()
        for c in (COL_SEVERITY, COL_DECISION, COL_CONFIDENCE):
            if header.isSectionHidden(c) != (c in hide):
                header.setSectionHidden(c, c in hide)
        self.model.set_compact(narrow)
        others = [c for c in range(header.count()) if c != COL_TITLE and not header.isSectionHidden(c)]
        if not others:
            return
        wanted = {c: max(self.tree.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in others}
        excess = sum(wanted.values()) - int(avail * 0.5)
        # Shrink from the right (Decision, then Severity, then Status), each down to 28 px at most.
        for c in reversed(others):
            cut = max(0, min(excess, wanted[c] - 28))
            wanted[c] -= cut
            excess -= cut
        for c in others:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(c, wanted[c])
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        # Row heights follow the title width: lay the rows out again only when it changed (each pass asks
        # every row for its size, 20-40 ms in the event-loop turn after a contract opens).
        key = (header.sectionSize(COL_TITLE), id(self.analysis), self.model.compact)
        if key != getattr(self, "_rows_laid_out", None):
            self._rows_laid_out = key
            self.tree.doItemsLayout()

    def _action(self, text: str, slot, shortcut: Any = None, tip: str = "") -> QAction:  # type: ignore[no-untyped-def]
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setToolTip(tip)
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        self.addAction(act)  # shortcuts work even when the menu bar is hidden
        return act

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        self.act_open = self._action("&Open…", self.open_dialog, QKeySequence.StandardKey.Open, "Open a contract")
        self.act_sample = self._action("Open &Sample Contract", self.open_sample, "Ctrl+Shift+O")
        self.act_reload = self._action("&Re-analyse", self.reanalyse, "F5", "Analyse the contract again")
        m.addAction(self.act_open)
        m.addAction(self.act_sample)
        self.recent_menu = m.addMenu("Open &Recent")
        m.addAction(self.act_reload)
        m.addSeparator()
        em = m.addMenu("&Export")
        self.export_menu = em
        self.act_export_report = self._action("Gap &Report…", self.export_report, "Ctrl+E")
        self.act_export_annotated = self._action("&Annotated Contract…", self.export_annotated, "Ctrl+Shift+E")
        self.act_export_change = self._action("&Change Request…", self.export_change_request)
        self.act_export_portfolio = self._action("&Portfolio of All Reviews (CSV)…", self.export_portfolio)
        for a in (self.act_export_report, self.act_export_annotated, self.act_export_change):
            em.addAction(a)
        em.addSeparator()
        em.addAction(self.act_export_portfolio)
        self.act_print = self._action("&Print Gap Summary…", self.print_summary, QKeySequence.StandardKey.Print,
                                      "Print the review: key terms, every finding with its evidence and decision")
        m.addAction(self.act_print)
        m.addSeparator()
        self.act_close = self._action("&Close Contract", self.close_contract, QKeySequence.StandardKey.Close)
        m.addAction(self.act_close)
        m.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        e = mb.addMenu("&Edit")
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z")])
        for act in (self.act_undo, self.act_redo):
            self.addAction(act)
            e.addAction(act)

        r = self.review_menu = mb.addMenu("&Review")
        self.act_next_flag = self._action("&Next Flag", self.next_flag, "F8", "Go to the next missing or weak protection")
        self.act_prev_flag = self._action("&Previous Flag", self.previous_flag, "Shift+F8")
        self.act_show_evidence = self._action("Show &Evidence", self._show_current_evidence, "Ctrl+J")
        r.addAction(self.act_next_flag)
        r.addAction(self.act_prev_flag)
        r.addAction(self.act_show_evidence)
        self.act_compare = self._action("&Compare with Earlier Review…", self.compare_versions, "Ctrl+Shift+D",
                                        "What changed since an earlier version of this contract")
        r.addAction(self.act_compare)
        self.act_names = self._action("&Names Used in Exports…", lambda: self.edit_names(),
                                      tip="The names the exports use for the vendor, the school and the data")
        r.addAction(self.act_names)
        r.addSeparator()
        dm = r.addMenu("&Decide")
        for i, d in enumerate(Decision, start=1):
            dm.addAction(self._action(d.label, lambda _=False, d=d: self._decide_current(d), f"Ctrl+Alt+{i}"))
        r.addSeparator()
        self.profile_menu = r.addMenu("Pro&file")
        self._rebuild_profile_menu()

        v = mb.addMenu("&View")
        v.addAction(self._action("Zoom &In", self.doc_view.zoom_in, [QKeySequence.StandardKey.ZoomIn, "Ctrl+="]))
        v.addAction(self._action("Zoom &Out", self.doc_view.zoom_out, QKeySequence.StandardKey.ZoomOut))
        v.addAction(self._action("Fit &Width", self.doc_view.fit_width, "Ctrl+0"))
        v.addSeparator()
        v.addAction(self._action("Next Pa&ge", self.doc_view.next_page, "Ctrl+PgDown"))
        v.addAction(self._action("Previous Pag&e", self.doc_view.previous_page, "Ctrl+PgUp"))
        v.addAction(self._action("&Find in Document…", self.doc_view.focus_find, QKeySequence.StandardKey.Find))
        v.addAction(self._action("Search Re&quirements…", self._focus_search, "Ctrl+K"))
        v.addAction(self._action("Checklist in &Profile Order", lambda: self.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)))
        v.addSeparator()
        v.addAction(self._action("Focus &Checklist", self.tree.setFocus, "Ctrl+1"))
        v.addAction(self._action("Focus &Document", lambda: self.doc_view.stack.currentWidget().setFocus(), "Ctrl+2"))
        v.addAction(self._action("Focus De&tails", self.detail.setFocus, "Ctrl+3"))
        v.addAction(self._action("Focus &Key Terms", self.key_terms.table.setFocus, "Ctrl+4"))
        v.addSeparator()
        v.addAction(self._action("&Larger Text", lambda: self.change_font_size(+1), "Ctrl+Shift+="))
        v.addAction(self._action("&Smaller Text", lambda: self.change_font_size(-1), "Ctrl+Shift+-"))
        v.addAction(self._action("&Welcome Page", self.show_welcome, "Ctrl+Shift+W"))

        t = mb.addMenu("&Tools")
        t.addAction(self._action("&Settings…", self.open_settings, QKeySequence.StandardKey.Preferences if not QKeySequence(QKeySequence.StandardKey.Preferences).isEmpty() else "Ctrl+,"))
        h = mb.addMenu("&Help")
        h.addAction(self._action("&About ContractReview", self.show_about, "F1"))
        self._action("Cancel", self.cancel_job, "Esc")
        self._update_actions()

    # ================================================================== layout persistence
    def _restore_layout(self) -> None:
        geo = getattr(self.settings, "geometry_bytes", b"")
        state = getattr(self.settings, "state_bytes", b"")
        if not (geo and self.restoreGeometry(QByteArray(geo)) and self._geometry_sane()):
            self._default_geometry()
        if state:
            self.restoreState(QByteArray(state))
        if self._gui_settings is not None:
            split = self._gui_settings.value("splitter")
            if isinstance(split, QByteArray) and not split.isEmpty():
                self._splitter_restored = self.splitter.restoreState(split)
            size = self._gui_settings.value("font_size")
            try:
                if size:
                    self.set_font_size(float(size))
            except (TypeError, ValueError):
                pass

    def _available(self) -> Any:
        screen = self.screen() or QApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else None

    def _default_geometry(self) -> None:
        """1400x860, or 92% of a smaller screen (a 1366x768 laptop, or any screen at 150%)."""
        avail = self._available()
        if avail is None:
            self.resize(1400, 860)
            return
        w = min(1400, int(avail.width() * 0.92))
        h = min(860, int(avail.height() * 0.92))
        self.resize(max(w, self.minimumWidth()), max(h, self.minimumHeight()))

    def _geometry_sane(self) -> bool:
        """A restored geometry is used only if it is on a screen and not shrunk by another scale factor.

        Issue #17: after a session at 150% the next session at 100% opened at 961x600, the old logical
        size; a window under 60% of the default size is taken as such a leftover."""
        avail = self._available()
        if avail is None:
            return True
        frame = self.frameGeometry()
        if not avail.intersects(frame) or frame.width() > avail.width() * 1.05 or frame.height() > avail.height() * 1.05:
            return False
        want_w, want_h = min(1400, avail.width() * 0.92), min(860, avail.height() * 0.92)
        return self.width() >= 0.6 * want_w and self.height() >= 0.6 * want_h

    def save_layout(self) -> None:
        try:
            self.settings = self.settings.with_window(bytes(self.saveGeometry().data()), bytes(self.saveState().data()))
            self.services.save_settings(self.settings)
        except Exception as exc:  # noqa: BLE001 - never lose the session over a settings file
            self.statusBar().showMessage(f"Settings not saved: {exc}", 5000)
        if self._gui_settings is not None:
            self._gui_settings.setValue("splitter", self.splitter.saveState())
            self._gui_settings.sync()

    def set_font_size(self, points: float) -> None:
        points = max(7.0, min(points, 28.0))
        app = QApplication.instance()
        font = QFont(app.font()) if app is not None else QFont()
        font.setPointSizeF(points)
        if app is not None:
            app.setFont(font)
        self.setFont(font)
        if self._gui_settings is not None:
            self._gui_settings.setValue("font_size", points)

    def change_font_size(self, delta: int) -> None:
        self.set_font_size(self.font().pointSizeF() + delta)

    # ================================================================== warm-up
    def warm_up(self) -> None:
        """Load the core (spaCy, PDF readers, clause library) on the worker, then freeze the GC.

        Why: a full garbage collection scans every object alive; with spaCy and Qt loaded that took
        75-180 ms with the GIL held, the largest event-loop gap while a 300-page PDF was analysed.
        ``gc.freeze()`` moves the start-up objects out of the collector's way (measured gap: ~30 ms).
        """
        profile = self.profile
        analyze = self.services.analyze

        def factory():  # type: ignore[no-untyped-def]
            from ..domain import Block, Document, Format, Page

            def gen():  # type: ignore[no-untyped-def]
                import importlib

                for name in ("contractreview.ingest", "contractreview.segment", "pypdfium2", "docx"):
                    importlib.import_module(name)
                    yield Progress("warm-up", 0, 0, "Loading")
                text = "1. Security incidents. The Provider shall notify the District within 72 hours."
                doc = Document("warm-up.txt", "0" * 64, Format.TXT, text, (Page(1, 612.0, 792.0),),
                               (Block(0, len(text), 1),))
                result = yield from analyze(doc, profile=profile, library=self._library(profile))
                return result

            return gen()

        def done(_result: object = None) -> None:
            import gc

            gc.collect()
            gc.freeze()
            self.timings["warm_up_frozen_objects"] = float(gc.get_freeze_count())

        self._warm = start_worker(factory, on_finished=done, on_failed=lambda _e: done(), parent=self)

    # ================================================================== opening
    @property
    def profile(self) -> str:
        return getattr(self.settings, "profile", "default") or "default"

    def _library(self, profile: str) -> Any:
        lib_path = getattr(self.settings, "library_path", None)
        if lib_path is None:
            return None  # the core loads the bundled library for the profile
        return self.services.load_library(profile, lib_path)

    def is_busy(self) -> bool:
        return self.job is not None and self.job.is_running()

    def open_dialog(self) -> None:
        start = str(Path(self.current_path).parent) if self.current_path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open contract", start, OPEN_FILTER)
        if path:
            self.open_file(path)

    def open_sample(self) -> None:
        from ..paths import sample_contract

        path = sample_contract("pdf")
        if not path.is_file():
            self._error("Sample contract missing", f"{path.name}: the bundled sample contract is not installed.")
            return
        self.open_file(str(path))

    def open_recent(self, summary: Any) -> None:
        if summary is None:
            return
        if summary.path and Path(summary.path).is_file():
            self.open_file(summary.path)
            return
        # The file moved or was deleted: show the stored review (findings, decisions) without pages.
        try:
            analysis = self.store.get_analysis(summary.id)
        except ContractReviewError as exc:
            self._error("Cannot open review", exc.message)
            return
        self.current_path = None
        self.password = None
        self.review_id = summary.id
        self._show_analysis(analysis, persisted=True)
        self.statusBar().showMessage(f"{summary.name}: the file is no longer at {summary.path}; showing the stored review.", 8000)

    def open_file(self, path: str | Path, password: str | None = None, *, ocr: bool = False, fresh: bool = False) -> None:
        """Ingest and analyse ``path`` on the worker; the result is saved and shown on this thread.

        A file already reviewed (same SHA-256, same profile) opens its latest stored review with the
        decisions, and the window offers "Re-analyse" (issue #17: every reopen used to add a review);
        ``fresh`` analyses it again regardless. ``ocr`` (offered after a scanned PDF when ocrmypdf is
        installed) OCRs scanned pages first."""
        path = str(path)
        if self.is_busy():
            self._abandon_job()
        self.detail.flush()
        first = self.services.take_first_review()  # only the first open may use the command line's child
        if not fresh and not ocr and self._open_stored(path, password):
            if first is not None:
                first.close()
            return
        self._t_open = time.perf_counter()
        profile = self.profile
        review = self.services.review
        lib_path = getattr(self.settings, "library_path", None)
        if first is not None and (ocr or password is not None or not first.serves(path, profile, lib_path)):
            first.close()
            first = None

        def factory():  # type: ignore[no-untyped-def]  # runs on the worker thread
            if ocr:
                gen = review(path, profile=profile, library=self._library(profile), password=password, ocr=True)
            elif first is not None:  # the child's analysis, or this review when it delivers none
                gen = _importing_first(
                    first.iter_result(lambda: review(path, profile=profile, library=self._library(profile)))
                )
            else:
                gen = review(path, profile=profile, library=self._library(profile), password=password)
            return finish_on_worker(gen, path)  # JSON for the store, contract check: off this thread

        self._start(
            factory,
            f"Opening {Path(path).name}…",
            on_finished=lambda analysis: self._on_opened(analysis, path, password),
            on_failed=lambda exc: self._on_open_failed(exc, path, password),
        )

    def _open_stored(self, path: str, password: str | None) -> bool:
        """Show the latest stored review of the file at ``path`` when there is one; False otherwise."""
        found = self.controller.stored_review(path, self.profile)
        if found is None:
            return False
        summary, analysis = found
        self._t_open = time.perf_counter()
        self.current_path = path
        self.password = password
        self.review_id = summary.id
        self._show_analysis(analysis, persisted=True)
        when = _local_time(summary.finished_at or summary.started_at)
        self.reopen_bar.show_message(
            f"Showing your review of {when} (profile {summary.profile}, clause library {summary.library_version}),"
            " decisions included. Re-analyse to check the file again with the current clause library.",
            "info", "Re-a&nalyse",
        )
        self.timings["open_to_first_finding_s"] = time.perf_counter() - self._t_open
        self._remember_recent(path)
        return True

    def _remember_recent(self, path: str) -> None:
        """Put ``path`` first in File ▸ Open Recent (a settings file that cannot be written is no error)."""
        try:
            self.settings = self.settings.with_recent(path)
            self.services.save_settings(self.settings)
        except Exception:  # noqa: BLE001
            pass
        self.refresh_recent()

    def reanalyse_fresh(self) -> None:
        """Read the file again and analyse it (a new stored review); the decisions carry over by hash."""
        self.reopen_bar.hide()
        if self.current_path and Path(self.current_path).is_file():
            self.open_file(self.current_path, self.password, fresh=True)
        else:
            self.reanalyse()

    def reanalyse(self, profile: str | None = None) -> None:
        """Analyse the current document again (e.g. with another profile); decisions are kept."""
        if self.analysis is None:
            return
        if self.is_busy():
            self._abandon_job()
        profile = profile or self.profile
        doc = self.analysis.document
        if not doc.text:
            if self.current_path and Path(self.current_path).is_file():
                self.open_file(self.current_path, self.password)
            else:
                self._error("Cannot re-analyse", f"{doc.name}: the contract text is not stored; open the file again.")
            return
        self.detail.flush()
        self._t_open = time.perf_counter()
        analyze = self.services.analyze
        path, password = self.current_path, self.password

        def factory():  # type: ignore[no-untyped-def]
            return finish_on_worker(analyze(doc, profile=profile, library=self._library(profile)), path)

        self._start(
            factory,
            f"Re-analysing with profile {profile}…",
            on_finished=lambda analysis: self._on_opened(analysis, path, password, keep_view=True),
            on_failed=lambda exc: self._on_open_failed(exc, path or doc.name, password),
        )

    def _start(self, factory, message: str, *, on_finished, on_failed) -> None:  # type: ignore[no-untyped-def]
        self.progress.setRange(0, 0)
        self._job_started = time.perf_counter()
        self._progress_text = message
        self.progress_log = []
        self._show_progress_text()
        self._elapsed_timer.start()
        self.progress.show()
        self.cancel_btn.show()
        self.statusBar().showMessage(message)
        # A cancelled job may still report once; only the newest job's results are shown.
        self._job_seq += 1
        seq = self._job_seq

        def current() -> bool:
            return seq == self._job_seq

        self.job = start_worker(
            factory,
            on_progress=lambda p: current() and self._on_progress(p),
            on_finished=lambda v: current() and (self._job_done(), on_finished(v)),
            on_failed=lambda e: current() and (self._job_done(), on_failed(e)),
            on_cancelled=lambda: current() and self._on_cancelled(),
            parent=self,
        )
        self._update_actions()
        self.busyChanged.emit(True)

    def _on_progress(self, p: Progress) -> None:
        if p.total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(p.fraction * 1000))
        self._progress_text = f"{p.message or p.stage} %p%" if p.total > 0 else (p.message or p.stage)
        self.progress_log.append((time.perf_counter(), self.progress.value(), p.message or p.stage))
        self._show_progress_text()
        self.statusBar().showMessage(p.message or p.stage)

    def _show_progress_text(self) -> None:
        secs = int(time.perf_counter() - self._job_started)
        self.progress.setFormat(f"{self._progress_text} · {secs} s" if secs else self._progress_text)

    def _job_done(self) -> None:
        if self.job is not None:  # its thread is still winding down; closeEvent waits for it
            self._old_jobs = [j for j in self._old_jobs if j.is_running()] + [self.job]
        self._elapsed_timer.stop()
        self.progress.hide()
        self.cancel_btn.hide()
        self.statusBar().clearMessage()
        self.job = None
        self._update_actions()
        self.busyChanged.emit(False)

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.statusBar().showMessage("Cancelling…")

    def _abandon_job(self) -> None:
        """Cancel the running job without waiting; its late results are ignored."""
        if self.job is not None:
            self.job.cancel()
            self._old_jobs = [j for j in self._old_jobs if j.is_running()] + [self.job]
            self._job_seq += 1
            self.job = None

    def _on_cancelled(self) -> None:
        self._job_done()
        self.statusBar().showMessage("Cancelled. Nothing was changed.", 5000)

    def _on_opened(self, opened: Opened | Analysis, path: str | None, password: str | None, keep_view: bool = False) -> None:
        t_ready = time.perf_counter()
        if not isinstance(opened, Opened):
            opened = Opened(opened, None, None)
        analysis = opened.analysis
        self.timings["analysis_s"] = t_ready - self._t_open
        self.reopen_bar.hide()
        self.analysisReady.emit(analysis)
        self.current_path = path
        self.password = password
        persisted = False
        try:
            self.review_id = self.controller.save(opened.prepared or analysis, path)
            persisted = self.review_id is not None
        except ContractReviewError as exc:
            self.review_id = None
            self._error("Review not saved", exc.message)
        t_saved = time.perf_counter()
        self.timings["persist_s"] = t_saved - t_ready
        self._show_analysis(analysis, persisted=persisted, keep_view=keep_view, check=opened.check)
        self.timings["display_s"] = time.perf_counter() - t_saved
        self.timings["open_to_first_finding_s"] = time.perf_counter() - self._t_open
        if path:
            self._remember_recent(path)

    def _on_open_failed(self, exc: BaseException, path: str, password: str | None) -> None:
        name = Path(path).name
        if isinstance(exc, EncryptedDocumentError) and self.non_interactive:
            self._error("Password needed", exc.message)
        elif isinstance(exc, EncryptedDocumentError):
            prompt = (
                f"{name}: that password is not correct. Try again:"
                if exc.wrong_password or password
                else f"{name} is protected by a password. Enter it to open the contract:"
            )
            text, ok = QInputDialog.getText(self, "Password needed", prompt, QLineEdit.EchoMode.Password)
            if ok and text:
                self.open_file(path, password=text)
                return
        elif isinstance(exc, NoTextLayerError) and _ocr_available() and not self.non_interactive:
            answer = QMessageBox.question(
                self,
                "Scanned document",
                f"{exc.message}\n\n{name} looks like a scanned image. ocrmypdf is installed on this computer: "
                "run OCR on a temporary copy and review the recognised text? OCR text can contain errors; "
                "check every quote against the page.",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.open_file(path, password=password, ocr=True)
                return
        elif isinstance(exc, NoTextLayerError):
            self._warn(
                "Scanned document",
                f"{exc.message}\n\n{name} looks like a scanned image: it has no text for ContractReview to read. "
                "OCR is not bundled with ContractReview. Run the file through an OCR tool (for example "
                "ocrmypdf) and open the result, or ask the vendor for a text PDF or Word file.",
            )
        elif isinstance(exc, ContractReviewError):
            self._error("Cannot open contract", exc.message)
        else:
            self._error("Unexpected error", f"{name}: {type(exc).__name__}: {exc}\n\nThe file was not opened; your other reviews are unaffected.")
        self.openFailed.emit(exc)

    # ================================================================== showing
    def _show_analysis(self, analysis: Analysis, *, persisted: bool, keep_view: bool = False, check: Any = None) -> None:
        previous = self.current_requirement()
        same_doc = keep_view and self.analysis is not None and self.analysis.document.sha256 == analysis.document.sha256
        if self.analysis is None or self.analysis.document.sha256 != analysis.document.sha256:
            self.undo_stack.clear()  # undo belongs to one contract's decisions
        self.engine_analysis = analysis  # as the engine read it; the reviewer's key-term corrections go on top
        analysis = self._with_corrections(analysis)
        self.analysis = analysis
        self.detail.analysis = analysis  # to label evidence as the exports do
        self._check_contract(analysis, check)
        self.key_terms.set_analysis(analysis)
        self.review_header.refresh()
        if not self.key_terms_dock.isVisible():
            self.key_terms_dock.show()
            # on a laptop (768 px, or 512 logical at 150%) the table starts folded to one line
            self.review_header.set_expanded(self._key_terms_expanded())
        decisions = self._load_decisions(analysis)
        self.detail.set_finding(None)  # re-selected below (the same requirement, or the first flag)
        self.model.set_analysis(analysis, decisions)
        self._fill_categories(analysis)
        self.counts_label.setText(counts_text(analysis.counts()))
        if not same_doc and not keep_view:
            # Another contract: the last one's search, filters, Find term and selection do not apply (#17).
            previous = None
            self.clear_filters()
            self.doc_view.find_edit.clear()
        if not same_doc:
            self.stack.setCurrentWidget(self.review_page)  # laid out before fitting the page width
            if not self._splitter_restored:
                # first review in this window: checklist 36%, page 34%, detail 30% of the real width; on a
                # narrow window (a laptop at 150%) the checklist gets 42%, the page 30% and the detail 28%
                w = self.splitter.width()
                shares = (0.36, 0.34, 0.30) if w >= 1200 else (0.42, 0.30, 0.28)
                self.splitter.setSizes([int(w * f) for f in shares])
            self.doc_view.set_document(analysis.document, source_path=self.current_path, password=self.password)
            self.doc_view.fit_width()
        self.doc_view.set_findings(analysis.findings)  # the groups were expanded by _fill_categories
        self._relayout_timer.start()
        self._select_profile_in_combo(analysis.profile)
        self.saved = persisted
        self.stack.setCurrentWidget(self.review_page)
        self._update_title()
        self._update_actions()
        if previous and self.model.index_for(previous).isValid():
            self.select_requirement(previous)
        else:
            self.next_flag(from_start=True)
        focused = QApplication.focusWidget()
        if not isinstance(focused, (QLineEdit, QPlainTextEdit)) or not focused.isVisible():
            self.tree.setFocus()  # keyboard users land on the checklist: arrows, F8, Enter work at once
        if analysis.document.warnings:
            self.statusBar().showMessage("; ".join(analysis.document.warnings)[:300], 10000)
        self.analysisShown.emit(analysis)

    def _key_terms_expanded(self) -> bool:
        """Open unless the reviewer folded it last time, or the window is short (under 700 logical px)."""
        saved = self._gui_settings.value("key_terms_expanded") if self._gui_settings is not None else None
        if saved is not None:
            return str(saved).lower() in ("true", "1")
        return self.height() >= 700

    def _remember_key_terms_folded(self, expanded: bool) -> None:
        if self._gui_settings is not None:
            self._gui_settings.setValue("key_terms_expanded", expanded)

    def _on_key_terms_folded(self, expanded: bool) -> None:
        if expanded:  # all rows when there is room, never more than a quarter of a laptop screen
            want = self.review_header.sizeHint().height()
            self.resizeDocks([self.key_terms_dock], [min(want, max(110, int(self.height() * 0.25)))],
                             Qt.Orientation.Vertical)

    def _names(self) -> Any:
        from .review_header import effective

        try:
            return effective(self.controller.detected_terms(), self.controller.vocabulary())
        except ContractReviewError:
            return None

    def edit_names(self, dialog: Any = None) -> bool:
        """Show and edit the names the exports use for the parties and the data (issue #18); they are
        stored with the review, so every export from here or the CLI uses them. ``dialog``: tests."""
        from .review_header import NamesDialog

        if self.analysis is None:
            return False
        if self.store is None or self.review_id is None:
            self._warn("Names not saved", "This review is not stored, so names cannot be kept with it.")
            return False
        try:
            stored = self.controller.vocabulary()
        except ContractReviewError as exc:
            self._error("Names not read", exc.message)
            return False
        dlg = dialog or NamesDialog(self.controller.detected_terms(), stored, self)
        if dialog is None and dlg.exec() != NamesDialog.DialogCode.Accepted:
            return False
        try:
            self.controller.set_vocabulary(dlg.terms())
        except ContractReviewError as exc:
            self._error("Names not saved", exc.message)
            return False
        self.review_header.refresh(self._names())
        self.statusBar().showMessage("Saved: the names used in exports", 4000)
        return True

    def _check_contract(self, analysis: Analysis, check: Any = None) -> None:
        """Warn above the results when the file does not look like a contract (issue #17); ``check`` is
        the worker's verdict when it made one."""
        from ..contract_check import check_contract

        check = check or check_contract(analysis.document, analysis.clauses or None)
        if check.warning:
            self.not_contract_bar.show_message(check.warning, "warning")
            if self.non_interactive:
                print(f"contractreview-gui: warning: {check.warning}", file=sys.stderr)
        else:
            self.not_contract_bar.hide()

    def _with_corrections(self, analysis: Analysis) -> Analysis:
        try:
            return self.controller.corrected(analysis)
        except ContractReviewError as exc:
            self.statusBar().showMessage(f"Key-term corrections could not be read: {exc.message}", 8000)
            return analysis

    def correct_key_term(self, name: str, raw: str, note: str = "") -> bool:
        """Store a reviewer's correction of a key term, then show the re-checked review (GUI thread)."""
        from ..engine.keyterms import parse_value

        if self.analysis is None or self.engine_analysis is None:
            return False
        if self.store is None or self.review_id is None:
            self._warn("Correction not saved", "This review is not stored, so a correction cannot be kept.")
            return False
        try:
            value = parse_value(name, raw)
        except ValueError as exc:
            self._warn("Correction not saved", str(exc))
            return False
        try:
            self.controller.set_key_term(name, value, note)
        except ContractReviewError as exc:
            self._error("Correction not saved", exc.message)
            return False
        self._show_analysis(self.engine_analysis, persisted=self.saved, keep_view=True)
        self.key_terms.select(name)
        self.statusBar().showMessage(f"Saved: {name} corrected by the reviewer", 4000)
        return True

    def clear_key_term(self, name: str) -> bool:
        if self.analysis is None or self.engine_analysis is None or self.store is None:
            return False
        try:
            done = self.controller.clear_key_term(name)
        except ContractReviewError as exc:
            self._error("Correction not withdrawn", exc.message)
            return False
        self._show_analysis(self.engine_analysis, persisted=self.saved, keep_view=True)
        self.key_terms.select(name)
        return done

    def _load_decisions(self, analysis: Analysis) -> dict[str, ReviewDecision]:
        try:
            return self.controller.decisions(analysis)
        except ContractReviewError as exc:
            self.statusBar().showMessage(f"Decisions could not be read: {exc.message}", 8000)
            return {}

    def _fill_categories(self, analysis: Analysis) -> None:
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem("Category", None)
        for cat in dict.fromkeys(f.category for f in analysis.findings):
            self.category_filter.addItem(category_label(cat), cat)
        idx = self.category_filter.findData(current)
        self.category_filter.setCurrentIndex(max(0, idx))
        self.category_filter.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        sf = self.status_filter.currentData()
        if sf is None:
            self.proxy.set_statuses(None)
        elif sf == "flags":
            self.proxy.set_statuses([s for s in Status if s.is_flag])
        else:
            self.proxy.set_statuses([Status(sf)])
        sev = self.severity_filter.currentData()
        self.proxy.set_severities(None if sev is None else [Severity(sev)])
        self.proxy.set_category(self.category_filter.currentData())
        self.proxy.set_search(self.search.text())
        self._expand_groups()
        # A finding the filters now hide must not stay in the detail pane as if it were selected (#17).
        if self.detail.finding is not None and not self.tree.currentIndex().isValid():
            rows = self._visible_findings()
            if rows:
                self.tree.setCurrentIndex(rows[0])
            else:
                self.detail.set_finding(None)

    def _expand_groups(self) -> None:
        for g in range(self.proxy.rowCount()):
            self.tree.setFirstColumnSpanned(g, QModelIndex(), True)
        self.tree.expandAll()

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.severity_filter, self.category_filter):
            combo.setCurrentIndex(0)
        self.search.clear()

    def close_contract(self) -> None:
        self.detail.flush()
        if self.is_busy():
            self.cancel_job()
        self.analysis = None
        self.engine_analysis = None
        self.key_terms.set_analysis(None)
        self.key_terms_dock.hide()
        self.undo_stack.clear()
        self.export_bar.hide()
        self.not_contract_bar.hide()
        self.reopen_bar.hide()
        self.review_id = None
        self.current_path = None
        self.password = None
        self.model.set_analysis(None)
        self.doc_view.set_document(None)
        self.detail.set_finding(None)
        self.counts_label.setText("")
        self.notes.refresh()
        self.saved = True
        self.show_welcome()
        self._update_title()
        self._update_actions()

    def show_welcome(self) -> None:
        self.refresh_recent()
        self.key_terms_dock.hide()
        self.stack.setCurrentWidget(self.welcome)

    def refresh_recent(self) -> None:
        summaries: list[Any] = []
        if self.store is not None:
            try:
                summaries = self.store.recent_documents(10)
            except ContractReviewError as exc:
                self.statusBar().showMessage(f"Recent reviews unavailable: {exc.message}", 8000)
        self.welcome.set_recent(summaries)
        if hasattr(self, "recent_menu"):  # the menus are built after the first call
            self.recent_menu.clear()
            for s in summaries:
                act = self.recent_menu.addAction(s.name)
                act.setToolTip(s.path)
                act.triggered.connect(lambda _=False, s=s: self.open_recent(s))
            self.recent_menu.setEnabled(bool(summaries))

    def _update_title(self) -> None:
        if self.analysis is None:
            self.setWindowTitle(APP_TITLE)
            return
        state = "saved" if self.saved else "NOT saved"
        self.setWindowTitle(f"{self.analysis.document.name} ({self.analysis.profile}) — {state} — {APP_TITLE}")

    def _update_actions(self) -> None:
        has = self.analysis is not None
        busy = self.is_busy()
        for act in (self.act_export_report, self.act_export_annotated, self.act_export_change, self.act_close,
                    self.act_next_flag, self.act_prev_flag, self.act_reload):
            act.setEnabled(has)
        self.act_reload.setEnabled(has and not busy)
        self.act_export_annotated.setEnabled(has and bool(self.current_path))
        self.act_export_portfolio.setEnabled(self.store is not None and not busy)
        self.act_print.setEnabled(has)
        self.act_compare.setEnabled(has and self.store is not None and self.review_id is not None)
        self.act_names.setEnabled(has and self.store is not None and self.review_id is not None)
        self.review_header.names_btn.setEnabled(self.act_names.isEnabled())
        self.profile_combo.setEnabled(not busy)

    # ================================================================== selection
    def current_requirement(self) -> str | None:
        f = self.current_finding()
        return f.requirement_id if f else None

    def current_finding(self) -> Finding | None:
        idx = self.tree.currentIndex()
        if not idx.isValid():
            return None
        return idx.data(ROLE_FINDING)

    def select_requirement(self, requirement_id: str) -> bool:
        src = self.model.index_for(requirement_id)
        if not src.isValid():
            return False
        idx = self.proxy.mapFromSource(src)
        if not idx.isValid():  # hidden by a filter: clear the filters so the selection is visible
            self.clear_filters()
            idx = self.proxy.mapFromSource(src)
        if self.tree.currentIndex() == idx:
            self._on_current_changed(idx, QModelIndex())  # re-show evidence (user clicked it again)
        self.tree.setCurrentIndex(idx)
        self.tree.scrollTo(idx)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        finding = current.data(ROLE_FINDING) if current.isValid() else None
        self.detail.set_finding(finding, self.model.decision_for(finding.requirement_id) if finding else None)
        if finding is not None:
            shown = self.doc_view.show_evidence(finding.requirement_id)
            if not shown and finding.status is Status.MISSING:
                self.statusBar().showMessage(f"{finding.title}: not found in the contract.", 4000)
            elif not shown and finding.not_checked:
                self.statusBar().showMessage(f"{finding.title}: not checked automatically; read the contract.", 4000)

    def _on_activated(self, index: QModelIndex) -> None:
        finding = index.data(ROLE_FINDING)
        if finding is not None:
            self.doc_view.show_evidence(finding.requirement_id)

    def _show_current_evidence(self) -> None:
        rid = self.current_requirement()
        if rid:
            self.doc_view.show_evidence(rid)

    def _visible_findings(self) -> list[QModelIndex]:
        out = []
        for g in range(self.proxy.rowCount()):
            parent = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(parent)):
                out.append(self.proxy.index(r, 0, parent))
        return out

    def _step_flag(self, step: int, from_start: bool = False) -> bool:
        rows = self._visible_findings()
        flags = [i for i, idx in enumerate(rows) if idx.data(ROLE_FINDING).status.is_flag]
        if not flags:
            self.statusBar().showMessage("No flagged requirements in view.", 3000)
            return False
        cur = self.tree.currentIndex()
        pos = next((i for i, idx in enumerate(rows) if idx == cur), None)
        if from_start or pos is None:
            target = flags[0] if step > 0 else flags[-1]
        elif step > 0:
            target = next((i for i in flags if i > pos), flags[0])
        else:
            target = next((i for i in reversed(flags) if i < pos), flags[-1])
        self.tree.setCurrentIndex(rows[target])
        self.tree.scrollTo(rows[target])
        return True

    def next_flag(self, from_start: bool = False) -> bool:
        return self._step_flag(+1, from_start=bool(from_start))

    def previous_flag(self) -> bool:
        return self._step_flag(-1)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ================================================================== decisions
    def _decide_current(self, decision: Decision) -> None:
        f = self.current_finding()
        if f is None:
            return
        idx = self.detail.decision.findData(decision.value)
        self.detail.decision.setCurrentIndex(idx)  # emits decisionEdited -> save_decision

    def save_decision(self, requirement_id: str, decision: Decision, note: str) -> ReviewDecision | None:
        """Write the decision through the store now (GUI thread), then show it as saved (undoable)."""
        if self.analysis is None:
            return None
        before = self.model.decision_for(requirement_id)
        if self.store is None or self.review_id is None:
            self.detail.mark_saved(False, "this review is not stored")
            self.saved = False
            self._update_title()
            return None
        finding = self.analysis.finding(requirement_id)
        try:
            rd = self.controller.set_decision(requirement_id, decision, note)
        except ContractReviewError as exc:
            self.detail.mark_saved(False, exc.message)
            self.saved = False
            self._update_title()
            return None
        self.model.set_decision(rd)
        if self.detail.finding is not None and self.detail.finding.requirement_id == requirement_id:
            self.detail.show_decision(rd)
            self.detail.mark_saved(True)
        self._record_undo(requirement_id, before, rd, finding.title if finding else requirement_id)
        self.saved = True
        self._update_title()
        self.statusBar().showMessage(f"Saved: {rd.decision.label} for {finding.title if finding else requirement_id}", 3000)
        return rd

    def clear_decision(self, requirement_id: str) -> bool:
        """Withdraw a decision ("— not decided —"); the audit log keeps the old one."""
        if self.analysis is None or self.store is None or self.review_id is None:
            return False
        try:
            self.controller.clear_decision(requirement_id)
        except (ContractReviewError, AttributeError) as exc:
            self.detail.mark_saved(False, getattr(exc, "message", str(exc)))
            return False
        before = self.model.decision_for(requirement_id)
        self.model.clear_decision(requirement_id)
        if self.detail.finding is not None and self.detail.finding.requirement_id == requirement_id:
            self.detail.show_decision(None)
            self.detail.mark_saved(True)
        finding = self.analysis.finding(requirement_id)
        self._record_undo(requirement_id, before, None, finding.title if finding else requirement_id)
        return True

    def _record_undo(self, requirement_id: str, before: ReviewDecision | None, after: ReviewDecision | None,
                     title: str) -> None:
        if self._undoing or self.analysis is None:
            return
        if before is not None and after is not None and (before.decision, before.note) == (after.decision, after.note):
            return
        what = "note" if before and after and before.decision == after.decision else "decision"
        self.undo_stack.push(_DecisionCommand(self, self.analysis.document.sha256, requirement_id, before, after,
                                              f"{what} on {title}"))

    def apply_decision(self, sha256: str, requirement_id: str, target: ReviewDecision | None) -> None:
        """Put a requirement's decision back to ``target`` (Undo/Redo); written through the store."""
        if self.analysis is None or self.analysis.document.sha256 != sha256:
            return
        self._undoing = True
        try:
            self.select_requirement(requirement_id)
            if target is None:
                self.clear_decision(requirement_id)
            else:
                self.save_decision(requirement_id, target.decision, target.note)
        finally:
            self._undoing = False

    # ================================================================== profiles
    def _profiles(self) -> list[str]:
        return self.services.list_profiles(getattr(self.settings, "library_path", None))

    def _populate_profiles(self) -> None:
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        names = self._profiles()
        if self.profile not in names:
            names = [self.profile, *names]
        for n in names:
            self.profile_combo.addItem(n, n)
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(self.profile)))
        self.profile_combo.blockSignals(False)

    def _rebuild_profile_menu(self) -> None:
        self.profile_menu.clear()
        group = QActionGroup(self)
        group.setExclusive(True)
        for i in range(self.profile_combo.count()):
            name = self.profile_combo.itemData(i)
            act = self.profile_menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(name == self.profile)
            group.addAction(act)
            act.triggered.connect(lambda _=False, n=name: self.switch_profile(n))

    def _select_profile_in_combo(self, name: str) -> None:
        idx = self.profile_combo.findData(name)
        if idx < 0:
            self.profile_combo.addItem(name, name)
            idx = self.profile_combo.findData(name)
        self.profile_combo.blockSignals(True)
        self.profile_combo.setCurrentIndex(idx)
        self.profile_combo.blockSignals(False)

    def _on_profile_combo(self) -> None:
        name = self.profile_combo.currentData()
        if name:
            self.switch_profile(name)

    def switch_profile(self, name: str) -> None:
        """Use ``name`` from now on; the open contract is re-analysed in the background."""
        if name == self.profile and (self.analysis is None or self.analysis.profile == name):
            return
        self.settings = replace(self.settings, profile=name)
        try:
            self.services.save_settings(self.settings)
        except Exception:  # noqa: BLE001
            pass
        self._select_profile_in_combo(name)
        self._rebuild_profile_menu()
        if self.analysis is not None:
            self.reanalyse(name)

    def compare_versions(self) -> Any:
        """Open the comparison with an earlier review (non-modal; returned for tests)."""
        if self.store is None or self.review_id is None:
            return None
        from .compare import CompareDialog

        dlg = CompareDialog(self.store, self.review_id, self)
        if not self.non_interactive:
            dlg.show()
        return dlg

    # ================================================================== dialogs
    def _error(self, title: str, text: str) -> None:
        if self.non_interactive:
            print(f"contractreview-gui: {title}: {text}", file=sys.stderr)
            return
        QMessageBox.critical(self, title, text)

    def _warn(self, title: str, text: str) -> None:
        if self.non_interactive:
            print(f"contractreview-gui: {title}: {text}", file=sys.stderr)
            return
        QMessageBox.warning(self, title, text)

    def show_about(self) -> None:
        from ..about import version_text  # not from the CLI: the GUI never imports argparse code

        QMessageBox.about(
            self,
            "About ContractReview",
            f"<b>ContractReview</b><br>{version_text()}<br><br>"
            "Offline review of ed-tech vendor contracts for K-12 student-data protections.<br>"
            "It flags gaps for a human reviewer; it is not legal advice.<br>Licensed under Apache-2.0.",
        )

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.settings, self.font().pointSizeF(), self)
        if dlg.exec() != SettingsDialog.DialogCode.Accepted:
            return
        old_lib = getattr(self.settings, "library_dir", "")
        self.settings = dlg.result_settings()
        try:
            self.services.save_settings(self.settings)
        except Exception as exc:  # noqa: BLE001
            self._error("Settings not saved", str(exc))
        self.set_font_size(dlg.font_size())
        if self.settings.library_dir != old_lib:
            self._populate_profiles()
            self._rebuild_profile_menu()
            if self.analysis is not None:
                self.reanalyse()

    # ================================================================== exports
    def _save_path(self, title: str, suggested: str, filters: str) -> tuple[str, str]:
        folder = getattr(self.settings, "last_export_dir", "") or (str(Path(self.current_path).parent) if self.current_path else "")
        path, chosen = QFileDialog.getSaveFileName(self, title, str(Path(folder) / suggested) if folder else suggested, filters)
        if path:
            try:
                self.settings = replace(self.settings, last_export_dir=str(Path(path).parent))
                self.services.save_settings(self.settings)
            except Exception:  # noqa: BLE001
                pass
        return path, chosen

    def _run_export(self, what: str, fn) -> Path | None:  # type: ignore[no-untyped-def]
        try:
            out = fn()
        except ContractReviewError as exc:
            self._error(f"{what} not written", exc.message)
            return None
        return self._export_written(what, Path(out))

    def _export_written(self, what: str, out: Path) -> Path:
        self.statusBar().showMessage(f"{what} written: {out.name}", 6000)
        self.last_export = out
        self.export_bar.show_message(f"{what} written: {out.name}", "info", "&Open File", "Show &Folder")
        self.exportWritten.emit(out)
        return out

    def print_summary(self, printer: Any = None) -> bool:
        """Print the gap summary (the HTML export's content); ``printer`` skips the dialog (tests)."""
        if self.analysis is None:
            return False
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dlg = QPrintDialog(printer, self)
            dlg.setWindowTitle("Print gap summary")
            if dlg.exec() != QPrintDialog.DialogCode.Accepted:
                return False
        try:
            html = self.controller.summary_html()
        except ContractReviewError as exc:
            self._error("Not printed", exc.message)
            return False
        doc = QTextDocument()
        doc.setHtml(html)
        doc.print_(printer)
        self.statusBar().showMessage("Gap summary sent to the printer.", 4000)
        return True

    def open_exported(self, *, folder: bool) -> bool:
        """Open the last exported file (or its folder) with the system's default application."""
        if self.last_export is None:
            return False
        target = self.last_export.parent if folder else self.last_export
        if not target.exists():
            self._warn("Not found", f"{target}: the exported file is no longer there.")
            return False
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))))

    def _stem(self) -> str:
        return Path(self.analysis.document.name).stem if self.analysis else "contract"

    def export_report(self) -> Path | None:
        if self.analysis is None:
            return None
        filters = ";;".join(REPORT_FILTERS.values())
        path, chosen = self._save_path("Export gap report", f"{self._stem()}-review.docx", filters)
        if not path:
            return None
        fmt = Path(path).suffix.lstrip(".").lower()
        if fmt not in REPORT_FILTERS:
            fmt = next((k for k, v in REPORT_FILTERS.items() if v == chosen), "docx")
            path = str(Path(path).with_suffix("." + fmt))
        return self._run_export("Report", lambda: self.controller.export_report(fmt, Path(path)))

    def export_annotated(self) -> Path | None:
        if self.analysis is None or not self.current_path:
            return None
        suffix = Path(self.current_path).suffix.lower()
        path, _ = self._save_path("Export annotated contract", f"{self._stem()}-annotated{suffix}", f"Same format (*{suffix})")
        if not path:
            return None
        return self._run_export("Annotated contract", lambda: self.controller.export_annotated(Path(path)))

    def export_change_request(self) -> Path | None:
        if self.analysis is None:
            return None
        path, _ = self._save_path("Export change request", f"{self._stem()}-change-request.docx", "Word (*.docx)")
        if not path:
            return None
        return self._run_export("Change request", lambda: self.controller.export_change_request(Path(path)))

    def export_portfolio(self, path: str | None = None) -> bool:
        """Write every stored review to one CSV on the worker (progress, Cancel); True once started."""
        if self.store is None:
            return False
        if self.is_busy():
            self._warn("Portfolio not exported", "Wait until the analysis has finished, or cancel it (Esc).")
            return False
        path = path or self._save_path("Export portfolio", "contract-portfolio.csv", "CSV (*.csv)")[0]
        if not path:
            return False
        try:
            job = self.controller.portfolio_job(Path(path))
        except ContractReviewError as exc:
            self._error("Portfolio not written", exc.message)
            return False
        self._start(job, "Exporting the portfolio…",
                    on_finished=lambda out: self._export_written("Portfolio", Path(out)),
                    on_failed=lambda exc: self._error("Portfolio not written", getattr(exc, "message", str(exc))))
        return True

    # ================================================================== drag and drop / close
    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            QTimer.singleShot(0, self, lambda: self.open_file(files[0]))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.detail.flush()
        for job in [self.job, *self._old_jobs, getattr(self, "_warm", None)]:
            if job is not None:
                job.cancel()
                job.wait(10000)
        self.save_layout()
        self._collector.release()
        super().closeEvent(event)


class _DecisionCommand(QUndoCommand):
    """One decision or note change; undo puts the previous one back through the store."""

    def __init__(self, window: MainWindow, sha256: str, requirement_id: str, before: ReviewDecision | None,
                 after: ReviewDecision | None, text: str) -> None:
        super().__init__(text)
        self._window, self._sha, self._rid = window, sha256, requirement_id
        self._before, self._after = before, after
        self._done = True  # pushed after the change was already saved: the first redo() does nothing

    def undo(self) -> None:
        self._window.apply_decision(self._sha, self._rid, self._before)

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._window.apply_decision(self._sha, self._rid, self._after)


def _local_time(iso: str) -> str:
    """A stored UTC timestamp in the reviewer's local time ("2026-03-02 14:05")."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, AttributeError):
        return (iso or "")[:16].replace("T", " ")


def _ocr_available() -> bool:
    from ..ingest import ocr_available

    return ocr_available()
