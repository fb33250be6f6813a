"""On a Linux machine whose X11 client libraries are missing (a minimal Debian with a bare
window manager), ``panelapp`` says which packages to install and shows the store as text,
instead of Qt aborting the process with "Reinstalling the application may fix this problem"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from panelapp import display_libraries
from panelapp.display_libraries import X11_LIBRARIES, missing_libraries, packages_for

pytestmark = pytest.mark.skipif(
    display_libraries.x11_plugin() is None, reason="PySide6's X11 plugin is not installed"
)


@pytest.fixture
def plugin_without_qt(tmp_path) -> Path:
    """Qt's real X11 plugin, copied where the Qt libraries it needs cannot be found: loading it
    fails on a missing library, as it does on a system without libxcb-cursor0."""
    folder = tmp_path / "plugins" / "platforms"
    folder.mkdir(parents=True)
    real = display_libraries.x11_plugin()
    assert real is not None
    return Path(shutil.copy(real, folder / real.name))


def test_a_system_whose_linker_lists_every_library_is_let_through(tmp_path):
    cache = tmp_path / "ld.so.cache"
    cache.write_bytes(b"glibc-ld.so.cache1.1\0" + b"\0".join(n.encode() for n in X11_LIBRARIES))
    missing = tmp_path / "nowhere" / "libqxcb.so"  # would be reported if it were loaded
    assert missing_libraries(plugin=missing, cache=cache) == []


def fresh_python(code: str, **environment: str) -> dict:
    """Run ``code`` in a new interpreter (loading a library changes the process for good: a
    library loaded once is found again by name) and return the JSON it prints last."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {"result": json.loads(done.stdout.splitlines()[-1]), "stderr": done.stderr}


def test_libraries_outside_the_linkers_list_are_loaded_before_anyone_is_refused(tmp_path):
    empty_cache = tmp_path / "ld.so.cache"
    empty_cache.write_bytes(b"")
    ran = fresh_python(
        f"""
        import json
        from pathlib import Path
        from panelapp.display_libraries import missing_libraries
        print(json.dumps(missing_libraries(cache=Path({str(empty_cache)!r}))))
        """
    )
    assert ran["result"] == []  # this machine can open the window


def test_every_missing_library_is_named_with_its_package(tmp_path):
    absent = {"libpanelapp-absent.so.7": "libpanelapp-absent7", "libc.so.6": "libc6"}
    missing = missing_libraries(
        plugin=tmp_path / "libqxcb.so", libraries=absent, cache=tmp_path / "none"
    )
    assert missing == ["libpanelapp-absent.so.7"]
    assert packages_for(["libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libxcb-cursor.so.0"]) == [
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
    ]


def test_the_library_the_plugin_could_not_find_is_named_even_when_not_in_the_list(
    plugin_without_qt, tmp_path
):
    ran = fresh_python(
        f"""
        import json
        from pathlib import Path
        from panelapp.display_libraries import missing_libraries
        print(json.dumps(missing_libraries(
            plugin=Path({str(plugin_without_qt)!r}), libraries={{}}, cache=Path("/nonexistent")
        )))
        """
    )
    missing = ran["result"]
    assert len(missing) == 1
    assert missing[0].startswith("lib") and ".so" in missing[0]
    assert str(tmp_path) not in missing[0]  # a library's name, not the copied plugin's path


def test_the_demo_is_shown_as_text_with_the_packages_to_install(plugin_without_qt, tmp_path):
    """The whole command in a fresh process, on a display that does not exist: if the check
    let it through, Qt would abort that process and the test would say so."""
    home = tmp_path / "home"
    ran = fresh_python(
        f"""
        import json, sys
        from pathlib import Path
        from panelapp import display_libraries
        display_libraries.x11_plugin = lambda: Path({str(plugin_without_qt)!r})
        display_libraries.LINKER_CACHE = Path("/nonexistent")
        from panelapp.cli import main
        code = main(["--store", {str(tmp_path / "demo.store")!r}, "--demo"])
        print(json.dumps(code))
        """,
        DISPLAY=":97",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        PANELAPP_PASSPHRASE="a long enough passphrase for tests",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    assert ran["result"] == 0
    err = ran["stderr"]
    assert "the desktop application cannot start" in err
    assert "Qt's X11 window needs libraries this system does not have" in err
    assert "sudo apt-get install lib" in err
    assert "Showing the store as text instead." in err


@pytest.mark.parametrize(
    ("environment", "uses"),
    [
        ({"DISPLAY": ":0"}, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
        ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"XDG_SESSION_TYPE": "x11"}, False),
    ],
)
def test_only_an_x11_window_is_asked_about(environment, uses, monkeypatch):
    for name in ("DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert display_libraries.uses_x11() is uses
