"""Reading a paper inside panelapp, straight from the encrypted store: PDFs with Qt's own
PDF viewer, Word, Excel and text papers as their text, images as pictures. Nothing is written
to disk unless the person asks for a copy."""

from __future__ import annotations

import logging

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from panelapp.documents.paper_sniffer import PaperKind
from panelapp.documents.text_extraction import extract_text

logger = logging.getLogger(__name__)


class PaperViewer(QDialog):
    def __init__(self, title: str, media_type: str, data: bytes, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} (confidential)")
        self.resize(900, 760)
        layout = QVBoxLayout(self)
        kind = PaperKind.from_media_type(media_type)
        self.kind = kind
        self.view: QWidget
        if kind is PaperKind.PDF:
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(data))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document = QPdfDocument(self)
            self.document.load(self._buffer)
            view = QPdfView(self)
            view.setDocument(self.document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.view = view
        elif kind in (PaperKind.PNG, PaperKind.JPEG):
            picture = QLabel()
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            picture.setPixmap(pixmap)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            scroll = QScrollArea()
            scroll.setWidget(picture)
            scroll.setWidgetResizable(True)
            self.view = scroll
        else:
            text = QPlainTextEdit()
            text.setReadOnly(True)
            extracted = extract_text(kind, data) if kind else None
            body = extracted.text if extracted else ""
            if extracted and not extracted.complete:
                body += "\n\n[Only part of this paper could be read here.]"
            text.setPlainText(body or "This paper has no text that can be shown here.")
            self.view = text
        self.view.setAccessibleName(f"Paper: {title}")
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def page_count(self) -> int:
        return self.document.pageCount() if self.kind is PaperKind.PDF else 0
