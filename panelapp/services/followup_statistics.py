"""The panel figures about what follows a decision: mediation and appeals per decision outcome,
and letters to families against the service standard. Each is a ``DataSet`` like the other
panel figures, over the same hearings (``StatsQuery``). ``panel_statistics`` passes the items
it has read for every figure; asked alone, each reads them in one bulk query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.appeals import AppealOutcome, AppealStep
from panelapp.domain.vocabulary import ItemStatus, Outcome, RequestType
from panelapp.services.family_letters import LetterFacts, letters_of
from panelapp.store.tables import (
    AgendaItem,
    AppealStepRow,
    Case,
    DecisionRow,
    FamilyLetterRow,
    Meeting,
    Panel,
)

#: appeals decided in the family's favour, in whole or in part, or conceded by the council
_FOR_FAMILY = {AppealOutcome.UPHELD, AppealOutcome.PARTLY_UPHELD,
               AppealOutcome.CONCEDED}  # fmt: skip


def _items(session: Session, query, statuses: tuple[ItemStatus, ...]) -> list[HeardItem]:
    stmt = (
        select(
            Case.request_type,
            DecisionRow.id,
            DecisionRow.outcome,
            Meeting.id,
            Meeting.meeting_date,
            Panel.notify_within_working_days,
            AgendaItem.position,
            Case.reference,
            Case.request_received,
            FamilyLetterRow.sent_on,
        )  # fmt: skip
        .select_from(AgendaItem)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .join(Panel, Meeting.panel_id == Panel.id)
        .join(Case, AgendaItem.case_id == Case.id)
        .outerjoin(DecisionRow, DecisionRow.agenda_item_id == AgendaItem.id)
        .outerjoin(FamilyLetterRow, FamilyLetterRow.agenda_item_id == AgendaItem.id)
        .where(Meeting.meeting_date >= query.start, Meeting.meeting_date <= query.end)
        .where(AgendaItem.status.in_(list(statuses)))
    )
    if query.panel_id is not None:
        stmt = stmt.where(Meeting.panel_id == query.panel_id)
    if query.request_type is not None:
        stmt = stmt.where(Case.request_type == RequestType(query.request_type))
    return [
        HeardItem(r[0], r[1], r[2], LetterFacts(r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[2]))
        for r in session.connection().execute(stmt)
    ]


class HeardItem(NamedTuple):
    """One decided or deferred item of the period, as these figures read it."""

    request_type: str
    decision_id: int | None  # None for a deferral
    outcome: str | None
    letter: LetterFacts


@cache  # a few request types and outcomes, asked once a decision
def _labels(request_type: str, outcome: str) -> tuple[str, str]:
    return RequestType(request_type).label, Outcome(outcome).label


def _percent(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else ""


def appeal_figures(session: Session, query, *, items: Iterable[HeardItem] | None = None):
    """Per request type and outcome: decisions, mediation asked for, appeals lodged, appeals
    decided for the family, and the appeal rate. ``items``: the period's decided items when
    already read (``panel_statistics`` passes them)."""
    from panelapp.services.panel_statistics import DataSet

    decided = list(_items(session, query, (ItemStatus.DECIDED,)) if items is None else items)
    steps: dict[int | None, dict[str, str | None]] = defaultdict(dict)
    if decided:
        ids = {item.decision_id for item in decided}
        for step_of, step, step_outcome in session.execute(
            select(AppealStepRow.decision_id, AppealStepRow.step, AppealStepRow.outcome)
        ):  # few: read them all rather than name thousands of decisions in the query
            if step_of in ids:
                steps[step_of][step] = step_outcome
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for request_type, decision_id, outcome, _ in decided:
        row = counts[_labels(request_type, outcome)]
        taken = steps.get(decision_id, {})
        row[0] += 1
        row[1] += AppealStep.MEDIATION_REQUESTED in taken
        row[2] += AppealStep.APPEAL_LODGED in taken
        row[3] += taken.get(AppealStep.APPEAL_DECIDED) in _FOR_FAMILY
    rows = tuple(
        (rtype, outcome, *c, _percent(c[2], c[0])) for (rtype, outcome), c in sorted(counts.items())
    )
    return DataSet(
        "appeals",
        "Mediation and appeals by decision",
        "Each decision made at a meeting in the period, by request type and outcome, with the "
        "mediation and appeal steps recorded against it so far (panelapp appeals record). "
        "'For the family' counts appeals upheld in whole or part and appeals the council "
        "conceded. The appeal rate is appeals lodged as a share of decisions.",
        (
            "Request type",
            "Outcome",
            "Decisions",
            "Mediation asked for",
            "Appeals lodged",
            "For the family",
            "Appeal rate %",
        ),  # fmt: skip
        rows,
        frozenset({2, 3, 4, 5}),
        (1, (2, 4)),
        derived=tuple(((r, 6), ((r, 2), (r, 4))) for r in range(len(rows))),
    )


def letter_figures(
    session: Session, query, today: date, *, items: Iterable[HeardItem] | None = None
):
    """Letters to families about the period's decisions and deferrals against the panel's
    service standard and the legal limit. ``items``: the period's decided and deferred items
    when already read."""
    from panelapp.services.panel_statistics import DataSet

    if items is None:
        items = _items(session, query, (ItemStatus.DECIDED, ItemStatus.DEFERRED))
    letters = letters_of((item.letter for item in items), today)
    sent = [letter for letter in letters if letter.sent_on is not None]
    in_time = sum(not letter.late(today) for letter in sent)
    unsent = [letter for letter in letters if letter.sent_on is None]
    overdue = sum(letter.late(today) for letter in unsent)
    share = "Sent within the standard, % of those sent"
    rows = (
        ("Letters due to families", len(letters)),
        ("Sent within the service standard", in_time),
        ("Sent late", len(sent) - in_time),
        ("Not yet sent, past the standard", overdue),
        ("Not yet sent, still in time", len(unsent) - overdue),
        (share, _percent(in_time, len(sent))),
    )
    return DataSet(
        "letters",
        "Letters to families",
        "One letter per decision or deferral at a meeting in the period. In time means sent "
        "by the panel's service standard (working days after the meeting) and, for a decision "
        "not to assess, within six weeks of the request; as recorded when each letter was "
        "sent.",
        ("Letters", "Number"),
        rows,
        frozenset({1}),
        (0, (1,)),
        frozenset({share}),
        sums=(((0, 1), ((1, 1), (2, 1), (3, 1), (4, 1))),),
        derived=(((5, 1), ((1, 1), (2, 1))),),
    )
