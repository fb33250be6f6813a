"""``panelapp decisions table``: the panel's decisions for one meeting or a period, one row per
item heard, for the council's case management system; whole or not at all, with its audit
event (``export_files``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.documents.decisions_table import table_csv, table_workbook
from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus, NamingMode
from panelapp.services import export_files
from panelapp.services.approvals import approval_for_item
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.meeting_view import ItemView, MeetingView, meeting_view
from panelapp.store.engine import Store
from panelapp.store.tables import FamilyLetterRow, Meeting

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")
_HEARD = (ItemStatus.DECIDED, ItemStatus.DEFERRED, ItemStatus.WITHDRAWN)


@dataclass(frozen=True)
class ExportedTable:
    path: Path
    rows: int


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _row(session: Session, view: MeetingView, item: ItemView) -> list[object]:
    decision, deferral = item.decision, item.deferral
    met = ""
    if item.status is ItemStatus.DECIDED and item.statutory_due is not None:
        met = "yes" if view.meeting_date <= item.statutory_due else "no"
    approval = approval_for_item(session, item.item_id)
    sent = session.scalar(
        select(FamilyLetterRow.sent_on).where(FamilyLetterRow.agenda_item_id == item.item_id)
    )
    outcome = item.outcome.label if item.outcome else item.status.label
    return [
        item.reference,
        item.child_name,
        item.request_type.label,
        outcome,
        f"{item.amount_pence / 100:.2f}" if item.amount_pence is not None else "",
        item.band or "",
        item.setting or "",
        _iso(decision.start_date if decision else None),
        _iso(decision.review_date if decision else None),
        deferral.reason if deferral else "",
        _iso(deferral.return_date if deferral else None),
        view.meeting_id,
        item.position,
        view.meeting_date.isoformat(),
        item.chaired_by or "",
        _iso(item.statutory_due),
        met,
        approval.status if approval else "",
        _iso(sent),
    ]


def _meetings(
    session: Session, meeting_id: int | None, start: date | None, end: date | None
) -> list[Meeting]:
    if meeting_id is not None:
        return [get_meeting(session, meeting_id)]
    if start is None or end is None:
        raise PanelappError("Give a meeting number, or a period with --from and --to.")
    if end < start:
        raise PanelappError("--to is before --from. Give the period's first day, then its last.")
    return list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.meeting_date >= start,
                Meeting.meeting_date <= end,
                Meeting.status != MeetingStatus.SCHEDULED,
            )
            .order_by(Meeting.meeting_date, Meeting.start_time, Meeting.id)
        )
    )


def decision_rows(
    session: Session,
    *,
    meeting_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    naming: NamingMode = NamingMode.INITIALS,
) -> list[list[object]]:
    """The table's rows (columns as ``documents.decisions_table.COLUMNS``): every item decided,
    deferred or withdrawn at the meeting, or at the meetings held in the period. Typed text
    (deferral reasons) is masked for the naming mode like every export."""
    rows: list[list[object]] = []
    for meeting in _meetings(session, meeting_id, start, end):
        view = meeting_view(session, meeting.id, naming)
        rows.extend(_row(session, view, item) for item in view.items if item.status in _HEARD)
    return rows


def export_decisions_table(
    store: Store,
    actor: str,
    out: Path,
    *,
    meeting_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    fmt: str = "csv",
    naming: NamingMode = NamingMode.INITIALS,
    overwrite: bool = False,
) -> ExportedTable:
    """Write the table to ``out`` (a file, or a folder to put it in) as CSV or a workbook."""
    if fmt not in FORMATS:
        raise PanelappError("Give --format as csv or xlsx.")
    naming = NamingMode(naming)
    with store.read() as session:
        rows = decision_rows(session, meeting_id=meeting_id, start=start, end=end, naming=naming)
        if meeting_id is not None:
            meeting = get_meeting(session, meeting_id)
            what = f"meeting {meeting_id} of {format_date(meeting.meeting_date)}"
            default = f"Decisions - meeting {meeting_id} - {meeting.meeting_date.isoformat()}"
        else:
            # decision_rows above (by _meetings) refuses a period without both its days
            assert start is not None and end is not None
            what = f"meetings held {format_date(start)} to {format_date(end)}"
            default = f"Decisions {start.isoformat()} to {end.isoformat()}"
    if not rows:
        raise PanelappError(
            f"No item was decided, deferred or withdrawn at the {what}: there is nothing to export."
        )
    target = export_files.target_path(out, f"{default}.{fmt}")
    about = [("Decisions of", what), ("Children named", naming.label), ("Rows", str(len(rows)))]
    data = table_csv(rows) if fmt == "csv" else table_workbook(rows, about)

    def record(uow, digest: str) -> None:
        uow.audit(
            "decisions.table_exported",
            "meeting",
            meeting_id,
            start=_iso(start),
            end=_iso(end),
            format=fmt,
            naming=naming.value,
            rows=len(rows),
            sha256=digest,
        )

    export_files.publish_file(
        store, actor, target, lambda fh: fh.write(data), record, overwrite=overwrite
    )
    logger.info("exported a decisions table of %d rows", len(rows))
    return ExportedTable(target, len(rows))
