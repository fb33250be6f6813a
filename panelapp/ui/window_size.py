"""Where the main window opens: where it was last closed, or the preferred size where the screen
has room for it. Shared by the main window and the window drawn while it is being built, so the
two stand in the same place."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

#: Width and height the window opens at when the screen has room for it.
PREFERRED_SIZE = (1280, 760)
GEOMETRY_SETTING = "main/geometry"


def place_main_window(window: QWidget) -> None:
    """The saved geometry, or the first size (see ``first_size``)."""
    geometry = QSettings().value(GEOMETRY_SETTING)
    if geometry is None or not window.restoreGeometry(geometry):
        first_size(window)


def first_size(window: QWidget) -> None:
    """The preferred size where it fits; on a smaller screen (a 1366x768 laptop, with its task
    bar and the window's title) the whole screen, so nothing is cut off."""
    primary = QApplication.primaryScreen()
    screen = primary.availableGeometry() if primary else None
    if screen is None or (
        screen.width() >= PREFERRED_SIZE[0] + 40 and screen.height() >= PREFERRED_SIZE[1] + 60
    ):
        window.resize(*PREFERRED_SIZE)
    else:
        window.resize(
            min(PREFERRED_SIZE[0], screen.width()), min(PREFERRED_SIZE[1], screen.height())
        )
        from PySide6.QtCore import Qt  # (not loaded before a first window that needs none of it)

        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
