"""The panel figures about what follows a decision: mediation and appeals per decision outcome,
and letters to families against the service standard. Each is a ``DataSet`` like the other
panel figures, over the same hearings (``StatsQuery``), in two bulk queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.appeals import AppealOutcome, AppealStep
from panelapp.domain.vocabulary import ItemStatus, Outcome, RequestType
from panelapp.services.family_letters import letters_due
from panelapp.store.tables import AgendaItem, AppealStepRow, Case, DecisionRow, Meeting

#: appeals decided in the family's favour, in whole or in part, or conceded by the council
_FOR_FAMILY = {AppealOutcome.UPHELD, AppealOutcome.PARTLY_UPHELD,
               AppealOutcome.CONCEDED}  # fmt: skip


def _items(session: Session, query, statuses: tuple[ItemStatus, ...]):
    stmt = (
        select(
            AgendaItem.id,
            Meeting.id,
            AgendaItem.position,
            Case.request_type,
            DecisionRow.id,
            DecisionRow.outcome,
        )  # fmt: skip
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .join(Case, AgendaItem.case_id == Case.id)
        .outerjoin(DecisionRow, DecisionRow.agenda_item_id == AgendaItem.id)
        .where(Meeting.meeting_date >= query.start, Meeting.meeting_date <= query.end)
        .where(AgendaItem.status.in_(list(statuses)))
    )
    if query.panel_id is not None:
        stmt = stmt.where(Meeting.panel_id == query.panel_id)
    if query.request_type is not None:
        stmt = stmt.where(Case.request_type == RequestType(query.request_type))
    return session.execute(stmt).all()


def _percent(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else ""


def appeal_figures(session: Session, query):
    """Per request type and outcome: decisions, mediation asked for, appeals lodged, appeals
    decided for the family, and the appeal rate."""
    from panelapp.services.panel_statistics import DataSet

    decided = _items(session, query, (ItemStatus.DECIDED,))
    steps: dict[int, dict[str, str | None]] = defaultdict(dict)
    ids = [row[4] for row in decided]
    if ids:
        for decision_id, step, outcome in session.execute(
            select(AppealStepRow.decision_id, AppealStepRow.step, AppealStepRow.outcome).where(
                AppealStepRow.decision_id.in_(ids)
            )
        ):
            steps[decision_id][step] = outcome
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for _, _, _, request_type, decision_id, outcome in decided:
        row = counts[(RequestType(request_type).label, Outcome(outcome).label)]
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


def letter_figures(session: Session, query, today: date):
    """Letters to families about the period's decisions and deferrals against the panel's
    service standard and the legal limit."""
    from panelapp.services.panel_statistics import DataSet

    wanted = [row[0] for row in _items(session, query, (ItemStatus.DECIDED, ItemStatus.DEFERRED))]
    letters = letters_due(session, today, include_sent=True, item_ids=wanted)
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
