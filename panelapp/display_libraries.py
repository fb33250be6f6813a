"""Whether Qt can open its X11 window here, asked before Qt is loaded.

On Linux, Qt's X11 platform plugin needs a set of X11 client libraries that a minimal system
(a server image, a fresh container with a bare window manager) does not have. Without them Qt
does not raise an error that panelapp could catch: it prints a plugin message, says
"Reinstalling the application may fix this problem" (it would not) and aborts the process. So
the command line asks first, without loading Qt, and names the Debian packages to install.

The question is cheap when the answer is yes (the linker's cache lists every library: no
library is loaded) and exact when it is no: the plugin itself is then loaded the way Qt would
load it, and only "cannot open shared object file" counts as missing, so a system whose
libraries live somewhere the cache does not list is never refused.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

#: The libraries Qt's X11 plugin loads (PySide6 6.x on Linux) that are not part of every
#: Linux system, with the Debian and Ubuntu package that provides each.
X11_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

LINKER_CACHE = Path("/etc/ld.so.cache")
NOT_FOUND = "cannot open shared object file"


def uses_x11() -> bool:
    """True where Qt will open its window through X11: a Linux or BSD machine with an X
    display, unless Qt was told another platform or the session is a Wayland one (Qt then
    uses Wayland and needs none of these libraries)."""
    if sys.platform.startswith(("win", "darwin")) or not os.environ.get("DISPLAY"):
        return False
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].strip()
    if platform:
        return platform == "xcb"
    wayland = os.environ.get("XDG_SESSION_TYPE") == "wayland" and os.environ.get("WAYLAND_DISPLAY")
    return not wayland


def x11_plugin() -> Path | None:
    """Qt's X11 platform plugin inside the installed PySide6 (found without importing it)."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(
    *,
    plugin: Path | None = None,
    libraries: dict[str, str] | None = None,
    cache: Path | None = None,
) -> list[str]:
    """The libraries Qt's X11 plugin needs and this system lacks, by file name ([] when the
    window can open, or when it cannot be told without Qt: Qt then speaks for itself)."""
    libraries = X11_LIBRARIES if libraries is None else libraries
    plugin = plugin or x11_plugin()
    if plugin is None:
        return []
    try:
        listed = (cache or LINKER_CACHE).read_bytes()
    except OSError:
        listed = b""
    if libraries and all(name.encode() + b"\0" in listed for name in libraries):
        return []  # the usual answer, and no library loaded to give it
    missing = _cannot_open(str(plugin))
    if missing is None:
        return []
    found = [name for name in libraries if _cannot_open(name) is not None]
    if missing not in (str(plugin), plugin.name) and missing not in found:
        found.insert(0, missing)
    return found


def packages_for(libraries: list[str]) -> list[str]:
    """The Debian and Ubuntu packages that provide ``libraries`` (a library this module does
    not know is named as it is)."""
    packages: list[str] = []
    for name in libraries:
        package = X11_LIBRARIES.get(name, name)
        if package not in packages:
            packages.append(package)
    return packages


def why_no_x11_window() -> str | None:
    """What to tell a person whose system cannot open Qt's X11 window, naming what to
    install; None where it can, or where Qt will not use X11."""
    missing = missing_libraries() if uses_x11() else []
    if not missing:
        return None
    return (
        f"Qt's X11 window needs libraries this system does not have ({', '.join(missing)}). "
        "On Debian or Ubuntu install them with: "
        f"sudo apt-get install {' '.join(packages_for(missing))}"
    )


def _cannot_open(name: str) -> str | None:
    """The library that could not be found when loading ``name``: ``name`` itself, or one
    it needs; None if it loads, or fails for any other reason (Qt then says why)."""
    import ctypes

    try:
        ctypes.CDLL(name)
    except OSError as exc:
        text = str(exc)
        if NOT_FOUND not in text:
            return None
        return text.split(":", 1)[0].strip() or name
    return None
