"""Panel figures for the council and its inspectors, over a date range and one or all panels.

Everything is worked out in one pass over rows bulk-loaded in a handful of queries (agenda items
with their meeting, case, decision and deferral; the cases' clock exceptions; attendance;
declarations; papers), never one query a row. The statutory clocks come from
``domain.deadlines`` through ``services.cases`` (the law is not worked out again here).

Each figure is a ``DataSet``: a title, what it means and how it was computed, headings and rows.
``published`` turns the data sets into the form for publication, with counts under the
threshold shown as "<5" (``domain.statistics_rules``), and, so that no suppressed count can be
worked out again, every total of a suppressed count, and every share or median worked out from
one, shown as "[c]" (``DataSet.sums`` and ``DataSet.derived`` say which cells those are).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.case_facts import PlacementType, Vulnerability
from panelapp.domain.deadlines import StatutoryClock, final_plan_due, timeliness_report
from panelapp.domain.late_papers import paper_deadline
from panelapp.domain.statistics_rules import (
    HELD_BACK,
    SUPPRESSION_THRESHOLD,
    age_band,
    financial_year,
    published_count,
)
from panelapp.domain.uk_time import uk_day
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ItemStatus,
    Outcome,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services.bank_holidays import paper_deadline_rule
from panelapp.services.cases import statutory_clock
from panelapp.services.clock import utc_now
from panelapp.services.family_letters import LetterFacts
from panelapp.services.papers import local_day
from panelapp.store.tables import (
    AgendaItem,
    Attendance,
    Case,
    ClockExceptionRow,
    DecisionRow,
    DeclarationRow,
    DeferralRow,
    FamilyLetterRow,
    Meeting,
    Member,
    Panel,
    Paper,
)


@dataclass(frozen=True)
class StatsQuery:
    """Which hearings the figures cover: panel meetings held from ``start`` to ``end``
    inclusive, of one panel (or all), of one request type (or all)."""

    start: date
    end: date
    panel_id: int | None = None
    request_type: RequestType | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the end of the period is before its start")


#: a cell of a data set: (row, column), counted from 0
Cell = tuple[int, int]


@dataclass(frozen=True)
class DataSet:
    """One table of figures. ``count_columns`` are the columns holding counts of children
    (suppressed when published); other columns are labels, shares, days or money."""

    key: str
    title: str
    meaning: str
    headings: tuple[str, ...]
    rows: tuple[tuple, ...]
    count_columns: frozenset[int] = field(default_factory=frozenset)
    #: for a chart: the column of category labels and the columns of values
    chart: tuple[int, tuple[int, ...]] | None = None
    #: rows (by first cell) whose values are not counts of children (rates, days)
    not_counts: frozenset[str] = frozenset()
    #: cells that are the sum of others, as (total, its parts; a part counted n times is listed
    #: n times): publishing keeps a total from giving away a suppressed part
    sums: tuple[tuple[Cell, tuple[Cell, ...]], ...] = ()
    #: cells worked out from counts (shares, medians, days), as (cell, the counts it comes
    #: from): published as "[c]" when one of those counts is not shown
    derived: tuple[tuple[Cell, tuple[Cell, ...]], ...] = ()

    def column(self, heading: str) -> list:
        index = self.headings.index(heading)
        return [row[index] for row in self.rows]

    def row(self, label) -> tuple:
        """The row whose first cell is ``label``."""
        return next(r for r in self.rows if r[0] == label)


class _Deferral(NamedTuple):
    """What the figures read of a deferral."""

    return_date: date
    inquorate_reasons: list[str] | None
    timescale_risk: bool


class _CaseFacts(NamedTuple):
    """What the figures read of a case, as plain values (loading ten thousand ORM cases was
    most of the time the figures took). ``statutory_clock`` reads it like a ``Case``."""

    id: int
    reference: str
    request_type: RequestType
    request_received: date
    review_meeting_date: date | None
    transfer_year: int | None
    post16_transfer: bool
    transfer_date: date | None
    date_of_birth: date
    year_group: str
    setting: str
    primary_need: PrimaryNeed
    placement_type: PlacementType | None
    final_plan_issued: date | None
    looked_after: bool
    child_in_need: bool
    child_protection_plan: bool
    care_leaver: bool
    electively_home_educated: bool
    known_to_youth_justice: bool
    free_school_meals: bool
    exceptions: tuple = ()  # the case's clock exceptions, after the columns


class _Hearing(NamedTuple):
    """One agenda item decided or deferred in the period, with what every figure reads of it
    (the appeal and letter figures too: the items are read once for all of them)."""

    item_id: int
    status: str
    meeting_date: date
    panel_id: int
    meeting_id: int
    position: int
    notify_within_working_days: int
    letter_sent_on: date | None
    decision_id: int | None
    outcome: str | None
    amount_pence: int | None
    band: str | None
    deferral: _Deferral | None
    case: _CaseFacts


_CASE_COLUMNS = tuple(getattr(Case, name) for name in _CaseFacts._fields if name != "exceptions")


def _hearings(session: Session, query: StatsQuery) -> list[_Hearing]:
    # Plain columns only, run as a core statement (no ORM entities to build): a period can
    # hold tens of thousands of hearings, and the clock exceptions are few.
    stmt = (
        select(
            AgendaItem.id,
            AgendaItem.status,
            Meeting.meeting_date,
            Meeting.panel_id,
            Meeting.id,
            AgendaItem.position,
            Panel.notify_within_working_days,
            FamilyLetterRow.sent_on,
            DecisionRow.id,
            DecisionRow.outcome,
            DecisionRow.amount_pence,
            DecisionRow.band,
            DeferralRow.id,
            DeferralRow.return_date,
            DeferralRow.inquorate_reasons,
            DeferralRow.timescale_risk,
            *_CASE_COLUMNS,
        )
        .select_from(AgendaItem)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .join(Panel, Meeting.panel_id == Panel.id)
        .join(Case, AgendaItem.case_id == Case.id)
        .outerjoin(DecisionRow, DecisionRow.agenda_item_id == AgendaItem.id)
        .outerjoin(DeferralRow, DeferralRow.agenda_item_id == AgendaItem.id)
        .outerjoin(FamilyLetterRow, FamilyLetterRow.agenda_item_id == AgendaItem.id)
        .where(Meeting.meeting_date >= query.start, Meeting.meeting_date <= query.end)
        .where(AgendaItem.status.in_([ItemStatus.DECIDED, ItemStatus.DEFERRED]))
        .order_by(Meeting.meeting_date, AgendaItem.id)
    )
    if query.panel_id is not None:
        stmt = stmt.where(Meeting.panel_id == query.panel_id)
    if query.request_type is not None:
        stmt = stmt.where(Case.request_type == RequestType(query.request_type))
    rows: list[Any] = list(session.connection().execute(stmt).all())  # plain values
    exceptions: dict[int, list[ClockExceptionRow]] = defaultdict(list)
    case_at = 16  # the first case column
    if rows:
        case_ids = {row[case_at] for row in rows}
        for exception in session.scalars(
            select(ClockExceptionRow).order_by(ClockExceptionRow.id)
        ):  # few: read them all rather than name thousands of cases in the query
            if exception.case_id in case_ids:
                exceptions[exception.case_id].append(exception)
    cases: dict[int, _CaseFacts] = {}
    hearings = []
    for row in rows:
        case = cases.get(row[case_at])
        if case is None:
            case_id = row[case_at]
            facts = (*row[case_at:], tuple(exceptions.get(case_id, ())))
            case = cases[case_id] = _CaseFacts._make(facts)
        deferral = None if row[12] is None else _Deferral(*row[13:16])
        hearings.append(_Hearing._make((*row[:12], deferral, case)))
    return hearings


@cache  # a handful of codes, asked for once a hearing
def _label(enum, code: str | None, blank: str = "Not recorded") -> str:
    if not code:
        return blank
    try:
        return enum(code).label
    except ValueError:
        return code


def _by(
    key: str,
    title: str,
    meaning: str,
    heading: str,
    hearings: Iterable[_Hearing],
    group,
) -> DataSet:
    """Requests heard, decided and deferred, grouped by ``group(hearing)``."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for h in hearings:
        row = counts[group(h)]
        row[0] += 1
        row[1 if h.status == _DECIDED else 2] += 1
    rows = tuple((label, *c) for label, c in sorted(counts.items()))
    return DataSet(
        key,
        title,
        meaning,
        (heading, "Hearings", "Decided", "Deferred"),
        rows,
        frozenset({1, 2, 3}),
        (0, (2, 3)),
        sums=_row_sums(rows, 1, (2, 3)),
    )


def _row_sums(
    rows, total: int, parts: tuple[int, ...]
) -> tuple[tuple[Cell, tuple[Cell, ...]], ...]:
    """In every row, column ``total`` is the sum of columns ``parts``."""
    return tuple(((r, total), tuple((r, c) for c in parts)) for r in range(len(rows)))


_DECIDED = ItemStatus.DECIDED


@cache  # a period has a few hundred meeting days
def _month(day: date) -> str:
    return day.strftime("%Y-%m")


_HEARD = (
    "Each time the panel heard a request at a meeting in the period counts once: decided or "
    "deferred (a deferred request heard again counts again). Withdrawn items are left out."
)


def _outcomes(hearings: list[_Hearing]) -> DataSet:
    counts: Counter = Counter()
    for h in hearings:
        outcome = _label(Outcome, h.outcome) if h.outcome else "Deferred"
        counts[(_label(RequestType, h.case.request_type), outcome)] += 1
    rows = tuple((rtype, outcome, n) for (rtype, outcome), n in sorted(counts.items()))
    return DataSet(
        "outcomes",
        "Requests and decisions by request type and outcome",
        _HEARD + " The outcome is the decision recorded, or 'Deferred'.",
        ("Request type", "Outcome", "Hearings"),
        rows,
        frozenset({2}),
        (0, (2,)),
    )


_FLAGS = tuple(Vulnerability)
_FLAGS_OF = attrgetter(*(flag.value for flag in _FLAGS))  # a case's flags, in that order


def _flags(hearings: list[_Hearing]) -> DataSet:
    heard, decided = [0] * len(_FLAGS), [0] * len(_FLAGS)
    for h in hearings:
        flags = _FLAGS_OF(h.case)
        if any(flags):  # most children have none
            is_decided = h.status == _DECIDED
            for i, flagged in enumerate(flags):
                if flagged:
                    heard[i] += 1
                    decided[i] += is_decided
    rows = [(flag.label, n, d, n - d) for flag, n, d in zip(_FLAGS, heard, decided, strict=True)]
    return DataSet(
        "vulnerability",
        "Requests by the child's circumstances",
        _HEARD + " A child with several circumstances counts under each of them.",
        ("Circumstance", "Hearings", "Decided", "Deferred"),
        tuple(rows),
        frozenset({1, 2, 3}),
        (0, (2, 3)),
        sums=_row_sums(rows, 1, (2, 3)),
    )


def _deferrals(hearings: list[_Hearing]) -> tuple[DataSet, DataSet]:
    deferred = [(h, d) for h in hearings if (d := h.deferral) is not None]
    per_case = Counter(h.case.id for h, _ in deferred)
    cases = {h.case.id for h in hearings}
    days = [(d.return_date - h.meeting_date).days for h, d in deferred]
    why = Counter(
        "The panel was not quorate" if d.inquorate_reasons else "Information needed"
        for _, d in deferred
    )
    summary = (
        ("Hearings", len(hearings)),
        ("Deferrals", len(deferred)),
        ("Deferral rate (%)", round(100 * len(deferred) / len(hearings), 1) if hearings else 0),
        ("Cases heard", len(cases)),
        ("Cases deferred at least once", len(per_case)),
        *(
            (f"Cases deferred {n} time{'s' if n > 1 else ''}", c)
            for n, c in sorted(Counter(per_case.values()).items())
        ),
        *((f"Reason: {reason}", n) for reason, n in sorted(why.items())),
        ("Days added (total)", sum(days)),
        ("Days added (median a deferral)", statistics.median(days) if days else 0),
        (
            "Deferrals putting the statutory date at risk",
            sum(bool(d.timescale_risk) for _, d in deferred),
        ),
    )
    counts = frozenset({1})
    at = {row[0]: (i, 1) for i, row in enumerate(summary)}
    times = {n: at[f"Cases deferred {n} time{'s' if n > 1 else ''}"] for n in per_case.values()}
    reasons = tuple(at[k] for k in at if k.startswith("Reason: "))
    sums = tuple(
        (total, parts)
        for total, parts in (
            (at["Cases deferred at least once"], tuple(times.values())),
            (at["Deferrals"], reasons),
            # each case deferred n times is n of the deferrals
            (at["Deferrals"], tuple(cell for n, cell in sorted(times.items()) for _ in range(n))),
        )
        if parts
    )
    derived = (
        (at["Deferral rate (%)"], (at["Deferrals"], at["Hearings"])),
        (at["Days added (total)"], (at["Deferrals"],)),
        (at["Days added (median a deferral)"], (at["Deferrals"],)),
    )
    table = DataSet(
        "deferrals",
        "Deferrals",
        "Deferrals of requests heard in the period. Days added: from the meeting that deferred "
        "to the return date the panel agreed. Reasons: whether the panel was not quorate, or "
        "deferred for information (the reasons typed are not published).",
        ("Measure", "Value"),
        summary,
        counts,
        not_counts=frozenset(
            {"Deferral rate (%)", "Days added (total)", "Days added (median a deferral)"}
        ),
        sums=sums,
        derived=derived,
    )
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for h in hearings:
        month = by_month[_month(h.meeting_date)]
        month[0] += 1
        month[1] += h.deferral is not None
    monthly = DataSet(
        "deferrals_by_month",
        "Deferrals by month",
        "Hearings and deferrals in each calendar month of the period.",
        ("Month", "Hearings", "Deferrals"),
        tuple((m, *v) for m, v in sorted(by_month.items())),
        frozenset({1, 2}),
        (0, (1, 2)),
    )
    return table, monthly


def _plan_clock(case: _CaseFacts, decision_clock: StatutoryClock | None) -> StatutoryClock:
    exceptions = decision_clock.exceptions if decision_clock else ()
    return StatutoryClock(
        "Final EHC plan issued (20 weeks)",
        "R11",
        case.request_received,
        final_plan_due(case.request_received),
        exceptions=exceptions,
        exceptions_allowed=True,
    )


def _timeliness(hearings: list[_Hearing]) -> tuple[DataSet, DataSet]:
    results: dict[str, list] = defaultdict(list)
    taken: dict[str, list[int]] = defaultdict(list)
    monthly: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    plans_seen: set[int] = set()
    for h in hearings:
        if h.status != _DECIDED:
            continue
        clock = statutory_clock(h.case)
        if clock is not None:
            result = clock.timeliness(h.meeting_date)
            results[clock.name].append(result)
            taken[clock.name].append((h.meeting_date - clock.start).days)
            month = monthly[_month(h.meeting_date)]
            month[0] += 1
            month[1] += result.met
        case = h.case
        if case.final_plan_issued and h.outcome == Outcome.ISSUE_PLAN and case.id not in plans_seen:
            plans_seen.add(case.id)
            plan = _plan_clock(case, clock)
            results[plan.name].append(plan.timeliness(case.final_plan_issued))
            taken[plan.name].append((case.final_plan_issued - plan.start).days)
    rows = []
    for name in sorted(results):
        report = timeliness_report(results[name])
        rows.append(
            (
                name,
                report.cases,
                report.met,
                _percent(report.share_met),
                report.excepted,
                report.cases_without_excepted,
                report.met_without_excepted,
                _percent(report.share_met_without_excepted),
                statistics.median(taken[name]),
            )
        )
    table = DataSet(
        "timeliness",
        "Timeliness against the statutory time limits",
        "For each decision in the period with a statutory time limit, whether the panel decided "
        "on or before the due date (the due date never moves). For an EHC plan the panel agreed "
        "to issue, whether the final plan was issued within 20 weeks of the request. 'Without "
        "excepted cases' leaves out cases a recorded exception (SEND Regulations 2014, reg. "
        "10) applies to. Median days: from the clock's start to the decision or plan.",
        (
            "Time limit",
            "Cases",
            "In time",
            "In time (%)",
            "Excepted cases",
            "Cases without excepted",
            "In time without excepted",
            "In time without excepted (%)",
            "Median days taken",
        ),
        tuple(rows),
        frozenset({1, 2, 4, 5, 6}),
        (0, (3, 7)),
        sums=_row_sums(rows, 1, (4, 5)),
        derived=tuple(
            pair
            for r in range(len(rows))
            for pair in (
                ((r, 3), ((r, 1), (r, 2))),
                ((r, 7), ((r, 5), (r, 6))),
                ((r, 8), ((r, 1),)),
            )
        ),
    )
    by_month = tuple(
        (m, c, met, _percent(met / c if c else None)) for m, (c, met) in sorted(monthly.items())
    )
    over_time = DataSet(
        "timeliness_by_month",
        "Decisions in time, by month",
        "Decisions with a statutory time limit in each month, and how many were in time.",
        ("Month", "Decisions with a time limit", "In time", "In time (%)"),
        by_month,
        frozenset({1, 2}),
        (0, (3,)),
        derived=tuple(((r, 3), ((r, 1), (r, 2))) for r in range(len(by_month))),
    )
    return table, over_time


def _percent(share: float | None):
    return round(100 * share, 1) if share is not None else ""


_FUNDED = {RequestType.TOP_UP, RequestType.PLACEMENT}


def _funding(hearings: list[_Hearing]) -> tuple[DataSet, DataSet]:
    by_band: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    by_month: dict[str, int] = defaultdict(int)
    for h in hearings:
        if h.amount_pence is None or h.case.request_type not in _FUNDED:
            continue
        key = (
            financial_year(h.meeting_date),
            _label(RequestType, h.case.request_type),
            h.band or "No band",
            _label(PlacementType, h.case.placement_type),
        )
        by_band[key][0] += 1
        by_band[key][1] += h.amount_pence
        by_month[_month(h.meeting_date)] += h.amount_pence
    rows = tuple((*k, n, pence / 100) for k, (n, pence) in sorted(by_band.items()))
    table = DataSet(
        "funding",
        "High Needs funding committed",
        "Amounts the panel agreed for top-up (element 3) and placement requests decided in the "
        "period, by financial year (1 April to 31 March), band and placement type, in pounds "
        "as recorded with the decision.",
        ("Financial year", "Request type", "Band", "Placement type", "Decisions", "Amount (£)"),
        rows,
        frozenset({4}),
        (2, (5,)),
    )
    running = 0
    months = []
    for month, pence in sorted(by_month.items()):
        running += pence
        months.append((month, pence / 100, running / 100))
    over_time = DataSet(
        "funding_by_month",
        "High Needs funding committed over time",
        "Funding agreed in each month of the period, and the running total.",
        ("Month", "Committed (£)", "Running total (£)"),
        tuple(months),
        frozenset(),
        (0, (1, 2)),
    )
    return table, over_time


def _roles_of(member: Member) -> list[str]:
    return [_label(Role, r) for r in (member.roles or [])] or ["No role"]


def _meeting_facts(session: Session, query: StatsQuery) -> tuple[DataSet, DataSet]:
    meetings = select(Meeting.id).where(
        Meeting.meeting_date >= query.start, Meeting.meeting_date <= query.end
    )
    if query.panel_id is not None:
        meetings = meetings.where(Meeting.panel_id == query.panel_id)
    attendance: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = list(
        session.execute(
            select(Attendance.status, Attendance.member_id).where(
                Attendance.meeting_id.in_(meetings)
            )
        )
    )
    members = {
        m.id: m for m in session.scalars(select(Member).where(Member.id.in_({r[1] for r in rows})))
    }
    index = {
        AttendanceStatus.PRESENT: 0,
        AttendanceStatus.APOLOGIES: 1,
        AttendanceStatus.ABSENT: 2,
    }
    roles_of = {member_id: _roles_of(member) for member_id, member in members.items()}
    for status, member_id in rows:
        for role in roles_of[member_id]:
            attendance[role][index.get(status, 2)] += 1
    by_role = DataSet(
        "attendance",
        "Attendance by role",
        "For each role, how many times a member holding it was present, sent apologies or was "
        "absent at the meetings in the period (a member with two roles counts under each).",
        ("Role", "Present", "Apologies", "Absent"),
        tuple((role, *c) for role, c in sorted(attendance.items())),
        frozenset(),
        (0, (1, 2, 3)),
    )
    declarations = list(
        session.execute(
            select(DeclarationRow.withdraws, DeclarationRow.correction).where(
                DeclarationRow.meeting_id.in_(meetings)
            )
        )
    )
    kept = [d for d in declarations if not d.correction]
    panels = {panel.id: panel for panel in session.scalars(select(Panel))}
    papers = session.execute(
        select(Paper.received_at, Meeting.meeting_date, Meeting.panel_id)
        .join(AgendaItem, Paper.agenda_item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.id.in_(meetings))
    )
    total_papers = late = 0
    deadlines: dict[tuple[int, date], date] = {}  # the last day in time, once a meeting
    for received_at, on, panel_id in papers:
        total_papers += 1
        deadline = deadlines.get((panel_id, on))
        if deadline is None:
            rule = paper_deadline_rule(panels[panel_id], on)
            deadline = deadlines[(panel_id, on)] = paper_deadline(on, rule)
        late += local_day(received_at) > deadline  # as papers.is_late decides
    facts = DataSet(
        "meetings",
        "Meetings: papers and declarations",
        "Papers attached to items of the meetings in the period, and how many arrived after the "
        "panel's paper deadline; declarations of interest made at those meetings (corrections "
        "of a declaration made in error are left out), and how many led the member to withdraw.",
        ("Measure", "Value"),
        (
            ("Meetings", session.query(Meeting).filter(Meeting.id.in_(meetings)).count()),
            ("Papers", total_papers),
            ("Late papers", late),
            ("Declarations of interest", len(kept)),
            ("Declarations with the member withdrawing", sum(bool(d.withdraws) for d in kept)),
        ),
        frozenset(),
    )
    return by_role, facts


#: every data set's key, in the order ``panel_statistics`` gives them
KEYS = (
    "outcomes", "primary_need", "age_band", "year_group", "setting", "placement_type",
    "vulnerability", "deferrals", "deferrals_by_month", "timeliness", "timeliness_by_month",
    "funding", "funding_by_month", "attendance", "meetings", "appeals", "letters",
)  # fmt: skip


def panel_statistics(
    session: Session, query: StatsQuery, keys: Iterable[str] | None = None
) -> list[DataSet]:
    """Every data set for the period, with exact counts (for inside the application), in the
    order of ``KEYS``; with ``keys``, only those (the Panel data window works out the chart in
    view first, and the others after it is drawn)."""
    wanted = set(KEYS if keys is None else keys)
    if unknown := wanted - set(KEYS):
        raise ValueError(f"no such panel figure: {', '.join(sorted(unknown))}")
    hearings = _hearings(session, query)
    groups = (  # (the keys a builder gives, the builder), in the order of KEYS
        (("outcomes",), lambda: (_outcomes(hearings),)),
        *(
            ((g[0],), lambda g=g: (_by(g[0], g[1], g[2], g[3], hearings, g[4]),))
            for g in _GROUPINGS
        ),
        (("vulnerability",), lambda: (_flags(hearings),)),
        (("deferrals", "deferrals_by_month"), lambda: _deferrals(hearings)),
        (("timeliness", "timeliness_by_month"), lambda: _timeliness(hearings)),
        (("funding", "funding_by_month"), lambda: _funding(hearings)),
        (("attendance", "meetings"), lambda: _meeting_facts(session, query)),
        (("appeals", "letters"), lambda: _followups(session, query, hearings, wanted)),
    )
    out: list[DataSet] = []
    for group_keys, build in groups:
        if wanted.intersection(group_keys):
            out.extend(ds for ds in build() if ds.key in wanted)
    return out


#: the requests-by data sets: (key, title, meaning, heading, what groups a hearing)
_GROUPINGS = (
    (
        "primary_need",
        "Requests by primary need (SEN2)",
        _HEARD,
        "Primary need",
        lambda h: _label(PrimaryNeed, h.case.primary_need),
    ),
    (
        "age_band",
        "Requests by age band",
        _HEARD + " Age on the day of the meeting, in the SEN2 bands.",
        "Age band",
        lambda h: age_band(h.case.date_of_birth, h.meeting_date),
    ),
    (
        "year_group",
        "Requests by year group",
        _HEARD,
        "Year group",
        lambda h: h.case.year_group or "Not recorded",
    ),
    (
        "setting",
        "Requests by setting",
        _HEARD + " The setting as recorded on the case.",
        "Setting",
        lambda h: h.case.setting or "Not recorded",
    ),
    (
        "placement_type",
        "Requests by placement type",
        _HEARD,
        "Placement type",
        lambda h: _label(PlacementType, h.case.placement_type),
    ),
)


def _followups(
    session: Session, query: StatsQuery, hearings: list[_Hearing], wanted: set[str]
) -> list[DataSet]:
    """The appeal and letter figures, from the hearings already read."""
    from panelapp.services.followup_statistics import HeardItem, appeal_figures, letter_figures

    followed = [
        HeardItem(
            h.case.request_type,
            h.decision_id,
            h.outcome,
            LetterFacts(
                h.meeting_id,
                h.meeting_date,
                h.notify_within_working_days,
                h.position,
                h.case.reference,
                h.case.request_received,
                h.letter_sent_on,
                h.outcome,
            ),
        )  # fmt: skip
        for h in hearings
    ]
    out = []
    if "appeals" in wanted:
        decided = [f for f, h in zip(followed, hearings, strict=True) if h.status == _DECIDED]
        out.append(appeal_figures(session, query, items=decided))
    if "letters" in wanted:
        out.append(letter_figures(session, query, uk_day(utc_now()), items=followed))
    return out


def _primary(ds: DataSet, threshold: int) -> set[Cell]:
    """The count cells under the threshold (1 to threshold-1): shown as "<threshold"."""
    return {
        (r, c)
        for r, row in enumerate(ds.rows)
        if row and row[0] not in ds.not_counts
        for c in ds.count_columns
        if c < len(row)
        and isinstance(row[c], int)
        and not isinstance(row[c], bool)
        and 0 < row[c] < threshold
    }


def _value(ds: DataSet, cell: Cell):
    return ds.rows[cell[0]][cell[1]]


def held_back(ds: DataSet, threshold: int = SUPPRESSION_THRESHOLD) -> tuple[set[Cell], set[Cell]]:
    """The cells a published ``ds`` does not show: (suppressed counts, cells held back with
    them). A total is held back when one of its parts is not shown (so no suppressed part is
    its total less the others, nor narrowed down from it); a total held back whose parts are
    all shown gets its smallest non-zero part held back too; a share or median goes with any
    count it is worked out from. Repeated until nothing changes, as a held-back cell can be a
    part or total elsewhere."""
    primary = _primary(ds, threshold)
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for total, parts in ds.sums:
            if total not in hidden and any(p in hidden for p in parts):
                hidden.add(total)
                changed = True
            elif total in hidden and parts and not any(p in hidden for p in parts):
                shown = sorted(parts, key=lambda p: (_value(ds, p) == 0, _value(ds, p)))
                hidden.add(shown[0])
                changed = True
        for cell, sources in ds.derived:
            if cell not in hidden and any(s in hidden for s in sources):
                hidden.add(cell)
                changed = True
    return primary, hidden - primary


def published(datasets: Iterable[DataSet], threshold: int = SUPPRESSION_THRESHOLD) -> list[DataSet]:
    """The data sets as they may be published: each count of children under ``threshold``
    is shown as "<threshold", and each figure it could be worked out from (a total, a share,
    a median; see ``held_back``) as "[c]"."""
    out = []
    for ds in datasets:
        primary, secondary = held_back(ds, threshold)
        rows = tuple(
            tuple(
                published_count(v, threshold)
                if (r, i) in primary
                else HELD_BACK
                if (r, i) in secondary
                else v
                for i, v in enumerate(row)
            )
            for r, row in enumerate(ds.rows)
        )
        out.append(replace(ds, rows=rows))
    return out
