"""Reading the meeting list costs one SQL statement however many meetings the store holds, so a
change that brings back a query per meeting fails here rather than as a slow list on a busy
panel's store."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, func, select

from panelapp.domain.vocabulary import MeetingStatus
from panelapp.services.meeting_view import list_meetings
from panelapp.store.tables import AgendaItem, Meeting


@contextmanager
def counted_statements(engine):
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() != "BEGIN":  # the store's own transaction start
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_the_meeting_list_is_one_statement_and_matches_the_store(store, demo):
    with store.read() as session:
        meetings = session.scalars(select(Meeting)).all()
        assert len(meetings) >= 2, "the demo should hold several meetings"
        expected = sorted(
            (
                (
                    m.id,
                    m.panel.name,
                    m.meeting_date,
                    MeetingStatus(m.status),
                    session.scalar(select(func.count()).where(AgendaItem.meeting_id == m.id)),
                )
                for m in meetings
            ),
            key=lambda row: (-row[2].toordinal(), row[0]),
        )
    with store.read() as session, counted_statements(store.engine) as seen:
        rows = list_meetings(session)
    assert rows == expected
    assert len(seen) == 1, seen
