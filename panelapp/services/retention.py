"""Records kept as long as the council's schedule says (R20), then deleted from the store.

A child is known by their council reference: every case with that reference is theirs. Once
the retention period after their date of birth has passed, ``delete_child_records`` removes
their cases and everything hung on them (hearings, papers and their text, decisions,
deferrals, declarations and actions about their items, letters, approvals, drafts, typed
reasons), keeps only counts by panel, month, request type and outcome for the statistics
(``deleted_case_counts``), records one audit event that says what was deleted and why without
the child's data, then rebuilds the store file so the deleted bytes are gone from it.

What hangs on a case is found from the tables' foreign keys, so a table added later (with a
foreign key to a case, an agenda item or anything below them) is deleted with the child
without this module changing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.retention import MinutesRetention, RetentionPolicy
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus
from panelapp.services.unit_of_work import NotFound, UnitOfWork
from panelapp.store.engine import Store
from panelapp.store.fulltext import merge_index
from panelapp.store.tables import (
    AgendaItem,
    Base,
    Case,
    DecisionRow,
    DeclarationRow,
    DeletedCaseCount,
    Meeting,
    MinutesVersion,
    ReasonRow,
    StoreMeta,
)

logger = logging.getLogger(__name__)

_YEARS, _MINUTES = "retention_years", "retention_minutes"
#: typed reasons are kept by entity name and id, without a foreign key: entity -> table
_REASON_ENTITIES = {
    "case": "cases",
    "agenda_item": "agenda_items",
    "paper": "papers",
    "declaration": "declarations",
    "clock_exception": "clock_exceptions",
    "action": "actions",
    "approval": "approvals",
}
#: rows of these tables are someone else's business: a reference to a deleted row is cleared
_SHARED = frozenset({"panels", "members", "meetings", "cases", "agenda_items", "reasons"})


def retention_policy(session: Session) -> RetentionPolicy:
    years = session.get(StoreMeta, _YEARS)
    minutes = session.get(StoreMeta, _MINUTES)
    return RetentionPolicy(
        years=int(years.value) if years else RetentionPolicy.years,
        minutes=MinutesRetention(minutes.value) if minutes else RetentionPolicy.minutes,
    )


def set_retention_policy(
    uow: UnitOfWork, *, years: int | None = None, minutes: MinutesRetention | None = None
) -> RetentionPolicy:
    """Change the council's retention setting (either part); audited."""
    current = retention_policy(uow.session)
    policy = RetentionPolicy(
        years=current.years if years is None else years,
        minutes=current.minutes if minutes is None else MinutesRetention(minutes),
    )
    for name, value in ((_YEARS, str(policy.years)), (_MINUTES, policy.minutes.value)):
        row = uow.session.get(StoreMeta, name)
        if row is None:
            uow.session.add(StoreMeta(name=name, value=value))
        else:
            row.value = value
    uow.session.flush()
    uow.audit("retention.set", "store", None, years=policy.years, minutes=policy.minutes.value)
    return policy


@dataclass(frozen=True)
class ChildRecords:
    """What the store holds about one child, for the officer deciding on deletion."""

    reference: str
    delete_on: date
    cases: int
    hearings: int
    papers: int
    last_heard: date | None

    def due(self, today: date) -> bool:
        return self.delete_on <= today


def _children(session: Session, references: list[str] | None = None) -> list[ChildRecords]:
    from panelapp.store.tables import Paper

    policy = retention_policy(session)
    query = select(Case.reference, Case.id, Case.date_of_birth)
    if references is not None:
        query = query.where(Case.reference.in_(references))
    born: dict[str, date] = {}
    case_ids: dict[str, list[int]] = defaultdict(list)
    for reference, case_id, date_of_birth in session.execute(query):
        case_ids[reference].append(case_id)
        born[reference] = max(born.get(reference, date_of_birth), date_of_birth)
    heard: dict[int, list[date]] = defaultdict(list)
    for case_id, day in session.execute(
        select(AgendaItem.case_id, Meeting.meeting_date).join(
            Meeting, AgendaItem.meeting_id == Meeting.id
        )
    ):
        heard[case_id].append(day)
    papers: dict[int, int] = defaultdict(int)
    for (case_id,) in session.execute(select(Paper.case_id)):
        papers[case_id] += 1
    children = []
    for reference, ids in case_ids.items():
        days = [d for c in ids for d in heard[c]]
        children.append(
            ChildRecords(
                reference=reference,
                delete_on=policy.delete_on(born[reference]),
                cases=len(ids),
                hearings=len(days),
                papers=sum(papers[c] for c in ids),
                last_heard=max(days) if days else None,
            )
        )
    return sorted(children, key=lambda c: (c.delete_on, c.reference))


def due_for_deletion(session: Session, today: date) -> list[ChildRecords]:
    """Every child whose records have passed the council's retention period on ``today``."""
    return [c for c in _children(session) if c.due(today)]


def child_records(session: Session, reference: str) -> ChildRecords:
    found = _children(session, [reference.strip()])
    if not found:
        raise NotFound(
            f"No case has the reference {reference.strip()}.",
            next_steps=(NextStep(Step.LIST_CASES),),
        )
    return found[0]


@dataclass
class DeletionReport:
    """What was deleted (counts by what a person calls the rows) and the meetings whose
    signed minutes were deleted or kept."""

    deleted: dict[str, int] = field(default_factory=dict)
    minutes_deleted: list[int] = field(default_factory=list)
    minutes_kept: list[int] = field(default_factory=list)
    file_rebuilt: bool = False


def _references_to(table: Table) -> list[tuple[Table, str]]:
    """(table, column) pairs of every foreign key that points at ``table``'s id."""
    pairs = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.column.name == "id":
                pairs.append((other, fk.parent.name))
    return pairs


def _rows_below(session: Session, case_ids: set[int]) -> dict[str, set[int]]:
    """Every row, table by table, that hangs on the cases (by foreign keys, transitively),
    by id; tables without an id column are deleted by their foreign key instead."""
    tables = Base.metadata.tables
    found: dict[str, set[int]] = {"cases": set(case_ids)}
    found["agenda_items"] = set(
        session.scalars(select(AgendaItem.id).where(AgendaItem.case_id.in_(case_ids)))
    )
    queue = ["cases", "agenda_items"]
    while queue:
        name = queue.pop()
        ids = found[name]
        for other, column in _references_to(tables[name]):
            if other.name in _SHARED or "id" not in other.c or not ids:
                continue
            more = set(session.scalars(select(other.c.id).where(other.c[column].in_(ids))))
            new = more - found.get(other.name, set())
            if new:
                found.setdefault(other.name, set()).update(new)
                queue.append(other.name)
    return found


def _count_for_statistics(session: Session, case_ids: set[int]) -> None:
    """Add the cases to the counts the statistics keep once the child is deleted."""
    counts: dict[tuple[int | None, str, str, str], int] = defaultdict(int)
    heard = set()
    for item, meeting, case in session.execute(
        select(AgendaItem, Meeting, Case)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .join(Case, AgendaItem.case_id == Case.id)
        .where(AgendaItem.case_id.in_(case_ids))
    ):
        heard.add(case.id)
        if item.status == ItemStatus.DECIDED:
            decision = session.scalar(
                select(DecisionRow.outcome).where(DecisionRow.agenda_item_id == item.id)
            )
            outcome = decision or ""
        elif item.status == ItemStatus.DEFERRED:
            outcome = "deferred"
        else:
            outcome = ""
        month = f"{meeting.meeting_date:%Y-%m}"
        counts[(meeting.panel_id, month, case.request_type, outcome)] += 1
    for case in session.scalars(select(Case).where(Case.id.in_(case_ids - heard))):
        counts[(None, "", case.request_type, "")] += 1
    for (panel_id, month, request_type, outcome), n in counts.items():
        row = session.scalar(
            select(DeletedCaseCount).where(
                DeletedCaseCount.panel_id.is_(None)
                if panel_id is None
                else DeletedCaseCount.panel_id == panel_id,
                DeletedCaseCount.month == month,
                DeletedCaseCount.request_type == request_type,
                DeletedCaseCount.outcome == outcome,
            )
        )
        if row is None:
            session.add(
                DeletedCaseCount(
                    panel_id=panel_id,
                    month=month,
                    request_type=request_type,
                    outcome=outcome,
                    cases=n,
                )
            )
        else:
            row.cases += n
    session.flush()


_WHAT = {
    "cases": "cases",
    "agenda_items": "hearings",
    "papers": "papers",
    "decisions": "decisions",
    "deferrals": "deferrals",
    "declarations": "declarations of interest",
    "actions": "actions",
    "family_letters": "letters to families",
    "reasons": "typed reasons",
    "minutes_versions": "versions of signed minutes",
}


def _guard(session: Session, case_ids: set[int], reference: str, today: date) -> ChildRecords:
    child = child_records(session, reference)
    if not child.due(today):
        raise PanelappError(
            f"The records of {child.reference} are kept until {format_date(child.delete_on)} "
            "under the council's retention setting; nothing was deleted."
        )
    busy = session.scalars(
        select(Meeting.id)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(
            AgendaItem.case_id.in_(case_ids),
            Meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS]),
        )
    ).all()
    if busy:
        raise PanelappError(
            f"A case of {child.reference} is on the agenda of meeting {busy[0]}, which has not "
            "taken place yet. Take it off that agenda first; nothing was deleted."
        )
    return child


def delete_child_records(
    store: Store, actor: str, reference: str, *, today: date
) -> DeletionReport:
    """Delete everything held about the child with this council reference, once retention
    has passed (refused before, and while a case is on an agenda still to be heard). One
    transaction; then the store file is rebuilt so the deleted data is gone from it."""
    report = DeletionReport()
    with UnitOfWork(store, actor) as uow:
        session = uow.session
        case_ids = set(session.scalars(select(Case.id).where(Case.reference == reference.strip())))
        if not case_ids:
            child_records(session, reference)  # says plainly that there is no such case
        _guard(session, case_ids, reference, today)
        policy = retention_policy(session)
        meeting_ids = set(
            session.scalars(select(AgendaItem.meeting_id).where(AgendaItem.case_id.in_(case_ids)))
        )
        _count_for_statistics(session, case_ids)
        rows = _rows_below(session, case_ids)
        reasons: set[int] = set()
        for entity, table in _REASON_ENTITIES.items():
            ids = rows.get(table, set())
            if ids:
                reasons.update(
                    session.scalars(
                        select(ReasonRow.id).where(
                            ReasonRow.entity == entity, ReasonRow.entity_id.in_(ids)
                        )
                    )
                )
        rows["reasons"] = reasons
        _forget_items_in_declarations(uow, rows["agenda_items"])
        tables = Base.metadata.tables
        for table in reversed(Base.metadata.sorted_tables):
            for other, column in _references_to(table):
                if "id" not in other.c and rows.get(table.name):
                    # a table keyed by its foreign key (drafts, paper bytes, online attendance)
                    session.execute(delete(other).where(other.c[column].in_(rows[table.name])))
            ids = rows.get(table.name, set())
            if not ids:
                continue
            for other, column in _references_to(table):
                if other.name in _SHARED and "id" in other.c and other.name != table.name:
                    keep = rows.get(other.name, set())
                    session.execute(
                        update(other)
                        .where(other.c[column].in_(ids), other.c.id.not_in(keep))
                        .values({column: None})
                    )
            for row_id in ids:
                uow.mark_changed(table.name, row_id)
            session.execute(delete(tables[table.name]).where(tables[table.name].c.id.in_(ids)))
            report.deleted[table.name] = len(ids)
        for meeting_id in sorted(meeting_ids):
            remaining = session.scalar(
                select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id).limit(1)
            )
            signed = session.scalars(
                select(MinutesVersion.id).where(MinutesVersion.meeting_id == meeting_id)
            ).all()
            if not signed:
                continue
            if (
                policy.minutes is MinutesRetention.DELETE_WHEN_NO_CHILD_REMAINS
                and remaining is None
            ):
                for row_id in signed:
                    uow.mark_changed("minutes_versions", row_id)
                session.execute(delete(MinutesVersion).where(MinutesVersion.id.in_(signed)))
                report.deleted["minutes_versions"] = report.deleted.get(
                    "minutes_versions", 0
                ) + len(signed)
                report.minutes_deleted.append(meeting_id)
            else:
                report.minutes_kept.append(meeting_id)
        session.expire_all()
        merge_index(session)
        uow.audit(
            "records.deleted",
            "case",
            min(case_ids),
            why="retention period ended",
            retention_years=policy.years,
            case_ids=sorted(case_ids),
            meetings=sorted(meeting_ids),
            deleted={_WHAT.get(k, k): n for k, n in sorted(report.deleted.items())},
            minutes_deleted=report.minutes_deleted,
            minutes_kept=report.minutes_kept,
        )
    report.file_rebuilt = store.compact()
    logger.info("deleted the records of %d cases at the end of retention", len(case_ids))
    return report


def _forget_items_in_declarations(uow: UnitOfWork, item_ids: set[int]) -> None:
    """A declaration made for the meeting may list deleted items among those it excluded."""
    if not item_ids:
        return
    for row in uow.session.scalars(select(DeclarationRow)):
        excluded = list(row.excluded_item_ids or [])
        if set(excluded) & item_ids and row.id is not None:
            row.excluded_item_ids = [i for i in excluded if i not in item_ids]
    uow.session.flush()
