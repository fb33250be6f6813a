"""Fixtures for minutes, signatures and decision records, on the demonstration meeting.

The independent verifiers (xmlsec1, LibreOffice) are the helpers in tests/helpers/verifiers.py,
imported, not copied; the ``external`` marker means the same here as there.
"""

from __future__ import annotations

import pytest

from tests.helpers.store_templates import IDENTITIES, chair_and_vice_identities


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "external: uses an outside verifier (xmlsec1, LibreOffice); skipped when it is missing, "
        "unless the environment variable CI is set, where a missing tool fails the test",
    )


@pytest.fixture
def identities(store, demo, request):
    """Signing certificates for the chair and the vice-chair (member ids); made on the store's
    template when the store fixture saw this fixture coming (tests/conftest.py)."""
    if IDENTITIES in request.node.stash:
        return request.node.stash[IDENTITIES]
    return chair_and_vice_identities(store, demo)


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
