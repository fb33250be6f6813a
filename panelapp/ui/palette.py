"""The window's colours and style sheets, in one place, named for what they mean.

Each text colour keeps at least 4.5:1 contrast on white and on its own tint (WCAG AA), so a
warning read on a projector in a bright room is still legible. Screens use these names, never
a colour code or a style sheet of their own (a test reads panelapp/ui for any).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QBrush, QColor

#: overdue, late, refused, not quorate, a date that is not a date
DANGER = "#b00020"
#: due soon, deferred, a caution to read before going on
CAUTION = "#7a4b00"
#: on time, decided, quorate, done
GOOD = "#1b5e20"
#: the text of an error message on its tint
ERROR_TEXT = "#8a1c12"
#: the words a search matched, inside a snippet
MATCH_HIGHLIGHT = "#fff2a8"
#: row backgrounds in the deadlines view (the row's text stays the default black)
ROW_OVERDUE = "#f4c7c3"
ROW_AT_RISK = "#fce8b2"
ROW_UNKNOWN = "#e0e0e0"


@dataclass(frozen=True)
class Tone:
    """A message box's colours: tint, text, a light border and a strong one."""

    background: str
    text: str
    border: str
    strong_border: str

    def box(self, *, strong: bool = False, padding: int = 6, bold: bool = False) -> str:
        """A style sheet for a label shown as a message box in this tone."""
        width, border = (2, self.strong_border) if strong else (1, self.border)
        return (
            f"background:{self.background}; color:{self.text}; "
            f"border:{width}px solid {border}; padding:{padding}px;"
        ) + (" font-weight: 600;" if bold else "")


ERROR = Tone(background="#fdecea", text=ERROR_TEXT, border="#f5c2bd", strong_border="#c62828")
WARNING = Tone(background="#fff4e5", text=CAUTION, border="#f3d19c", strong_border="#ef8f00")
OK = Tone(background="#e8f5e9", text=GOOD, border="#b9dfbb", strong_border="#2e7d32")
#: what was recorded for an item, shown back under the form
RECORDED = Tone(background="#f1f8f1", text=GOOD, border="#cfe5cf", strong_border="#2e7d32")

TONES = {"error": ERROR, "warning": WARNING, "ok": OK}


def brush(colour: str) -> QBrush:
    """For a list or table entry's text (``setForeground``)."""
    return QBrush(QColor(colour))


def invisible() -> QBrush:
    """For a list entry whose text a label drawn over it shows instead."""
    from PySide6.QtCore import Qt  # (not loaded before the first window: see unlock.py)

    return QBrush(Qt.GlobalColor.transparent)


def text_style(colour: str) -> str:
    """A style sheet that only colours a label's text."""
    return f"color: {colour};"


def invalid_input_style() -> str:
    """The border of a field whose text cannot be used."""
    return f"border:2px solid {DANGER};"


#: a box waiting for its verdict (the colour of the system's own muted text)
PENDING_BOX = "color: palette(mid); padding: 10px; border: 1px dashed palette(mid);"
#: what was recorded for an item, under the form
RECORDED_BOX = (
    f"background:{RECORDED.background}; border:1px solid {RECORDED.border}; "
    "padding:8px; font-size:11pt;"
)
#: the heading of a window (the minutes window's meeting)
HEADING = "font-size: 13pt; font-weight: 600;"
#: the title of the item being heard
ITEM_TITLE = "font-size: 15pt; font-weight: 600;"


def timer_style(colour: str | None = None) -> str:
    """The time spent on an item, in ``colour`` once there is time to measure."""
    return "font-size: 13pt; font-family: monospace;" + (f" color: {colour};" if colour else "")


#: the bars of a chart, one colour a series in this order (Okabe and Ito's palette, told apart
#: by people with the common colour-vision deficiencies, then four of Paul Tol's); the
#: thirteenth series starts again
CHART_SERIES = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#882255",
    "#44aa99",
    "#999933",
    "#332288",
)


def chart_colour(index: int) -> QColor:
    """The colour of a chart's ``index``-th series."""
    return QColor(CHART_SERIES[index % len(CHART_SERIES)])
