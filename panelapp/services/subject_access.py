"""Everything held about one child, gathered for a subject access request (UK GDPR article
15): the case facts, every hearing with its decision or deferral, the papers as they were
received, the letters to the family, and the part of each meeting's minutes about the child
(never another child's). One folder with an index; audited like every export."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.documents.minutes_extract import item_extract
from panelapp.domain.case_facts import Vulnerability
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.outcomes import format_pounds
from panelapp.domain.uk_time import uk_day
from panelapp.domain.vocabulary import ItemStatus
from panelapp.services import export_files
from panelapp.services.clock import utc_now
from panelapp.services.decision_followup import item_followup
from panelapp.services.unit_of_work import NotFound, UnitOfWork
from panelapp.store.engine import Store
from panelapp.store.tables import (
    AgendaItem,
    Case,
    DecisionRow,
    DeferralRow,
    FamilyLetterRow,
    Meeting,
    MinutesVersion,
    Panel,
    Paper,
    PaperContent,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubjectAccessExport:
    folder: Path
    files: list[str]
    cases: int
    hearings: int
    papers: int


def _as_typed(text: str | None) -> str:
    return text or ""  # the family's own record: nothing masked


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _case_lines(case: Case) -> list[str]:
    flags = [v.label for v in Vulnerability if getattr(case, v.value, False)]
    lines = [
        f"Name: {case.first_name} {case.last_name}",
        f"Council reference: {case.reference}",
        f"Date of birth: {format_date(case.date_of_birth)}",
        f"Request: {case.request_type.label}, received {format_date(case.request_received)}",
        f"Primary need: {case.primary_need.label}",
    ]
    if case.secondary_need:
        lines.append(f"Secondary need: {case.secondary_need.label}")
    for label, value in (
        ("School or setting", case.setting),
        ("Year group", case.year_group),
        ("Case officer", case.case_officer),
    ):
        if value:
            lines.append(f"{label}: {value}")
    if case.placement_type:
        lines.append(f"Placement type: {case.placement_type.label}")
    if case.final_plan_issued:
        lines.append(f"Final EHC plan issued: {format_date(case.final_plan_issued)}")
    lines.append("Recorded circumstances: " + (", ".join(flags) if flags else "none recorded"))
    lines.append(f"Status: {case.status.capitalize()}")
    return lines


def _decision_lines(session: Session, item: AgendaItem, case: Case) -> list[str]:
    if item.status == ItemStatus.DECIDED:
        row = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item.id))
        if row is None:
            return ["Decided (no decision found)"]
        lines = [f"Decision: {row.outcome.label}", f"Reasons: {row.rationale}"]
        if row.amount_pence is not None:
            lines.append(f"Amount: {format_pounds(row.amount_pence)}")
        for label, value in (("Band", row.band), ("Setting", row.setting)):
            if value:
                lines.append(f"{label}: {value}")
        for label, day in (("Start date", row.start_date), ("Review date", row.review_date)):
            if day:
                lines.append(f"{label}: {format_date(day)}")
        return lines
    if item.status == ItemStatus.DEFERRED:
        deferral = session.scalar(select(DeferralRow).where(DeferralRow.agenda_item_id == item.id))
        if deferral is None:
            return ["Deferred (no deferral found)"]
        return [
            f"Deferred: {deferral.reason}",
            f"Information needed: {deferral.information_required}, from {deferral.provider}",
            f"To return by: {format_date(deferral.return_date)}",
        ]
    return [f"Status: {item.status.label}"]


def _minutes_of(session: Session, meeting_id: int) -> MinutesVersion | None:
    """The latest signed version of the minutes, or the latest draft when none is signed."""
    versions = session.scalars(
        select(MinutesVersion)
        .where(MinutesVersion.meeting_id == meeting_id)
        .order_by(MinutesVersion.version)
    ).all()
    signed = [v for v in versions if v.signed_at is not None]
    chosen = signed or versions
    return chosen[-1] if chosen else None


def gather(session: Session, reference: str) -> tuple[dict[str, bytes], int, int, int]:
    """The files of the export by relative path (index last), and the counts."""
    from panelapp.services.family_letters import make_letters

    cases = session.scalars(
        select(Case).where(Case.reference == reference.strip()).order_by(Case.id)
    ).all()
    if not cases:
        raise NotFound(
            f"No case has the reference {reference.strip()}.",
            next_steps=(NextStep(Step.LIST_CASES),),
        )
    files: dict[str, bytes] = {}
    summary: list[str] = [
        "Information held by the council's SEND and High Needs panels",
        f"Made on {format_date(uk_day(utc_now()))} for a subject access request.",
        "OFFICIAL-SENSITIVE: personal data. Give it only to the person entitled to it.",
        "",
    ]
    hearings = papers = 0
    for n, case in enumerate(cases, start=1):
        summary += [f"Case {n}", *(f"  {line}" for line in _case_lines(case)), ""]
        items = session.execute(
            select(AgendaItem, Meeting, Panel)
            .join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .join(Panel, Meeting.panel_id == Panel.id)
            .where(AgendaItem.case_id == case.id)
            .order_by(Meeting.meeting_date, AgendaItem.id)
        ).all()
        for item, meeting, panel in items:
            hearings += 1
            stem = f"{meeting.meeting_date.isoformat()}-item-{item.position:02d}"
            summary.append(
                f"  Heard by {panel.name} on {format_date(meeting.meeting_date)} "
                f"(item {item.position})"
            )
            summary += [f"    {line}" for line in _decision_lines(session, item, case)]
            # after the meeting: a chief officer's approval or return, mediation and appeal
            summary += [f"    {line}" for line in item_followup(session, item.id, _as_typed)]
            letter = session.scalar(
                select(FamilyLetterRow).where(FamilyLetterRow.agenda_item_id == item.id)
            )
            if letter is not None and letter.sent_on:
                summary.append(f"    Letter to the family sent on {format_date(letter.sent_on)}")
            minutes = _minutes_of(session, meeting.id)
            if minutes is not None:
                lines = item_extract(minutes.document, item.position)
                if lines:
                    state = "signed" if minutes.signed_at else "draft, not signed"
                    head = [
                        f"From the minutes of {panel.name}, {format_date(meeting.meeting_date)} "
                        f"(version {minutes.version}, {state}). Only the part about this "
                        "child is given.",
                        "",
                    ]
                    files[f"minutes-extracts/{stem}.txt"] = "\n".join(head + lines).encode()
            if item.status in (ItemStatus.DECIDED, ItemStatus.DEFERRED):
                on = letter.sent_on if letter is not None and letter.sent_on else None
                for made in make_letters(
                    session, meeting.id, positions=[item.position], letter_date=on
                ):
                    files[f"letters/{stem}-{made.file_name}"] = made.document
        for paper in session.scalars(
            select(Paper).where(Paper.case_id == case.id).order_by(Paper.received_at, Paper.id)
        ):
            papers += 1
            content = session.get(PaperContent, paper.id)
            if content is None:
                continue
            name = export_files.safe_name(f"{papers:03d}-{paper.file_name}")
            files[f"papers/{name}"] = content.content
            summary.append(
                f"  Paper: {paper.title} (received {format_date(uk_day(paper.received_at))}), "
                f"file papers/{name}"
            )
        summary.append("")
    files["summary.txt"] = "\n".join(summary).encode()
    index = [
        "What this folder holds",
        "",
        "summary.txt: the case facts and every hearing, with its decision or deferral",
    ]
    for path in sorted(files):
        if path.startswith("minutes-extracts/"):
            index.append(f"{path}: what the minutes of that meeting say about the child")
        elif path.startswith("letters/"):
            index.append(f"{path}: the letter to the family about that hearing")
        elif path.startswith("papers/"):
            index.append(f"{path}: a paper as the panel received it")
    files["index.txt"] = "\n".join(index).encode()
    return files, len(cases), hearings, papers


def export_subject_access(
    store: Store, actor: str, reference: str, out: Path, *, overwrite: bool = False
) -> SubjectAccessExport:
    """Write the folder (inside ``out`` when it is an existing folder), whole or not at all,
    with its audit event (which names the cases by id, never the child)."""
    with store.read() as session:
        files, n_cases, hearings, n_papers = gather(session, reference)
        case_ids = list(session.scalars(select(Case.id).where(Case.reference == reference.strip())))
    if not files:
        raise PanelappError("Nothing is held about this child.")
    stamp = uk_day(utc_now()).isoformat()
    target = export_files.target_path(
        out, export_files.safe_name(f"subject-access-{reference.strip()}-{stamp}")
    )

    def fill(folder: Path) -> None:
        for relative, data in files.items():
            _write(folder / relative, data)

    def record(uow: UnitOfWork) -> None:
        uow.audit(
            "records.subject_access_exported",
            "case",
            min(case_ids),
            case_ids=sorted(case_ids),
            files=len(files),
            papers=n_papers,
        )

    export_files.publish_folder(store, actor, target, fill, record, overwrite=overwrite)
    logger.info("subject access export of %d cases written", n_cases)
    return SubjectAccessExport(target, sorted(files), n_cases, hearings, n_papers)
