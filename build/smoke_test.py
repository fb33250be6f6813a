"""Smoke test of the built application: run the executables in dist/panelapp/, not the source.

    python build/smoke_test.py [dist/panelapp] [--expect-version 0.1.0] [--keep]

Any Python 3.11+ can drive it (it imports nothing from panelapp): it runs only
``panelapp-cli`` and ``panelapp`` from the built folder, in a temporary folder, with the user
data, configuration and log folders pointed there (on Linux and macOS), no OS keyring
(``PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring``) and a random store passphrase in
``PANELAPP_PASSPHRASE`` that is never printed. It checks:

1. ``panelapp-cli --version`` is the package's version;
2. ``init`` creates an encrypted store (its file does not start with SQLite's plain header),
   ``demo`` builds the demonstration meeting (the Alembic migrations, shipped as files, ran),
   ``check`` finds it intact, and a wrong passphrase is refused with one line;
3. where this build has the ``minutes`` commands: the chair's signing certificate is made, the
   demo meeting's minutes are generated and signed (the Word template is bundled), ``verify``
   accepts the signed file and rejects a copy with one changed part, and ``check`` still passes;
4. the desktop application starts offscreen on the demo store, shows its main window and closes
   by itself (``PANELAPP_QUIT_AFTER_SHOW_MS``), twice: the start times are reported;
5. the passphrase appears in no output and no log.

Exit status 0 when every check passed (skips allowed), 1 otherwise. The last line is
``smoke: N passed, N failed, N skipped``.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"
EXE = ".exe" if WINDOWS else ""
DEMO_CHAIR = "Helen Whitaker"  # panelapp/services/demo.py; found from the refusal otherwise
STEP_TIMEOUT = 180  # seconds; a first start on Windows can be slow while it is virus-scanned
QUIT_AFTER_SHOW_VARIABLE = "PANELAPP_QUIT_AFTER_SHOW_MS"  # panelapp/ui/app.py


class Failed(Exception):
    pass


class Skipped(Exception):
    pass


@dataclass
class Smoke:
    app: Path
    work: Path
    passphrase: str
    env: dict[str, str]
    outputs: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def store(self) -> Path:
        return self.work / "store" / "panelapp.store"

    def redact(self, text: str) -> str:
        return text.replace(self.passphrase, "[the passphrase]")

    def run(
        self,
        exe: str,
        *args: str,
        expect: int | None = 0,
        env: dict[str, str] | None = None,
        label: str | None = None,
    ) -> subprocess.CompletedProcess:
        command = [str(self.app / f"{exe}{EXE}"), *args]
        label = label or " ".join([exe, *args])
        started = time.monotonic()
        try:
            result = subprocess.run(
                command,
                cwd=self.work,
                env={**self.env, **(env or {})},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=STEP_TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            raise Failed(f"'{label}' did not finish within {STEP_TIMEOUT} s") from exc
        self.timings[label] = time.monotonic() - started
        self.outputs += [result.stdout, result.stderr]
        if expect is not None and result.returncode != expect:
            raise Failed(
                f"'{label}' exited {result.returncode}, expected {expect}\n" + self.show(result)
            )
        if "Traceback (most recent call last)" in result.stderr:
            raise Failed(f"'{label}' printed a traceback\n" + self.show(result))
        return result

    def show(self, result: subprocess.CompletedProcess) -> str:
        lines = []
        for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
            tail = self.redact(text).strip().splitlines()[-25:]
            if tail:
                lines.append(f"  --- {name} (last lines) ---")
                lines += [f"  {line}" for line in tail]
        return "\n".join(lines)

    def check(self, title: str, step) -> bool:
        started = time.monotonic()
        try:
            note = step()
        except Skipped as exc:
            self.skipped += 1
            print(f"SKIP  {title}: {exc}", flush=True)
            return True
        except Failed as exc:
            self.failed += 1
            print(f"FAIL  {title}: {self.redact(str(exc))}", flush=True)
            return False
        self.passed += 1
        extra = f"; {note}" if note else ""
        print(f"ok    {title} ({time.monotonic() - started:.1f} s{extra})", flush=True)
        return True


def expected_version() -> str | None:
    init = ROOT / "panelapp" / "__init__.py"
    if not init.is_file():
        return None
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return None


def signing_passphrase(passphrase: str) -> str:
    return "signing " + passphrase[::-1]


def clean_environment(work: Path, passphrase: str) -> dict[str, str]:
    """The caller's environment without anything that could point the app at the source tree
    or a person's own store, and with every per-user folder inside ``work`` where the platform
    takes it from the environment (Windows takes it from the shell: logs go to the usual
    %LOCALAPPDATA%\\panelapp folder there)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PANELAPP_", "PYTHON", "QT_", "VIRTUAL_ENV"))
    }
    home = work / "home"
    for name, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        env[name] = str(home / sub)
    if sys.platform == "darwin":
        env["HOME"] = str(home)
    env["PANELAPP_PASSPHRASE"] = passphrase
    # the chair's own signing passphrase (a member's secret, not the store's), derived from the
    # store's so that the leak check below covers it too
    env["PANELAPP_SIGNING_PASSPHRASE"] = signing_passphrase(passphrase)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def log_file(env: dict[str, str]) -> Path | None:
    """panelapp's log under the redirected user folders (None on Windows: not redirected)."""
    if sys.platform == "darwin":
        return Path(env["HOME"]) / "Library" / "Logs" / "panelapp" / "panelapp.log"
    if WINDOWS:
        return None
    return Path(env["XDG_STATE_HOME"]) / "panelapp" / "log" / "panelapp.log"


def shown_count(log: Path | None) -> int:
    if log is None or not log.is_file():
        return 0
    return log.read_text(encoding="utf-8", errors="replace").count("main window shown")


def commands_of(help_text: str) -> set[str]:
    """Sub-command names from argparse's --help (indented name, then its help)."""
    section = help_text.split("positional arguments:", 1)[-1].split("options:", 1)[0]
    return set(re.findall(r"^ {4}([a-z][a-z-]*)(?:\s|$)", section, flags=re.MULTILINE))


def tampered_copy(signed: Path, target: Path) -> None:
    """A copy of a .docx with one word added to its body: its signature must no longer hold."""
    with zipfile.ZipFile(signed) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                changed = data.replace(b"</w:body>", b"<w:p><w:r><w:t>X</w:t></w:r></w:p></w:body>")
                if changed == data:
                    raise Failed("word/document.xml of the signed minutes has no </w:body>")
                data = changed
            out.writestr(item, data)


def run_smoke(smoke: Smoke, version: str | None) -> None:
    found: dict[str, object] = {}

    def step_version():
        out = smoke.run("panelapp-cli", "--version", label="panelapp-cli --version").stdout
        if version and out.strip() != f"panelapp {version}":
            raise Failed(f"printed {out.strip()!r}, expected 'panelapp {version}'")
        return out.strip()

    def step_help():
        found["commands"] = commands_of(smoke.run("panelapp-cli", "--help").stdout)
        missing = {"init", "demo", "check", "meetings"} - found["commands"]
        if missing:
            raise Failed(f"--help does not list {', '.join(sorted(missing))}")
        return f"{len(found['commands'])} commands"

    store = str(smoke.store)

    def step_init():
        smoke.store.parent.mkdir(parents=True)
        out = smoke.run("panelapp-cli", "--store", store, "init", label="init").stdout
        if "Created an encrypted store" not in out:
            raise Failed(f"unexpected output: {smoke.redact(out)[:300]}")
        key = smoke.store.with_name(smoke.store.name + ".key")
        if not smoke.store.is_file() or not key.is_file():
            raise Failed("the store or its key file was not written")
        if smoke.store.read_bytes()[:16] == b"SQLite format 3\x00":
            raise Failed("the store file has SQLite's plain header: it is not encrypted")
        return "encrypted, key wrapped with the passphrase"

    def step_demo():
        out = smoke.run("panelapp-cli", "--store", store, "demo", label="demo").stdout
        if "demonstration" not in out.lower():
            raise Failed("demo did not report the demonstration meeting")
        listing = smoke.run("panelapp-cli", "--store", store, "meetings", label="meetings").stdout
        ids = re.findall(r"^\s*(\d+)\s.*\((\d+) items", listing, flags=re.MULTILINE)
        if not ids:
            raise Failed(f"'meetings' listed no meeting:\n{listing}")
        found["meeting"] = next((m for m, n in ids if n == "12"), ids[-1][0])
        return f"demo meeting {found['meeting']}"

    def step_check():
        out = smoke.run("panelapp-cli", "--store", store, "check", label="check").stdout
        if "The store is intact." not in out:
            raise Failed(f"check did not say the store is intact:\n{out}")

    def step_wrong_passphrase():
        wrong = {"PANELAPP_PASSPHRASE": "not-" + smoke.passphrase}
        result = smoke.run(
            "panelapp-cli", "--store", store, "check", expect=2, env=wrong,
            label="check with a wrong passphrase",
        )  # fmt: skip
        if not result.stderr.strip().startswith("panelapp:"):
            raise Failed("the refusal was not one 'panelapp: ...' line\n" + smoke.show(result))

    def step_minutes():
        commands = found.get("commands", set())
        if "minutes" not in commands:
            raise Skipped("this build has no 'minutes' command yet")
        if "signing" not in commands:
            raise Skipped("this build has 'minutes' but no 'signing' command")
        meeting = str(found["meeting"])
        out_dir = smoke.work / "out"
        out_dir.mkdir()
        base = ("panelapp-cli", "--store", store)
        smoke.run(*base, "minutes", "generate", meeting, "--out", str(out_dir) + os.sep,
                  label="minutes generate")  # fmt: skip
        drafts = list(out_dir.glob("*.docx"))
        if not drafts:
            raise Failed("minutes generate --out wrote no .docx")
        chair = DEMO_CHAIR
        signed = out_dir / "signed-minutes.docx"
        for _attempt in range(2):
            smoke.run(*base, "signing", "create", chair, label="signing create")
            result = smoke.run(*base, "minutes", "sign", meeting, "--signer", chair,
                               "--out", str(signed), expect=None, label="minutes sign")  # fmt: skip
            if result.returncode == 0:
                break
            refusal = re.search(r"signed by (.+?) \(", result.stderr)
            if "Close the meeting" in result.stderr:
                raise Skipped(
                    "the demonstration meeting is not closed, so its minutes cannot be "
                    "signed; generated the draft only"
                )
            if not refusal or refusal.group(1) == chair:
                raise Failed("minutes sign failed\n" + smoke.show(result))
            chair = refusal.group(1)
        else:
            raise Failed("minutes sign failed twice\n" + smoke.show(result))
        if not signed.is_file():
            raise Failed("minutes sign --out wrote no file")
        note = f"draft {drafts[0].name}, signed by {chair}"
        if "verify" not in commands:
            return note + "; no 'verify' command yet"
        # with the store, whose registered certificate makes the chair's signature trusted
        verified = smoke.run(*base, "verify", str(signed), label="verify signed").stdout
        tampered = out_dir / "tampered-minutes.docx"
        tampered_copy(signed, tampered)
        smoke.run(*base, "verify", str(tampered), expect=1, label="verify tampered")
        smoke.run(*base, "check", label="check after minutes")
        first = verified.strip().splitlines()[0] if verified.strip() else ""
        return f"{note}; verify: {first[:80]}"

    def gui_start(label: str):
        def step():
            log = log_file(smoke.env)
            before = shown_count(log)
            try:
                result = smoke.run(
                    "panelapp", "--store", store, "--demo", label=label,
                    env={QUIT_AFTER_SHOW_VARIABLE: "0"},
                )  # fmt: skip
            except Failed as exc:
                if "did not finish" in str(exc):
                    raise Failed(
                        f"{exc}: the window did not close by itself (does panelapp/ui/app.py "
                        f"read {QUIT_AFTER_SHOW_VARIABLE}?)"
                    ) from None
                raise
            for bad in ("Could not load the Qt platform plugin", "Fatal", "Segmentation"):
                if bad in result.stderr:
                    raise Failed("Qt reported a problem\n" + smoke.show(result))
            if log is not None and shown_count(log) <= before:
                raise Failed("the log does not say the main window was shown")
            notes = [
                line for line in result.stderr.splitlines()
                if line.strip() and "propagateSizeHints" not in line
            ]  # fmt: skip
            for line in notes[:5]:
                print(f"      (stderr: {smoke.redact(line)[:160]})")
            return f"start to window shown and closed: {smoke.timings[label]:.2f} s"

        return step

    def step_no_leak():
        secrets_used = (smoke.passphrase, signing_passphrase(smoke.passphrase))
        for text in smoke.outputs:
            if any(secret in text for secret in secrets_used):
                raise Failed("a passphrase was printed by one of the commands")
        home = smoke.work / "home"  # the redirected data, configuration, log and cache folders
        files = [p for p in home.rglob("*") if p.is_file()] if home.is_dir() else []
        log = log_file(smoke.env)
        if log is not None and log not in files:
            raise Failed(f"no log was written at {log}")
        for path in files:
            data = path.read_bytes()
            if any(secret.encode() in data for secret in secrets_used):
                raise Failed(f"a passphrase is written in {path.relative_to(smoke.work)}")
        return f"{len(smoke.outputs) // 2} runs' output and {len(files)} files checked"

    smoke.check("the CLI starts and reports its version", step_version)
    smoke.check("the CLI lists its commands", step_help)
    if not smoke.check("init creates an encrypted store", step_init):
        return
    if not smoke.check("demo builds the demonstration meeting", step_demo):
        return
    smoke.check("check finds the store intact", step_check)
    smoke.check("a wrong passphrase is refused in one line", step_wrong_passphrase)
    smoke.check("minutes are generated, signed and verified", step_minutes)
    smoke.check("the desktop app starts offscreen and closes (first start)", gui_start("gui 1"))
    smoke.check("the desktop app starts offscreen and closes (second start)", gui_start("gui 2"))
    smoke.check("the passphrase is in no output and no log", step_no_leak)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "app", nargs="?", default=str(ROOT / "dist" / "panelapp"), help="the built folder"
    )
    parser.add_argument("--expect-version", help="default: panelapp/__init__.py beside this")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    app = Path(args.app).resolve()
    for exe in ("panelapp", "panelapp-cli"):
        if not (app / f"{exe}{EXE}").is_file():
            print(f"smoke_test: {app / (exe + EXE)} is missing: build first (build/build.py).")
            return 1
    version = args.expect_version or expected_version()
    work = Path(tempfile.mkdtemp(prefix="panelapp-smoke-"))
    passphrase = secrets.token_urlsafe(24)
    smoke = Smoke(app, work, passphrase, clean_environment(work, passphrase))
    print(f"Smoke test of {app} (expecting version {version or 'any'}) in {work}", flush=True)
    started = time.monotonic()
    try:
        run_smoke(smoke, version)
    finally:
        if args.keep or smoke.failed:
            print(f"Kept {work} for a look (a demonstration store: no real data).")
        else:
            shutil.rmtree(work, ignore_errors=True)
    times = ", ".join(
        f"{k} {smoke.timings[k]:.2f} s"
        for k in ("panelapp-cli --version", "init", "demo", "gui 1", "gui 2")
        if k in smoke.timings
    )
    print(f"Timings: {times}; whole smoke test {time.monotonic() - started:.0f} s")
    print(f"smoke: {smoke.passed} passed, {smoke.failed} failed, {smoke.skipped} skipped")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
