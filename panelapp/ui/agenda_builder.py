"""Preparing the agenda (operations officer): cases in order, time allocations, presenting
officers, and the papers and exports that go with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import short_date
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus, NamingMode
from panelapp.services import case_list_import, corrections, meetings, papers
from panelapp.services.meeting_view import MeetingView, meeting_view
from panelapp.ui import palette
from panelapp.ui.case_dialog import CaseDialog
from panelapp.ui.context import AppContext, Background
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text
from panelapp.ui.pack_passwords_dialog import PackPasswordsDialog

COLUMNS = [
    "#",
    "Child",
    "Request",
    "Statutory due",
    "Minutes",
    "Presenting officer",
    "Papers",
    "Status",
]
PAPERS_COLUMN, STATUS_COLUMN = 6, 7


def export_agenda(store, actor: str, meeting_id: int, out: Path | None = None, **options):
    """``services.agenda_export.export_agenda``, imported where it runs (the background job):
    importing it (python-docx) on the GUI thread held the window about a tenth of a second."""
    from panelapp.services import agenda_export

    return agenda_export.export_agenda(store, actor, meeting_id, out, **options)


def export_packs(store, actor: str, meeting_id: int, out_dir: Path | None = None, **options):
    """``services.packs.export_packs`` (plain ZIP files), imported in the background job."""
    from panelapp.services import packs

    return packs.export_packs(store, actor, meeting_id, out_dir, **options)


def export_pdf_packs(store, actor: str, meeting_id: int, out_dir: Path | None = None, **options):
    """``services.packs.export_pdf_packs`` (encrypted PDFs), imported in the background job."""
    from panelapp.services import packs

    return packs.export_pdf_packs(store, actor, meeting_id, out_dir, **options)


class AgendaBuilder(QWidget):
    def move(self, *args: Any) -> None:
        """``move(delta)``, the name ``move_selected`` had before it was renamed, kept for code
        written against it; given a point or x and y it is Qt's own ``move``."""
        if len(args) == 1 and isinstance(args[0], int):
            self.move_selected(args[0])
        else:
            super().move(*args)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.view: MeetingView | None = None
        layout = QVBoxLayout(self)
        self.banner = Banner("Agenda preparation message")
        layout.addWidget(self.banner)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Agenda items in order")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAcceptDrops(True)
        self.table.viewport().setAcceptDrops(True)
        self.table.viewport().installEventFilter(self)
        self.table.setToolTip("Drop paper files on a case to attach them to it.")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.buttons = QHBoxLayout()
        self.add_button = self._button("&Add a case...", self.open_case_dialog)
        self.up_button = self._button("Move &up", lambda: self.move_selected(-1))
        self.down_button = self._button("Move do&wn", lambda: self.move_selected(1))
        self.edit_button = self._button("&Edit case...", lambda: self.open_case_dialog(edit=True))
        self.withdraw_button = self._button("Withdraw &from agenda...", self.withdraw)
        # The same corrections from the right-click menu of a row.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in (
            ("Correct this case's details...", lambda: self.open_case_dialog(edit=True)),
            ("Withdraw from the agenda...", self.withdraw),
        ):
            action = QAction(text, self.table)
            action.triggered.connect(lambda _=False, slot=slot: slot())
            self.table.addAction(action)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        self.more = QHBoxLayout()
        self.buttons, row_one = self.more, self.buttons
        self.attach_button = self._button("Attach &papers...", self.choose_papers)
        self.import_button = self._button("&Import a case list...", self.choose_case_list)
        self.buttons.addStretch(1)
        self.export_naming = QComboBox()
        self.export_naming.setAccessibleName("How exports name children")
        self.export_naming.addItem("Children named as the panel's setting", None)
        for mode in NamingMode:
            self.export_naming.addItem(f"Children named: {mode.label.lower()}", mode)
        self.buttons.addWidget(self.export_naming)
        self.agenda_button = self._button("Export the a&genda...", self.choose_agenda_file)
        self.packs_button = self._button("Export members' pac&ks...", self.choose_packs_folder)
        self.plain_packs = QCheckBox("as plain ZIP files (not encrypted)")
        self.plain_packs.setAccessibleName("Export packs as plain ZIP files, not encrypted")
        self.plain_packs.setToolTip(
            "Unticked, each pack is one PDF encrypted with its member's own password."
        )
        self.buttons.addWidget(self.plain_packs)
        self.buttons = row_one
        layout.addLayout(self.more)
        self.last_import: list = []
        #: what each row of the table shows, by row (see ``refresh``)
        self._rows_show: dict[int, tuple] = {}
        self.last_exports: list = []
        self.last_passwords: PackPasswordsDialog | None = None
        self.total = QPushButton()
        self.total.setFlat(True)
        self.total.setEnabled(False)
        layout.addWidget(self.total, 0, Qt.AlignmentFlag.AlignRight)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        self.buttons.addWidget(button)
        return button

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
        editable = self.view.status in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
        row_before = self.table.currentRow()
        self.table.setRowCount(len(self.view.items))
        # Each row (text cells, a minutes chooser and a presenter field) is drawn again only
        # when what it shows has changed: a decision, a declaration or a paper elsewhere leaves
        # most rows as they are, and making every row's widgets again held the window.
        shown = self._rows_show
        for row, item in enumerate(self.view.items):
            late = sum(1 for p in item.papers if p.late)
            key = (item.item_id, item.position, item.child, item.request_type,
                   item.statutory_due, self.view.meeting_date, item.minutes_allocated,
                   item.presenting_officer, len(item.papers), late, item.status,
                   editable)  # fmt: skip
            if shown.get(row) != key:
                shown[row] = key
                self._fill_row(row, item, editable, late)
        for row in [r for r in shown if r >= len(self.view.items)]:
            del shown[row]
        if 0 <= row_before < self.table.rowCount():
            self.table.selectRow(row_before)
        for button in (
            self.add_button,
            self.up_button,
            self.down_button,
            self.withdraw_button,
            self.import_button,
        ):
            button.setEnabled(editable)
        self.attach_button.setEnabled(self.view.status is not MeetingStatus.SIGNED)
        total = sum(
            i.minutes_allocated for i in self.view.items if i.status is not ItemStatus.WITHDRAWN
        )
        start = self.view.start_time
        end_minutes = start.hour * 60 + start.minute + total
        self.total.setText(
            f"{len(self.view.items)} items, {total} minutes: {start:%H:%M} to "
            f"{end_minutes // 60 % 24:02d}:{end_minutes % 60:02d}"
        )

    def _fill_row(self, row: int, item, editable: bool, late: int) -> None:
        assert self.view is not None
        due = short_date(item.statutory_due) if item.statutory_due else "—"
        cells = [
            QTableWidgetItem(text)
            for text in (str(item.position), item.child, item.request_type.label, due)
        ]
        for col, cell in enumerate(cells):
            self.table.setItem(row, col, cell)
        if item.statutory_due and item.statutory_due < self.view.meeting_date:
            past = cells[3]
            past.setText(f"{due}  PAST DUE")
            past.setForeground(palette.brush(palette.DANGER))
            past.setToolTip("The statutory due date falls before this meeting.")
        minutes = QSpinBox()
        minutes.setRange(1, 120)
        minutes.setValue(item.minutes_allocated)
        minutes.setAccessibleName(f"Minutes for item {item.position}")
        minutes.setEnabled(editable and item.status is ItemStatus.TO_DO)
        presenter = QLineEdit(item.presenting_officer)
        presenter.setAccessibleName(f"Presenting officer for item {item.position}")
        presenter.setEnabled(editable and item.status is ItemStatus.TO_DO)
        save = lambda _=None, i=item.item_id, m=minutes, p=presenter: self.save_item(i, m, p)  # noqa: E731
        minutes.editingFinished.connect(save)
        presenter.editingFinished.connect(save)
        self.table.setCellWidget(row, 4, minutes)
        self.table.setCellWidget(row, 5, presenter)
        papers = f"{len(item.papers)}" + (f" ({late} late)" if late else "")
        papers_cell = QTableWidgetItem(papers)
        if late:
            papers_cell.setForeground(palette.brush(palette.DANGER))
        self.table.setItem(row, PAPERS_COLUMN, papers_cell)
        self.table.setItem(row, STATUS_COLUMN, QTableWidgetItem(item.status.label))

    def selected_item_id(self) -> int | None:
        row = self.table.currentRow()
        if self.view is None or not 0 <= row < len(self.view.items):
            return None
        return self.view.items[row].item_id

    def save_item(self, item_id: int, minutes: QSpinBox, presenter: QLineEdit) -> None:
        if self.view is None:  # the fields are drawn from a read meeting
            return
        current = next(i for i in self.view.items if i.item_id == item_id)
        if (minutes.value(), presenter.text()) == (
            current.minutes_allocated,
            current.presenting_officer,
        ):
            return
        try:
            self.ctx.do(
                meetings.update_item,
                item_id,
                minutes=minutes.value(),
                presenting_officer=presenter.text(),
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            self._rows_show.clear()  # the row shows the refused value: drawn again

    def move_selected(self, delta: int) -> None:
        """Move the chosen item ``delta`` places along the agenda."""
        item_id = self.selected_item_id()
        if item_id is None:
            self.banner.show_message("warning", "Choose an item in the list first.")
            return
        row = self.table.currentRow()
        try:
            self.ctx.do(meetings.move_item, item_id, row + 1 + delta)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.refresh()
        self.table.selectRow(max(0, min(row + delta, self.table.rowCount() - 1)))

    def withdraw(self) -> None:
        item_id = self.selected_item_id()
        if item_id is None:
            self.banner.show_message("warning", "Choose an item in the list first.")
            return
        reason, ok = QInputDialog.getText(
            self, "Withdraw from agenda", "Why is the item withdrawn?"
        )
        if not ok:
            return
        try:
            self.ctx.do(meetings.withdraw_item, item_id, reason=reason)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))

    def open_case_dialog(self, *, edit: bool = False) -> CaseDialog | None:
        case_id = None
        if edit:
            item_id = self.selected_item_id()
            if item_id is None:
                self.banner.show_message("warning", "Choose an item in the list first.")
                return None
            case_id = self.ctx.read(corrections.case_of_item, item_id)
        if self.meeting_id is None:  # the page is shown with a meeting
            return None
        dialog = CaseDialog(self.ctx, self.meeting_id, self, case_id=case_id)
        if edit:
            dialog.accepted.connect(
                lambda: self.banner.show_message("ok", "The case's details are corrected.")
            )
        dialog.open()
        return dialog

    # ----- papers, case lists and exports (slow work runs in the background) ------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport():
            if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
                if event.mimeData().hasUrls():
                    event.acceptProposedAction()
                    return True
            elif event.type() == QEvent.Type.Drop and event.mimeData().hasUrls():
                row = self.table.rowAt(event.position().toPoint().y())
                paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
                if row < 0 or self.view is None:
                    self.banner.show_message(
                        "warning", "Drop the papers on the case they belong to."
                    )
                else:
                    self.attach_papers(self.view.items[row].item_id, paths)
                event.acceptProposedAction()
                return True
        return super().eventFilter(watched, event)

    def choose_papers(self) -> None:
        item_id = self.selected_item_id()
        if item_id is None:
            self.banner.show_message("warning", "Choose the case the papers belong to first.")
            return
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Attach papers",
            str(Path.home()),
            "Papers (*.pdf *.docx *.xlsx *.png *.jpg *.jpeg *.txt);;All files (*)",
        )
        if names:
            self.attach_papers(item_id, [Path(n) for n in names])

    def attach_papers(self, item_id: int, paths: list[Path]):
        """Import papers for an item off the GUI thread; each file's result is then listed,
        with what a folder dropped held and was not imported."""
        # Listing a dropped folder here is one directory read (the import lists it again, in
        # the background); nothing else of it is opened on this thread.
        note = papers.left_out_note(paths) if any(p.is_dir() for p in paths) else None

        def done(outcomes) -> None:
            self.last_import = list(outcomes)
            stored = sum(o.stored for o in outcomes)
            late = sum(1 for o in outcomes if o.stored and o.late)
            lines = [f"{o.source}: {o.message}" for o in outcomes]
            kind = "ok" if stored == len(outcomes) else "warning"
            summary = f"{stored} of {len(outcomes)} file(s) stored" + (
                f", {late} late" if late else ""
            )
            if note:
                lines.append(note)
                kind = "warning"
            self.banner.show_message(kind, summary + ".\n" + "\n".join(lines))

        # Each file is committed as soon as it is checked, then the words of all are read
        # (in the reading processes, indexed in batches), all off the GUI thread.
        self.ctx.run(
            papers.import_papers,
            item_id,
            paths,
            words_after=True,
            background=Background(
                self,
                "Checking and storing papers, then reading their words...",
                done,
                self._failed,
            ),  # fmt: skip
        )

    def choose_case_list(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import a case list", str(Path.home()), "Case lists (*.csv *.xlsx)"
        )
        if name:
            self.import_case_list(Path(name))

    def import_case_list(self, path: Path):
        def done(result) -> None:
            self.banner.show_message(
                "ok", f"{len(result.case_ids)} case(s) imported and put on the agenda."
            )

        self.ctx.run(
            case_list_import.import_case_list,
            path,
            meeting_id=self.meeting_id,
            background=Background(self, "Importing the case list...", done, self._failed),
        )

    def choose_agenda_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the agenda", str(Path.home() / "agenda.docx"), "Word (*.docx)"
        )
        if name:
            self.export_agenda(Path(name))

    def export_agenda(self, path: Path):

        def done(result) -> None:
            self.last_exports = [result.path]
            self.banner.show_message(
                "ok",
                f"Agenda written to {result.path} (children: {result.naming.label.lower()}). "
                "It is OFFICIAL-SENSITIVE: send it only by a secure route.",
            )

        self.ctx.run(
            export_agenda,
            self.meeting_id,
            path,
            overwrite=True,
            naming=self._export_naming(),
            quiet=True,  # only the export's audit event is stored
            background=Background(self, "Writing the agenda...", done, self._failed),
        )

    def choose_packs_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for members' packs", str(Path.home())
        )
        if not folder:
            return
        question = self.packs_question(Path(folder))
        if question is not None:
            answer = QMessageBox.question(
                self,
                "Export members' packs",
                question + "\n\nExport the packs anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.export_packs(Path(folder))

    def packs_question(self, folder: Path) -> str | None:
        """What the officer should know before the packs are written: cases with no papers
        (their members would get nothing to read) and packs already in the folder."""
        if self.view is None:  # asked only once the meeting is shown
            return None
        notes = []
        bare = [
            str(i.position)
            for i in self.view.items
            if not i.papers and i.status is not ItemStatus.WITHDRAWN
        ]
        if bare:
            notes.append(
                f"Item{'s' if len(bare) > 1 else ''} {', '.join(bare)} "
                f"{'have' if len(bare) > 1 else 'has'} no papers yet."
            )
        day = f"{self.view.meeting_date:%Y-%m-%d}"
        existing = sorted(folder.glob(f"Pack - *{day}*"))
        if existing:
            notes.append(
                f"{len(existing)} pack(s) for this meeting are already in {folder}; they "
                "will be replaced."
            )
        return " ".join(notes) or None

    def export_packs(self, folder: Path, *, plain_zip: bool | None = None):
        """Each member's pack: one encrypted PDF (its password shown once), or, when the
        officer asks for it, a plain ZIP file."""
        plain = self.plain_packs.isChecked() if plain_zip is None else plain_zip

        def done(results) -> None:
            self.last_exports = [r.path for r in results]
            kind = "plain ZIP file(s), NOT encrypted" if plain else "encrypted PDF(s)"
            self.banner.show_message(
                "ok",
                f"{len(results)} pack(s) written to {folder} as {kind}. Each leaves out the "
                "papers of cases its member declared an interest in. Send them only by a "
                "secure route.",
            )
            if not plain:
                self.last_passwords = PackPasswordsDialog(results, self)
                self.last_passwords.open()

        self.ctx.run(
            export_packs if plain else export_pdf_packs,  # the writers loaded in the job
            self.meeting_id,
            folder,
            overwrite=True,
            naming=self._export_naming(),
            quiet=True,  # only the exports' audit events are stored
            background=Background(self, "Writing members' packs...", done, self._failed),
        )

    def _export_naming(self) -> NamingMode | None:
        chosen = self.export_naming.currentData()
        return NamingMode(chosen) if chosen else None

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, PanelappError):
            self.banner.show_message("error", error_text(exc))
        else:
            self.banner.show_message(
                "error",
                f"That did not finish ({type(exc).__name__}). Anything listed as stored before "
                "the problem is kept; nothing else was changed.",
            )
