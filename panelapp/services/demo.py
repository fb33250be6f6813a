"""The demonstration panel: the fictional twelve-case morning described in DOMAIN.md, built
through the same services people use, so the demo exercises the real rules.

Every name, school and reference here is invented. Dates are set relative to ``today`` so the
statutory clocks look as they would in a live meeting whenever the demo is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    NamingMode,
    Outcome,
    PanelType,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import cases, decisions, declarations, meetings, panels
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store

DEMO_PANEL_NAME = "SEND Panel (demonstration)"

_MEMBERS = [
    ("Helen Whitaker", [Role.CHAIR], "Head of SEND Service"),
    ("David Okafor", [Role.VICE_CHAIR, Role.SEND_MANAGER], "SEND Service Manager"),
    ("Dr Priya Nair", [Role.EDUCATIONAL_PSYCHOLOGIST], "Principal Educational Psychologist"),
    ("Sarah Bennett", [Role.EARLY_INTERVENTION_MANAGER], "Early Help"),
    ("Mark Jennings", [Role.SOCIAL_CARE_MANAGER], "Children with Disabilities Team"),
    ("Claire Doyle", [Role.SEN_PRACTITIONER], "SEN Team"),
    ("Tom Ashworth", [Role.SCHOOLS_REP], "Headteacher, St Mary's CE Primary"),
    ("Dr Aisha Rahman", [Role.HEALTH_REP], "Designated Clinical Officer"),
    ("Gary Mills", [Role.TRANSPORT_OFFICER], "Travel Assistance Team"),
    ("Joanne Pike", [Role.MINUTE_TAKER], "SEN Operations"),
    ("Rebecca Lowe", [Role.PARENT_CARER_REP], "Parent Carer Forum"),
]


@dataclass(frozen=True)
class DemoMeeting:
    panel_id: int
    meeting_id: int
    next_meeting_id: int
    item_ids: tuple[int, ...]
    member_ids: dict[str, int]


def _case(ref, first, last, dob, rtype, received, need, setting, year, officer, **extra):
    return cases.CaseDetails(
        reference=ref,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        request_type=rtype,
        request_received=received,
        primary_need=need,
        setting=setting,
        year_group=year,
        case_officer=officer,
        **extra,
    )


def create_send_panel(
    uow: UnitOfWork, name: str, council: str, members
) -> tuple[int, dict[str, int]]:
    """A SEND panel with a typical quorum (4 members with the chair or vice-chair, an EP and a
    SEN manager or senior practitioner) and its members, given as (name, roles, organisation)."""
    panel_id = panels.create_panel(
        uow,
        name=name,
        panel_type=PanelType.SEND,
        council=council,
        quorum=QuorumRule(
            minimum_members=4,
            required_roles=(
                frozenset({Role.CHAIR, Role.VICE_CHAIR}),
                frozenset({Role.EDUCATIONAL_PSYCHOLOGIST}),
                frozenset({Role.SEND_MANAGER, Role.SEN_PRACTITIONER}),
            ),
        ),
        paper_deadline_days=2,
        naming_mode=NamingMode.INITIALS,
    )
    ids = {
        member: panels.add_member(uow, panel_id, name=member, roles=list(roles), organisation=org)
        for member, roles, org in members
    }
    return panel_id, ids


def build_demo(
    store: Store, *, actor: str = "Joanne Pike", today: date | None = None
) -> DemoMeeting:
    """Create the demonstration panel with one held meeting and the next one scheduled."""
    today = today or date.today()
    with UnitOfWork(store, actor) as uow:
        panel_id, ids = _create_demo_panel(uow)
        meeting_id, next_meeting_id = _schedule_meetings(uow, panel_id, today)
        items = _put_cases_on_agenda(uow, meeting_id, today)
        _declare_chair_interest_in_advance(uow, meeting_id, ids, items)
        _take_attendance(uow, meeting_id, ids)
        meetings.start_meeting(uow, meeting_id)
        _save_discussion_notes(uow, items)
    run = _HeldMeeting(store, actor, today, meeting_id, ids, tuple(items))
    _decide_assessment_requests(run)
    _decide_reviews_and_transfers(run)
    _decide_top_up_with_head_withdrawn(run)
    _decide_placement_budget_and_tuition(run)
    with UnitOfWork(store, actor) as uow:
        meetings.close_meeting(uow, meeting_id)
        _put_cases_on_next_agenda(uow, next_meeting_id, today)
    demo = DemoMeeting(panel_id, meeting_id, next_meeting_id, tuple(items), ids)
    add_demo_papers(store, demo, actor)
    return demo


def _days_from(today: date) -> Callable[[int], date]:
    """Dates as day offsets from ``today``, so the statutory clocks look live."""
    return lambda days: today + timedelta(days=days)


def _create_demo_panel(uow: UnitOfWork) -> tuple[int, dict[str, int]]:
    """The panel, its members and the council details its letters to families point to."""
    panel_id, ids = create_send_panel(
        uow, DEMO_PANEL_NAME, "Northfield Borough Council (fictional)", _MEMBERS
    )
    panels.set_council_details(  # what its letters to families point to (fictional)
        uow,
        panel_id,
        mediation="Northfield Mediation Service, 01632 960 410, northfield-mediation.example",
        sendiass="Northfield SENDIASS, 01632 960 420, northfield-sendiass.example",
    )
    return panel_id, ids


def _schedule_meetings(uow: UnitOfWork, panel_id: int, today: date) -> tuple[int, int]:
    """Today's meeting and the next one, a fortnight later."""
    d = _days_from(today)
    meeting_id = meetings.schedule_meeting(
        uow, panel_id, on=today, start=time(9, 30), venue="Committee Room 2, Town Hall"
    )
    next_meeting_id = meetings.schedule_meeting(
        uow, panel_id, on=d(14), start=time(9, 30), venue="Committee Room 2, Town Hall"
    )
    return meeting_id, next_meeting_id


def _put_cases_on_agenda(uow: UnitOfWork, meeting_id: int, today: date) -> list[int]:
    """The twelve cases of today's meeting, on its agenda in order: their agenda item ids."""
    d = _days_from(today)
    year = today.year
    transfer_year = year + 1 if today.month >= 3 else year
    officer = "Claire Doyle"
    details = [
        _case("NB-24-0311", "Oliver", "Grant", date(year - 7, 3, 14),
              RequestType.ASSESSMENT_REQUEST, d(-30), PrimaryNeed.SLCN,
              "Hillside Primary School", "Year 2", officer),
        _case("NB-24-0318", "Amelia", "Hughes", date(year - 9, 7, 2),
              RequestType.ASSESSMENT_REQUEST, d(-28), PrimaryNeed.SPLD,
              "Brookfield Junior School", "Year 4", officer),
        _case("NB-24-0322", "Noah", "Patel", date(year - 6, 1, 20),
              RequestType.ASSESSMENT_REQUEST, d(-35), PrimaryNeed.ASD,
              "Little Acorns Nursery and Primary", "Year 1", officer),
        _case("NB-23-0987", "Isla", "Thompson", date(year - 10, 5, 9),
              RequestType.POST_ASSESSMENT, d(-100), PrimaryNeed.ASD,
              "Meadow Lane Primary School", "Year 5", "Ben Carter"),
        _case("NB-23-1010", "Leo", "Murphy", date(year - 8, 11, 30),
              RequestType.POST_ASSESSMENT, d(-98), PrimaryNeed.MLD,
              "St Anne's Catholic Primary", "Year 3", "Ben Carter"),
        _case("NB-19-0456", "Freya", "Wilson", date(year - 13, 2, 17),
              RequestType.ANNUAL_REVIEW, d(-12), PrimaryNeed.SEMH,
              "Northfield Academy", "Year 8", officer, review_meeting_date=d(-12)),
        _case("NB-20-0231", "Harry", "Clarke", date(year - 11, 6, 3),
              RequestType.PHASE_TRANSFER, d(-40), PrimaryNeed.SLD,
              "Riverside Primary School", "Year 6", "Ben Carter",
              transfer_year=transfer_year),
        _case("NB-17-0777", "Grace", "Evans", date(year - 16, 9, 25),
              RequestType.PHASE_TRANSFER, d(-40), PrimaryNeed.HI,
              "Northfield Academy", "Year 11", "Ben Carter",
              transfer_year=transfer_year, post16_transfer=True),
        _case("NB-22-0142", "Jacob", "Ward", date(year - 8, 4, 11),
              RequestType.TOP_UP, d(-21), PrimaryNeed.SEMH,
              "St Mary's CE Primary School", "Year 3", officer),
        _case("NB-21-0610", "Ella", "Roberts", date(year - 12, 10, 8),
              RequestType.PLACEMENT, d(-25), PrimaryNeed.ASD,
              "Northfield Academy", "Year 7", "Ben Carter"),
        _case("NB-18-0399", "Mason", "Hall", date(year - 15, 1, 29),
              RequestType.PERSONAL_BUDGET, d(-30), PrimaryNeed.PD,
              "Westgate School", "Year 10", officer),
        _case("NB-22-0875", "Sophie", "Turner", date(year - 14, 8, 14),
              RequestType.ALTERNATIVE_PROVISION, d(-10), PrimaryNeed.SEMH,
              "Out of school (on roll at Northfield Academy)", "Year 9", officer),
    ]  # fmt: skip
    items = []
    for n, det in enumerate(details):
        case_id = cases.add_case(uow, det)
        presenter = det.case_officer
        items.append(
            meetings.put_on_agenda(
                uow,
                meeting_id,
                case_id,
                minutes=15 if n != 9 else 20,
                presenting_officer=presenter,
            )
        )
    return items


def _declare_chair_interest_in_advance(
    uow: UnitOfWork, meeting_id: int, ids: dict[str, int], items: list[int]
) -> None:
    # The chair is a governor of the proposed special school: declared in advance (R3, R4).
    declarations.declare_interest(
        uow,
        meeting_id,
        ids["Helen Whitaker"],
        item_id=items[9],
        nature="Governor of Oakwood Special School, the proposed placement",
        before_meeting=True,
    )


def _take_attendance(uow: UnitOfWork, meeting_id: int, ids: dict[str, int]) -> None:
    """Everyone present at 9:25 except the health representative (apologies) and the transport
    officer (absent)."""
    for name in ids:
        status = AttendanceStatus.PRESENT
        if name == "Dr Aisha Rahman":
            status = AttendanceStatus.APOLOGIES
        elif name == "Gary Mills":
            status = AttendanceStatus.ABSENT
        meetings.record_attendance(
            uow,
            meeting_id,
            ids[name],
            status,
            arrived_at=time(9, 25) if status is AttendanceStatus.PRESENT else None,
        )


def _save_discussion_notes(uow: UnitOfWork, items: list[int]) -> None:
    # What the minute taker typed while the cases were discussed (fictional).
    for n, note in (
        (
            0,
            "The case officer summarised two cycles of targeted support. The EP noted the "
            "school's assessment shows limited progress in expressive language; members "
            "agreed the evidence meets the threshold for an assessment.",
        ),
        (
            2,
            "Members noted the request lacks a costed provision map and current speech and "
            "language therapy advice. The parent carer representative asked that the family "
            "be told the reason for the delay the same day.",
        ),
        (
            8,
            "The primary head representative left before this item. Members considered the "
            "provision map against the banding framework and agreed Band C.",
        ),
        (
            9,
            "The chair left the meeting for this item and the vice-chair took the chair. "
            "Members heard that the mainstream placement has broken down and that the "
            "special school has confirmed a place from January.",
        ),
    ):
        meetings.save_discussion(uow, items[n], note)


@dataclass(frozen=True)
class _HeldMeeting:
    """Today's meeting once it has started: what the decision steps need."""

    store: Store
    actor: str
    today: date
    meeting_id: int
    member_ids: dict[str, int]
    items: tuple[int, ...]

    def day(self, days: int) -> date:
        return _days_from(self.today)(days)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.store, self.actor)

    def decide(self, item: int, **kw):
        with self.unit_of_work() as uow:
            return decisions.record_decision(uow, item, **kw)


def _decide_assessment_requests(run: _HeldMeeting) -> None:
    """Items 1 to 5: two requests for assessment decided and one deferred (with its action),
    then two plans after assessment."""
    run.decide(
        run.items[0],
        outcome=Outcome.AGREE_TO_ASSESS,
        rationale="Evidence of persistent speech and language difficulty despite two cycles of "
        "targeted support; the school has followed the graduated approach.",
    )
    run.decide(
        run.items[1],
        outcome=Outcome.DECLINE_TO_ASSESS,
        rationale="Needs can be met from ordinarily available provision and SEN support; "
        "the school has not yet implemented the specialist teacher's advice.",
    )
    with run.unit_of_work() as uow:
        decisions.defer_item(
            uow,
            run.items[2],
            reason="The panel cannot judge whether needs exceed SEN support without the costed "
            "provision map and current speech and language therapy advice.",
            information_required="Costed provision map; speech and language therapy report",
            provider="School SENCo (provision map); NHS SALT service (report)",
            return_date=run.day(13),
            past_due_reason="The SALT report is booked for next week; parents agreed to wait "
            "rather than have a decision without it.",
        )
        decisions.add_action(
            uow,
            run.meeting_id,
            item_id=run.items[2],
            owner="Claire Doyle",
            due_date=run.day(9),
            description="Obtain the costed provision map and the SALT report and circulate them.",
        )
    run.decide(
        run.items[3],
        outcome=Outcome.ISSUE_PLAN,
        rationale="Assessment shows needs that require provision beyond what the school can "
        "make from its own resources.",
    )
    run.decide(
        run.items[4],
        outcome=Outcome.DO_NOT_ISSUE_PLAN,
        rationale="Assessment advice agrees needs can be met at SEN support with the "
        "recommended strategies; a SEN support plan will be reviewed termly.",
    )


def _decide_reviews_and_transfers(run: _HeldMeeting) -> None:
    """Items 6 to 8: an annual review amendment and two phase transfers."""
    run.decide(
        run.items[5],
        outcome=Outcome.AMEND,
        sections_amended="Sections B, F and I",
        band="Band 4",
        amount_pence=1_245_000,
        start_date=run.day(7),
        rationale="Review evidence shows increased social, emotional and mental health "
        "needs; provision increased from Band 3 to Band 4.",
    )
    run.decide(
        run.items[6],
        outcome=Outcome.NAME_SETTING,
        setting="Northfield Academy",
        rationale="Parental preference; the school can meet needs with the provision in section F.",
    )
    run.decide(
        run.items[7],
        outcome=Outcome.NAME_SETTING,
        setting="Northfield College",
        rationale="Young person's preference; the college confirmed it can meet needs.",
    )


def _decide_top_up_with_head_withdrawn(run: _HeldMeeting) -> None:
    """Item 9: the head of the child's school declares an interest, leaves, and returns after
    the top-up is decided."""
    # The primary head representative is head of the child's school: declares and leaves.
    with run.unit_of_work() as uow:
        tom_declaration = declarations.declare_interest(
            uow,
            run.meeting_id,
            run.member_ids["Tom Ashworth"],
            item_id=run.items[8],
            nature="Headteacher of the school requesting the top-up",
            left_at=time(11, 5),
        )
    run.decide(
        run.items[8],
        outcome=Outcome.AGREE_BAND,
        band="Band C",
        amount_pence=845_000,
        start_date=run.day(7),
        review_date=run.day(180),
        rationale="Costed provision map shows additional provision above the school's "
        "notional SEN budget of £6,000.",
    )
    with run.unit_of_work() as uow:
        declarations.record_return(uow, tom_declaration, returned_at=time(11, 20))


def _decide_placement_budget_and_tuition(run: _HeldMeeting) -> None:
    """Items 10 to 12: the special school placement (the chair withdrawn), a personal budget
    (with a travel action) and interim tuition."""
    run.decide(
        run.items[9],
        outcome=Outcome.AGREE,
        setting="Oakwood Special School",
        amount_pence=2_350_000,
        start_date=run.day(30),
        rationale="Mainstream placement has broken down despite enhanced support; the "
        "special school can meet needs and has a place.",
    )
    run.decide(
        run.items[10],
        outcome=Outcome.AGREE,
        amount_pence=420_000,
        start_date=run.day(14),
        rationale="Direct payment for personal assistant support agreed as set out in the "
        "costed plan.",
    )
    with run.unit_of_work() as uow:
        decisions.add_action(
            uow,
            run.meeting_id,
            item_id=run.items[10],
            owner="Gary Mills",
            due_date=run.day(10),
            description="Travel assistance referral to the travel team for assessment.",
        )
    run.decide(
        run.items[11],
        outcome=Outcome.AGREE,
        hours_per_week=15,
        start_date=run.day(3),
        review_date=run.day(42),
        rationale="Interim tuition while a suitable placement is found; reviewed in six weeks.",
    )


def _put_cases_on_next_agenda(uow: UnitOfWork, next_meeting_id: int, today: date) -> None:
    """The next meeting: the deferred case came back on its own; three new requests wait."""
    d = _days_from(today)
    year = today.year
    officer = "Claire Doyle"
    upcoming = [
        _case("NB-24-0402", "Ruby", "Khan", date(year - 5, 12, 3),
              RequestType.ASSESSMENT_REQUEST, d(-20), PrimaryNeed.SLCN,
              "Hillside Primary School", "Reception", officer),
        _case("NB-21-0233", "Alfie", "Brown", date(year - 9, 2, 22),
              RequestType.TOP_UP, d(-5), PrimaryNeed.MLD,
              "Brookfield Junior School", "Year 4", officer),
        _case("NB-16-0120", "Evie", "Green", date(year - 15, 6, 30),
              RequestType.ANNUAL_REVIEW, d(-2), PrimaryNeed.VI,
              "Westgate School", "Year 10", "Ben Carter", review_meeting_date=d(-2)),
    ]  # fmt: skip
    for det in upcoming:
        meetings.put_on_agenda(
            uow, next_meeting_id, cases.add_case(uow, det), presenting_officer=det.case_officer
        )


def add_demo_papers(store: Store, demo: DemoMeeting, actor: str) -> int:
    """Fictional papers (Word, PDF, text; 2 to 4 per case, one late) for both demo meetings,
    imported through the papers service. Returns how many were stored."""
    from panelapp.services.demo_papers import add_papers_to_meeting

    return add_papers_to_meeting(store, demo.meeting_id, actor) + add_papers_to_meeting(
        store, demo.next_meeting_id, actor
    )
