"""Checking a signed Word file (minutes or a decision record) in the window, as
``panelapp verify`` does on the command line: the same check and the same sentences.

Needs no store: anyone may check a file that came by email. With the store open, the
certificates it registered for members are trusted; a council's trust file can be added. The
verdict says whether the document is intact and whether the signer is trusted. Nothing about
the file (its name may carry a child's name) is logged here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from panelapp.documents.certificate_trust import TrustEntry, read_trust_file
from panelapp.documents.signature_block import format_moment
from panelapp.documents.signing_errors import SigningError
from panelapp.domain.uk_time import uk_time
from panelapp.services.verification import (
    SignatureReport,
    TrustSources,
    TrustVerdict,
    assess_trust,
    report_lines,
    verify_file,
)
from panelapp.ui import palette
from panelapp.ui.signing_dialog import fixed_font, split_fingerprint

VALID, NOT_VALID, NOT_SIGNED, UNTRUSTED = "valid", "not valid", "not signed", "not trusted"

_VERDICT_TONES = {
    VALID: palette.OK,
    NOT_VALID: palette.ERROR,
    NOT_SIGNED: palette.WARNING,
    UNTRUSTED: palette.WARNING,
}
_SYMBOLS = {VALID: "✔", NOT_VALID: "✘", NOT_SIGNED: "!", UNTRUSTED: "?"}

#: report_lines' lines that the form above the list already shows
_SHOWN_ABOVE = (
    "Signed by: ",
    "Signed at: ",
    "Certificate fingerprint (SHA-256): ",
    "Certificate subject: ",
    "Trust: ",
)


class VerifyDialog(QDialog):
    """Choose a .docx (or drop it here, or call ``check(path)``) and see whether its document
    signature holds, who signed it, when, with which certificate, and every problem found."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        registered: Callable[[], TrustSources] | None = None,
    ) -> None:
        super().__init__(parent)
        self.report: SignatureReport | None = None
        self.trust: TrustVerdict | None = None
        self.outcome = ""
        #: the store's registered certificates, read at each check (None: no store open)
        self._registered = registered
        self._trust_files: list[tuple[str, tuple]] = []
        self.setWindowTitle("Check a signed Word file")
        self.setMinimumWidth(700)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose signed minutes or a decision record (.docx) to check that its signature "
            "holds and that nothing in it changed since it was signed. You can also drop the "
            "file on this window."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setAccessibleName("Word file to check")
        self.path.setPlaceholderText("path of the .docx file")
        self.path.returnPressed.connect(self.check_typed_path)
        row.addWidget(self.path, 1)
        self.choose_button = QPushButton("&Choose file...")
        self.choose_button.setAccessibleName("Choose the Word file to check")
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(self.choose_button)
        self.check_button = QPushButton("Chec&k")
        self.check_button.setAccessibleName("Check the file")
        self.check_button.clicked.connect(self.check_typed_path)
        row.addWidget(self.check_button)
        self.trust_button = QPushButton("&Trust file...")
        self.trust_button.setAccessibleName("Add the council's trust file")
        self.trust_button.setToolTip(
            "A trust file from 'panelapp signing export-trust' lists the certificates the "
            "panel registered for its members."
        )
        self.trust_button.clicked.connect(self.choose_trust_file)
        row.addWidget(self.trust_button)
        layout.addLayout(row)

        self.verdict = QLabel("No file checked yet.")
        self.verdict.setTextFormat(
            Qt.TextFormat.PlainText
        )  # the signer's name as written in the file
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Verdict")
        self.verdict.setStyleSheet(palette.PENDING_BOX)
        layout.addWidget(self.verdict)

        form = QFormLayout()
        self.signer = self._field("Signed by")
        self.signed_at = self._field("Signed at")
        self.fingerprint = self._field("Certificate fingerprint (SHA-256)")
        self.fingerprint.setFont(fixed_font())
        form.addRow("Signed by:", self.signer)
        form.addRow("Signed at:", self.signed_at)
        form.addRow("Certificate fingerprint\n(SHA-256):", self.fingerprint)
        self.subject = self._field("Certificate subject")
        self.trusted = self._field("Trust")
        form.addRow("Certificate subject:", self.subject)
        form.addRow("Trust:", self.trusted)
        layout.addLayout(form)

        self.details_label = QLabel("&What the check found:")
        layout.addWidget(self.details_label)
        self.details = QListWidget()
        self.details.setAccessibleName("What the check found")
        self.details.setWordWrap(True)
        self.details.setMinimumHeight(120)
        self.details_label.setBuddy(self.details)
        layout.addWidget(self.details, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.choose_button.setFocus()

    @staticmethod
    def _field(name: str) -> QLabel:
        label = QLabel("")
        label.setTextFormat(Qt.TextFormat.PlainText)  # names as written in the file
        label.setAccessibleName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Check a signed Word file", str(Path.home()), "Word documents (*.docx)"
        )
        if name:
            self.check(Path(name))

    def choose_trust_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "The council's trust file", str(Path.home()), "Trust files (*.json);;All (*)"
        )
        if name:
            self.add_trust_file(Path(name))

    def add_trust_file(self, path: Path) -> None:
        """Trust the certificates a trust file lists, then check the current file again."""
        try:
            entries = tuple(read_trust_file(Path(path).read_bytes()))
        except (OSError, SigningError) as exc:
            self.trusted.setText(f"The trust file could not be used: {exc}")
            return
        self._trust_files.append((f"the trust file {Path(path).name}", entries))
        if self.path.text().strip():
            self.check_typed_path()

    def sources(self) -> TrustSources:
        registered: list[TrustEntry] = []
        consulted: list[str] = []
        if self._registered is not None:
            from_store = self._registered()
            registered.extend(from_store.registered)
            consulted.extend(from_store.consulted)
        for label, entries in self._trust_files:
            registered.extend(entries)
            consulted.append(label)
        return TrustSources(tuple(registered), (), tuple(consulted))

    def check_typed_path(self) -> None:
        text = self.path.text().strip()
        if text:
            self.check(Path(text).expanduser())

    def check(self, path: str | Path) -> SignatureReport:
        """Check the file and show the result."""
        self.path.setText(str(path))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = verify_file(Path(path))
        finally:
            QApplication.restoreOverrideCursor()
        self.show_report(report)
        return report

    def show_report(self, report: SignatureReport) -> None:
        self.report = report
        self.trust = assess_trust(report, self.sources()) if report.signed else None
        lines = report_lines(report, self.trust)
        if not report.signed:
            self.outcome = NOT_SIGNED
        elif not report.valid:
            self.outcome = NOT_VALID
        else:
            self.outcome = VALID if self.trust is not None and self.trust.trusted else UNTRUSTED
        self.verdict.setText(f"{_SYMBOLS[self.outcome]}  {lines[0]}")
        self.verdict.setStyleSheet(
            _VERDICT_TONES[self.outcome].box(strong=True, padding=10, bold=True)
        )
        self.verdict.setAccessibleDescription(lines[0])
        self.signer.setText(report.signer or ("unknown" if report.signed else "(none)"))
        self.signed_at.setText(
            format_moment(uk_time(report.signed_at)) if report.signed_at else "(none)"
        )
        self.fingerprint.setText(
            split_fingerprint(report.signer_fingerprint) if report.signer_fingerprint else "(none)"
        )
        self.subject.setText(self.trust.subject if self.trust else "(none)")
        self.trusted.setText(self.trust.basis if self.trust else "(none)")
        self.details.clear()
        for line in lines[1:]:
            if not line.startswith(_SHOWN_ABOVE):
                self.details.addItem(line)

    def detail_lines(self) -> list[str]:
        return [self.details.item(n).text() for n in range(self.details.count())]

    # -- dropping a file ----------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile():
            return Path(urls[0].toLocalFile())
        return None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        path = self._dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.check(path)
