"""Search across cases, papers, decisions and deferrals, inside the encrypted store."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.services.paper_text import pending_count
from panelapp.services.search import DEFAULT_LIMIT, SearchHit, search
from panelapp.ui import palette
from panelapp.ui.context import AppContext
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text

_KIND = {"case": "Case", "paper": "Paper", "decision": "Decision", "deferral": "Deferral"}
_MARKED = re.compile(r"\[([^\[\]]+)\]")
#: A masked full name whose two words both matched: "[NP] [NP]" is one child, said once.
_REPEATED = re.compile(r"\[([^\[\]]+)\](?:\s+\[\1\])+")


def snippet_parts(snippet: str) -> tuple[str, str]:
    """The search index marks matches as [word]: (plain text, HTML with the matches
    highlighted), never the brackets themselves, and a masked name only once."""
    once = _REPEATED.sub(r"[\1]", snippet)
    plain = _MARKED.sub(r"\1", once)
    pieces, at = [], 0
    for match in _MARKED.finditer(once):
        pieces.append(html.escape(once[at : match.start()]))
        pieces.append(
            f"<b style='background:{palette.MATCH_HIGHLIGHT}'>{html.escape(match.group(1))}</b>"
        )
        at = match.end()
    pieces.append(html.escape(once[at:]))
    return plain, "".join(pieces)


class SearchDialog(QDialog):
    """Non-modal: the chair can keep it open beside the meeting."""

    open_item = Signal(int, int)  # meeting id, item position

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hits: list[SearchHit] = []
        self.setWindowTitle("Search cases, papers and decisions")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.words = QLineEdit()
        self.words.setAccessibleName("Words to search for")
        self.words.setPlaceholderText("e.g. speech therapy, or assess* for words starting 'assess'")
        self.words.returnPressed.connect(self.run_search)
        row.addWidget(self.words, 1)
        go = QPushButton("&Search")
        go.clicked.connect(self.run_search)
        row.addWidget(go)
        layout.addLayout(row)
        self.banner = Banner("Search message")
        layout.addWidget(self.banner)
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._activated)
        self.results.itemDoubleClicked.connect(self._activated)
        layout.addWidget(self.results, 1)
        layout.addWidget(QLabel("Double-click a result to open its meeting at that item."))

    def run_search(self) -> None:
        self.results.clear()
        self.banner.clear_message()
        try:
            self.hits = self.ctx.read(search, self.words.text(), naming=self.ctx.naming)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        waiting = self.ctx.read(pending_count)
        if waiting:
            self.banner.show_message(
                "warning",
                f"{waiting} paper(s) are still having their words read, so for now they are "
                "found by their titles only. Search again in a moment.",
            )
        elif not self.hits:
            self.banner.show_message("warning", "Nothing found. Try fewer or shorter words.")
        elif len(self.hits) == DEFAULT_LIMIT:
            self.banner.show_message(
                "warning", f"Showing the {DEFAULT_LIMIT} best matches: add words to narrow them."
            )
        for n, hit in enumerate(self.hits):
            where = ""
            if hit.meeting_date is not None:
                where = f" · {format_date(hit.meeting_date)}, item {hit.item_position}"
            plain, marked = snippet_parts(hit.snippet.replace("\n", " "))
            title_plain, title_marked = snippet_parts(hit.title)
            head = f"{_KIND.get(hit.kind, hit.kind)}: {hit.child}: "
            entry = QListWidgetItem(f"{head}{title_plain}{where}\n    {plain}")
            entry.setData(Qt.ItemDataRole.UserRole, n)
            entry.setForeground(palette.invisible())  # drawn by the label below
            self.results.addItem(entry)
            label = QLabel(
                f"{html.escape(head)}<b>{title_marked}</b>{html.escape(where)}"
                f"<br>&nbsp;&nbsp;&nbsp;&nbsp;{marked}"
            )
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setContentsMargins(4, 2, 4, 2)
            self.results.setItemWidget(entry, label)
            lines = 2 + len(plain) // 90  # the snippet wraps in a window of usual width
            entry.setSizeHint(QSize(0, label.fontMetrics().lineSpacing() * lines + 10))

    def _activated(self, entry: QListWidgetItem) -> None:
        hit = self.hits[entry.data(Qt.ItemDataRole.UserRole)]
        if hit.meeting_id is not None and hit.item_position is not None:
            self.open_item.emit(hit.meeting_id, hit.item_position)
