"""Running the meeting: the agenda down one side, the current case beside it.

For the current item the page shows the key facts, the statutory clock, the child's earlier
hearings, who is withdrawn and who chairs, whether the panel is quorate and why not, the
minute taker's notes (saved as they are typed) and the decision form. A refused decision says
why in the banner above the form.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.outcomes import DecisionDraft
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus
from panelapp.services import corrections, decisions, meetings
from panelapp.services.drafts import DECISION_FORM, load_draft, save_draft
from panelapp.services.item_detail import ItemDetail, item_detail
from panelapp.services.meeting_view import MeetingView, meeting_view
from panelapp.services.papers import paper_bytes
from panelapp.services.unit_of_work import NotFound
from panelapp.ui import palette
from panelapp.ui.context import AppContext
from panelapp.ui.decision_form import DecisionForm
from panelapp.ui.deferral_dialog import DeferralDialog
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text
from panelapp.ui.paper_viewer import PaperViewer
from panelapp.ui.store_events import StoreChanged

logger = logging.getLogger(__name__)

STATUS_MARK = {
    ItemStatus.TO_DO: "○",
    ItemStatus.DECIDED: "✔",
    ItemStatus.DEFERRED: "↻",
    ItemStatus.WITHDRAWN: "–",
}
AUTOSAVE_MS = 700
SUMMARY_SHORTCUT = "Ctrl+M"
OUTCOME_SHORTCUT = "Ctrl+O"


def _short(label: str) -> str:
    """'Final EHC plan (20 weeks from the request)' -> 'final EHC plan'."""
    head = label.split(" (")[0]
    return head[:1].lower() + head[1:]


def _officers(case_officer: str, presenting: str) -> str:
    """'Jo Bloggs (case officer, presenting)', or both names when they differ."""
    if not presenting or presenting == case_officer:
        return f"{case_officer} (case officer, presenting)" if case_officer else "—"
    if not case_officer:
        return f"{presenting} (presenting)"
    return f"{case_officer} (case officer); presenting: {presenting}"


def _facts_html(d: ItemDetail, today: date) -> str:
    rows = [
        ("Request", d.request_type.label),
        # paired facts share a row, so the statutory dates and the decision form still fit
        # on a laptop screen without scrolling
        (
            "Born",
            f"{format_date(d.date_of_birth)}; {escape(d.year_group or 'year group not recorded')}",
        ),
        ("Setting", escape(d.setting) or "—"),
        (
            "Need",
            d.primary_need.label
            + (f"; secondary: {d.secondary_need.label}" if d.secondary_need else ""),
        ),
        ("Officer", escape(_officers(d.case_officer, d.presenting_officer))),
        ("Request received", format_date(d.request_received)),
    ]
    clock = d.clock
    if clock is not None:
        left = clock.days_left(today)
        colour = palette.DANGER if left < 0 else palette.CAUTION if left <= 7 else palette.GOOD
        when = f"{-left} days overdue" if left < 0 else f"{left} days left"
        text = f"due {format_date(clock.due)} <b style='color:{colour}'>{when}</b>"
        for exc in clock.applying_exceptions:
            text += f"<br>Exception recorded: {escape(exc.describe())}"
        rows.append((clock.name, text))
        if clock.milestones:  # one row, the reasons left to the minutes: the form must fit
            rows.append(
                (
                    "Then",
                    "<br>".join(
                        f"{escape(_short(m.label))}: {format_date(m.due)}" for m in clock.milestones
                    ),
                )
            )
    elif d.clock_gap:
        rows.append(
            (
                "Statutory clock",
                f"<b style='color:{palette.DANGER}'>clock unknown: {escape(d.clock_gap)}</b>",
            )
        )
    else:
        rows.append(("Statutory clock", "no statutory time limit applies to this request"))
    body = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    return f"<table cellspacing='2'>{body}</table>"


def _panel_html(d: ItemDetail) -> str:
    s = d.situation
    lines = []
    if s.chair is not None:
        chair = escape(s.name_of(s.chair.member_id))
        lines.append(
            f"<b>Chair for this item:</b> {chair}"
            + (f" ({escape(s.chair.reason)})" if s.chair.substitute else "")
        )
    else:
        lines.append(
            f"<b style='color:{palette.DANGER}'>No chair:</b> {escape(s.chair_problem or '')}"
        )
    if s.withdrawn_ids:
        names = escape(", ".join(sorted(s.name_of(m) for m in s.withdrawn_ids)))
        lines.append(f"<b>Withdrawn (declared an interest, left the meeting):</b> {names}")
    counted = escape(
        ", ".join(
            p.name + (" (online)" if p.member_id in s.online_ids else "") for p in s.quorum.counted
        )
    )
    lines.append(f"<b>Taking part:</b> {counted or 'nobody'}")
    online_only = sorted(
        s.name_of(m) for m in s.online_ids - s.quorum.counted_ids - s.withdrawn_ids
    )
    if online_only and not s.online_counted:
        lines.append(
            "<b>Online, not counted towards quorum (this panel counts only members in the "
            f"room):</b> {escape(', '.join(online_only))}"
        )
    if s.quorum.quorate:
        lines.append(f"<b style='color:{palette.GOOD}'>Quorate for this item.</b>")
    else:
        lines.append(
            f"<b style='color:{palette.DANGER}'>Not quorate for this item:</b> "
            + escape(" ".join(s.quorum.reasons))
            + " It can only be deferred."
        )
    return "<br>".join(lines)


def _saved_decision_text(position: int, decision: DecisionDraft) -> str:
    """What was recorded, repeated back: the outcome and the details that were given."""
    parts = [decision.outcome.label]
    if decision.amount_pence:
        parts.append(f"£{decision.amount_pence / 100:,.2f}")
    for text, label in (
        (decision.band, "band"),
        (decision.setting, "setting"),
        (decision.sections_amended, "sections"),
    ):
        if text:
            parts.append(f"{label} {text}")
    if decision.hours_per_week:
        parts.append(f"{decision.hours_per_week:g} hours a week")
    for day, label in ((decision.start_date, "from"), (decision.review_date, "review")):
        if day:
            parts.append(f"{label} {format_date(day)}")
    return f"Decision recorded for item {position}: " + ", ".join(parts) + "."


class RunPage(QWidget):
    item_changed = Signal(int)

    # The name it had before it was renamed, kept for code written against it. It hides Qt's
    # method of the same name, which nothing in panelapp calls on this widget.
    @property
    def scroll(self) -> QScrollArea:  # type: ignore[override]  # the old name, see above
        return self.item_scroll

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.view: MeetingView | None = None
        self._detail: ItemDetail | None = None
        self._load_job = ("run page item", id(self))  # the item in view, drawn later (turns)
        self.clock_today = date.today
        self._loading = False
        self._timers: dict[int, QElapsedTimer] = {}
        self.nominated: dict[int, int] = {}  # item id -> member chosen to chair it (R4)
        #: changes to the store so far, and what the detail shown was read for (item, chosen
        #: chair, changes then): a redraw after the detail was read anew reuses it
        self._changes = 0
        self._detail_read_for: tuple | None = None
        ctx.changed.connect(self._store_changed)

        outer = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)
        splitter.addWidget(self._build_agenda_column())
        splitter.addWidget(self._build_item_area())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])

        self._start_timers()
        self._connect_signals()
        self._add_shortcuts()

    # ----- building the page -----------------------------------------------------------------

    def _build_agenda_column(self) -> QWidget:
        """The left column: the agenda, and the open actions from earlier meetings."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Agenda</b>"))
        self.agenda = QListWidget()
        self.agenda.setAccessibleName("Agenda items")
        left_layout.addWidget(self.agenda, 3)
        left_layout.addWidget(QLabel("<b>Matters arising</b>"))
        self.matters_arising = QListWidget()
        self.matters_arising.setAccessibleName("Matters arising")
        self.matters_arising.setToolTip(
            "Open actions from the panel's earlier meetings; follow them up on the Actions tab"
        )
        left_layout.addWidget(self.matters_arising, 1)
        return left

    def _build_item_area(self) -> QScrollArea:
        """The right side, scrolling: the current item from its title down to its decision."""
        self.item_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        right = QWidget()
        scroll.setWidget(right)
        self.right_layout = QVBoxLayout(right)
        self.right_layout.setContentsMargins(6, 4, 6, 4)
        self.right_layout.setSpacing(4)
        self.right_layout.addLayout(self._build_item_header())
        side = self._build_case_row()
        side.addWidget(self._build_panel_box())
        side.addWidget(self._build_papers_box())
        side.addStretch(1)
        self.right_layout.addWidget(self._build_notes_box())
        self.right_layout.addWidget(self._build_decision_area())
        self.right_layout.addStretch(1)
        return scroll

    def _build_item_header(self) -> QHBoxLayout:
        """The item's title and the time spent on it."""
        head = QHBoxLayout()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the child's name as typed
        self.title.setAccessibleName("Current item")
        self.title.setStyleSheet(palette.ITEM_TITLE)
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.timer_label = QLabel()
        self.timer_label.setAccessibleName("Time on this item")
        self.timer_label.setStyleSheet(palette.timer_style())
        head.addWidget(self.timer_label)
        return head

    def _build_case_row(self) -> QVBoxLayout:
        """The case box (facts, earlier hearings, follow-up), added to the item area beside a
        column that is returned empty for the panel and papers boxes."""
        facts_box = QGroupBox("Case")
        facts_layout = QVBoxLayout(facts_box)
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Key facts and statutory clock")
        facts_layout.addWidget(self.facts)
        self.history = QLabel()
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setWordWrap(True)
        self.history.setAccessibleName("Earlier hearings for this child")
        facts_layout.addWidget(self.history)
        self.followup = QLabel()
        self.followup.setTextFormat(Qt.TextFormat.PlainText)
        self.followup.setWordWrap(True)
        self.followup.setAccessibleName("After the meeting: approval and appeals")
        self.followup.hide()
        facts_layout.addWidget(self.followup)
        # The case beside the panel and its papers, so that on a laptop screen the item's
        # header, its quorum line and the decision form's first field show together.
        columns = QHBoxLayout()
        columns.addWidget(facts_box, 3)
        side = QVBoxLayout()
        columns.addLayout(side, 2)
        self.right_layout.addLayout(columns)
        return side

    def _build_panel_box(self) -> QGroupBox:
        """Quorum, chair and withdrawals for the item, the chair choice and declaring."""
        panel_box = QGroupBox("The panel for this item")
        panel_layout = QVBoxLayout(panel_box)
        self.panel_state = QLabel()
        self.panel_state.setTextFormat(Qt.TextFormat.RichText)
        self.panel_state.setWordWrap(True)
        self.panel_state.setAccessibleName("Quorum, chair and withdrawals for this item")
        panel_layout.addWidget(self.panel_state)
        chair_row = QHBoxLayout()
        self.chair_label = QLabel("Member chosen to chair this &item:")
        self.chair_choice = QComboBox()
        self.chair_choice.setAccessibleName("Member chosen to chair this item")
        self.chair_label.setBuddy(self.chair_choice)
        chair_row.addWidget(self.chair_label)
        chair_row.addWidget(self.chair_choice, 1)
        panel_layout.addLayout(chair_row)
        declare_row = QHBoxLayout()
        self.declare_button = QPushButton("Declare an interest in this item...")
        declare_row.addWidget(self.declare_button)
        declare_row.addStretch(1)
        panel_layout.addLayout(declare_row)
        return panel_box

    def _build_papers_box(self) -> QGroupBox:
        """The item's papers, with a context menu to read or remove one."""
        papers_box = QGroupBox("Papers (double-click to read)")
        papers_layout = QVBoxLayout(papers_box)
        self.papers = QListWidget()
        self.papers.setAccessibleName("Papers for this item")
        self.papers.setMaximumHeight(72)
        papers_layout.addWidget(self.papers)
        self.papers.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in (
            (
                "Read this paper",
                lambda: (
                    self._open_paper(self.papers.currentItem())
                    if self.papers.currentItem()
                    else None
                ),
            ),
            ("Remove this paper from the case...", lambda: self.ask_to_remove_paper()),
        ):
            action = QAction(text, self.papers)
            action.triggered.connect(lambda _=False, slot=slot: slot())
            self.papers.addAction(action)
        return papers_box

    def _build_notes_box(self) -> QGroupBox:
        """The summary of discussion, saved as it is typed, and its saved state."""
        notes_box = QGroupBox("Summary of discussion (saved as you type)")
        notes_layout = QHBoxLayout(notes_box)  # the saved state beside the text, not below
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Summary of discussion")
        self.notes.setFixedHeight(56)
        self.notes.setTabChangesFocus(True)  # a tab typed here would go into the minutes
        self.notes.installEventFilter(self)
        notes_layout.addWidget(self.notes)
        self.saved_label = QLabel()
        self.saved_label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        self.saved_label.setAccessibleName("Notes saved state")
        self.saved_label.setMinimumWidth(70)
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        notes_layout.addWidget(self.saved_label)
        return notes_box

    def _build_decision_area(self) -> QGroupBox:
        """The decision: its message banner, what was recorded, the form and its buttons."""
        decision_box = QGroupBox("Decision")
        decision_layout = QVBoxLayout(decision_box)
        self.banner = Banner("Decision message")
        decision_layout.addWidget(self.banner)
        self.recorded = QLabel()
        self.recorded.setWordWrap(True)
        self.recorded.setTextFormat(Qt.TextFormat.PlainText)
        self.recorded.setStyleSheet(palette.RECORDED_BOX)
        self.recorded.setAccessibleName("What was recorded")
        decision_layout.addWidget(self.recorded)
        self.form = DecisionForm()
        decision_layout.addWidget(self.form)
        buttons = QHBoxLayout()
        self.record_button = QPushButton("Record &decision  (Ctrl+Enter)")
        self.record_button.setAccessibleName("Record decision")
        buttons.addWidget(self.record_button)
        self.defer_button = QPushButton("De&fer...  (Ctrl+D)")
        self.defer_button.setAccessibleName("Defer")
        buttons.addWidget(self.defer_button)
        buttons.addStretch(1)
        self.reopen_button = QPushButton("Reo&pen item")
        self.reopen_button.setAccessibleName("Reopen item")
        buttons.addWidget(self.reopen_button)
        decision_layout.addLayout(buttons)
        return decision_box

    def _connect_signals(self) -> None:
        """What the page's own widgets do (the declare button is connected by the window)."""
        self.agenda.currentRowChanged.connect(self._row_changed)
        self.chair_choice.activated.connect(self._chair_chosen)
        self.papers.itemActivated.connect(self._open_paper)
        self.papers.itemDoubleClicked.connect(self._open_paper)
        self.notes.textChanged.connect(self._notes_edited)
        self.record_button.clicked.connect(self.record_decision)
        self.defer_button.clicked.connect(lambda: self.open_deferral_dialog())
        self.reopen_button.clicked.connect(self.reopen_item)
        self.form.edited.connect(self._form_edited)

    def _start_timers(self) -> None:
        """Autosave of the notes and of the draft decision, and the once-a-second item clock."""
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(AUTOSAVE_MS)
        self._save_timer.timeout.connect(self.save_notes)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(AUTOSAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._load_later = False
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start()

    def _add_shortcuts(self) -> None:
        QShortcut(QKeySequence("Ctrl+Return"), self, self.record_decision)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.record_decision)
        QShortcut(QKeySequence("Ctrl+D"), self, lambda: self.open_deferral_dialog())
        QShortcut(QKeySequence("Alt+Down"), self, lambda: self.step(1))
        QShortcut(QKeySequence("Alt+Up"), self, lambda: self.step(-1))
        QShortcut(QKeySequence(SUMMARY_SHORTCUT), self, self.focus_summary)
        QShortcut(QKeySequence(OUTCOME_SHORTCUT), self, self.focus_outcome)

    # ----- loading -------------------------------------------------------------------------

    @property
    def detail(self) -> ItemDetail | None:
        """The item in view; drawn first when it is still to be drawn (after a decision the
        next item comes on the following turn), so whoever asks gets the item chosen."""
        self._settle()
        return self._detail

    @detail.setter
    def detail(self, detail: ItemDetail | None) -> None:
        self._detail = detail

    def _store_changed(self, event: StoreChanged | str) -> None:
        if not StoreChanged.coerce(event).quiet:
            self._changes += 1  # whatever was read before may be out of date

    def _show_matters_arising(self) -> None:
        from panelapp.services.actions import matters_arising

        self.matters_arising.clear()
        arising = self.ctx.read(matters_arising, self.meeting_id)
        for a in arising:
            due = f", due {format_date(a.due_date)}" if a.due_date else ""
            mark = "Overdue: " if a.overdue else ""
            entry = QListWidgetItem(f"{mark}{a.description} ({a.owner}{due})")
            if a.overdue:
                entry.setForeground(palette.brush(palette.ERROR_TEXT))
            self.matters_arising.addItem(entry)
        if not arising:
            self.matters_arising.addItem("No open actions from earlier meetings.")

    def show_meeting(self, meeting_id: int, view: MeetingView | None = None) -> None:
        self.meeting_id = meeting_id
        self.refresh(view)
        items = self.view.items if self.view else ()
        first_open = next((n for n, i in enumerate(items) if i.status is ItemStatus.TO_DO), 0)
        self.agenda.setCurrentRow(first_open if items else -1)
        self.ctx.turns.run_now(self._load_job)  # a meeting opens with its item drawn

    def refresh(self, view: MeetingView | None = None) -> None:
        """Redraw from the store; ``view``: the meeting as the screen has just read it (one
        read for every page), else read here."""
        if self.meeting_id is None:
            return
        self.view = view or self.ctx.read(
            meeting_view, self.meeting_id, self.ctx.naming, mask_free_text=False
        )
        self._show_matters_arising()
        current = self.agenda.currentRow()
        self.agenda.blockSignals(True)
        self.agenda.clear()
        for item in self.view.items:
            text = f"{STATUS_MARK[item.status]}  {item.position}. {item.child}\n     {item.request_type.label}"
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, item.item_id)
            entry.setToolTip(item.status.label)
            entry.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"Item {item.position}, {item.status.label}"
            )
            if item.status is ItemStatus.DECIDED:
                entry.setForeground(palette.brush(palette.GOOD))
            elif item.status is ItemStatus.DEFERRED:
                entry.setForeground(palette.brush(palette.CAUTION))
            self.agenda.addItem(entry)
        self.agenda.setCurrentRow(current)
        self.agenda.blockSignals(False)
        # The item in view is drawn on the next turn of the event loop (before anything else
        # waiting), not in the one that read and drew the agenda; reused when unchanged.
        self.ctx.turns.later(self._load_job, self.load_item, first=True)

    def current_item_id(self) -> int | None:
        entry = self.agenda.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    def _settle(self) -> None:
        """Draw the chosen item now if it is still to be drawn (see ``_row_changed``)."""
        self.ctx.turns.run_now(self._load_job)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        # Typing or clicking in the notes goes to the item they are drawn for.
        if watched is self.notes and event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.InputMethod,
        ):
            self._settle()
        return super().eventFilter(watched, event)

    def select_item(self, position: int) -> None:
        self._settle()
        self.agenda.setCurrentRow(position - 1)

    def step(self, delta: int) -> None:
        self._settle()
        row = self.agenda.currentRow() + delta
        if 0 <= row < self.agenda.count():
            self.agenda.setCurrentRow(row)

    def _row_changed(self, _row: int) -> None:
        self.save_notes()
        self.save_draft()
        self.banner.clear_message()
        self._loading = True
        self.form.clear()
        self._loading = False
        self._draft_dirty = False
        if self._load_later:
            # After a decision or deferral: the next item is drawn on the event loop's next
            # turn (or by the redraw the change brings, whichever comes first), so the turn
            # that stored the decision is not also the one that reads the next item. Anything
            # done on the page before then draws it first (``_settle``).
            self._load_later = False
            self.ctx.turns.later(self._load_job, self.load_item)
        else:
            self.load_item()
        self.item_scroll.verticalScrollBar().setValue(0)  # each item opens at its top

    def focus_summary(self) -> None:
        if self.detail is not None:
            self.notes.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.item_scroll.ensureWidgetVisible(self.notes)

    def focus_outcome(self) -> None:
        if self.detail is not None and self.form.isVisible() and self.form.isEnabled():
            self.form.outcome.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.item_scroll.ensureWidgetVisible(self.form.outcome)

    def _go_on_from(self, position: int, message: str) -> None:
        """After a decision or a deferral: open the next item still to be taken (else stay),
        put the cursor in its summary, and say what was saved."""
        self._draft_dirty = False  # the item is decided or deferred: its form is done with
        # The agenda as drawn, less the item just taken (the redraw that follows the change
        # reads the meeting again; reading it here too held the window for a second read).
        items = self.view.items if self.view else ()
        rows = [
            n
            for n, i in enumerate(items)
            if i.status is ItemStatus.TO_DO and i.position != position
        ]
        after = [n for n in rows if items[n].position > position] or rows
        if after:
            self._load_later = True
            self.agenda.setCurrentRow(after[0])
            self._load_later = False
            self.notes.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.agenda.setFocus(Qt.FocusReason.OtherFocusReason)
        self.banner.show_message("ok", message)

    def load_item(self) -> None:
        self.ctx.turns.cancel(self._load_job)
        if self.ctx.store is None:  # locked or closed before its turn came: drawn on unlock
            return
        item_id, meeting = self.current_item_id(), self.view
        if item_id is None or meeting is None:  # an agenda has items only once it has been read
            self.detail = None
            self.title.setText("No items on this agenda yet.")
            return
        try:
            detail = self._read_detail(item_id)
        except NotFound:
            # The agenda was drawn from a read taken just before a change in the background
            # (a child's records deleted): draw it again from the store, once.
            if getattr(self, "_redrawing_after_change", False):
                raise
            self._redrawing_after_change = True
            try:
                self.refresh()
            finally:
                self._redrawing_after_change = False
            return
        self._loading = True
        try:
            d = self.detail = detail
            self.item_changed.emit(item_id)
            self.title.setText(f"{d.position}. {d.child}")
            self.facts.setText(_facts_html(d, self.clock_today()))
            if d.history:
                full = "Earlier for this child: " + " | ".join(
                    f"{format_date(h.meeting_date)}: {' '.join((h.summary, *h.followup))}"
                    for h in d.history
                )
                # Kept short so the decision form stays in view; the whole text is the tooltip.
                self.history.setText(full if len(full) <= 160 else full[:157].rstrip() + "...")
                # A tooltip is read as markup when it looks like it: marked up, and escaped.
                self.history.setToolTip(f"<p>{escape(full)}</p>")
            else:
                self.history.setText("No earlier hearings for this child.")
                self.history.setToolTip("")
            self.followup.setText("\n".join(d.followup))
            self.followup.setVisible(bool(d.followup))
            self.panel_state.setText(_panel_html(d))
            self._show_chair_choice(d)
            self._show_papers(d)
            if getattr(self, "_notes_item_id", None) != d.item_id:
                # Only when moving to another item: a refresh must never undo typing.
                self.notes.setPlainText(d.discussion)
                self._notes_item_id = d.item_id
                self.saved_label.setText("")
            outcomes_key = tuple(d.outcomes)
            if getattr(self, "_outcomes_key", None) != (d.item_id, outcomes_key):
                self.form.set_outcomes(d.outcomes)
                self._outcomes_key = (d.item_id, outcomes_key)
                draft = self.ctx.read(load_draft, d.item_id, DECISION_FORM)
                if draft and d.status is ItemStatus.TO_DO:
                    self.form.load(draft)
            open_meeting = meeting.status is MeetingStatus.IN_PROGRESS
            to_do = d.status is ItemStatus.TO_DO
            self.form.setVisible(to_do)
            self.form.setEnabled(open_meeting and to_do)
            self.record_button.setVisible(to_do)
            self.defer_button.setVisible(to_do)
            self.record_button.setEnabled(open_meeting and to_do)
            self.defer_button.setEnabled(open_meeting and to_do)
            self.reopen_button.setVisible(not to_do)
            self.reopen_button.setEnabled(open_meeting and not to_do)
            if to_do and not open_meeting:
                self.banner.show_message(
                    "warning",
                    "Decisions are recorded once the meeting has started: take attendance and "
                    "press Start the meeting on the Attendance and declarations tab (Ctrl+2)."
                    if meeting.status is MeetingStatus.SCHEDULED
                    else f"This meeting is {meeting.status.label.lower()}.",
                )
                self._state_warning = True
            elif getattr(self, "_state_warning", False):
                self.banner.clear_message()  # the meeting's state changed: the warning is stale
                self._state_warning = False
            self.notes.setReadOnly(
                meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
            )
            self.recorded.setText(d.recorded)
            self.recorded.setVisible(bool(d.recorded))
            if open_meeting and to_do and d.item_id not in self._timers:
                self._timers[d.item_id] = QElapsedTimer()
                self._timers[d.item_id].start()
            self._update_timer()
        finally:
            self._loading = False

    def _read_detail(self, item_id: int) -> ItemDetail:
        """The item's detail; the one shown when it was read for the same item and chair and
        nothing has changed since (after a decision the next item is read when it is chosen,
        and the page's redraw that follows the change need not read it again)."""
        key = (item_id, self.nominated.get(item_id), self._changes)
        if self.detail is not None and self._detail_read_for == key:
            return self.detail
        detail = self.ctx.read(
            item_detail, item_id, self.ctx.naming, nominated_chair_id=self.nominated.get(item_id)
        )
        self._detail_read_for = key
        return detail

    def _show_chair_choice(self, d: ItemDetail) -> None:
        """When neither the chair nor the vice-chair can chair, the panel chooses a member
        present and not conflicted (R4); the choice is recorded with the decision."""
        s = d.situation
        needed = d.item_id in self.nominated or (s.chair is None and d.status is ItemStatus.TO_DO)
        self.chair_label.setVisible(needed)
        self.chair_choice.setVisible(needed)
        if not needed:
            return
        self.chair_choice.clear()
        self.chair_choice.addItem("Choose a member present and not conflicted...", 0)
        for p in s.present:
            if p.member_id not in s.withdrawn_ids and p.is_panel_member:
                self.chair_choice.addItem(p.name, p.member_id)
        chosen = self.nominated.get(d.item_id, 0)
        self.chair_choice.setCurrentIndex(max(0, self.chair_choice.findData(chosen)))

    def _chair_chosen(self, _index: int) -> None:
        d = self.detail
        member = self.chair_choice.currentData()
        if d is None:
            return
        if member:
            self.nominated[d.item_id] = member
        else:
            self.nominated.pop(d.item_id, None)
        self.load_item()

    def choose_chair(self, member_name: str) -> None:
        self.chair_choice.setCurrentIndex(self.chair_choice.findText(member_name))
        self._chair_chosen(self.chair_choice.currentIndex())

    def _show_papers(self, d: ItemDetail) -> None:
        self.papers.clear()
        for paper in d.papers:
            pages = f", {paper.pages} page{'s' if paper.pages != 1 else ''}" if paper.pages else ""
            note = "  LATE" if paper.late else ""
            if paper.carried_from:
                note += f"  (sent for {format_date(paper.carried_from)})"
            if paper.text_pending:
                note += "  (text being read for search)"
            entry = QListWidgetItem(
                f"{paper.title}{pages}, received {format_date(paper.received_on)}{note}"
            )
            entry.setData(Qt.ItemDataRole.UserRole, paper.paper_id)
            if paper.late:
                entry.setForeground(palette.brush(palette.DANGER))
            self.papers.addItem(entry)
        if not d.papers:
            self.papers.addItem("No papers for this item.")

    def _open_paper(self, entry: QListWidgetItem) -> PaperViewer | None:
        paper_id = entry.data(Qt.ItemDataRole.UserRole)
        paper = (
            next((p for p in self.detail.papers if p.paper_id == paper_id), None)
            if self.detail
            else None
        )
        if paper is None:
            return None
        viewer = PaperViewer(
            paper.title, paper.media_type, self.ctx.read(paper_bytes, paper_id), self
        )
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        return viewer

    def ask_to_remove_paper(self) -> None:
        entry = self.papers.currentItem()
        paper_id = entry.data(Qt.ItemDataRole.UserRole) if entry else None
        if not paper_id:
            self.banner.show_message("warning", "Choose a paper in the list first.")
            return
        reason, ok = QInputDialog.getText(
            self,
            "Remove a paper",
            "Why is this paper removed from the case? (kept with the record)",
        )
        if ok:
            self.remove_paper(paper_id, reason)

    def remove_paper(self, paper_id: int, reason: str) -> None:
        try:
            self.ctx.do(corrections.remove_paper, paper_id, reason=reason)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message("ok", "The paper is removed from the case; the reason is kept.")

    def open_paper(self, row: int) -> PaperViewer | None:
        return self._open_paper(self.papers.item(row))

    # ----- timer ----------------------------------------------------------------------------

    def _update_timer(self) -> None:
        d = self.detail
        if d is None:
            self.timer_label.setText("")
            return
        timer = self._timers.get(d.item_id)
        seconds = timer.elapsed() // 1000 if timer else 0
        allocated = d.minutes_allocated * 60
        colour = (
            palette.GOOD
            if seconds < 0.8 * allocated
            else palette.CAUTION
            if seconds <= allocated
            else palette.DANGER
        )
        self.timer_label.setStyleSheet(palette.timer_style(colour))
        self.timer_label.setText(
            f"{seconds // 60:02d}:{seconds % 60:02d} / {d.minutes_allocated:02d}:00"
        )

    # ----- notes ----------------------------------------------------------------------------

    def _notes_edited(self) -> None:
        if not self._loading:
            self.saved_label.setText("Saving...")
            self._save_timer.start()

    def save_notes(self) -> None:
        self._save_timer.stop()
        self._settle()
        d = self.detail
        if d is None or self._loading or self.notes.isReadOnly():
            return
        text = self.notes.toPlainText()
        if text == d.discussion:
            return
        try:
            self.ctx.run(meetings.save_discussion, d.item_id, text, quiet=True)
        except PanelappError as exc:
            self.saved_label.setText(error_text(exc))
            return
        self.detail = self.ctx.read(item_detail, d.item_id, self.ctx.naming)
        self._detail_read_for = None  # read without the chosen chair: read again to draw
        self.saved_label.setText("Saved.")

    def _form_edited(self) -> None:
        if not self._loading and self.detail is not None:
            self._draft_dirty = True
            self._draft_timer.start()

    def save_draft(self) -> None:
        """Keep the decision form as typed, so a crash loses nothing."""
        self._draft_timer.stop()
        d = self.detail
        if (
            d is None
            or self._loading
            or d.status is not ItemStatus.TO_DO
            or not self.form.isEnabled()
            or not getattr(self, "_draft_dirty", False)  # nothing typed since it was loaded
        ):
            return
        try:
            self.ctx.run(save_draft, d.item_id, DECISION_FORM, self.form.values(), quiet=True)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self._draft_dirty = False

    # ----- recording ------------------------------------------------------------------------

    def record_decision(self) -> None:
        self._settle()
        d = self.detail
        if d is None or not self.record_button.isEnabled():
            return
        decision = self.form.draft(d.request_type)
        if decision is None:
            self.banner.show_message("error", "Choose the outcome the panel agreed.")
            return
        problem = self.form.date_problem()
        if problem:
            self.banner.show_message("error", problem)
            return
        self.save_notes()
        self._draft_timer.stop()
        try:
            self.ctx.do(
                decisions.record_decision,
                d.item_id,
                decision,
                nominated_chair_id=self.nominated.get(d.item_id),
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self._draft_dirty = False
        # Decided now: no draft or notes to keep for it (the redraw that follows the change
        # reads it from the store; reading it here too held the window for a third read).
        self.detail = replace(d, status=ItemStatus.DECIDED)
        self._detail_read_for = None
        self._loading = True
        self.form.clear()
        self._loading = False
        self._go_on_from(d.position, _saved_decision_text(d.position, decision))

    def open_deferral_dialog(self) -> DeferralDialog | None:
        self._settle()
        d = self.detail
        if d is None or not self.defer_button.isEnabled():
            return None
        self.save_notes()
        dialog = DeferralDialog(self.ctx, d, self, nominated_chair_id=self.nominated.get(d.item_id))
        dialog.accepted.connect(
            lambda: self._go_on_from(d.position, f"Item {d.position} deferred.")
        )
        dialog.open()
        return dialog

    def reopen_item(self) -> None:
        self._settle()
        d = self.detail
        if d is None:
            return
        try:
            self.ctx.do(
                decisions.reopen_item, d.item_id, reason="Reopened at the meeting to correct it"
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message(
            "ok", f"Item {d.position} is open again; what was recorded is kept in the audit trail."
        )
