"""A meeting's minutes: the draft made from the store, the chair's signature, amendments,
copies saved for the chair and the council, and decision records for chief officers.

Mirrors ``panelapp minutes`` and ``panelapp decisions export``: the same services do the work.
Making, signing and writing documents run off the GUI thread (``worker``); the services'
refusals (meeting not closed, records changed since the draft, R9) are shown in the banner.
The methods below can be called without any file dialog (the buttons ask for a path, then
call them), so tests drive the window as a person would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panelapp.documents.signature_block import format_moment
from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date, uk_moment
from panelapp.domain.uk_time import uk_time
from panelapp.domain.vocabulary import MeetingStatus, NamingMode
from panelapp.services import decision_records, minutes, panels
from panelapp.services.minutes import MinutesOverview, MinutesVersionInfo
from panelapp.services.minutes_preview import minutes_text
from panelapp.services.signer_keys import SigningSecretNeeded
from panelapp.ui import palette
from panelapp.ui.context import AppContext, Background
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text
from panelapp.ui.signing_dialog import (
    SigningIdentityDialog,
    ask_signing_secret,
    describe_identity,
    split_fingerprint,
)
from panelapp.ui.store_events import StoreChanged

logger = logging.getLogger(__name__)
#: what a background task of the minutes window returns
R = TypeVar("R")

_FOLDER_SETTING = "minutes/folder"

CONFIDENTIAL_NOTE = (
    "Saved minutes and decision records are marked OFFICIAL-SENSITIVE: they hold personal "
    "data about children. Keep them on council systems and send them only by a secure route. "
    "Every copy saved is recorded in the audit trail."
)


def confidential(what: str, naming: NamingMode) -> str:
    return (
        f"{what} marked OFFICIAL-SENSITIVE: personal data about children "
        f"({naming.label.lower()}). Keep it on council systems and send it only by a secure "
        "route. The export is recorded in the audit trail."
    )


class MinutesPreview(QDialog):
    """A version's text, read-only (``open_preview`` fills it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit()


#: a stored moment as the time in England (the name this module gave it first)
local_moment = uk_moment


def _items(positions: tuple[int, ...]) -> str:
    numbers = [str(p) for p in positions]
    if len(numbers) == 1:
        return f"item {numbers[0]}"
    return "items " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


class AmendmentDialog(QDialog):
    """Asks why signed minutes are being amended; the reason is printed in the new version."""

    def __init__(self, version: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start an amendment")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Version {version} stays in the store exactly as signed. A new version "
            f"{version + 1} is started with your reason, and the meeting is unlocked so its "
            "records can be corrected; the chair then signs the new version.\n"
            "Refer to a case by its item number, not the child's name: the reason is printed "
            "in the minutes."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the amendment")
        self.reason.setPlaceholderText("e.g. the rationale for item 4 was minuted incompletely")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        form.addRow("&Reason:", self.reason)
        layout.addLayout(form)
        self.banner = Banner("Amendment problem")
        layout.addWidget(self.banner)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start the amendment")
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def confirm(self) -> None:
        if not self.text():
            self.banner.show_message(
                "error", "Say why the minutes are being amended; the reason is printed in them."
            )
            return
        self.accept()


class MinutesDialog(QDialog):
    """Every version of one meeting's minutes, and what can be done with them."""

    #: a background task ended: True when it succeeded (tests wait for it)
    task_finished = Signal(bool)

    COLUMNS = ("Version", "Made", "Children named", "Signed by", "Signed at", "Amendment reason")

    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.overview: MinutesOverview | None = None
        self.busy = False
        self.last_saved: Path | None = None
        self.last_records_folder: Path | None = None
        self.last_signed: MinutesVersionInfo | None = None
        self._naming_set = False
        self.setWindowTitle("Minutes and signatures")
        self.setMinimumSize(820, 560)
        layout = QVBoxLayout(self)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # the panel's name as typed
        self.heading.setStyleSheet(palette.HEADING)
        self.heading.setAccessibleName("Meeting")
        layout.addWidget(self.heading)
        self.next_step = QLabel()
        self.next_step.setTextFormat(Qt.TextFormat.PlainText)  # names as typed
        self.next_step.setWordWrap(True)
        self.next_step.setAccessibleName("What to do next")
        layout.addWidget(self.next_step)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setAccessibleName("Minutes versions")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        form = QFormLayout()
        self.naming = QComboBox()
        self.naming.setAccessibleName("How children are named in a new draft and in records")
        for mode in NamingMode:
            self.naming.addItem(mode.label, mode.value)
        form.addRow("&Name children as:", self.naming)
        self.signer = QLabel()
        self.signer.setTextFormat(Qt.TextFormat.PlainText)  # the signer's name as typed
        self.signer.setWordWrap(True)
        self.signer.setAccessibleName("Who signs the minutes")
        self.signer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Signer:", self.signer)
        layout.addLayout(form)

        grid = QGridLayout()
        self.generate_button = self._button("&Generate draft", self.generate_clicked)
        self.generate_button.setToolTip(
            "Make the draft minutes from the meeting's records (replaces an unsigned draft)"
        )
        self.save_button = self._button("&Save a copy...", self.choose_copy_path)
        self.save_button.setToolTip("Write the chosen version to a Word file, exactly as kept")
        self.sign_button = self._button("Sign as c&hair...", self.ask_to_sign)
        self.sign_button.setToolTip("The chair signs the draft they have read")
        self.amend_button = self._button("Start an &amendment...", self.ask_for_amendment)
        self.amend_button.setToolTip("Correct signed minutes: a new version, signed again")
        self.records_button = self._button(
            "Export &decision records...", self.choose_records_folder
        )
        self.records_button.setToolTip("One signed Word file per case, for chief officers")
        self.read_button = self._button("&Read this version...", lambda: self.open_preview())
        self.read_button.setToolTip("The chosen version's text, exactly what is kept and signed")
        self.certificates_button = self._button("Signing &certificates...", self.open_certificates)
        self.certificates_button.setToolTip("Make or import a member's signing certificate")
        for n, button in enumerate(
            (
                self.generate_button,
                self.save_button,
                self.sign_button,
                self.amend_button,
                self.records_button,
                self.certificates_button,
                self.read_button,
            )
        ):
            grid.addWidget(button, n // 3, n % 3)
        layout.addLayout(grid)

        self.banner = Banner("Minutes message")
        #: asks the signer for their own passphrase (replaceable, e.g. by a test)
        self.ask_secret: Callable[[SigningSecretNeeded], str | None] = lambda need: (
            ask_signing_secret(self, need)
        )
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.banner)
        note = QLabel(CONFIDENTIAL_NOTE)
        note.setWordWrap(True)
        note.setAccessibleName("Confidentiality")
        note.setStyleSheet(palette.text_style(palette.CAUTION))
        layout.addWidget(note)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self._refresh_if_open)
        ctx.changed.connect(self._store_changed)
        self.refresh()
        self.generate_button.setFocus()

    def _button(self, text: str, handler: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("."))
        button.clicked.connect(lambda: handler())
        return button

    # -- showing -----------------------------------------------------------------------------

    def _store_changed(self, _event: StoreChanged | str) -> None:
        # Another screen (or this one) changed the store: redraw once its handler returned.
        # Quiet work too: a discussion saved as typed changes what the minutes would say.
        self._refresh_soon.start()

    def _refresh_if_open(self) -> None:
        if self.ctx.store is not None and self.isVisible() and not self.busy:
            self.refresh()

    def refresh(self) -> MinutesOverview:
        """Read the meeting's versions and signer again and redraw."""
        selected = self.selected_version()
        before = self.table.rowCount()
        ov = self.ctx.read(minutes.minutes_overview, self.meeting_id)
        self.overview = ov
        self.heading.setText(
            f"Minutes of {ov.panel_name}, {format_date(ov.meeting_date)} ({ov.status.label})"
        )
        if not self._naming_set:
            self.naming.setCurrentIndex(self.naming.findData(ov.naming.value))
            self._naming_set = True

        self.table.setRowCount(len(ov.versions))
        for row, v in enumerate(ov.versions):
            cells = (
                str(v.version),
                local_moment(v.created_at),
                v.naming.label,
                (v.signed_by or "") if v.signed else "Not signed (draft)",
                local_moment(v.signed_at),
                v.reason,
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, v.version)
                self.table.setItem(row, column, cell)
        versions = [v.version for v in ov.versions]
        # The version chosen stays chosen, unless a new one has just been made.
        row = len(versions) - 1
        if selected is not None and selected in versions and len(versions) == before:
            row = versions.index(selected)
        if row >= 0:
            self.table.selectRow(row)

        if ov.signer is None:
            self.signer.setText(ov.signer_problem)
        elif ov.signer_identity is None:
            self.signer.setText(
                f"{ov.signer.name} ({ov.signer.role}). No signing certificate yet: you will be "
                "asked to make one, or import the council's, when signing."
            )
        else:
            self.signer.setText(
                f"{ov.signer.name} ({ov.signer.role}). Certificate: "
                f"{describe_identity(ov.signer_identity)}"
            )
        self.next_step.setText(self._next_step(ov))
        self._enable()
        return ov

    @staticmethod
    def _next_step(ov: MinutesOverview) -> str:
        latest = ov.latest
        if ov.status is MeetingStatus.SCHEDULED:
            return "This meeting has not started, so there is nothing to minute yet."
        if ov.status is MeetingStatus.SIGNED and latest is not None:
            return (
                f"Version {latest.version} is signed and the meeting's decisions are locked. "
                "Save a copy to send it, or export the decision records. To correct the "
                "minutes, start an amendment."
            )
        if latest is None:
            if ov.status is MeetingStatus.IN_PROGRESS:
                return (
                    "The meeting is still running. You can make a draft to read, but the chair "
                    "signs only once the meeting is closed."
                )
            return (
                "Generate the draft minutes, save a copy for the chair to read, then the chair "
                "signs them here."
            )
        if ov.status is MeetingStatus.IN_PROGRESS:
            return (
                f"Version {latest.version} is a draft and the meeting is open for corrections. "
                "Close the meeting, generate the draft again, then the chair signs."
            )
        return (
            f"Version {latest.version} is a draft. Save a copy for the chair to read; once they "
            "agree it, sign it. If the meeting's records change, generate the draft again first."
        )

    def _enable(self) -> None:
        ov = self.overview
        latest = ov.latest if ov else None
        signed = ov is not None and ov.status is MeetingStatus.SIGNED
        idle = not self.busy
        self.generate_button.setEnabled(idle and not signed)
        self.save_button.setEnabled(idle and latest is not None)
        self.sign_button.setEnabled(idle and latest is not None and not latest.signed)
        self.amend_button.setEnabled(idle and signed)
        self.records_button.setEnabled(idle and signed)
        self.certificates_button.setEnabled(idle)
        self.read_button.setEnabled(idle and latest is not None)
        self.naming.setEnabled(idle)

    def open_preview(self) -> QDialog | None:
        """The chosen version's text in a read-only window, with what signing it means."""
        try:
            shown = self.ctx.read(minutes_text, self.meeting_id, self.selected_version())
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return None
        info = shown.info
        window = MinutesPreview(self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.setWindowTitle(f"Minutes, version {info.version}")
        window.resize(760, 640)
        layout = QVBoxLayout(window)
        what = (
            f"Signed by {info.signed_by} on {local_moment(info.signed_at)}."
            if info.signed
            else "Not signed yet. This is the document the chair signs with 'Sign as chair': "
            "signing locks the meeting's decisions; a later correction is an amendment."
        )
        if not shown.complete:
            what += " Only part of the text could be shown; save a copy to read it all."
        intro = QLabel(what)
        intro.setTextFormat(Qt.TextFormat.PlainText)  # the signer's name as typed
        intro.setWordWrap(True)
        layout.addWidget(intro)
        text = window.text
        text.setPlainText(shown.text)
        text.setReadOnly(True)
        text.setAccessibleName(f"Text of minutes version {info.version}")
        layout.addWidget(text, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(window.reject)
        layout.addWidget(close)
        window.show()
        return window

    def selected_version(self) -> int | None:
        row = self.table.currentRow()
        cell = self.table.item(row, 0) if row >= 0 else None
        return cell.data(Qt.ItemDataRole.UserRole) if cell else None

    def selected_naming(self) -> NamingMode:
        return NamingMode(self.naming.currentData())

    # -- running the services -----------------------------------------------------------------

    def _start(
        self,
        label: str,
        service: Callable[..., R],
        args: tuple,
        succeeded: Callable[[R], None],
        *,
        kwargs: dict | None = None,
        quiet: bool = False,
        retry: Callable[[dict], None] | None = None,
        secrets: dict | None = None,
    ) -> None:
        """Run ``service(*args, **kwargs)`` off the GUI thread (through ``AppContext.run``);
        on success redraw, then ``succeeded(result)``.

        When the work needs a signer's own passphrase (or certificate password), the signer is
        asked here and ``retry(secrets)`` runs the work again with it."""
        self.banner.clear_message()
        self.busy = True
        self._enable()

        def ok(result: R) -> None:
            self.busy = False
            if self.ctx.store is not None:  # not locked meanwhile
                self.refresh()
            succeeded(result)
            self.task_finished.emit(True)

        def failed(exc: Exception) -> None:
            self.busy = False
            if self.ctx.store is not None:
                self.refresh()
            if (
                retry is not None
                and isinstance(exc, SigningSecretNeeded)
                and exc.member_id not in (secrets or {})
            ):
                secret = self.ask_secret(exc)
                if secret:
                    retry({**(secrets or {}), exc.member_id: secret})
                    return
            self.show_failure(exc)
            self.task_finished.emit(False)

        self.ctx.run(
            service,
            *args,
            background=Background(self, label, ok, failed),
            quiet=quiet,
            **(kwargs or {}),
        )

    def show_failure(self, exc: Exception) -> None:
        if isinstance(exc, PanelappError):
            self.banner.show_message("error", error_text(exc))
        else:
            logger.error("minutes window: %s", type(exc).__name__)
            self.banner.show_message(
                "error",
                f"That did not work ({type(exc).__name__}). Nothing was changed; see the log.",
            )

    # -- generate ------------------------------------------------------------------------------

    def generate_clicked(self) -> None:
        self.generate()

    def generate(self, naming: NamingMode | str | None = None) -> None:
        """Make (or remake) the draft minutes, naming children as chosen."""
        mode = NamingMode(naming) if naming is not None else self.selected_naming()
        self.naming.setCurrentIndex(self.naming.findData(mode.value))

        def done(info: MinutesVersionInfo) -> None:
            self.banner.show_message(
                "ok",
                f"Made draft version {info.version} of the minutes (children: "
                f"{info.naming.label.lower()}). Save a copy for the chair to read, then sign.",
            )

        self._start(
            "Making the draft minutes...",
            minutes.generate_minutes,
            (self.meeting_id, mode),
            done,
        )

    # -- save a copy ---------------------------------------------------------------------------

    def _start_folder(self) -> Path:
        saved = QSettings().value(_FOLDER_SETTING)
        folder = Path(str(saved)) if saved else Path.home()
        return folder if folder.is_dir() else Path.home()

    def choose_copy_path(self) -> None:
        ov = self.overview
        version = self.selected_version()
        if ov is None or version is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save a copy of the minutes",
            str(self._start_folder() / ov.file_names[version]),
            "Word documents (*.docx)",
        )
        if not name:
            return
        path = Path(name)
        confirmed = True  # the file dialog asked before replacing a file
        if path.suffix.lower() != ".docx":
            path, confirmed = path.with_name(path.name + ".docx"), False
        QSettings().setValue(_FOLDER_SETTING, str(path.parent))
        self.save_copy(path, version, overwrite=confirmed)

    def save_copy(
        self, path: str | Path, version: int | None = None, *, overwrite: bool = False
    ) -> None:
        """Write a stored version (the selected one by default) exactly as kept, whole or not
        at all, audited."""
        version = version if version is not None else self.selected_version()

        def done(result) -> None:
            target, info = result
            self.last_saved = target
            state = "signed" if info.signed else "a draft, not signed"
            self.banner.show_message(
                "ok",
                f"Saved version {info.version} ({state}) to {target}.\n"
                + confidential("It is", info.naming),
            )

        self._start(
            "Saving a copy of the minutes...",
            minutes.export_minutes,
            (self.meeting_id, Path(path)),
            done,
            kwargs={"version": version, "overwrite": overwrite},
            quiet=True,  # only the export's audit event is stored
        )

    # -- sign ----------------------------------------------------------------------------------

    def ask_to_sign(self) -> QMessageBox | None:
        """Confirm with the person at the keyboard before the chair's signature is applied."""
        ov = self.refresh()
        latest = ov.latest
        if ov.signer is None or latest is None or latest.signed:
            self.sign()
            return None
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the signer's name as typed
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Sign the minutes")
        box.setText(
            f"{ov.signer.name} ({ov.signer.role}) signs version {latest.version} of the minutes."
        )
        box.setInformativeText(
            "Sign only the draft the chair has read. Signing is refused if the meeting's "
            "records changed after this draft was made. Once signed, the meeting's decisions "
            "are locked: a correction is an amendment, signed again."
        )
        sign = box.addButton("Sign", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(sign)
        box.buttonClicked.connect(lambda clicked: self.sign() if clicked is sign else None)
        box.open()
        return box

    def sign(self, signer_member_id: int | None = None) -> SigningIdentityDialog | None:
        """The signer the service expects signs the latest draft. When that member has no
        signing certificate, the certificate dialog is opened (and returned); signing goes on
        once it is accepted."""
        ov = self.refresh()
        if ov.signer is None:
            self.banner.show_message("error", ov.signer_problem)
            return None
        member_id = signer_member_id if signer_member_id is not None else ov.signer.member_id
        if member_id == ov.signer.member_id and ov.signer_identity is None:
            dialog = SigningIdentityDialog(
                self.ctx,
                [(ov.signer.member_id, ov.signer.name)],
                self,
                member_id=member_id,
                why=(
                    f"{ov.signer.name} signs these minutes ({ov.signer.role}) but has no "
                    "signing certificate yet. Make one here, or import the certificate file the "
                    "council's IT team issued; the minutes are then signed."
                ),
            )
            dialog.accepted.connect(lambda: self._sign_now(member_id))
            dialog.open()
            return dialog
        self._sign_now(member_id)
        return None

    def _sign_now(self, member_id: int, secrets: dict | None = None) -> None:
        def done(info: MinutesVersionInfo) -> None:
            self.last_signed = info
            identity = self.overview.signer_identity if self.overview else None
            on = f" on {format_moment(uk_time(info.signed_at))}" if info.signed_at else ""
            lines = [f"{info.signed_by} signed version {info.version} of the minutes{on}."]
            if identity is not None:
                lines.append(
                    f"Certificate fingerprint (SHA-256):\n{split_fingerprint(identity.fingerprint)}"
                )
            lines.append(
                "The meeting's decisions are now locked. Save a copy to send the signed "
                "minutes; to correct them, start an amendment."
            )
            self.banner.show_message("ok", "\n".join(lines))

        self._start(
            "Signing the minutes...",
            minutes.sign_minutes,
            (self.meeting_id, member_id),
            done,
            kwargs={"passphrase": (secrets or {}).get(member_id)},
            retry=lambda given: self._sign_now(member_id, given),
            secrets=secrets,
        )

    # -- amend ---------------------------------------------------------------------------------

    def ask_for_amendment(self) -> AmendmentDialog | None:
        ov = self.refresh()
        if ov.latest is None:
            return None
        dialog = AmendmentDialog(ov.latest.version, self)
        dialog.accepted.connect(lambda: self.start_amendment(dialog.text()))
        dialog.open()
        return dialog

    def start_amendment(self, reason: str) -> None:
        """Unlock signed minutes for a correction: a new draft version carrying the reason."""

        def done(info: MinutesVersionInfo) -> None:
            self.banner.show_message(
                "ok",
                f"Started version {info.version} of the minutes; version {info.version - 1} is "
                "kept exactly as signed. The meeting is unlocked (closed): reopen it to correct "
                "its records, close it, generate the draft again here, and the chair signs it.",
            )

        self._start(
            "Starting the amendment...",
            minutes.start_amendment,
            (self.meeting_id,),
            done,
            kwargs={"reason": reason},
        )

    # -- decision records ---------------------------------------------------------------------

    def choose_records_folder(self) -> None:
        ov = self.overview
        if ov is None:
            return
        chosen = QFileDialog.getExistingDirectory(
            self, "Folder for the decision records", str(self._start_folder())
        )
        if not chosen:
            return
        folder = Path(chosen)
        QSettings().setValue(_FOLDER_SETTING, str(folder))
        target = folder / decision_records.records_folder_name(ov.meeting_date, ov.meeting_id)
        overwrite = False
        if target.exists():
            answer = QMessageBox.question(
                self,
                "Replace the decision records?",
                f"{target.name} is already in that folder, from an earlier export. Replace it?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            overwrite = True
        self.export_decision_records(folder, overwrite=overwrite)

    def export_decision_records(
        self, folder: str | Path, *, overwrite: bool = False
    ) -> SigningIdentityDialog | None:
        """Write one signed record per case into a new folder inside ``folder``. A member who
        chaired a case and has no signing certificate is first offered the certificate dialog
        (returned); the export goes on once it is accepted."""
        ov = self.refresh()
        if ov.status is MeetingStatus.SIGNED:
            try:
                signers = self.ctx.read(decision_records.record_signers, self.meeting_id)
            except PanelappError as exc:
                self.banner.show_message("error", error_text(exc))
                return None
            missing = [s for s in signers if not s.has_identity]
            if missing:
                who = missing[0]
                dialog = SigningIdentityDialog(
                    self.ctx,
                    [(who.member_id, who.name)],
                    self,
                    member_id=who.member_id,
                    why=(
                        f"{who.name} chaired {_items(who.item_positions)} and signs "
                        f"{'its' if len(who.item_positions) == 1 else 'their'} decision "
                        "records, but has no signing certificate yet. Make one here, or import "
                        "the certificate file the council's IT team issued; the records are "
                        "then exported."
                    ),
                )
                dialog.accepted.connect(
                    lambda: self.export_decision_records(folder, overwrite=overwrite)
                )
                dialog.open()
                return dialog
        self._export_records_now(folder, overwrite, None)
        return None

    def _export_records_now(self, folder, overwrite: bool, secrets: dict | None) -> None:
        naming = self.selected_naming()

        def done(result) -> None:
            target, records = result
            self.last_records_folder = target
            self.banner.show_message(
                "ok",
                f"Wrote {len(records)} signed decision records to {target}.\n"
                + confidential("Each is", naming).replace("send it", "send each"),
            )

        self._start(
            "Signing and writing the decision records...",
            decision_records.export_decision_records,
            (self.meeting_id, Path(folder), naming),
            done,
            kwargs={"overwrite": overwrite, "passphrases": secrets},
            quiet=True,  # only the exports' audit events are stored
            retry=lambda given: self._export_records_now(folder, overwrite, given),
            secrets=secrets,
        )
        return None

    # -- certificates --------------------------------------------------------------------------

    def open_certificates(self) -> SigningIdentityDialog:
        """Make or import a signing certificate for any current member of the panel."""
        ov = self.overview or self.refresh()
        settings = self.ctx.read(panels.panel_settings, ov.panel_id)
        members = [(m.member_id, m.name) for m in settings.members if m.active]
        dialog = SigningIdentityDialog(self.ctx, members, self)
        if ov.signer is not None:
            dialog.member.setCurrentIndex(max(0, dialog.member.findData(ov.signer.member_id)))

        def made() -> None:
            self.refresh()
            self.banner.show_message("ok", dialog.summary())

        dialog.accepted.connect(made)
        dialog.open()
        return dialog


__all__ = ["AmendmentDialog", "MinutesDialog", "confidential", "local_moment"]
