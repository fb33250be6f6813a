"""Finding panelapp's bundled files (Word templates and the like), and a council's own templates.

Why one helper: the same code runs from a clone, from an installed wheel and from the
PyInstaller app, and each keeps data files somewhere else. The files live in this package
(``panelapp/resources/``, declared as package data in pyproject.toml), so
``importlib.resources`` finds them wherever Python finds panelapp; in a frozen app
PyInstaller unpacks them under ``sys._MEIPASS/panelapp/resources`` (the spec must list this
folder as data), which is looked at first.

A council replaces a Word template without touching the installation: a file of the same name
in ``$PANELAPP_TEMPLATE_DIR`` or in the user configuration folder's ``templates`` sub-folder
(``~/.config/panelapp/templates`` on Linux) is used instead of the bundled one.
"""

from __future__ import annotations

import importlib.resources
import logging
import os
import sys
from pathlib import Path

import platformdirs

from panelapp.domain.errors import PanelappError
from panelapp.store.paths import APP_NAME

logger = logging.getLogger(__name__)

__all__ = [
    "TEMPLATE_DIR_VARIABLE",
    "council_template_dirs",
    "read_resource",
    "read_template",
    "resource_path",
    "template_path",
]

TEMPLATE_DIR_VARIABLE = "PANELAPP_TEMPLATE_DIR"
_PACKAGE = "panelapp.resources"


def _frozen_root() -> Path | None:
    """The package's folder inside a PyInstaller bundle, or None when not frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return None
    root = Path(bundle) / "panelapp" / "resources"
    return root if root.is_dir() else None


def _check_relative(relative: str) -> tuple[str, ...]:
    parts = tuple(p for p in relative.replace("\\", "/").split("/") if p)
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"not a resource name: {relative!r}")
    return parts


def resource_path(relative: str) -> Path:
    """The path of a bundled file, e.g. ``resource_path("templates/minutes.docx")``.

    Raises PanelappError when the installation lacks the file (a damaged install).
    """
    parts = _check_relative(relative)
    frozen = _frozen_root()
    if frozen is not None:
        candidate = frozen.joinpath(*parts)
    else:
        traversable = importlib.resources.files(_PACKAGE).joinpath(*parts)
        # A zipped install has no real path; panelapp is never installed zipped.
        candidate = Path(str(traversable))
    if not candidate.is_file():
        raise PanelappError(
            f"panelapp's file {'/'.join(parts)} is missing from this installation. "
            "Reinstall panelapp."
        )
    return candidate


def read_resource(relative: str) -> bytes:
    return resource_path(relative).read_bytes()


def council_template_dirs() -> list[Path]:
    """Folders searched for a council's own templates, first match wins."""
    folders = []
    chosen = os.environ.get(TEMPLATE_DIR_VARIABLE, "").strip()
    if chosen:
        folders.append(Path(chosen).expanduser())
    folders.append(platformdirs.user_config_path(APP_NAME, appauthor=False) / "templates")
    return folders


def template_path(name: str) -> Path:
    """The Word template called ``name`` (``minutes.docx``): the council's if it has one."""
    _check_relative(name)
    if "/" in name or "\\" in name:
        raise ValueError(f"a template name has no folder: {name!r}")
    for folder in council_template_dirs():
        candidate = folder / name
        if candidate.is_file():
            logger.info("using the council's template %s from %s", name, folder)
            return candidate
    return resource_path(f"templates/{name}")


def read_template(name: str) -> bytes:
    """The bytes of template ``name``; a council template that cannot be read is an error
    the user can fix, so it is not silently replaced by the bundled one."""
    path = template_path(name)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PanelappError(
            f"The template {path} could not be read ({exc.strerror}). Check the file, or "
            f"remove it to use panelapp's own {name}."
        ) from None
