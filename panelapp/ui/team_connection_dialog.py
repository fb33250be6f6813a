"""Team > Connect to the team store...: the council's PostgreSQL team store this computer
checks meetings out of. The password is checked on the server (its certificate verified) in
the background, then kept in the OS keyring; it is never shown again, logged or saved elsewhere."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.services.team_connection import (
    TeamConnection,
    connect_team,
    stop_using_team,
    team_connection,
)
from panelapp.ui.next_steps import error_text
from panelapp.ui.worker import run_in_background

URL_HINT = "postgresql://USER@SERVER:5432/DATABASE?sslmode=verify-full"


class TeamConnectionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to the team store")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.current = QLabel()
        self.current.setWordWrap(True)
        layout.addWidget(self.current)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText(URL_HINT)
        self.url.setAccessibleName("Team store address")
        form.addRow("&Address:", self.url)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Team store password")
        form.addRow("&Password:", self.password)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Test and save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.test_and_save)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.stop_button = QPushButton("&Stop using the team store")
        self.stop_button.clicked.connect(self.stop_using)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        layout.addWidget(buttons)
        #: True once the last "Test and save" has finished (either way)
        self.finished_test = True
        self._show(team_connection())

    def _show(self, connection: TeamConnection) -> None:
        if connection.url is None:
            self.current.setText(
                "This computer works with its own store only: no team store is set."
            )
        else:
            kept = (
                "Its password is kept in the OS keyring."
                if connection.password_kept
                else "No password is kept for it: panelapp will ask for it."
            )
            self.current.setText(f"This computer's team store: {connection.label}. {kept}")
            if not self.url.text():
                self.url.setText(connection.url)
        self.stop_button.setEnabled(connection.url is not None)

    def test_and_save(self) -> None:
        url, password = self.url.text().strip(), self.password.text()
        if not url:
            self.message.setText(f"Give the team store's address, like {URL_HINT}.")
            return
        if not password:
            self.message.setText("Give the password of the team store's user.")
            return
        self.finished_test = False
        self.save_button.setEnabled(False)
        self.message.setText("Connecting to the team store...")

        def done(result: object) -> None:
            self.finished_test = True
            self.save_button.setEnabled(True)
            self.password.clear()
            assert isinstance(result, TeamConnection)
            self._show(result)
            self.message.setText(
                "Connected and saved. The Team menu now checks meetings out of this team store."
            )
            self.adjustSize()

        def failed(exc: Exception) -> None:
            self.finished_test = True
            self.save_button.setEnabled(True)
            if isinstance(exc, PanelappError):
                words = error_text(exc)
            else:
                words = (
                    f"That did not connect ({type(exc).__name__}). Check the address and that "
                    "this computer can reach the server, then try again."
                )
            self.message.setText(f"Nothing was saved. {words}")
            self.adjustSize()  # the message may take several lines

        run_in_background(
            self,
            "Connecting to the team store...",
            lambda _progress: connect_team(url, password),
            done,
            failed,
        )

    def stop_using(self) -> None:
        stop_using_team()
        self.url.clear()
        self._show(team_connection())
        self.message.setText(
            "This computer no longer uses a team store; its password is forgotten."
        )
