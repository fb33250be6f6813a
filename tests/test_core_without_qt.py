"""Everything but the desktop window works on a machine without Qt: the store, the services and
the ``panelapp`` command (a server, a CI runner, a locked-down laptop without PySide6)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import panelapp

PACKAGE = Path(panelapp.__file__).resolve().parent
REPO = PACKAGE.parent
QT_MODULES = ("PySide6", "shiboken6")

#: Modules that are not imported as such: ``python -m panelapp`` runs the command on import,
#: and Alembic executes its environment script itself, inside a migration.
NOT_IMPORTABLE = {"panelapp.__main__", "panelapp.store.migrations.env"}

CHILD = r"""
import importlib, importlib.abc, json, pkgutil, sys

QT = ("PySide6", "shiboken6")

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in QT:
            raise ImportError(f"{name} is not installed on this machine")
        return None

sys.meta_path.insert(0, NoQt())
for name in [m for m in sys.modules if m.split(".")[0] in QT]:
    del sys.modules[name]

import panelapp

skip = set(json.loads(sys.argv[2]))
imported = ["panelapp"]

def walk(path, prefix):
    for info in pkgutil.iter_modules(path, prefix):
        if info.name == "panelapp.ui" or info.name in skip:
            continue
        module = importlib.import_module(info.name)
        imported.append(info.name)
        if info.ispkg:
            walk(module.__path__, info.name + ".")

walk(panelapp.__path__, "panelapp.")

from panelapp.cli import main

store = sys.argv[1]
codes = [main(["--store", store, "demo"]), main(["--store", store, "check"])]
qt_loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT and sys.modules[m] is not None)
print("RESULT " + json.dumps({"imported": imported, "codes": codes, "qt": qt_loaded}))
"""


def _core_modules() -> set[str]:
    """Every module of panelapp outside panelapp/ui, from the files on disk."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent)
        if rel.parts[1] == "ui" or "__pycache__" in rel.parts:
            continue
        if not all(
            (PACKAGE.parent / Path(*rel.parts[:i]) / "__init__.py").exists()
            for i in range(1, len(rel.parts))
        ):
            continue  # e.g. migrations/versions: scripts Alembic loads by path
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.add(".".join(parts))
    return names - NOT_IMPORTABLE


def test_every_module_but_the_ui_imports_and_the_commands_run_without_qt(tmp_path, user_folders):
    env = dict(os.environ)
    env["PANELAPP_PASSPHRASE"] = "no qt here, only a passphrase"
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # a machine with no keyring
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    store = tmp_path / "panel.store"

    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), json.dumps(sorted(NOT_IMPORTABLE))],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.split("RESULT ", 1)[1])
    missing = _core_modules() - set(result["imported"])
    assert missing == set(), f"not imported (so not checked): {sorted(missing)}"
    assert result["codes"] == [0, 0], done.stdout[-3000:] + done.stderr[-3000:]
    assert result["qt"] == []
    assert "The store is intact." in done.stdout


def _qt_imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in QT_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in QT_MODULES:
                found.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.split(".")[0] in QT_MODULES
        ):
            found.append(node.args[0].value)
    return found


def test_no_file_outside_panelapp_ui_imports_qt():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "ui":
            continue
        found = _qt_imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        if found:
            offenders[str(rel)] = found
    assert offenders == {}, "Qt belongs in panelapp/ui only"


def test_the_qt_import_check_recognises_every_form_of_import():
    source = (
        "import PySide6\n"
        "from PySide6.QtWidgets import QWidget\n"
        "import shiboken6 as s\n"
        "importlib.import_module('PySide6.QtCore')\n"
        "import PySide6_helpers_not_qt\n"
        "from .PySide6 import x\n"
    )

    assert _qt_imports(ast.parse(source)) == [
        "PySide6",
        "PySide6.QtWidgets",
        "shiboken6",
        "PySide6.QtCore",
    ]
