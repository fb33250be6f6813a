"""The minutes and decision records are written from documents/' own content types
(``documents.minutes_content``), which the services fill in from their meeting view: every value
the writers print carries over, so the documents are the same, byte for byte, as those written
from the view itself."""

from __future__ import annotations

from datetime import datetime

import pytest

from panelapp.documents.decision_record_writer import DecisionRecordContext, write_decision_record
from panelapp.documents.minutes_content import ItemContent, MeetingContent
from panelapp.documents.minutes_writer import MinutesContext, write_minutes
from panelapp.domain.vocabulary import NamingMode
from panelapp.resources import read_template
from panelapp.services.meeting_view import meeting_view
from panelapp.services.record_content import item_content, meeting_content

MOMENT = datetime(2026, 3, 12, 13, 0)


@pytest.mark.parametrize("naming", list(NamingMode))
def test_the_minutes_from_the_content_are_those_from_the_view(store, demo, naming):
    template = read_template("minutes.docx")
    context = MinutesContext(1, MOMENT, "Helen Whitaker", "Chair")
    for meeting_id in (demo.meeting_id, demo.next_meeting_id):
        with store.read() as session:
            view = meeting_view(session, meeting_id, naming, mask_free_text=True)
        content = meeting_content(view)
        assert isinstance(content, MeetingContent)
        assert all(isinstance(item, ItemContent) for item in content.items)
        assert write_minutes(content, context, template) == write_minutes(view, context, template)


def test_a_decision_record_from_the_content_is_the_one_from_the_view(store, demo):
    template = read_template("decision_record.docx")
    context = DecisionRecordContext(MOMENT, "David Okafor", "Vice-chair")
    with store.read() as session:
        view = meeting_view(session, demo.meeting_id, NamingMode.INITIALS, mask_free_text=True)
    content = meeting_content(view)
    decided = [i for i in view.items if i.decision is not None or i.deferral is not None]
    assert decided
    for item in decided:
        assert write_decision_record(
            content, item_content(item), context, template
        ) == write_decision_record(view, item, context, template)
