"""The source text PySide6 reads for every module imported after it.

PySide6 replaces ``__import__`` with a hook (its ``__feature__`` support) that asks, for each
newly imported module, whether its source names PySide6 (``shibokensupport.feature``'s
``_mod_uses_pyside``). It asks ``inspect.getsource``, which finds the file, reads it, splits it
into lines and keeps them in ``linecache``. By the time the main window is built some 590
modules have been imported after PySide6 (SQLAlchemy, the services, python-docx...): about
70 ms of the start spent on that question, and 9.6 MB of source text kept as 24 MiB of Python
strings for the whole session after being looked at once.

``answer_source_question_quickly`` asks the same question of the file's bytes, which keeps
nothing; ``forget_module_sources`` drops what was kept before it was in place (``linecache``
reads a file again when a traceback needs it).
"""

from __future__ import annotations

import linecache
import sys
import threading
from collections.abc import Callable
from types import ModuleType

#: The module of PySide6's import hook, and the question it asks of each module.
HOOK_MODULE = "shibokensupport.feature"
HOOK_QUESTION = "_mod_uses_pyside"


def answer_source_question_quickly() -> bool:
    """Let PySide6's import hook read a module's file as bytes instead of through ``inspect``
    (same answer: does the source name PySide6). Modules without a ``.py`` file, or whose file
    cannot be read, get PySide6's own answer. True if it is in place (a PySide6 without this
    hook is left as it is)."""
    import PySide6  # noqa: F401 (installs the hook)

    hook = sys.modules.get(HOOK_MODULE)
    asks = getattr(hook, HOOK_QUESTION, None)
    if not callable(asks):
        return False
    if getattr(asks, "reads_bytes", False):
        return True
    setattr(hook, HOOK_QUESTION, _reading_bytes(asks))
    return True


def _reading_bytes(asks: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def names_pyside(module: ModuleType) -> bool:
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None)
        if not (getattr(spec, "has_location", False) and isinstance(origin, str)):
            return asks(module)
        if not origin.endswith(".py"):
            return asks(module)
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return asks(module)

    names_pyside.reads_bytes = True  # type: ignore[attr-defined]
    return names_pyside


def forget_module_sources() -> threading.Thread:
    """Drop, in the background, the source text kept by the imports so far (tracebacks read
    it again if needed). Returns the thread doing it.

    Freeing it all at once takes about 30 ms (millions of strings), which would hold up the
    window; so the entries are dropped one file at a time on a thread of its own, which lets
    the GUI thread run between them."""

    def forget() -> None:
        for name in list(linecache.cache):
            linecache.cache.pop(name, None)

    thread = threading.Thread(target=forget, name="panelapp-forget-sources", daemon=True)
    thread.start()
    return thread
