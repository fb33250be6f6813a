"""The passwords of the members' encrypted packs, shown once after they are written: for
reading out, copying or saving to a file of their own, to send apart from the packs."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class PackPasswordsDialog(QDialog):
    def __init__(self, results, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Passwords for the members' packs")
        self.results = list(results)
        layout = QVBoxLayout(self)
        note = QLabel(
            "Each pack is one PDF, encrypted with AES-256, that opens only with its member's "
            "password. Send each member their pack, and their password separately (by phone, "
            "text or in person, never in the same email). The passwords are shown only now: "
            "panelapp does not keep them."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(len(self.results), 2)
        self.table.setAccessibleName("Pack passwords")
        self.table.setHorizontalHeaderLabels(["Member", "Password"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, pack in enumerate(self.results):
            self.table.setItem(row, 0, QTableWidgetItem(pack.member_name))
            self.table.setItem(row, 1, QTableWidgetItem(pack.password))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("&Copy all")
        copy.clicked.connect(self.copy_all)
        save = QPushButton("&Save to a file...")
        save.clicked.connect(self.choose_file)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def text(self) -> str:
        return "".join(f"{p.member_name}\t{p.path.name}\t{p.password}\n" for p in self.results)

    def copy_all(self) -> None:
        QApplication.clipboard().setText(self.text())

    def choose_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the passwords", str(Path.home() / "pack passwords.txt")
        )
        if name:
            self.save(Path(name))

    def save(self, target: Path) -> None:
        """A new file only its owner can read."""
        if target.exists():
            target.unlink()
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.text())
