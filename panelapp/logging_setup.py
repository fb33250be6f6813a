"""The application's log: a rotating file in the platform's log folder.

Only events and counts are logged, never a child's details, a key or a passphrase; SQL logging
stays off (and the engine hides parameter values even if someone turns it on).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from panelapp.store.paths import log_dir

LOG_FILE_NAME = "panelapp.log"
HANDLER_NAME = "panelapp-file"


def configure_logging(verbose: bool = False, directory: Path | None = None) -> Path | None:
    """Log to a rotating file; returns its path, or None if the folder cannot be written."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("sqlalchemy", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    directory = directory or log_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
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
