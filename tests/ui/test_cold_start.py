"""Starting the application: the first window a person sees is drawn before the heavy
libraries load, then the store opens behind the main window's outline."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from panelapp import cli
from panelapp.ui import app as app_module
from panelapp.ui.starting_window import StartingWindow

#: What the first window must not wait for (each takes longer to import than the window).
HEAVY = ("sqlalchemy", "docx", "keyring", "holidays", "cryptography", "panelapp.services")


def _first_window(store_path) -> tuple[subprocess.CompletedProcess, set[str]]:
    """``panelapp --store PATH`` in a process of its own, asked to quit once its first window
    is painted; returns the process and every module it imported (from ``-X importtime``)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PANELAPP_QUIT_AFTER_FIRST_PAINT": "1"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "panelapp", "--store", str(store_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return done, imported


@pytest.mark.parametrize("kind", ["passphrase", "keyring"])
def test_first_window_is_painted_before_the_heavy_libraries_load(kind, request, monkeypatch):
    if kind == "passphrase":
        request.getfixturevalue("passphrase_store_file")
        monkeypatch.delenv("PANELAPP_PASSPHRASE")  # so the unlock dialog is what opens
        path = request.getfixturevalue("store_path")
    else:
        path = request.getfixturevalue("store").path
    done, imported = _first_window(path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "first window painted" in done.stdout
    assert "panelapp.ui.app" in imported and "PySide6.QtWidgets" in imported
    loaded = sorted(m for m in imported if m.startswith(HEAVY))
    assert loaded == [], f"imported before the first window was painted: {loaded[:10]}"


def test_the_outline_stands_while_the_store_opens_then_the_main_window_replaces_it(
    qapp, store, monkeypatch
):
    path = store.path
    store.close()
    seen = {}
    opened = app_module.open_without_dialog

    def opening(p):
        seen["collecting while starting"] = gc.isenabled()
        seen["outlines"] = [
            w for w in qapp.topLevelWidgets() if isinstance(w, StartingWindow) and w.isVisible()
        ]
        return opened(p)

    built = app_module.build_window

    def building(*args, **kwargs):
        seen["window"] = built(*args, **kwargs)
        return seen["window"]

    shown = app_module._close_after_show_if_asked

    def once_shown(window):
        seen["collecting once shown"] = gc.isenabled()
        seen["frozen once shown"] = gc.get_freeze_count()
        shown(window)

    monkeypatch.setattr(app_module, "open_without_dialog", opening)
    monkeypatch.setattr(app_module, "build_window", building)
    monkeypatch.setattr(app_module, "_close_after_show_if_asked", once_shown)
    monkeypatch.setenv(app_module.QUIT_AFTER_SHOW_VARIABLE, "0")
    assert app_module.run(path, actor="Officer") == 0
    # The garbage collector waits while start-up makes its long-lived objects, then runs
    # again with them set aside (the window's later work is not slowed by walking them).
    assert seen["collecting while starting"] is False
    assert seen["collecting once shown"] is True and seen["frozen once shown"] > 100_000
    assert gc.isenabled()
    (outline,) = seen["outlines"]  # on screen, and painted, before the store was opened
    assert "Opening panel.store" in outline.message.text()
    assert not outline.isVisible()  # replaced by the main window
    assert seen["window"].size() == outline.size()  # in the same place and size


def test_only_global_options_open_the_window_without_loading_the_commands():
    args = cli._app_launch(["--store", "x.store", "--as", "Jo", "--demo", "-v"])
    assert (args.store, args.actor, args.demo, args.verbose) == ("x.store", "Jo", True, True)
    for argv in (["meetings"], ["--store", "x", "check"], ["--help"], ["--version"], ["--store"]):
        assert cli._app_launch(argv) is None  # the full parser decides (and explains)


def test_the_main_window_does_not_keep_the_source_of_the_modules_it_imported(qapp, qtbot, store):
    """PySide6's import hook reads every module imported after it into ``linecache`` (24 MiB
    of text for the main window's imports); once the window is built, none of it is kept."""
    import linecache

    import sqlalchemy.orm

    linecache.getlines(sqlalchemy.orm.__file__)  # as the hook does for each module it sees
    assert sqlalchemy.orm.__file__ in linecache.cache
    window = app_module.build_window(store, store.path, demo=False, actor="Officer")
    try:
        qtbot.waitUntil(
            lambda: not [n for n in linecache.cache if "sqlalchemy" in n or "panelapp" in n],
            timeout=2000,
        )
    finally:
        window.close()


def test_the_first_windows_show_names_and_messages_as_they_are(qapp, tmp_path):
    """The store's name in the outline and in the unlock dialog, and the dialog's messages,
    are shown as typed, markup and all (they are drawn without Qt's namespace of constants,
    so they are escaped or set to plain text where they are filled in)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import Qt as GuiQt  # where PySide6 puts Qt::mightBeRichText
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QLabel

    from panelapp.ui.unlock import UnlockDialog

    def seen(label) -> str:
        if label.textFormat() == Qt.TextFormat.PlainText or not GuiQt.mightBeRichText(label.text()):
            return label.text()
        document = QTextDocument()  # markup of the label's own, the name escaped in it
        document.setHtml(label.text())
        return document.toPlainText()

    named = tmp_path / "<b>Ann<b> & co.store"
    outline = StartingWindow(named)
    assert seen(outline.message) == "Opening <b>Ann<b> & co.store..."
    outline.close()

    named.write_bytes(b"")  # an existing store: its dialog names it
    asking = UnlockDialog(named)
    shown = [seen(label) for label in asking.findChildren(QLabel)]
    assert "Enter the passphrase for <b>Ann<b> & co.store." in shown
    asking.close()

    dialog = UnlockDialog(tmp_path / "new.store")
    dialog.show_error("The passphrase <i>was</i> typed & refused.")
    assert dialog.error.textFormat() == Qt.TextFormat.PlainText
    assert dialog.error.text() == "The passphrase <i>was</i> typed & refused."
    dialog.close()


QUESTION_PROBE = """
import json, linecache, sys
sys.path.insert(0, sys.argv[1])
from panelapp.ui.module_sources import HOOK_MODULE, answer_source_question_quickly
placed = answer_source_question_quickly()
linecache.clearcache()
import names_qt, plain_module, sqlalchemy.sql.compiler
hook = sys.modules[HOOK_MODULE]
print(json.dumps({
    "placed": placed,
    "again": answer_source_question_quickly(),
    "answers": {n: hook.pyside_feature_dict.get(n) for n in
                ("names_qt", "plain_module", "sqlalchemy.sql.compiler")},
    "kept": [n for n in linecache.cache if n.endswith(".py") and ("sqlalchemy" in n or n.startswith(sys.argv[1]))],
}))
"""


def test_the_import_hook_reads_modules_as_bytes_with_the_same_answer_and_keeps_nothing(tmp_path):
    """PySide6's import hook asks of every module imported after it whether its source names
    PySide6, through ``inspect`` (about a tenth of the start, and the text kept). Asked of the
    file's bytes instead, a module that imports Qt is still marked as using it (0), others are
    ignored (-1), and no module's text stays in memory."""
    import json

    (tmp_path / "names_qt.py").write_text("from PySide6.QtCore import QObject\n")
    (tmp_path / "plain_module.py").write_text("VALUE = 1\n")
    done = subprocess.run(
        [sys.executable, "-c", QUESTION_PROBE, str(tmp_path)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["placed"] and seen["again"]
    assert seen["answers"] == {"names_qt": 0, "plain_module": -1, "sqlalchemy.sql.compiler": -1}
    assert seen["kept"] == []
