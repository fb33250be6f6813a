"""Reading the words of papers stored with their text pending, off the GUI thread and
without a dialog: nobody waits for it (the papers are stored and found by their titles
meanwhile). Started after papers are attached and whenever the store is opened, so a reading
interrupted by closing panelapp is finished the next time."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from panelapp.services import paper_text
from panelapp.ui.context import AppContext, Background

logger = logging.getLogger(__name__)

#: the contexts whose reading is under way (one reading at a time per store)
_reading: set[int] = set()


def read_waiting_words(ctx: AppContext, parent: QWidget) -> bool:
    """Start reading the words of every paper still pending, unless none is or a reading
    is already under way; True when one was started. When it ends, it starts again if papers
    were added meanwhile."""
    if ctx.store is None or id(ctx) in _reading:
        return False
    if not ctx.read(paper_text.pending_count):
        return False
    _reading.add(id(ctx))

    def done(_result) -> None:
        _reading.discard(id(ctx))
        read_waiting_words(ctx, parent)

    def failed(exc: Exception) -> None:
        _reading.discard(id(ctx))
        logger.warning("reading the papers' words stopped (%s)", type(exc).__name__)

    ctx.run(
        paper_text.read_pending_text,
        background=Background(
            parent, "Reading the papers' words for search...", done, failed, show_progress=False
        ),
    )  # not quiet: the papers' "text being read" notes go when it ends
    return True
