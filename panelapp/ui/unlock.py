"""Unlocking the store: silently from the OS keyring, or with the passphrase in a dialog.

A wrong passphrase says so and lets the person try again; nothing is written until the key
is right. The same dialog chooses the passphrase for a new store where there is no keyring.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.store.keys import KeySource, keyring_problem, passphrase_from_env, read_key_file
from panelapp.store.paths import key_file_path
from panelapp.ui import palette
from panelapp.ui.next_steps import error_text

if TYPE_CHECKING:  # the store's engine (SQLAlchemy) is loaded once the dialog is on screen
    from panelapp.store.engine import Store

logger = logging.getLogger(__name__)


def needs_passphrase(path: Path) -> bool:
    """True when opening (or creating) this store will need a passphrase typed by the person
    (not when PANELAPP_PASSPHRASE gives it, as on a shared headless demonstration machine)."""
    if passphrase_from_env() is not None:
        return False
    if path.exists() and key_file_path(path).exists():
        try:
            return read_key_file(path).source is KeySource.PASSPHRASE
        except PanelappError:
            return False
    return keyring_problem() is not None


class UnlockDialog(QDialog):
    """Asks for the passphrase and opens (or creates) the store; ``store`` is set on success."""

    def __init__(self, path: Path, parent: QWidget | None = None, *, locked_again: bool = False):
        super().__init__(parent)
        self.path = path
        self.store: Store | None = None
        self.creating = not path.exists()
        self.setWindowTitle("Unlock panelapp")
        self.setModal(True)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        if self.creating:
            intro = (
                "This computer has no OS keyring, so the new encrypted store is protected by a "
                "passphrase. Choose one of at least 10 characters; a few unrelated words work "
                "well. Without it the store cannot be opened."
            )
        elif locked_again:
            intro = (
                "panelapp locked itself after a time without use. Enter the passphrase to carry on."
            )
        else:
            # In markup of its own, the file name escaped: a name that looks like markup
            # shows as it is spelled.
            intro = f"<p>{html.escape(f'Enter the passphrase for {path.name}.')}</p>"
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        form.addRow("&Passphrase:", self.passphrase)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Passphrase again")
        if self.creating:
            form.addRow("&Again:", self.confirm)
        layout.addLayout(form)
        self.error = QLabel()  # plain text once it says anything (see show_error)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(palette.text_style(palette.DANGER))
        self.error.setAccessibleName("Unlock problem")
        self.error.hide()
        layout.addWidget(self.error)
        # Each button added on its own: OR-ing the two standard buttons loaded Qt's whole
        # namespace of constants before the dialog's first paint.
        buttons = QDialogButtonBox()
        for standard in (
            QDialogButtonBox.StandardButton.Ok,
            QDialogButtonBox.StandardButton.Cancel,
        ):
            buttons.addButton(standard)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Create store" if self.creating else "Unlock"
        )
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.passphrase.setFocus()

    def show_error(self, message: str) -> None:
        # Qt's namespace is first used here, not while the dialog is drawn: loading it took a
        # tenth of the time to the dialog's first paint.
        from PySide6.QtCore import Qt

        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        self.error.setText(message)
        self.error.show()

    def try_unlock(self) -> None:
        from panelapp.store.lifecycle import create_store, open_store

        given = self.passphrase.text()
        if self.creating and given != self.confirm.text():
            self.show_error("The two passphrases differ. Type them again.")
            return
        try:
            if self.creating:
                self.store = create_store(
                    self.path,
                    passphrase_provider=lambda _p, _c: given,
                    key_source=KeySource.PASSPHRASE,
                )
            else:
                self.store = open_store(self.path, passphrase_provider=lambda _p, _c: given)
        except PanelappError as exc:
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            self.show_error(error_text(exc))
            return
        finally:
            given = ""
        self.passphrase.clear()  # nothing of the passphrase stays in the widgets
        self.confirm.clear()
        self.accept()


def open_without_dialog(path: Path) -> Store:
    """Open or create a store whose key needs no typed passphrase (the OS keyring, or
    PANELAPP_PASSPHRASE)."""
    from panelapp.store.lifecycle import create_store, open_store

    if path.exists():
        return open_store(path)
    return create_store(path)
