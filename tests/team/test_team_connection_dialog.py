"""Team > Connect to the team store...: the password checked on the real server (TLS, its
certificate verified) before anything is saved; then the setting and the keyring hold it, and
the Team menu's check-out lists that store's meetings. A wrong password saves nothing."""

from __future__ import annotations

from panelapp.services.team_checkout import team_meetings, team_url_setting
from panelapp.store.lifecycle import create_team_store
from panelapp.store.paths import team_setting_path
from panelapp.store.team_url import forget_password, parse_team_url, stored_password
from panelapp.ui.team_connection_dialog import TeamConnectionDialog


def _empty_team_store(url: str) -> None:
    create_team_store(url).close()
    forget_password(url)  # as on a new computer: nothing kept yet


def _try(qtbot, dialog: TeamConnectionDialog, url: str, password: str) -> str:
    dialog.url.setText(url)
    dialog.password.setText(password)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.finished_test, timeout=30_000)
    return dialog.message.text()


def test_a_wrong_password_saves_nothing_and_the_right_one_connects(
    qtbot, team_url, postgres_server
):
    _empty_team_store(team_url)
    dialog = TeamConnectionDialog()
    qtbot.addWidget(dialog)
    assert "no team store is set" in dialog.current.text()
    assert not dialog.stop_button.isEnabled()

    said = _try(qtbot, dialog, team_url, "not-the-password")
    assert said.startswith("Nothing was saved.")
    assert not team_setting_path().exists() and stored_password(team_url) is None
    assert "not-the-password" not in said
    assert "refused the password" in said and "Team menu" in said
    assert "'panelapp " not in said  # the window names its own menus, not commands

    said = _try(qtbot, dialog, team_url, postgres_server.password)
    assert said.startswith("Connected and saved.")
    assert dialog.password.text() == ""  # not left on the screen
    assert parse_team_url(team_url_setting()) == parse_team_url(team_url)
    assert stored_password(team_url) == postgres_server.password
    assert "password is kept in the OS keyring" in dialog.current.text()
    assert team_meetings() == []  # the Team menu's check-out now reads that store

    dialog.stop_button.click()
    assert not team_setting_path().exists() and stored_password(team_url) is None
    assert "no team store is set" in dialog.current.text()
