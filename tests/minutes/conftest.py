"""Fixtures for minutes, signatures and decision records, on the demonstration meeting.

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


@pytest.fixture
def identities(store, demo):
    """Signing certificates for the chair and the vice-chair (member ids)."""
    from panelapp.services.signing import create_signing_identity
    from panelapp.services.unit_of_work import UnitOfWork

    chair, vice = demo.member_ids["Helen Whitaker"], demo.member_ids["David Okafor"]
    with UnitOfWork(store, "Test") as uow:
        create_signing_identity(uow, chair)
        create_signing_identity(uow, vice)
    return chair, vice


@pytest.fixture
def signed_minutes(store, demo, identities):
    """The demonstration minutes generated (initials) and signed by the chair: (info, bytes)."""
    from panelapp.domain.vocabulary import NamingMode
    from panelapp.services.minutes import generate_minutes, minutes_document, sign_minutes
    from panelapp.services.unit_of_work import UnitOfWork

    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, identities[0])
    with store.read() as session:
        return minutes_document(session, demo.meeting_id)
