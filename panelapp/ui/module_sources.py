"""Letting go of the source text PySide6 reads for every module imported after it.

PySide6 replaces ``__import__`` with a hook (its ``__feature__`` support) that asks
``inspect.getsource`` for each newly imported module, to see whether it names PySide6; that
reads the module's whole source into ``linecache``, which keeps it. By the time the main window
is built, some 590 modules have been imported after PySide6 (SQLAlchemy, the services,
python-docx...): 9.6 MB of source text, 24 MiB as lists of Python strings, kept for the whole
session after being looked at once. ``linecache`` reads a file again when a traceback needs it.

Freeing it all at once takes about 30 ms (millions of strings), which would hold up the window;
so the entries are dropped one file at a time on a thread of its own, which lets the GUI
thread run between them.
"""

from __future__ import annotations

import linecache
import threading


def forget_module_sources() -> threading.Thread:
    """Drop, in the background, the source text kept by the imports so far (tracebacks read
    it again if needed). Returns the thread doing it."""

    def forget() -> None:
        for name in list(linecache.cache):
            linecache.cache.pop(name, None)

    thread = threading.Thread(target=forget, name="panelapp-forget-sources", daemon=True)
    thread.start()
    return thread
