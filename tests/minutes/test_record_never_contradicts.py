"""The boundary cases a chair would notice in the signed record: late declarations, apologies,
late arrivals and early leavers, who chairs a deferral, who signs, the words and the clock."""

from __future__ import annotations

import re
import time as systime
from datetime import UTC, date, datetime, timedelta

import pytest

from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    NamingMode,
    Outcome,
    Role,
)
from panelapp.services import decisions, declarations, meetings
from panelapp.services.decision_records import make_decision_records, record_signers
from panelapp.services.meeting_view import meeting_view
from panelapp.services.minutes import (
    generate_minutes,
    minutes_document,
    minutes_signer,
    sign_minutes,
    start_amendment,
)
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.meetings import (
    CHAIR_OR_VICE_AND_EP,
    MORNING,
    case_on_agenda,
    panel_with_members,
)
from tests.helpers.minutes_docx import docx_text

DAY = date(2026, 3, 12)
RULE_CODE = re.compile(r"\bR\d{1,2}\b")


@pytest.fixture
def small(store):
    """Chair, vice-chair, EP, schools rep, health rep, minute taker; three items. Quorum: three
    members including the chair or vice-chair and an EP."""
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, ids = panel_with_members(
            uow,
            {
                "chair": ("Ann Chair", [Role.CHAIR]),
                "vice": ("Ben Vice", [Role.VICE_CHAIR]),
                "ep": ("Cat Psychologist", [Role.EDUCATIONAL_PSYCHOLOGIST]),
                "school": ("Dan Head", [Role.SCHOOLS_REP]),
                "health": ("Eve Nurse", [Role.HEALTH_REP]),
                "minutes": ("Fay Minutes", [Role.MINUTE_TAKER]),
            },
            quorum=CHAIR_OR_VICE_AND_EP,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=DAY, start=MORNING)
        items = [
            case_on_agenda(
                uow,
                meeting_id,
                f"NB-{n}",
                first_name="Kim",
                last_name=f"Child{n}",
                date_of_birth=date(2017, 1, 1),
                received=DAY - timedelta(days=20),
            )
            for n in range(1, 4)
        ]
    return meeting_id, ids, items


def attend(store, meeting_id, ids, **special):
    with UnitOfWork(store, "minute taker") as uow:
        for key, member_id in ids.items():
            status, kwargs = special.get(key, (AttendanceStatus.PRESENT, {}))
            meetings.record_attendance(uow, meeting_id, member_id, status, **kwargs)
        meetings.start_meeting(uow, meeting_id)


def decide(store, item_id, **kw):
    kw.setdefault("outcome", Outcome.AGREE_TO_ASSESS)
    kw.setdefault("rationale", "Threshold met.")
    with UnitOfWork(store, "minute taker") as uow:
        return decisions.record_decision(uow, item_id, **kw)


def defer(store, item_id, **kw):
    with UnitOfWork(store, "minute taker") as uow:
        return decisions.defer_item(
            uow,
            item_id,
            reason="Report missing.",
            information_required="SALT report",
            provider="Case officer",
            return_date=DAY + timedelta(days=14),
            **kw,
        )


def minutes_text(store, meeting_id) -> str:
    with UnitOfWork(store, "minute taker") as uow:
        meetings.close_meeting(uow, meeting_id)
        generate_minutes(uow, meeting_id, NamingMode.REFERENCE)
    with store.read() as session:
        return docx_text(minutes_document(session, meeting_id)[1])


def item_block(text: str, position: int) -> str:
    start = text.index(f"Item {position}. ")
    following = text.find(f"Item {position + 1}. ", start)
    end = following if following != -1 else text.index("4. Actions")
    return text[start:end]


def test_a_declaration_on_an_item_already_decided_is_refused(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids)
    decide(store, items[0])
    with pytest.raises(PanelappError, match="already decided: a declaration applies only"):
        with UnitOfWork(store, "minute taker") as uow:
            declarations.declare_interest(
                uow, meeting_id, ids["school"], item_id=items[0], nature="Knows the family"
            )


def test_an_every_item_declaration_mid_meeting_reaches_only_items_still_to_be_taken(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids)
    decide(store, items[0])
    with UnitOfWork(store, "minute taker") as uow:
        declarations.declare_interest(
            uow, meeting_id, ids["school"], item_id=None, nature="Governor of both schools"
        )
    decide(store, items[1])
    decide(store, items[2])
    text = minutes_text(store, meeting_id)
    first, second = item_block(text, 1), item_block(text, 2)
    assert "Members taking part | Ann Chair, Ben Vice, Cat Psychologist, Dan Head" in first
    assert "Dan Head" not in second.split("Members taking part")[1]
    assert "Left the meeting for this item" not in first
    assert "Dan Head: Governor of both schools. Left the meeting for this item." in second
    assert "every item still to be taken (item 1 had already been taken)" in text


def test_a_member_who_sent_apologies_cannot_declare_an_interest_and_leave(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids, health=(AttendanceStatus.APOLOGIES, {}))
    with pytest.raises(PanelappError, match="Eve Nurse sent apologies, so cannot declare"):
        with UnitOfWork(store, "minute taker") as uow:
            declarations.declare_interest(
                uow, meeting_id, ids["health"], item_id=items[1], nature="Treats the child"
            )
    # Declared in writing before the meeting, it stands, and the minutes say they were not there.
    with UnitOfWork(store, "minute taker") as uow:
        declarations.declare_interest(
            uow,
            meeting_id,
            ids["health"],
            item_id=items[1],
            nature="Treats the child",
            before_meeting=True,
        )
    for item in items:
        decide(store, item)
    text = minutes_text(store, meeting_id)
    assert "Eve Nurse did not attend the meeting." in text
    assert "Eve Nurse left the meeting" not in text


def test_a_late_arrival_counts_only_from_the_item_they_arrived_for(store, small):
    meeting_id, ids, items = small
    attend(
        store,
        meeting_id,
        ids,
        ep=(AttendanceStatus.PRESENT, {"arrived_before_item_id": items[1]}),
    )
    with pytest.raises(RuleViolation, match="educational psychologist"):
        decide(store, items[0])
    defer(store, items[0])
    decide(store, items[1])
    decide(store, items[2])
    text = minutes_text(store, meeting_id)
    assert "Cat Psychologist (arrived before item 2)" in text
    assert "Cat Psychologist" not in item_block(text, 1)
    assert "Cat Psychologist" in item_block(text, 2).split("Members taking part")[1]


def test_an_early_leaver_is_not_listed_as_taking_part_after_leaving(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids)
    decide(store, items[0])
    with UnitOfWork(store, "minute taker") as uow:
        meetings.record_departure(uow, meeting_id, ids["health"], before_item_id=items[1])
    decide(store, items[1])
    decide(store, items[2])
    text = minutes_text(store, meeting_id)
    assert "Eve Nurse (left before item 2)" in text
    assert "Eve Nurse" in item_block(text, 1).split("Members taking part")[1]
    for position in (2, 3):
        assert "Eve Nurse" not in item_block(text, position).split("Members taking part")[1]


def test_leaving_cannot_be_recorded_before_an_item_the_member_decided(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids)
    decide(store, items[0])
    decide(store, items[1])
    with pytest.raises(PanelappError, match="Eve Nurse took part in item 2, which is already"):
        with UnitOfWork(store, "minute taker") as uow:
            meetings.record_departure(uow, meeting_id, ids["health"], before_item_id=items[1])
    with pytest.raises(PanelappError, match="Eve Nurse took part in item 1"):
        with UnitOfWork(store, "minute taker") as uow:
            meetings.record_attendance(uow, meeting_id, ids["health"], AttendanceStatus.ABSENT)


def test_a_deferral_needs_a_chair_when_chair_and_vice_chair_are_both_conflicted(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids)
    with UnitOfWork(store, "minute taker") as uow:
        for who in ("chair", "vice"):
            declarations.declare_interest(
                uow, meeting_id, ids[who], item_id=items[0], nature="Related to the family"
            )
    with pytest.raises(RuleViolation, match="Nominate a member"):
        defer(store, items[0])
    defer(store, items[0], nominated_chair_id=ids["ep"])
    with store.read() as session:
        signers = {s.member_id: s.item_positions for s in record_signers(session, meeting_id)}
    assert signers == {ids["ep"]: (1,)}


def test_the_vice_chair_signs_when_the_chair_chaired_no_item_and_the_minutes_say_why(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids)
    with UnitOfWork(store, "minute taker") as uow:
        declarations.declare_interest(
            uow, meeting_id, ids["chair"], item_id=None, nature="Trustee of the families' charity"
        )
    for item in items:
        decide(store, item)
    with store.read() as session:
        signer = minutes_signer(session, meeting_id)
    assert signer.member_id == ids["vice"]
    text = minutes_text(store, meeting_id)
    assert (
        "Why this member signs | The chair chaired none of the items heard, so Ben Vice, who "
        "chaired every item, signs the minutes."
    ) in text
    assert "Ann Chair (Chair) chaired the meeting" not in text


def test_a_late_declaration_is_a_correction_only_while_signed_minutes_are_amended(
    store, demo, identities
):
    chair, _ = identities
    rebecca, item1 = demo.member_ids["Rebecca Lowe"], demo.item_ids[0]

    def late(reason):
        with UnitOfWork(store, "Joanne Pike") as uow:
            declarations.declare_interest(
                uow,
                demo.meeting_id,
                rebecca,
                item_id=item1,
                nature="Neighbour of the family",
                correction_reason=reason,
            )

    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="Checking the record")
    with pytest.raises(PanelappError, match="only while signed minutes are being amended"):
        late("Came to light after the meeting")
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.close_meeting(uow, demo.meeting_id)
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, chair)
    with UnitOfWork(store, "Joanne Pike") as uow:
        start_amendment(uow, demo.meeting_id, reason="Undeclared interest in item 1")
        meetings.reopen_meeting(uow, demo.meeting_id, reason="Undeclared interest in item 1")
    with pytest.raises(PanelappError, match="record it as a correction with its reason"):
        late(None)
    late("Came to light after the meeting")
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.close_meeting(uow, demo.meeting_id)
        generate_minutes(uow, demo.meeting_id)
    with store.read() as session:
        view = meeting_view(session, demo.meeting_id, NamingMode.INITIALS)
        text = docx_text(minutes_document(session, demo.meeting_id)[1])
    assert "Rebecca Lowe" in view.items[0].decision.participants
    assert "Rebecca Lowe" not in view.items[0].withdrawn
    assert (
        "Correction: Rebecca Lowe had an interest in item 1 that was not declared when the item "
        "was decided: Neighbour of the family. Rebecca Lowe took part in that item; the interest "
        "is recorded as a correction to the minutes (Came to light after the meeting)."
    ) in text


def test_refusals_and_minutes_speak_plain_words_without_rule_codes(store, small):
    meeting_id, ids, items = small
    attend(store, meeting_id, ids, ep=(AttendanceStatus.APOLOGIES, {}))
    with pytest.raises(RuleViolation) as refused:
        decide(store, items[0])
    assert refused.value.rule == "R5"
    assert not RULE_CODE.search(str(refused.value))
    assert "not quorate" in str(refused.value)
    for item in items:
        defer(store, item)
    assert not RULE_CODE.search(minutes_text(store, meeting_id))


@pytest.mark.parametrize("laptop_zone", ["UTC", "Asia/Tokyo"])
def test_signed_documents_show_uk_local_time_whatever_the_laptop_zone(
    store, demo, identities, monkeypatch, laptop_zone
):
    monkeypatch.setenv("TZ", laptop_zone)
    systime.tzset()
    try:
        summer = datetime.now(UTC).replace(
            year=datetime.now(UTC).year + 1, month=7, day=2, hour=9, minute=5, second=0
        )  # 10:05 in London (BST), within the new certificate's validity
        with UnitOfWork(store, "Joanne Pike") as uow:
            generate_minutes(uow, demo.meeting_id)
        with UnitOfWork(store, "Helen Whitaker") as uow:
            sign_minutes(uow, demo.meeting_id, identities[0], signed_at=summer)
        with store.read() as session:
            minutes = docx_text(minutes_document(session, demo.meeting_id)[1])
            records = make_decision_records(
                store, session, demo.meeting_id, NamingMode.INITIALS, signed_at=summer
            )
    finally:
        monkeypatch.delenv("TZ")
        systime.tzset()
    expected = f"2 July {summer.year} at 10:05 BST"
    assert f"Date and time | {expected}" in minutes
    assert expected in docx_text(records[0].document)


def test_a_member_cannot_be_put_back_in_the_room_for_an_item_already_taken(store, small):
    meeting_id, ids, items = small
    attend(
        store,
        meeting_id,
        ids,
        ep=(AttendanceStatus.PRESENT, {"left_before_item_id": items[0]}),
    )
    defer(store, items[0])  # no EP in the room: the panel could only defer
    with pytest.raises(PanelappError, match="would alter who was in the room for it"):
        with UnitOfWork(store, "minute taker") as uow:
            meetings.record_departure(uow, meeting_id, ids["ep"], before_item_id=items[1])
    with store.read() as session:
        view = meeting_view(session, meeting_id, NamingMode.REFERENCE)
    assert "Cat Psychologist" not in view.items[0].deferral.participants
