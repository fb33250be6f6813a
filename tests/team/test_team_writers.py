"""Many machines writing to one team store at once: each unit of work takes the writers' lock
on the server first, so the audit chain is never forked by two officers saving together, and a
writer kept waiting past the lock timeout is told the store is busy, with nothing changed."""

from __future__ import annotations

import threading

import pytest

from panelapp.cli import main
from panelapp.services.decisions import add_action
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.integrity import check_store
from panelapp.store.lifecycle import create_team_store, open_team_store
from panelapp.store.tables import ActionRow
from panelapp.store.team import WRITER_LOCK

WRITERS, EACH = 3, 8


def test_officers_saving_at_once_on_several_machines_keep_one_intact_chain(demo_team_store):
    url, meeting_id = demo_team_store
    machines = [open_team_store(url) for _ in range(WRITERS)]  # one store object per machine
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def officer(store, number: int) -> None:
        try:
            start.wait()
            for n in range(EACH):
                with UnitOfWork(store, f"Officer {number}") as uow:
                    add_action(
                        uow,
                        meeting_id,
                        description=f"Follow-up {number}.{n}",
                        owner=f"Officer {number}",
                    )
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [
        threading.Thread(target=officer, args=(store, i)) for i, store in enumerate(machines)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not failures, failures
        report = check_store(machines[0])
        with machines[0].read() as session:
            added = session.query(ActionRow).filter(ActionRow.description.like("Follow-up %"))
            descriptions = sorted(row.description for row in added)
    finally:
        for store in machines:
            store.close()
    assert report.ok, report.problems
    assert descriptions == sorted(f"Follow-up {i}.{n}" for i in range(WRITERS) for n in range(EACH))


def test_a_writer_kept_waiting_is_told_the_team_store_is_busy(
    capsys, short_lock_wait, postgres_server, team_database, demo_team_store
):
    url, meeting_id = demo_team_store
    with postgres_server.connect(team_database) as other:  # another officer's long save
        other.execute(f"SELECT pg_advisory_lock({WRITER_LOCK})")
        code = main(
            ["--team", url, "actions", "add", "--meeting", str(meeting_id), "--owner", "X"]
            + ["--due", "2030-01-31", "Call the school"]
        )
        _out, err = capsys.readouterr()
        # readers are never held up by the writers' lock
        assert main(["--team", url, "meetings"]) == 0
        assert "(12 items" in capsys.readouterr().out
        other.execute(f"SELECT pg_advisory_unlock({WRITER_LOCK})")

    assert code == 2 and "is busy: another officer's change" in err and "Traceback" not in err
    store = open_team_store(url)
    try:
        with store.read() as session:
            assert session.query(ActionRow).filter_by(description="Call the school").count() == 0
        # once the lock is free the same save goes in
        with UnitOfWork(store, "X") as uow:
            add_action(uow, meeting_id, description="Call the school", owner="X")
    finally:
        store.close()


def test_a_connection_lost_during_a_command_is_told_in_words(
    postgres_server, team_database, team_url
):
    from sqlalchemy.exc import DBAPIError

    from panelapp.store.team import team_fault

    store = create_team_store(team_url)
    try:
        with store.engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with postgres_server.connect(team_database) as admin:  # the server drops it
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            with pytest.raises(DBAPIError) as lost:
                conn.exec_driver_sql("SELECT count(*) FROM meetings")
        with store.engine.connect() as conn, pytest.raises(DBAPIError) as mistaken:
            conn.exec_driver_sql("SELECT nothing FROM meetings")
    finally:
        store.close()

    said = str(team_fault(lost.value, team_url))
    assert "The connection to the team store" in said and "was lost" in said
    assert "run the command again" in said
    assert team_fault(mistaken.value, team_url) is None  # not every error is a lost connection
