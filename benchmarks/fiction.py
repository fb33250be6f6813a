"""Fictional people, cases and decisions for the benchmarks: the same every run (seeded).

Every name, school and reference here is invented; references start with ``BM-`` so nothing
made here can be mistaken for a council's record.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from panelapp.domain.vocabulary import Outcome, PrimaryNeed, RequestType, Role

FIRST_NAMES = (
    "Ava Ben Chloe Dylan Eliza Finley Georgia Hamza Imogen Jack Kayla Luca Maisie Nathan Olivia "
    "Poppy Reuben Sienna Theo Umar Violet William Xander Yasmin Zac Amara Bilal Cerys Darcy Ewan "
    "Farah Gethin Hollie Idris Jasmine Kai Lexi Milo Nia Oscar"
).split()
LAST_NAMES = (
    "Abbott Barker Chowdhury Dawson Ellis Fletcher Gill Harding Iqbal Jarvis Kaur Lambert "
    "Morrison Nolan Osei Parry Quinn Rowe Sharma Tate Underwood Vaughan Walsh Yates Zielinski "
    "Ahmed Bishop Carver Doherty Eastwood Forde Griffiths Hussain Ingram Jennings Kowalski"
).split()
SETTINGS = (
    "Ashdown Primary School", "Beechwood Infant School", "Castle Hill Academy",
    "Dale View Junior School", "Elmfield Church of England Primary", "Fernlea Nursery School",
    "Greystone High School", "Harbour College", "Ivybridge Community Primary",
    "Juniper Special School", "Kingsmead Academy", "Larkspur Pupil Referral Unit",
)  # fmt: skip
OFFICERS = ("Priya Desai", "Tom Whitfield", "Grace Okonkwo", "Martin Lowe", "Sian Evans")

MEMBERS = (
    ("Margaret Holloway", (Role.CHAIR,), "Head of SEND Service"),
    ("Anil Mehta", (Role.VICE_CHAIR, Role.SEND_MANAGER), "SEND Service Manager"),
    ("Dr Rachel Fenwick", (Role.EDUCATIONAL_PSYCHOLOGIST,), "Principal Educational Psychologist"),
    ("Karen Doyle", (Role.EARLY_INTERVENTION_MANAGER,), "Early Help"),
    ("Steven Marsh", (Role.SOCIAL_CARE_MANAGER,), "Children with Disabilities Team"),
    ("Laura Chen", (Role.SEN_PRACTITIONER,), "SEN Team"),
    ("Peter Graves", (Role.SCHOOLS_REP,), "Headteacher, Ashdown Primary School"),
    ("Dr Nadia Sayed", (Role.HEALTH_REP,), "Designated Clinical Officer"),
    ("Colin Reeves", (Role.TRANSPORT_OFFICER,), "Travel Assistance Team"),
    ("Hannah Price", (Role.MINUTE_TAKER,), "SEN Operations"),
    ("Joy Adebayo", (Role.PARENT_CARER_REP,), "Parent Carer Forum"),
)

NEEDS = (PrimaryNeed.SLCN, PrimaryNeed.ASD, PrimaryNeed.SEMH, PrimaryNeed.MLD, PrimaryNeed.SPLD,
         PrimaryNeed.SLD, PrimaryNeed.PD, PrimaryNeed.HI, PrimaryNeed.VI)  # fmt: skip

REASONS = (
    "Evidence of persistent difficulty despite two cycles of targeted support at SEN support; "
    "the school has followed the graduated approach and the educational psychologist's advice.",
    "Needs can be met from ordinarily available provision; the school has not yet put the "
    "specialist teacher's recommendations in place and should review progress next term.",
    "Assessment advice shows needs that require provision beyond what the setting can make "
    "from its own resources, including daily speech and language therapy programmes.",
    "Review evidence shows increased social, emotional and mental health needs; provision "
    "increased with a named key adult and a reduced timetable plan agreed with the family.",
    "Parental preference for the named setting; the setting confirmed it can meet needs with "
    "the provision in section F and the travel arrangements are reasonable.",
    "Costed provision map shows additional provision above the notional SEN budget; the "
    "panel agreed the band with a review after two terms.",
)
DEFER_REASONS = (
    "The panel cannot judge whether needs exceed SEN support without the costed provision map "
    "and current speech and language therapy advice.",
    "The occupational therapy assessment is outstanding and the family asked for it to be "
    "considered before a decision.",
)


@dataclass(frozen=True)
class FictionalCase:
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date
    request_type: RequestType
    request_received: date
    primary_need: PrimaryNeed
    setting: str
    year_group: str
    case_officer: str
    review_meeting_date: date | None = None
    transfer_year: int | None = None
    post16_transfer: bool = False


#: The request types cycled through, with what a decision on each needs (from DOMAIN.md's
#: demonstration meeting, so every one passes the real validation).
PATTERNS = (
    RequestType.ASSESSMENT_REQUEST,
    RequestType.POST_ASSESSMENT,
    RequestType.ANNUAL_REVIEW,
    RequestType.ASSESSMENT_REQUEST,
    RequestType.PHASE_TRANSFER,
    RequestType.TOP_UP,
    RequestType.PLACEMENT,
    RequestType.PERSONAL_BUDGET,
    RequestType.ALTERNATIVE_PROVISION,
    RequestType.POST_ASSESSMENT,
)


def fictional_case(n: int, meeting_day: date) -> FictionalCase:
    """The n-th fictional case (0-based), for a meeting on ``meeting_day``."""
    rng = random.Random(n * 7919 + 17)
    rtype = PATTERNS[n % len(PATTERNS)]
    age = rng.randint(5, 15)
    extra: dict = {}
    if rtype is RequestType.ANNUAL_REVIEW:
        extra["review_meeting_date"] = meeting_day - timedelta(days=rng.randint(5, 20))
    if rtype is RequestType.PHASE_TRANSFER:
        extra["transfer_year"] = meeting_day.year + 1
    return FictionalCase(
        reference=f"BM-{20 + n % 6}-{n:05d}",
        first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
        last_name=LAST_NAMES[(n * 7) % len(LAST_NAMES)],
        date_of_birth=date(meeting_day.year - age, rng.randint(1, 12), rng.randint(1, 28)),
        request_type=rtype,
        request_received=meeting_day - timedelta(days=rng.randint(10, 40)),
        primary_need=NEEDS[n % len(NEEDS)],
        setting=SETTINGS[n % len(SETTINGS)],
        year_group=f"Year {max(1, age - 4)}",
        case_officer=OFFICERS[n % len(OFFICERS)],
        **extra,
    )


def decision_kwargs(n: int, rtype: RequestType, meeting_day: date) -> dict:
    """Keyword arguments for ``decisions.record_decision`` on the n-th case."""
    reason = REASONS[n % len(REASONS)]
    later = lambda days: meeting_day + timedelta(days=days)  # noqa: E731
    if rtype is RequestType.ASSESSMENT_REQUEST:
        outcome = Outcome.AGREE_TO_ASSESS if n % 3 else Outcome.DECLINE_TO_ASSESS
        return {"outcome": outcome, "rationale": reason}
    if rtype is RequestType.POST_ASSESSMENT:
        outcome = Outcome.ISSUE_PLAN if n % 4 else Outcome.DO_NOT_ISSUE_PLAN
        return {"outcome": outcome, "rationale": reason}
    if rtype is RequestType.ANNUAL_REVIEW:
        return {"outcome": Outcome.AMEND, "sections_amended": "Sections B, F and I",
                "band": "Band 4", "amount_pence": 1_245_000, "start_date": later(7),
                "rationale": reason}  # fmt: skip
    if rtype is RequestType.PHASE_TRANSFER:
        return {"outcome": Outcome.NAME_SETTING, "setting": SETTINGS[(n + 3) % len(SETTINGS)],
                "rationale": reason}  # fmt: skip
    if rtype is RequestType.TOP_UP:
        return {"outcome": Outcome.AGREE_BAND, "band": "Band C", "amount_pence": 845_000,
                "start_date": later(7), "review_date": later(180), "rationale": reason}  # fmt: skip
    if rtype is RequestType.PLACEMENT:
        return {"outcome": Outcome.AGREE, "setting": "Juniper Special School",
                "amount_pence": 2_350_000, "start_date": later(30), "rationale": reason}  # fmt: skip
    if rtype is RequestType.PERSONAL_BUDGET:
        return {"outcome": Outcome.AGREE, "amount_pence": 420_000, "start_date": later(14),
                "rationale": reason}  # fmt: skip
    if rtype is RequestType.ALTERNATIVE_PROVISION:
        return {"outcome": Outcome.AGREE, "hours_per_week": 15, "start_date": later(3),
                "review_date": later(42), "rationale": reason}  # fmt: skip
    raise ValueError(rtype)


def discussion(n: int, first_name: str = "") -> str:
    """A minute taker's summary of discussion, a few sentences long; one in three names the
    child, as real notes often do (the minutes then mask the name)."""
    rng = random.Random(n)
    parts = [
        "The presenting officer summarised the request and the evidence received.",
        "The educational psychologist described the child's progress against the outcomes.",
        "Members asked about attendance, the provision map and the family's views.",
        "The setting's SENCo had sent a note on the support in place this term.",
        "The panel considered whether the provision could be made from the notional budget.",
        "Health advice on the therapy programme was considered alongside the school report.",
    ]
    rng.shuffle(parts)
    text = " ".join(parts[: rng.randint(3, 6)])
    if first_name and n % 3 == 0:
        text += f" {first_name}'s views were shared by the family."
    return text
