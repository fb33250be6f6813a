"""An inline message strip for refusals and confirmations, so a refused decision says why
without a pop-up that interrupts the meeting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from panelapp.ui import palette


class Banner(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages carry names, shown as typed
        self.setWordWrap(True)
        self.setAccessibleName(name)
        self.kind = ""
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        self.kind = kind
        self.setStyleSheet(palette.TONES[kind].box())
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()


def ok_cancel(dialog: QDialog, ok_text: str, on_ok) -> QDialogButtonBox:
    """The OK/Cancel row of a form dialog: OK runs ``on_ok`` (which accepts when all is well)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons
