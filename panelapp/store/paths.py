"""Where the store, its key file, backups and logs live by default."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "panelapp"


def default_store_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "panelapp.store"


def key_file_path(store_path: Path) -> Path:
    """The key file sits beside the store so that both are backed up together."""
    return store_path.with_name(store_path.name + ".key")


def team_setting_path() -> Path:
    """The saved team store URL (``panelapp team use``): a URL only, never a password."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "team-store.url"


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)
