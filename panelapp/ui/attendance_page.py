"""Attendance and apologies, and the declarations of interest, at the start of the meeting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import AttendanceStatus, MeetingStatus
from panelapp.services import attendance_modes, corrections, meetings
from panelapp.services.meeting_view import MeetingView, meeting_view
from panelapp.services.roster import RosterEntry, roster
from panelapp.ui.context import AppContext
from panelapp.ui.declaration_dialog import DeclarationDialog
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text

NOT_RECORDED = "Not recorded"
#: Members whose choosers are drawn in one turn of the event loop (four choosers each).
MEMBERS_PER_TURN = 2


class AttendancePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.view: MeetingView | None = None
        self.members: list[RosterEntry] = []
        #: what the attendance table was last drawn from (None: draw it again)
        self._table_shows: tuple[object, ...] | None = None
        #: what it is to be drawn from when next shown or looked at (None: it is up to date)
        self._table_waits: tuple[tuple[object, ...], bool] | None = None
        #: members whose choosers are drawn (the others' come on the next turns)
        self._rows_drawn = 0
        self._rows_editable = False
        self._rows_job = ("attendance rows", id(self))
        layout = QVBoxLayout(self)
        self.banner = Banner("Attendance message")
        layout.addWidget(self.banner)

        box = QGroupBox("Attendance and apologies")
        box_layout = QVBoxLayout(box)
        self._members_table = QTableWidget(0, 6)
        self._members_table.setHorizontalHeaderLabels(
            [
                "Member",
                "Role",
                "Attendance",
                "Arrived before item",
                "Left before item",
                "In the room or online",
            ]
        )
        self._members_table.setAccessibleName("Attendance")
        self._members_table.verticalHeader().hide()
        # Compact rows: a panel of twelve fits on a laptop screen without scrolling.
        self._members_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self._members_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        box_layout.addWidget(self._members_table)
        row = QHBoxLayout()
        self.all_present = QPushButton("Mark everyone not recorded as &present")
        self.all_present.clicked.connect(self.mark_rest_present)
        row.addWidget(self.all_present)
        row.addStretch(1)
        self.start_button = QPushButton("&Start the meeting")
        self.start_button.setAccessibleName("Start the meeting")
        self.start_button.clicked.connect(self.start_meeting)
        row.addWidget(self.start_button)
        box_layout.addLayout(row)
        layout.addWidget(box, 3)

        decl_box = QGroupBox("Declarations of interest")
        decl_layout = QVBoxLayout(decl_box)
        self.declarations = QListWidget()
        self.declarations.setAccessibleName("Declarations of interest")
        self.declarations.setMaximumHeight(84)  # the room goes to the members' attendance
        decl_layout.addWidget(self.declarations)
        decl_row = QHBoxLayout()
        self.declare_button = QPushButton("&Declare an interest...")
        self.declare_button.clicked.connect(lambda: self.open_declaration_dialog())
        decl_row.addWidget(self.declare_button)
        self.withdraw_declaration_button = QPushButton("&Withdraw a declaration...")
        self.withdraw_declaration_button.setToolTip(
            "Take back a declaration recorded in error (the reason is kept)"
        )
        self.withdraw_declaration_button.clicked.connect(lambda: self.ask_to_withdraw_declaration())
        decl_row.addWidget(self.withdraw_declaration_button)
        self.declarations.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        withdraw_action = QAction("Withdraw this declaration...", self.declarations)
        withdraw_action.triggered.connect(lambda _=False: self.ask_to_withdraw_declaration())
        self.declarations.addAction(withdraw_action)
        hint = QLabel(
            "A member who declares an interest in an item leaves the meeting for that item and "
            "takes no part in it; they are not counted towards quorum."
        )
        hint.setWordWrap(True)  # beside the buttons, so the members' list keeps the room
        decl_row.addWidget(hint, 1)
        decl_layout.addLayout(decl_row)
        layout.addWidget(decl_box, 0)

    def show_meeting(self, meeting_id: int, view: MeetingView | None = None) -> None:
        self.meeting_id = meeting_id
        self.refresh(view)

    def refresh(self, view: MeetingView | None = None) -> None:
        """Redraw from the store; ``view``: the meeting as the screen has just read it (one
        read for every page), else read here."""
        if self.meeting_id is None:
            return
        self.view = view or self.ctx.read(
            meeting_view, self.meeting_id, self.ctx.naming, mask_free_text=False
        )
        self.members = self.ctx.read(roster, self.meeting_id)
        editable = self.view.status in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
        # The table is four choosers a member; rebuilt only when what it shows has changed (a
        # decision or a declaration elsewhere leaves it as it is, and rebuilding it took most
        # of the time the window was busy after each).
        shown = (
            self.meeting_id,
            tuple(self.members),
            tuple((i.item_id, i.position) for i in self.view.items),
            editable,
        )
        if shown != self._table_shows:
            # Drawn when the page is shown (or the table looked at), not while it is behind
            # another tab: opening a meeting no longer waits for its four dozen choosers.
            self._table_waits = (shown, editable)
            if self.isVisible():
                self._draw_waiting_table(in_turns=True)
        else:
            self._table_waits = None
        self._fill_declarations(editable)

    @property
    def table(self) -> QTableWidget:
        """The members' attendance table, drawn first (all of it) if it is waiting to be."""
        self._draw_waiting_table()
        self._draw_rows(len(self.members))
        return self._members_table

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        self._draw_waiting_table(in_turns=True)
        super().showEvent(event)

    def _draw_waiting_table(self, *, in_turns: bool = False) -> None:
        """The table drawn if it is waiting to be: the names and roles at once, the choosers
        a few members at a time (``in_turns``: one lot per turn of the event loop, so that
        choosing the tab never holds the window; otherwise all now)."""
        if self._table_waits is None:
            return
        (shown, editable), self._table_waits = self._table_waits, None
        self._table_shows = shown
        table = self._members_table
        table.setRowCount(len(self.members))
        for row, member in enumerate(self.members):
            name = QTableWidgetItem(member.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, 0, name)
            roles = QTableWidgetItem(member.roles_label)
            roles.setFlags(roles.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, 1, roles)
            for column in range(2, table.columnCount()):
                table.removeCellWidget(row, column)
        self._rows_drawn, self._rows_editable = 0, editable
        if in_turns:
            self._draw_rows(MEMBERS_PER_TURN)
        else:
            self._draw_rows(len(self.members))

    def _draw_rows(self, count: int) -> None:
        """The choosers of the next ``count`` members; the rest on a later turn."""
        self.ctx.turns.cancel(self._rows_job)
        end = min(len(self.members), self._rows_drawn + count)
        for row in range(self._rows_drawn, end):
            self._fill_row(row, self.members[row], self._rows_editable)
        self._rows_drawn = end
        if end < len(self.members):
            self.ctx.turns.later(self._rows_job, lambda: self._draw_rows(MEMBERS_PER_TURN))

    def _fill_row(self, row: int, member: RosterEntry, editable: bool) -> None:
        combo = QComboBox()
        combo.setAccessibleName(f"Attendance of {member.name}")
        combo.addItem(NOT_RECORDED, None)
        for status in AttendanceStatus:
            combo.addItem(status.label, status)
        combo.setCurrentIndex(combo.findData(member.status) if member.status else 0)
        combo.setEnabled(editable)
        combo.currentIndexChanged.connect(
            lambda _i, m=member.member_id, c=combo: self.set_status(m, c.currentData())
        )
        self._members_table.setCellWidget(row, 2, combo)
        self._presence_combos(row, member, editable)
        self._mode_combo(row, member, editable)

    def _fill_declarations(self, editable: bool) -> None:
        assert self.view is not None
        self.declarations.clear()
        for d in self.view.declarations:
            where = f"item {d.item_position}" if d.item_position else "all items"
            if d.excluded_positions:
                where = "all items still to be taken"
            when = "before the meeting" if d.before_meeting else "at the meeting"
            action = "withdrew" if d.withdrew else "remained"
            if d.correction:
                when, action = "a correction in an amendment", "took part"
            elif not d.attended:
                action = "did not attend"
            entry = QListWidgetItem(f"{d.member_name}, {where} ({when}): {d.nature}; {action}")
            entry.setData(Qt.ItemDataRole.UserRole, d.declaration_id)
            self.declarations.addItem(entry)
        self.start_button.setEnabled(self.view.status is MeetingStatus.SCHEDULED)
        self.all_present.setEnabled(editable)
        self.declare_button.setEnabled(editable)
        self.withdraw_declaration_button.setEnabled(editable and bool(self.view.declarations))

    def ask_to_withdraw_declaration(self) -> None:
        entry = self.declarations.currentItem()
        if entry is None:
            self.banner.show_message("warning", "Choose a declaration in the list first.")
            return
        reason, ok = QInputDialog.getText(
            self,
            "Withdraw a declaration",
            "Why is this declaration withdrawn? (kept with the record)",
        )
        if ok:
            self.withdraw_declaration(entry.data(Qt.ItemDataRole.UserRole), reason)

    def withdraw_declaration(self, declaration_id: int, reason: str) -> None:
        try:
            self.ctx.do(corrections.withdraw_declaration, declaration_id, reason=reason)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message("ok", "The declaration is withdrawn; the reason is kept.")

    def _presence_combos(self, row: int, member: RosterEntry, editable: bool) -> None:
        """Late arrival and early leaving, by item: quorum and the members taking part are
        judged per item from who was in the room."""
        present = member.status is AttendanceStatus.PRESENT
        for column, first, label, current in (
            (3, "From the start", "Arrived before item", member.arrived_before_item_id),
            (4, "Stayed to the end", "Left before item", member.left_before_item_id),
        ):
            combo = QComboBox()
            combo.setAccessibleName(f"{label}, {member.name}")
            combo.addItem(first, None)
            for item in self.view.items if self.view else ():
                combo.addItem(f"Item {item.position}", item.item_id)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.setEnabled(editable and present)
            combo.currentIndexChanged.connect(lambda _i, m=member.member_id: self.set_presence(m))
            self._members_table.setCellWidget(row, column, combo)

    def _mode_combo(self, row: int, member: RosterEntry, editable: bool) -> None:
        """How a member who is present attended: in the room or online (a hybrid meeting).
        The panel's settings say whether members online count for quorum."""
        combo = QComboBox()
        combo.setAccessibleName(f"In the room or online, {member.name}")
        if member.mode is None:
            combo.addItem("", None)  # nothing to say until they are recorded as present
        for mode in attendance_modes.MODES:
            combo.addItem(attendance_modes.MODE_LABELS[mode], mode)
        combo.setCurrentIndex(max(0, combo.findData(member.mode)) if member.mode else 0)
        combo.setEnabled(editable and member.mode is not None)
        combo.currentIndexChanged.connect(
            lambda _i, m=member.member_id, c=combo: self.set_mode(m, c.currentData())
        )
        self._members_table.setCellWidget(row, 5, combo)

    def mode_combo(self, member_name: str) -> QComboBox:
        return self.presence_combo(member_name, 5)

    def set_mode(self, member_id: int, mode: str | None) -> None:
        if mode is None or self.meeting_id is None:
            return
        try:
            self.ctx.do(attendance_modes.set_attendance_mode, self.meeting_id, member_id, mode)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            self._table_shows = None  # the chooser shows the refused choice: draw it again
            self.refresh()  # show what is recorded, not what was refused
            return
        if self.banner.kind == "error":
            self.banner.clear_message()

    def _combo(self, row: int, column: int) -> QComboBox:
        """The chooser in a cell of the attendance table."""
        combo = self.table.cellWidget(row, column)
        if not isinstance(combo, QComboBox):
            raise LookupError(f"no chooser in row {row}, column {column}")
        return combo

    def presence_combo(self, member_name: str, column: int) -> QComboBox:
        for row, member in enumerate(self.members):
            if member.name == member_name:
                return self._combo(row, column)
        raise KeyError(member_name)

    def set_presence(self, member_id: int) -> None:
        row = next(r for r, m in enumerate(self.members) if m.member_id == member_id)
        arrived = self._combo(row, 3).currentData()
        left = self._combo(row, 4).currentData()
        try:
            self.ctx.do(
                meetings.record_attendance,
                self.meeting_id,
                member_id,
                AttendanceStatus.PRESENT,
                arrived_before_item_id=arrived,
                left_before_item_id=left,
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            self._table_shows = None
            self.refresh()

    def status_combo(self, member_name: str) -> QComboBox:
        for row, member in enumerate(self.members):
            if member.name == member_name:
                return self._combo(row, 2)
        raise KeyError(member_name)

    def set_status(self, member_id: int, status: AttendanceStatus | None) -> None:
        if status is None or self.meeting_id is None:
            return
        try:
            self.ctx.do(meetings.record_attendance, self.meeting_id, member_id, status)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            self._table_shows = None  # the chooser shows the refused choice: draw it again
            self.refresh()  # show what is recorded, not what was refused
            return
        if self.banner.kind == "error":
            self.banner.clear_message()  # an earlier refusal no longer applies

    def mark_rest_present(self) -> None:
        for member in self.ctx.read(roster, self.meeting_id):
            if member.status is None:
                self.set_status(member.member_id, AttendanceStatus.PRESENT)
        self.refresh()

    def start_meeting(self) -> None:
        try:
            self.ctx.do(meetings.start_meeting, self.meeting_id)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message(
            "ok",
            "The meeting has started. Take the items in turn on the Run the meeting tab (Ctrl+3).",
        )

    def open_declaration_dialog(self, item_id: int | None = None) -> DeclarationDialog:
        assert self.view is not None, "declarations are made on a shown meeting"
        dialog = DeclarationDialog(self.ctx, self.view, self.members, self, item_id=item_id)
        dialog.open()
        return dialog
