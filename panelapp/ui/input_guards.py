"""Guards against input that changes the record without anyone meaning it to.

Scrolling a page with the pointer over a combo box, a spin box or a date field would otherwise
change its value (an outcome, an attendance, an amount) as it passes under the pointer. Here
such a field only takes the wheel while it has keyboard focus; otherwise the wheel scrolls the
page it sits in. Multi-line text fields hand Tab and Shift+Tab to the next and previous field
instead of typing a tab character into text that goes into the minutes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_VALUE_WIDGETS = (QComboBox, QAbstractSpinBox)


def _is_value_widget(obj: QObject) -> bool:
    return isinstance(obj, _VALUE_WIDGETS)


class InputGuard(QObject):
    """An application-wide event filter: see the module's docstring."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if _is_value_widget(watched):
                guard_widget(watched)
                if not watched.hasFocus():
                    event.ignore()  # Qt passes an ignored wheel on to the page around it
                    return True
        elif kind == QEvent.Type.Polish and isinstance(watched, QWidget):
            guard_widget(watched)
        return False


def guard_widget(widget: QWidget) -> None:
    """Take focus only by click or Tab (never by the wheel); Tab leaves multi-line fields."""
    if _is_value_widget(widget):
        if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)) and not widget.isReadOnly():
        widget.setTabChangesFocus(True)


_installed: InputGuard | None = None


def install_input_guard() -> InputGuard:
    """Install the guard once for the application and apply it to the widgets already made."""
    global _installed
    app = QApplication.instance()
    if _installed is None:
        _installed = InputGuard(app)
        if app is not None:  # widgets exist only inside an application
            app.installEventFilter(_installed)
    for widget in QApplication.allWidgets():
        guard_widget(widget)
    return _installed
