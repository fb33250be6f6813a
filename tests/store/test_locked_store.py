"""When another window or command is writing to the store, a change waits briefly and is then
refused with a plain message; nothing half-done is left behind and reading still works."""

from __future__ import annotations

from datetime import date

import pytest
import sqlcipher3
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from panelapp.cli import main
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import PrimaryNeed, RequestType
from panelapp.services import cases
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.errors import StoreLocked
from panelapp.store.integrity import check_store
from panelapp.store.keys import load_key
from panelapp.store.tables import AuditEvent, Case

pytestmark = [pytest.mark.timeout(60), pytest.mark.usefixtures("short_lock_wait")]


@pytest.fixture
def other_writer(store_path):
    """Another program holding the store's write lock, as a second panelapp window would."""
    key = load_key(store_path).key
    conn = sqlcipher3.connect(str(store_path), isolation_level=None, timeout=1)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE store_meta SET value = value WHERE name = 'store_id'")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def _case_details(reference: str) -> cases.CaseDetails:
    return cases.CaseDetails(
        reference=reference,
        first_name="Ada",
        last_name="Lockwood",
        date_of_birth=date(2017, 5, 1),
        request_type=RequestType.ASSESSMENT_REQUEST,
        request_received=date(2026, 2, 1),
        primary_need=PrimaryNeed.SLCN,
    )


def _count(store, table) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_a_change_while_another_window_writes_is_refused_plainly_and_succeeds_after(
    store, other_writer
):
    events_before = _count(store, AuditEvent)

    with pytest.raises(StoreLocked) as refused:
        with UnitOfWork(store, "Joanne Pike") as uow:
            cases.add_case(uow, _case_details("LOCK-1"))

    message = str(refused.value)
    assert isinstance(refused.value, PanelappError)
    assert "\n" not in message
    assert "in use" in message and "try again" in message
    assert "SQL" not in message and "sqlcipher" not in message.lower()
    assert not isinstance(refused.value.__cause__, SQLAlchemyError)
    other_writer.execute("ROLLBACK")
    assert _count(store, Case) == 0
    assert _count(store, AuditEvent) == events_before

    with UnitOfWork(store, "Joanne Pike") as uow:
        cases.add_case(uow, _case_details("LOCK-1"))

    with store.read() as session:
        assert session.scalars(select(Case.reference)).all() == ["LOCK-1"]
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.seq > events_before))
        assert actions.all() == ["case.added"]
    assert check_store(store).ok


def test_the_store_can_still_be_read_while_another_window_writes(store):
    with UnitOfWork(store, "Joanne Pike") as uow:
        cases.add_case(uow, _case_details("READ-1"))
    key = load_key(store.path).key
    conn = sqlcipher3.connect(str(store.path), isolation_level=None, timeout=1)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM cases")  # not committed: readers keep seeing the case

        with store.read() as session:
            assert session.scalars(select(Case.reference)).all() == ["READ-1"]
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_the_demo_command_on_a_store_another_window_is_writing_says_so_in_one_line(
    store, other_writer, capfd, restore_logging
):
    path = str(store.path)
    store.close()

    code = main(["--store", path, "demo"])

    err = capfd.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.startswith("panelapp: ") and "in use" in err
