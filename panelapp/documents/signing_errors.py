"""The one error raised when a signing identity or a signature cannot be made or loaded."""

from __future__ import annotations


class SigningError(Exception):
    """Signing could not be done.

    ``str(error)`` is a complete sentence (or two) meant for the person using panelapp: it says
    what went wrong and what to do about it. It never contains a password, a passphrase or key
    material, so it may be shown on screen and written to the log as it is.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
