"""The main window's outline, drawn at once while the store is opened and the real window is
built (which loads the database and every screen's code): the person sees panelapp answer in
the time any Qt window takes, in the place and size the main window will have. It uses only
the Qt classes a bare window does, plus a label: each further class costs time to load."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow

from panelapp.ui.window_size import place_main_window


class StartingWindow(QMainWindow):
    def __init__(self, store_path: Path) -> None:
        super().__init__()
        self.setWindowTitle("panelapp")
        # Centred by the label's own markup, the file name escaped so that it shows as it
        # is: setting the label's format and alignment would load Qt's whole namespace of
        # constants first, a tenth of the time this window takes.
        opening = html.escape(f"Opening {store_path.name}...")
        self.message = QLabel(f"<div align='center'>{opening}</div>")
        self.message.setAccessibleName("Opening the store")
        self.setCentralWidget(self.message)
        place_main_window(self)
