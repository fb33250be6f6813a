"""The application's log: a rotating file in the platform's log folder.

Only events and counts are logged, never a child's details, a key or a passphrase; SQL logging
stays off (and the engine hides parameter values even if someone turns it on).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from panelapp.store.paths import log_dir

LOG_FILE_NAME = "panelapp.log"
HANDLER_NAME = "panelapp-file"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created readable by their owner only, from the start
    (``os.open`` with the mode), never loosened then tightened."""

    def _open(self):
        fd = os.open(
            self.baseFilename,
            os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0),
            0o600,
        )
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def configure_logging(verbose: bool = False, directory: Path | None = None) -> Path | None:
    """Log to a rotating file; returns its path, or None if the folder cannot be written."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("sqlalchemy", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    directory = directory or log_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler = PrivateRotatingFileHandler(
            directory / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name(HANDLER_NAME)
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)  # configured again (tests, repeated main()): one file handler
        old.close()
    root.addHandler(handler)
    return directory / LOG_FILE_NAME
