"""Fixtures for the signed-minutes tests, and the ``external`` marker.

Tests marked ``external`` run a program panelapp does not control (xmlsec1, LibreOffice). They are
skipped when the program is missing on a developer's machine, but fail when the environment
variable CI is set: CI must have them (Debian packages ``xmlsec1``, ``libreoffice-writer-nogui``,
``python3-uno``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers.verifiers import make_minutes_docx


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "external: uses an outside verifier (xmlsec1, LibreOffice); skipped when it is missing, "
        "unless the environment variable CI is set, where a missing tool fails the test",
    )
    if not config.pluginmanager.hasplugin("timeout"):
        # pytest-timeout is optional here; keep its marker known without it.
        config.addinivalue_line("markers", "timeout(seconds): per-test time limit (pytest-timeout)")


@pytest.fixture(scope="session")
def chair_identity():
    from panelapp.documents.signing_identity import create_identity

    return create_identity("Jane Smith", "Panel Chair", "Example Borough Council")


@pytest.fixture(scope="session")
def signing_moment() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def minutes_docx() -> bytes:
    return make_minutes_docx()


@pytest.fixture(scope="session")
def signed_docx(minutes_docx, chair_identity, signing_moment) -> bytes:
    from panelapp.documents.package_signature import sign_docx

    return sign_docx(
        minutes_docx, chair_identity, signed_at=signing_moment, purpose="Approval of the minutes"
    )
