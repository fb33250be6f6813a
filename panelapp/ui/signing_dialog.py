"""A member's signing certificate: made in panelapp (self-signed), or the council's own
imported from a .p12/.pfx file. Opened when someone must sign and has no certificate yet, or
from the minutes window to look after the panel's certificates.

The password of a .p12 file is used once, never kept, logged or audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.services import signing
from panelapp.services.signer_keys import SigningSecretNeeded
from panelapp.services.signing import IdentityInfo
from panelapp.ui.context import AppContext
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text


def split_fingerprint(fingerprint: str) -> str:
    """A SHA-256 fingerprint on two lines of 16 pairs, as the signature block prints it."""
    pairs = fingerprint.split(":")
    if len(pairs) <= 16:
        return fingerprint
    return ":".join(pairs[:16]) + ":\n" + ":".join(pairs[16:])


def fixed_font():
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def describe_identity(info: IdentityInfo) -> str:
    """One short paragraph about a certificate (never its key)."""
    kind = (
        "self-signed, made in panelapp"
        if info.self_signed
        else "issued by the council's certificate authority"
    )
    return (
        f"{info.common_name} ({kind}), valid until {format_date(info.valid_until.date())}.\n"
        f"Fingerprint (SHA-256):\n{split_fingerprint(info.fingerprint)}"
    )


class SigningIdentityDialog(QDialog):
    """Make or import a signing certificate for one member.

    ``members`` are the (member id, name) pairs offered; with ``member_id`` the dialog is for
    that member only (the one who is about to sign). On success ``identity`` holds the new
    certificate's details and the dialog is accepted.
    """

    def create(self, *args: Any) -> Any:
        """With no arguments, ``create_certificate`` under the name it had before it was
        renamed, kept for code written against it; otherwise Qt's own ``create``."""
        if not args:
            return self.create_certificate()
        return super().create(*args)

    def __init__(
        self,
        ctx: AppContext,
        members: Sequence[tuple[int, str]],
        parent: QWidget | None = None,
        *,
        member_id: int | None = None,
        why: str = "",
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.identity: IdentityInfo | None = None
        self.setWindowTitle("Signing certificate")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.why = QLabel(
            why
            or "A member signs minutes and decision records with their own signing "
            "certificate. Make one here, or import the certificate file (.p12 or .pfx) the "
            "council's IT team issued."
        )
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)  # names members as typed
        self.why.setAccessibleName("Why a certificate is needed")
        layout.addWidget(self.why)

        form = QFormLayout()
        self.member = QComboBox()
        self.member.setAccessibleName("Member the certificate is for")
        for mid, name in members:
            self.member.addItem(name, mid)
        if member_id is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(member_id)))
            self.member.setEnabled(False)
        form.addRow("&Member:", self.member)
        self.current = QLabel()
        self.current.setTextFormat(Qt.TextFormat.PlainText)  # the member's name as typed
        self.current.setWordWrap(True)
        self.current.setAccessibleName("The member's current certificate")
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Current certificate:", self.current)
        layout.addLayout(form)

        self.make_new = QRadioButton("Ma&ke a new certificate in panelapp (self-signed)")
        self.import_file = QRadioButton("&Import the council's certificate file (.p12 or .pfx)")
        self.choice = QButtonGroup(self)
        for button in (self.make_new, self.import_file):
            self.choice.addButton(button)
            layout.addWidget(button)
        self.make_new.setChecked(True)

        file_form = QFormLayout()
        file_row = QHBoxLayout()
        self.file_path = QLineEdit()
        self.file_path.setAccessibleName("Certificate file")
        self.file_path.setPlaceholderText("the .p12 or .pfx file from IT")
        file_row.addWidget(self.file_path, 1)
        self.browse_button = QPushButton("&Browse...")
        self.browse_button.setAccessibleName("Choose the certificate file")
        self.browse_button.clicked.connect(self.choose_file)
        file_row.addWidget(self.browse_button)
        file_label = QLabel("Certificate &file:")
        file_label.setBuddy(self.file_path)
        file_form.addRow(file_label, file_row)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password of the certificate file")
        self.password.setPlaceholderText("leave empty if the file has none")
        file_form.addRow("&Password:", self.password)
        self.file_fields = QWidget()
        self.file_fields.setLayout(file_form)
        layout.addWidget(self.file_fields)

        self.note = QLabel(
            "A certificate made here is self-signed: Word and LibreOffice show the signature "
            "as intact but the certificate as not trusted, until the reader compares its "
            "fingerprint with the one the chair publishes. A new certificate replaces the "
            "member's current one; the old one is kept so earlier signatures can still be traced."
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.banner = Banner("Certificate problem")
        #: asks the member for their own signing passphrase (replaceable, e.g. by a test)
        self.ask_secret = lambda need: ask_signing_secret(self, need)
        layout.addWidget(self.banner)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.member.currentIndexChanged.connect(self._show_current)
        self.choice.buttonToggled.connect(self._choice_changed)
        self._show_current()
        self._choice_changed()

    @property
    def member_id(self) -> int | None:
        return self.member.currentData()

    def _show_current(self) -> None:
        if self.member_id is None:
            self.current.setText("Add the panel's members first.")
            return
        info = self.ctx.read(signing.current_identity, self.member_id)
        self.current.setText(describe_identity(info) if info else "None yet.")

    def _choice_changed(self, *_args) -> None:
        importing = self.import_file.isChecked()
        self.file_fields.setEnabled(importing)
        self.ok_button.setText("Import certificate" if importing else "Make certificate")

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "The council's certificate file",
            str(Path.home()),
            "Certificate files (*.p12 *.pfx);;All files (*)",
        )
        if name:
            self.file_path.setText(name)
            self.import_file.setChecked(True)
            self.password.setFocus()

    def go(self) -> None:
        if self.import_file.isChecked():
            self.import_p12(self.file_path.text(), self.password.text())
        else:
            self.create_certificate()

    def create_certificate(self) -> bool:
        """Make a self-signed certificate for the chosen member; accept on success."""
        return self._run(
            lambda secret: self.ctx.do(
                signing.create_signing_identity, self.member_id, passphrase=secret
            )
        )

    def import_p12(self, path: str | Path, password: str = "") -> bool:
        """Keep the certificate and key of a .p12/.pfx file for the chosen member."""
        if not str(path).strip():
            self.banner.show_message("error", "Choose the certificate file (.p12 or .pfx).")
            return False
        try:
            data = Path(path).expanduser().read_bytes()
        except OSError as exc:
            self.banner.show_message(
                "error",
                f"The certificate file could not be read ({exc.strerror}). Choose it again.",
            )
            return False
        done = self._run(
            lambda secret: self.ctx.do(
                signing.import_signing_identity,
                self.member_id,
                data,
                password or None,
                passphrase=secret,
            )
        )
        if done:
            self.password.clear()
        return done

    def _run(self, action) -> bool:
        if self.member_id is None:
            self.banner.show_message("error", "Choose the member the certificate is for.")
            return False
        secret = None
        while True:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.identity = action(secret)
                break
            except SigningSecretNeeded as need:
                QApplication.restoreOverrideCursor()
                if secret is not None or not (secret := self.ask_secret(need)):
                    self.banner.show_message("error", str(need))
                    return False
            except PanelappError as exc:
                self.banner.show_message("error", error_text(exc))
                return False
            finally:
                if QApplication.overrideCursor() is not None:
                    QApplication.restoreOverrideCursor()
        self.accept()
        return True

    def summary(self) -> str:
        """What to tell the user about the certificate just made or imported."""
        info = self.identity
        if info is None:
            return ""
        verb = "Imported the council's" if info.origin == signing.IMPORTED else "Made a"
        text = (
            f"{verb} signing certificate for {info.member_name}: {describe_identity(info)}\n"
            "Give this fingerprint to the people who receive signed documents, so they can "
            "check who signed."
        )
        if info.common_name.lower() != info.member_name.lower():
            text += (
                f"\nNote: the certificate is in the name '{info.common_name}'. Check that it is "
                f"{info.member_name}'s."
            )
        return text


def ask_signing_secret(parent: QWidget, need: SigningSecretNeeded) -> str | None:
    """Ask the signer (not whoever is at the laptop) for their own secret: their signing
    passphrase, a new one (confirmed), or their certificate file's password."""
    label = {
        "new passphrase": f"{need}\n\n{need.member_name}, choose your signing passphrase:",
        "certificate password": f"{need.member_name}, the password of your certificate file:",
    }.get(need.kind, f"{need.member_name}, your signing passphrase:")
    text, ok = QInputDialog.getText(
        parent, "Signing passphrase", label, QLineEdit.EchoMode.Password
    )
    if not ok or not text:
        return None
    if need.kind == "new passphrase":
        again, ok = QInputDialog.getText(
            parent, "Signing passphrase", "Type it again:", QLineEdit.EchoMode.Password
        )
        if not ok or again != text:
            return None
    return text
