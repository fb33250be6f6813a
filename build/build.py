"""Build panelapp into dist/panelapp/ with PyInstaller, then smoke-test what was built.

    .venv/bin/python build/build.py            # build, then run build/smoke_test.py
    .venv/bin/python build/build.py --no-smoke # build only
    .venv/bin/python build/build.py --clean    # forget PyInstaller's cache first

Run it with the Python that has panelapp's dependencies and PyInstaller installed (the
project's .venv, after ``.venv/bin/python -m pip install pyinstaller``), on the operating system
the build is for: PyInstaller does not cross-compile, so a Windows build is made on Windows.
PyInstaller's work files go to build/work/ and the application to dist/panelapp/ (both ignored
by git). Exit status: 0 built (and smoke test passed), 1 smoke test failed, 2 could not build.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "panelapp.spec"
WORK = ROOT / "build" / "work"
DIST = ROOT / "dist"
APP = DIST / "panelapp"

#: Imported by the built application: a build without them would only fail when run.
NEEDED = ("PyInstaller", "PySide6", "sqlcipher3", "sqlalchemy", "alembic", "keyring", "docx")


def package_version() -> str:
    tree = ast.parse((ROOT / "panelapp" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise SystemExit("build.py: no __version__ in panelapp/__init__.py")


def missing_modules() -> list[str]:
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def folder_size(folder: Path) -> tuple[int, int]:
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def build(clean: bool) -> float:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level",
        "WARN",
        "--workpath",
        str(WORK),
        "--distpath",
        str(DIST),
    ]
    if clean:
        command.append("--clean")
    print("$ " + " ".join(command), flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"build.py: PyInstaller failed (exit {result.returncode}); see above.")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-smoke", action="store_true", help="build only; no smoke test")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    args = parser.parse_args(argv)

    missing = missing_modules()
    if missing:
        print(
            f"build.py: this Python ({sys.executable}) lacks {', '.join(missing)}. Run it with "
            "the project's environment, e.g. 'scripts/setup-venv gui' then "
            "'.venv/bin/python -m pip install pyinstaller' and '.venv/bin/python build/build.py'.",
            file=sys.stderr,
        )
        return 2
    import PyInstaller

    version = package_version()
    print(
        f"Building panelapp {version} with PyInstaller {PyInstaller.__version__} on "
        f"{sys.platform}, Python {sys.version.split()[0]}",
        flush=True,
    )
    try:
        elapsed = build(args.clean)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    size, files = folder_size(APP)
    print(
        f"\nBuilt {APP.relative_to(ROOT)}/ in {elapsed:.0f} s: {size / 2**20:.0f} MiB in "
        f"{files} files.",
        flush=True,
    )
    if args.no_smoke:
        return 0
    smoke = [
        sys.executable,
        str(ROOT / "build" / "smoke_test.py"),
        str(APP),
        "--expect-version",
        version,
    ]
    print("$ " + " ".join(smoke), flush=True)
    # The smoke test runs only the built executables; this Python merely drives them.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return 0 if subprocess.run(smoke, env=env).returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
