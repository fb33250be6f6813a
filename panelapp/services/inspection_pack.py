"""The inspection pack (``panelapp inspection-pack``): for a period, each panel's terms of
reference generated from its settings, every signed minutes version of a meeting in the period
exactly as the store keeps it, the statistics workbook, and an index listing them with their
digests. One folder, whole or not at all, with its audit event."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from panelapp.documents.inspection_documents import (
    TEMPLATE,
    PackEntry,
    TermsOfReference,
    write_pack_index,
    write_terms_of_reference,
)
from panelapp.documents.statistics_workbook import write_workbook
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import PanelType, Role
from panelapp.resources import read_template
from panelapp.services import export_files
from panelapp.services.bank_holidays import paper_deadline_rule
from panelapp.services.clock import utc_now
from panelapp.services.panel_statistics import StatsQuery, panel_statistics, published
from panelapp.services.panels import quorum_rule
from panelapp.services.statistics_export import cover_lines
from panelapp.store.engine import Store
from panelapp.store.tables import Meeting, MinutesVersion, Panel

logger = logging.getLogger(__name__)

#: the pack's layout: the index at the top, beside the figures workbook, and two sub-folders
INDEX = "Index.docx"
FIGURES = "Panel figures.xlsx"
TERMS_FOLDER = "Terms of reference"
MINUTES_FOLDER = "Signed minutes"


@dataclass(frozen=True)
class InspectionPack:
    folder: Path
    #: the files written, as paths inside ``folder`` ("Signed minutes/Minutes ... .docx")
    files: tuple[str, ...]
    minutes_versions: int


def _label(enum, code: str) -> str:
    try:
        return enum(code).label
    except ValueError:
        return code


def terms_of_reference(panel: Panel, on: date) -> TermsOfReference:
    """The panel's terms of reference as its settings stand."""
    members = [m for m in panel.members if m.active]
    membership = []
    for role in Role:
        names = tuple(m.name for m in members if role.value in (m.roles or []))
        if names:
            membership.append((role.label, names))
    rule = quorum_rule(panel)
    required = tuple(" or ".join(sorted(r.label for r in group)) for group in rule.required_roles)
    deadline = paper_deadline_rule(panel, on)
    remained = (
        "A member may declare a lesser interest and remain, where the chair agrees; the "
        "minutes record it."
        if panel.allow_declared_remained
        else "Every interest declared in a case means the member withdraws for that case."
    )
    return TermsOfReference(
        council=panel.council,
        panel_name=panel.name,
        panel_type=_label(PanelType, panel.panel_type),
        membership=tuple(membership),
        quorum=(
            f"At least {rule.minimum_members} members present and not withdrawn for the case. "
            "Quorum is checked for each case after withdrawals; a case without quorum cannot "
            "be decided, only deferred, and the minutes say why. Minute takers and observers "
            "do not count."
        ),
        required_roles=required,
        paper_deadline=(
            f"Papers reach the panel {deadline.describe()}; papers received later are marked "
            "late on the agenda, in members' packs and in the minutes."
        ),
        procedure=(
            "The agenda lists each case with its papers, the presenting officer and the time "
            "allowed.",
            "Attendance is recorded at the start, with late arrivals and early departures "
            "from the item they happened at.",
            "Each case is presented, discussed and then decided or deferred.",
        ),
        declarations=(
            "Members declare interests before the meeting or at the start of the item.",
            remained,
            "A member who withdrew is not counted for quorum, takes no part in the decision and "
            "is not listed as participating; the minutes say when they left and returned.",
            "A member who declared an interest before the meeting does not receive that case's "
            "papers.",
            "If the chair is conflicted, the vice-chair (or a member present and not conflicted, "
            "chosen and recorded) chairs the case and signs its decision.",
        ),
        decisions=(
            "Each decision has an outcome for its request type and the reasons for it, with the "
            "amount, band, setting and dates where they apply; a band override needs a reason.",
            "The statutory time limits are shown with every case; decisions are checked "
            "against them.",
            f"Families are told the decision within {panel.notify_within_working_days} working "
            "days.",
        ),
        deferrals=(
            "A deferral records why, what information or action is needed, who provides it "
            "and the return date.",
            "The case comes back to the first meeting of the panel on or after the return date.",
            "A return date after the statutory due date needs a recorded reason and is shown as "
            "a timescale risk.",
        ),
        signing=(
            "The chair reads and signs the minutes in panelapp; the decisions are then locked.",
            "A correction is an amendment: a new version with its reason, signed again; earlier "
            "versions are kept.",
        ),
    )


def _minutes_name(version: MinutesVersion, meeting: Meeting, panel: Panel) -> str:
    return (
        export_files.safe_name(
            f"Minutes {panel.name} {meeting.meeting_date.isoformat()} v{version.version} signed"
        )
        + ".docx"
    )


def export_inspection_pack(
    store: Store,
    actor: str,
    start: date,
    end: date,
    out: Path,
    *,
    panel_id: int | None = None,
    overwrite: bool = False,
) -> InspectionPack:
    """Write the pack into the new folder ``out``, whole or not at all, with one audit event.

    Raises PanelappError, before anything is written, when the period ends before it starts,
    ``out`` already exists (unless ``overwrite``), its folder does not exist, the panel does not
    exist, or no minutes of a meeting in the period have been signed."""
    if end < start:
        raise PanelappError("--to is before --from. Give the period's first day, then its last.")
    target = Path(out).expanduser()
    export_files.check_target(target, overwrite)
    query = StatsQuery(start, end, panel_id)
    template = read_template(TEMPLATE)
    moment = utc_now()
    files: dict[str, tuple[bytes, str]] = {}
    with store.read() as session:
        panels_stmt = select(Panel).order_by(Panel.id)
        if panel_id is not None:
            panels_stmt = panels_stmt.where(Panel.id == panel_id)
        panels = list(session.scalars(panels_stmt))
        if panel_id is not None and not panels:
            raise PanelappError(
                f"There is no panel {panel_id}.", next_steps=(NextStep(Step.LIST_PANELS),)
            )
        for panel in panels:
            name = export_files.safe_name(f"Terms of reference {panel.name} {panel.id}") + ".docx"
            files[f"{TERMS_FOLDER}/{name}"] = (
                write_terms_of_reference(terms_of_reference(panel, end), template, moment),
                f"Terms of reference of {panel.name}, from its settings in panelapp",
            )
        signed = session.execute(
            select(MinutesVersion, Meeting, Panel)
            .join(Meeting, MinutesVersion.meeting_id == Meeting.id)
            .join(Panel, Meeting.panel_id == Panel.id)
            .where(MinutesVersion.signed_at.is_not(None))
            .where(Meeting.meeting_date >= start, Meeting.meeting_date <= end)
            .where(*([Meeting.panel_id == panel_id] if panel_id is not None else []))
            .order_by(Meeting.meeting_date, Meeting.id, MinutesVersion.version)
        ).all()
        if not signed:
            raise PanelappError(
                f"No minutes of a meeting from {format_date(start)} to {format_date(end)} have "
                "been signed, so there is nothing to put in an inspection pack. Choose a period "
                "whose meetings have signed minutes, or have the chair sign them first."
            )
        for version, meeting, panel in signed:
            name = f"{MINUTES_FOLDER}/{_minutes_name(version, meeting, panel)}"
            if name in files:  # two meetings of the panel on one day
                name = name.removesuffix(".docx") + f" meeting {meeting.id}.docx"
            files[name] = (
                bytes(version.document),
                f"Signed minutes of {panel.name}, meeting of {format_date(meeting.meeting_date)}, "
                f"version {version.version}, exactly as kept",
            )
        sets = published(panel_statistics(session, query))
        lines = cover_lines(session, query, publish=True)
    files[FIGURES] = (
        write_workbook(sets, cover_lines=lines),
        "The panel figures for the period, for publication (counts under 5 shown as <5, and "
        "figures that would give them away as [c])",
    )
    entries = [
        PackEntry(name, what, hashlib.sha256(data).hexdigest())
        for name, (data, what) in files.items()
    ]
    title = panels[0].name if panel_id is not None and panels else "All panels"
    index = write_pack_index(title, start, end, entries, template, moment)

    def fill(folder: Path) -> None:
        for name, (data, _) in files.items():
            path = folder / name
            path.parent.mkdir(mode=0o700, exist_ok=True)
            path.write_bytes(data)
        (folder / INDEX).write_bytes(index)

    def record(uow) -> None:
        uow.audit(
            "inspection_pack.exported",
            "panel",
            panel_id,
            start=start.isoformat(),
            end=end.isoformat(),
            files=len(files) + 1,
            minutes_versions=len(signed),
            minutes_version_ids=[v.id for v, _, _ in signed],
        )

    export_files.publish_folder(store, actor, target, fill, record, overwrite=overwrite)
    logger.info("exported an inspection pack of %d files", len(files) + 1)
    return InspectionPack(target, (*files, INDEX), len(signed))
