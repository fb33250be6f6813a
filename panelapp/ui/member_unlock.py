"""Unlocking after the idle lock, for a store whose key the OS keyring holds.

The keyring gives the store's key to anyone at the laptop, so after the lock has fired the
person proves who they are with their own signing passphrase (or their certificate file's
password): the secret that only they hold. The store is open while the dialog is shown but
nothing from it is displayed, and it is closed again if the dialog is cancelled.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.services.signing import prove_member
from panelapp.store.engine import Store
from panelapp.ui.next_steps import error_text


class MemberUnlockDialog(QDialog):
    def __init__(self, store: Store, members: list[tuple[int, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Unlock panelapp")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "panelapp locked itself. To unlock it, choose who you are and type your signing "
            "passphrase (or your certificate file's password)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.member = QComboBox()
        self.member.setAccessibleName("Who is unlocking")
        for member_id, name in members:
            self.member.addItem(name, member_id)
        form.addRow("&Member:", self.member)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Signing passphrase")
        form.addRow("Signing &passphrase:", self.secret)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Unlock problem")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Unlock")
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.secret.setFocus()

    def try_unlock(self) -> None:
        try:
            with self.store.read() as session:
                prove_member(session, self.member.currentData(), self.secret.text())
        except PanelappError as exc:
            self.error.setText(error_text(exc))
            self.secret.selectAll()
            return
        finally:
            self.secret.clear()
        self.accept()
