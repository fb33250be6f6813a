"""Reading the meeting list costs one SQL statement however many meetings the store holds, so a
change that brings back a query per meeting fails here rather than as a slow list on a busy
panel's store."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import docx
from sqlalchemy import event, func, select

from panelapp.domain.vocabulary import (
    MeetingStatus,
    NamingMode,
    PanelType,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import cases, declarations, meetings, panels
from panelapp.services.meeting_view import list_meetings, meeting_view
from panelapp.services.papers import add_paper
from panelapp.services.unit_of_work import UnitOfWork
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


def _word_paper(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _generated_meeting(store, items: int) -> int:
    """A meeting of ``items`` cases, each with a Word paper, one of them received late."""
    day = date(2026, 5, 14)
    with UnitOfWork(store, "ops officer") as uow:
        panel_id = panels.create_panel(
            uow, name=f"Panel of {items}", panel_type=PanelType.SEND, paper_deadline_days=3
        )
        panels.add_member(uow, panel_id, name="Alder Chair", roles=[Role.CHAIR])
        member = panels.add_member(uow, panel_id, name="Birch Member", roles=[Role.SEND_MANAGER])
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=day, start=time(9, 30))
        for position in range(1, items + 1):
            case_id = cases.add_case(
                uow,
                cases.CaseDetails(
                    reference=f"CNT-{items}-{position}",
                    first_name="Child",
                    last_name=f"Number{position}",
                    date_of_birth=date(2016, 1, 1),
                    request_type=RequestType.ASSESSMENT_REQUEST,
                    request_received=day - timedelta(days=20),
                    primary_need=PrimaryNeed.ASD,
                ),
            )
            item_id = meetings.put_on_agenda(uow, meeting_id, case_id)
            received = datetime(2026, 5, 13 if position == 1 else 4, 10, tzinfo=UTC)
            add_paper(
                uow,
                item_id,
                file_name=f"report-{position}.docx",
                data=_word_paper(f"Report {position}"),
                received_at=received,
            )
        declarations.declare_interest(
            uow, meeting_id, member, item_id=item_id, nature="Knows the family", before_meeting=True
        )
    return meeting_id


def test_opening_a_meeting_costs_the_same_few_statements_for_2_or_20_items(store):
    small, large = _generated_meeting(store, 2), _generated_meeting(store, 20)
    counts = {}
    for meeting_id in (small, large):
        with store.read() as session, counted_statements(store.engine) as seen:
            view = meeting_view(session, meeting_id, NamingMode.INITIALS)
        counts[meeting_id] = len(seen)
        # the view still carries what screens show: every item's paper, the late one marked
        assert all(len(item.papers) == 1 for item in view.items)
        assert [item.papers[0].late for item in view.items][:2] == [True, False]
        assert view.declarations and view.declarations[0].item_position == len(view.items)
    assert len(view.items) == 20
    assert counts[large] == counts[small], counts
    assert counts[large] <= 16, counts


def test_a_meeting_already_looked_up_costs_no_more_statements_per_item(store):
    """Generating and signing minutes look the meeting up first, then make its view in the
    same session: the view must still read the items' cases and clocks together, not one
    case at a time."""
    small, large = _generated_meeting(store, 2), _generated_meeting(store, 20)
    counts = {}
    for meeting_id in (small, large):
        with store.read() as session:
            meeting = session.get(Meeting, meeting_id)
            assert meeting is not None and meeting.status
            with counted_statements(store.engine) as seen:
                view = meeting_view(session, meeting_id, NamingMode.INITIALS)
        counts[meeting_id] = len(seen)
        assert [item.position for item in view.items] == list(range(1, len(view.items) + 1))
        assert all(item.child for item in view.items)
    assert len(view.items) == 20
    assert counts[large] == counts[small], counts
