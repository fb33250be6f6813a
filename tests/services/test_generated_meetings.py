"""Whole meetings generated at random and run through the services: whatever members do
(apologies, arriving late, leaving early, declaring before or during the meeting, chair and
vice-chair both conflicted), the record the services keep and the minutes they write never
contradict themselves or the rules.

The expected answers are worked out here, independently of the services, from what the
generated meeting did and which of its steps the services accepted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panelapp.documents.minutes_writer import MinutesContext, sign_draft, write_minutes
from panelapp.documents.signature_block import SignatureLine
from panelapp.domain.errors import PanelappError
from panelapp.domain.quorum import QuorumRule
from panelapp.domain.uk_time import uk_time
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ItemStatus,
    NamingMode,
    Outcome,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.resources import read_template
from panelapp.services import cases, decisions, declarations, meetings
from panelapp.services.decision_records import record_signers
from panelapp.services.meeting_view import meeting_view
from panelapp.services.minutes import generate_minutes, minutes_document, minutes_signer
from panelapp.services.record_content import meeting_content
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.meetings import panel_with_members

DAY = date(2026, 5, 14)
NAMES = {
    "chair": "Alder Chair",
    "vice": "Birch Vice",
    "ep": "Cedar Psychologist",
    "m1": "Damson Head",
    "m2": "Elm Health",
    "m3": "Fir Social",
    "m4": "Gorse Parent",
    "minutes": "Hazel Minutes",
}
ROLES = {
    "chair": [Role.CHAIR],
    "vice": [Role.VICE_CHAIR, Role.SEND_MANAGER],
    "ep": [Role.EDUCATIONAL_PSYCHOLOGIST],
    "m1": [Role.SCHOOLS_REP],
    "m2": [Role.HEALTH_REP],
    "m3": [Role.SOCIAL_CARE_MANAGER],
    "m4": [Role.PARENT_CARER_REP],
    "minutes": [Role.MINUTE_TAKER],
}
QUORUM = QuorumRule(
    minimum_members=3,
    required_roles=(
        frozenset({Role.CHAIR, Role.VICE_CHAIR}),
        frozenset({Role.EDUCATIONAL_PSYCHOLOGIST}),
    ),
)


@dataclass
class Attending:
    status: str
    arrived_before: int | None = None
    left_before: int | None = None

    def in_room(self, position: int) -> bool:
        if self.status != "present":
            return False
        if self.arrived_before is not None and position < self.arrived_before:
            return False
        return self.left_before is None or position < self.left_before


@dataclass
class Declared:
    member: str
    item: int | None
    taken_before: frozenset[int]

    def covers(self, position: int) -> bool:
        if self.item is not None:
            return self.item == position
        return position not in self.taken_before


@dataclass
class Plan:
    items: int
    members: list[str]
    attendance: dict[str, Attending]
    #: (member, item position or None, step: 0 = before the meeting, k = as the k-th item is taken)
    declarations: list[tuple[str, int | None, int]]
    #: per step: decide or defer, and who the panel would choose to chair if it must
    takes: list[tuple[str, str]]
    order: list[int]
    late: list[tuple[str, str, int]] = field(default_factory=list)


@st.composite
def plans(draw) -> Plan:
    n = draw(st.integers(1, 5))
    others = draw(st.integers(0, 4))
    members = ["chair", "vice", "ep", *[f"m{i}" for i in range(1, others + 1)], "minutes"]
    attendance = {}
    for m in members:
        status = draw(st.sampled_from(["present", "present", "present", "apologies", "absent"]))
        arrived = left = None
        if status == "present" and draw(st.integers(0, 3)) == 0:
            arrived = draw(st.none() | st.integers(1, n))
            left = draw(st.none() | st.integers(1, n))
            if arrived is not None and left is not None and left <= arrived:
                left = None
        attendance[m] = Attending(status, arrived, left)
    decl = draw(
        st.lists(
            st.tuples(st.sampled_from(members), st.none() | st.integers(1, n), st.integers(0, n)),
            max_size=5,
        )
    )
    takes = draw(
        st.lists(
            st.tuples(st.sampled_from(["decide", "decide", "defer"]), st.sampled_from(members)),
            min_size=n,
            max_size=n,
        )
    )
    order = draw(st.permutations(list(range(1, n + 1))))
    late = draw(
        st.lists(
            st.tuples(
                st.sampled_from(members),
                st.sampled_from(["apologies", "leave", "declare"]),
                st.integers(1, n),
            ),
            max_size=3,
        )
    )
    return Plan(n, members, attendance, decl, takes, list(order), late)


def _try(store, work) -> bool:
    try:
        with UnitOfWork(store, "minute taker") as uow:
            work(uow)
    except PanelappError:
        return False
    return True


def _run(store, plan: Plan):
    """Run the plan through the services; returns (meeting id, ids, accepted declarations,
    final attendance) as the services accepted them."""
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, ids = panel_with_members(
            uow,
            {m: (NAMES[m], ROLES[m]) for m in plan.members},
            name="Generated Panel",
            quorum=QUORUM,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=DAY, start=time(9, 30))
        item_ids = {}
        for position in range(1, plan.items + 1):
            case_id = cases.add_case(
                uow,
                cases.CaseDetails(
                    reference=f"GEN-{position}",
                    first_name="Child",
                    last_name=f"Number{position}",
                    date_of_birth=date(2016, 1, 1),
                    request_type=RequestType.ASSESSMENT_REQUEST,
                    request_received=DAY - timedelta(days=20),
                    primary_need=PrimaryNeed.ASD,
                ),
            )
            item_ids[position] = meetings.put_on_agenda(uow, meeting_id, case_id)
    accepted: list[Declared] = []
    taken: set[int] = set()

    def declare(member: str, position: int | None, before: bool) -> None:
        ok = _try(
            store,
            lambda uow: declarations.declare_interest(
                uow,
                meeting_id,
                ids[member],
                item_id=item_ids[position] if position else None,
                nature="Knows the family",
                before_meeting=before,
            ),
        )
        if position is not None and position in taken:
            assert not ok, "a declaration on an item already taken must be refused"
        if ok:
            accepted.append(Declared(member, position, frozenset(taken)))

    for member, position, step in plan.declarations:
        if step == 0:
            declare(member, position, before=True)
    attendance = {}
    for m in plan.members:
        a = plan.attendance[m]
        status = AttendanceStatus(a.status)
        ok = _try(
            store,
            lambda uow, m=m, a=a, status=status: meetings.record_attendance(
                uow,
                meeting_id,
                ids[m],
                status,
                arrived_before_item_id=item_ids.get(a.arrived_before),
                left_before_item_id=item_ids.get(a.left_before),
            ),
        )
        assert ok, "attendance recorded before any item is taken is accepted"
        attendance[m] = a
    if not any(a.status == "present" for a in attendance.values()):
        return meeting_id, ids, item_ids, accepted, attendance, False
    with UnitOfWork(store, "minute taker") as uow:
        meetings.start_meeting(uow, meeting_id)

    for step, position in enumerate(plan.order, start=1):
        for member, declared_on, when in plan.declarations:
            if when == step:
                declare(member, declared_on, before=False)
        how, nominee = plan.takes[step - 1]
        item_id = item_ids[position]
        done = False
        for chosen in (None, ids[nominee]):
            if how == "decide" and not done:
                done = _try(
                    store,
                    lambda uow, c=chosen, i=item_id: decisions.record_decision(
                        uow,
                        i,
                        outcome=Outcome.AGREE_TO_ASSESS,
                        rationale="Threshold met.",
                        nominated_chair_id=c,
                    ),
                )
            if not done:
                done = _try(
                    store,
                    lambda uow, c=chosen, i=item_id: decisions.defer_item(
                        uow,
                        i,
                        reason="More information needed.",
                        information_required="Report",
                        provider="Case officer",
                        return_date=DAY + timedelta(days=7),
                        nominated_chair_id=c,
                    ),
                )
        if not done:
            assert _try(
                store,
                lambda uow, i=item_id: meetings.withdraw_item(uow, i, reason="No chair today."),
            )
        taken.add(position)

    for member, what, position in plan.late:
        if what == "declare":
            declare(member, position, before=False)
        elif what == "apologies":
            if _try(
                store,
                lambda uow, m=member: meetings.record_attendance(
                    uow, meeting_id, ids[m], AttendanceStatus.APOLOGIES
                ),
            ):
                attendance[member] = Attending("apologies")
        else:
            current = attendance[member]
            if current.status == "present" and _try(
                store,
                lambda uow, m=member, p=position: meetings.record_departure(
                    uow, meeting_id, ids[m], before_item_id=item_ids[p]
                ),
            ):
                attendance[member] = Attending("present", current.arrived_before, position)
    with UnitOfWork(store, "minute taker") as uow:
        meetings.close_meeting(uow, meeting_id)
    return meeting_id, ids, item_ids, accepted, attendance, True


def _item_sections(text: str) -> dict[int, str]:
    sections: dict[int, str] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("Item ") and ". " in line and line[5 : line.index(".")].isdigit():
            current = int(line[5 : line.index(".")])
            sections[current] = ""
        elif line.startswith("4. Actions"):
            current = None
        elif current is not None:
            sections[current] += line + "\n"
    return sections


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                        for cell in row
                        if cell.tag.endswith("}tc")
                    ]
                    lines.append(" | ".join(cells))
    return "\n".join(lines)


@settings(
    # Each example runs a whole meeting and writes its minutes (about half a second): fifteen
    # keep this the suite's longest property still, at a few seconds.
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans())
def test_the_record_of_any_meeting_never_contradicts_itself(store, plan):
    meeting_id, ids, item_ids, accepted, attendance, held = _run(store, plan)
    if not held:
        return
    name_of = {ids[m]: NAMES[m] for m in ids}
    key_of = {ids[m]: m for m in ids}
    heard = any(key in ("chair", "vice") and a.status == "present" for key, a in attendance.items())
    try:
        with UnitOfWork(store, "minute taker") as uow:
            generate_minutes(uow, meeting_id, NamingMode.REFERENCE)
    except PanelappError as refused:
        # Nothing heard and neither chair nor vice-chair there: nobody can sign, and it says so.
        assert not heard and "cannot tell who signs" in str(refused)
        with store.read() as session:
            view = meeting_view(session, meeting_id, NamingMode.REFERENCE)
        assert all(item.status is ItemStatus.WITHDRAWN for item in view.items)
        return
    with store.read() as session:
        view = meeting_view(session, meeting_id, NamingMode.REFERENCE)
        _, document = minutes_document(session, meeting_id)
        signers = {s.member_id: set(s.item_positions) for s in record_signers(session, meeting_id)}
        signer = minutes_signer(session, meeting_id)
    sections = _item_sections(_docx_text(document))
    # The minutes are written from documents/' own content types, which carry every value of
    # the view the writer prints: the same document, byte for byte, as from the view itself.
    context = MinutesContext(1, datetime(2026, 5, 14, 13, 0), signer.name, signer.role)
    template = read_template("minutes.docx")
    assert write_minutes(meeting_content(view), context, template) == write_minutes(
        view, context, template
    )
    # Signing keeps the draft's business as the chair read it and writes only its opening and
    # signature block again: the same document, byte for byte, as written in full.
    content = meeting_content(view)
    line = SignatureLine(
        signer.name, signer.role, uk_time(datetime(2026, 5, 14, 15, 0, tzinfo=UTC)), "AB:CD"
    )
    signed_context = replace(context, generated_at=datetime(2026, 5, 14, 15, 0), signature=line)
    read = write_minutes(content, context, template, identifier="inputs")
    assert sign_draft(read, content, signed_context, template, identifier="inputs") == (
        write_minutes(content, signed_context, template, identifier="inputs")
    )

    chaired: dict[int, int] = {}
    for item in view.items:
        p = item.position
        in_room = {m for m, a in attendance.items() if a.in_room(p)}
        withdrawn = {d.member for d in accepted if d.covers(p)} & in_room
        taking_part = {m for m in in_room - withdrawn if m != "minutes"}
        assert set(item.withdrawn) == {NAMES[m] for m in withdrawn}, f"item {p}"
        record = item.decision or item.deferral
        if record is None:
            assert item.status is ItemStatus.WITHDRAWN
            continue
        chair = key_of[record.chaired_by_id]
        chaired[p] = record.chaired_by_id
        # Every item heard has a chair who was in the room and had declared no interest.
        assert chair in in_room and chair not in withdrawn, f"item {p} chaired by {chair}"
        # Members taking part are exactly those in the room, not withdrawn, panel members.
        assert set(record.participants) == {NAMES[m] for m in taking_part}, f"item {p}"
        assert not set(record.participants) & set(item.withdrawn)
        if item.decision is not None:
            # A decision needs quorum: three counted, a chair or acting chair, an EP.
            assert len(taking_part) >= 3
            assert "ep" in taking_part
        # The minutes never list a withdrawn member as taking part.
        section = sections[p]
        part_line = next(
            line
            for line in section.splitlines()
            if line.startswith(("Members taking part", "Members present for the item"))
        )
        for m in withdrawn:
            assert NAMES[m] not in part_line, f"item {p}: {NAMES[m]} withdrawn yet listed"
        for m in set(ids) - in_room:
            assert NAMES[m] not in part_line, f"item {p}: {NAMES[m]} not in the room yet listed"
    # Whoever signs a decision record chaired that item; whoever signs the minutes chaired one.
    for member_id, positions in signers.items():
        assert all(chaired[p] == member_id for p in positions)
    if chaired:
        assert signer.member_id in chaired.values(), name_of[signer.member_id]
        assert "R" + "9" not in signer.basis and signer.basis
