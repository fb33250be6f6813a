"""Markers for minutes, signatures and decision records (the fixtures ``identities`` and
``signed_minutes`` are in tests/conftest.py, shared with the after-the-meeting tests).

The independent verifiers (xmlsec1, LibreOffice) are the helpers in tests/helpers/verifiers.py,
imported, not copied; the ``external`` marker means the same here as there.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "external: uses an outside verifier (xmlsec1, LibreOffice); skipped when it is missing, "
        "unless the environment variable CI is set, where a missing tool fails the test",
    )
