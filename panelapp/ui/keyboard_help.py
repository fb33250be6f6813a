"""Help > Keyboard: every shortcut, and the Alt+letter access keys of each screen, read from
the window itself so the list cannot fall behind the buttons."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

#: The shortcuts, what they do, in the order the README lists them.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+1 ... Ctrl+4", "the meeting's tabs: prepare, attendance, run, actions"),
    ("Alt+Down / Alt+Up", "next / previous agenda item"),
    ("Ctrl+M", "the summary of discussion of the current item"),
    ("Ctrl+O", "the outcome of the decision form"),
    ("Ctrl+Enter", "record the decision (then on to the next item, in its summary)"),
    ("Ctrl+D", "defer the item"),
    ("Tab / Shift+Tab", "next / previous field, also out of the summary and reasons"),
    ("F4", "open the calendar of a date field (dates are typed as dd/mm/yyyy)"),
    ("Ctrl+F", "search cases, papers and decisions"),
    ("Ctrl+N", "schedule a meeting"),
    ("Ctrl+L", "lock now"),
    ("F1", "this list"),
)

_SINGLE = re.compile(r"^(Ctrl|Alt|Shift|F\d)")


def listed_sequences() -> set[str]:
    """Every single key sequence the list names (ranges such as Ctrl+1 ... Ctrl+4 expanded)."""
    found: set[str] = set()
    for keys, _ in SHORTCUTS:
        if "..." in keys:
            first, last = (k.strip() for k in keys.split("..."))
            prefix = first[:-1]
            found |= {f"{prefix}{n}" for n in range(int(first[-1]), int(last[-1]) + 1)}
        else:
            found |= {k.strip() for k in keys.split("/")}
    return {k for k in found if _SINGLE.match(k)}


def window_sequences(window: QWidget) -> set[str]:
    """The shortcuts the window actually has (actions and shortcut objects)."""
    sequences = {s.key() for s in window.findChildren(QShortcut)}
    for widget in [window, *window.findChildren(QWidget)]:
        for action in QWidget.actions(widget):  # (a screen may name a child "actions")
            sequences |= set(action.shortcuts())
    names = {seq.toString(QKeySequence.SequenceFormat.PortableText) for seq in sequences}
    names.discard("")
    # Qt spells Ctrl+Enter on the main keyboard "Ctrl+Return"; the list names the key once.
    return {"Ctrl+Enter" if n == "Ctrl+Return" else n for n in names}


def access_keys(root: QWidget) -> list[tuple[str, str, str]]:
    """(screen, key, what it reaches) for every Alt+letter in buttons and field labels."""
    rows: list[tuple[str, str, str]] = []
    tabs = root.findChild(QTabWidget)
    screens: list[tuple[str, QWidget]] = []
    if tabs is not None:
        for n in range(tabs.count()):
            if (page := tabs.widget(n)) is not None:
                screens.append((tabs.tabText(n).replace("&", "").strip(), page))
    screens.append(("Whole window", root))
    seen: set[int] = set()
    for name, screen in screens:
        widgets = screen.findChildren(QAbstractButton) + screen.findChildren(QLabel)
        for widget in widgets:
            if id(widget) in seen:
                continue
            seen.add(id(widget))
            text = widget.text()
            match = re.search(r"&([^&\s])", text)
            if match is None:
                continue
            rows.append((name, f"Alt+{match.group(1).upper()}", text.replace("&", "").strip(": .")))
    return rows


class KeyboardHelp(QDialog):
    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Shortcuts</b>"))
        self.shortcuts = QTableWidget(len(SHORTCUTS), 2)
        self.shortcuts.setAccessibleName("Shortcuts")
        self._fill(self.shortcuts, ["Keys", "Does"], SHORTCUTS)
        layout.addWidget(self.shortcuts, 1)
        layout.addWidget(QLabel("<b>Access keys</b> (hold Alt and press the underlined letter)"))
        keys = access_keys(window)
        self.access = QTableWidget(len(keys), 3)
        self.access.setAccessibleName("Access keys")
        self._fill(self.access, ["Screen", "Keys", "Reaches"], keys)
        layout.addWidget(self.access, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    @staticmethod
    def _fill(table: QTableWidget, headings: list[str], rows) -> None:
        table.setHorizontalHeaderLabels(headings)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(
            len(headings) - 1, QHeaderView.ResizeMode.Stretch
        )
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(r, c, cell)
        table.resizeColumnsToContents()

    def listed_text(self) -> str:
        cells = []
        for table in (self.shortcuts, self.access):
            for r in range(table.rowCount()):
                row = (table.item(r, c) for c in range(table.columnCount()))
                cells.append(" | ".join(cell.text() if cell else "" for cell in row))
        return "\n".join(cells)
