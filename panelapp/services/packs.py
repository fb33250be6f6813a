"""Paper packs: for each member, the agenda and the papers, as a ZIP file or a folder.

A member who declared an interest in a case before the meeting does not receive that case's
papers (R3, ``domain.recusal.items_withheld_from_pack``); the pack's cover says which items
were withheld, by number only. Papers go from the store into the pack one at a time, so a large
meeting never sits in memory whole. Each pack is one audit event (R19) naming the member and
the withheld items by position, never a child.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import BinaryIO, TypeVar

from sqlalchemy.orm import Session

from panelapp.documents import agenda_writer, pack_cover
from panelapp.documents.agenda_content import AgendaDocument
from panelapp.documents.agenda_writer import write_agenda
from panelapp.documents.pack_cover import PackCover, WithheldItem, write_cover
from panelapp.documents.paper_sniffer import PaperKind
from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date, weekday_date
from panelapp.domain.recusal import items_withheld_from_pack
from panelapp.domain.vocabulary import NamingMode
from panelapp.resources import read_template
from panelapp.services import papers
from panelapp.services.agenda_export import (
    DEFAULT_OPENING_MINUTES,
    build_agenda,
    get_meeting,
    member_roles,
    naming_for,
)
from panelapp.services.declarations import declarations_for
from panelapp.services.export_files import (
    publish_file,
    publish_folder,
    safe_name,
    target_path,
)
from panelapp.services.meeting_view import free_text_masker
from panelapp.services.row_lookup import get_row
from panelapp.store.engine import Store
from panelapp.store.tables import Meeting, Member

logger = logging.getLogger(__name__)

T = TypeVar("T")

COVER_NAME = "00 Cover - read first.docx"
AGENDA_NAME = "01 Agenda.docx"
_ALREADY_COMPRESSED = {PaperKind.PDF, PaperKind.DOCX, PaperKind.XLSX, PaperKind.PNG, PaperKind.JPEG}


@dataclass(frozen=True)
class ExportedPack:
    member_id: int
    member_name: str
    path: Path
    withheld_positions: tuple[int, ...]
    papers: int
    sha256: str | None  # of the ZIP file; None for a folder


@dataclass(frozen=True)
class _PackPlan:
    member: Member
    agenda: AgendaDocument
    withheld_positions: tuple[int, ...]
    #: (name in the pack, paper id)
    papers: tuple[tuple[str, int, PaperKind | None], ...]
    cover: bytes
    agenda_bytes: bytes


@dataclass(frozen=True)
class _Templates:
    """The agenda and cover templates, the council's own where it has them, read once for
    the whole export so every member's pack has the same look."""

    agenda: bytes
    cover: bytes

    @classmethod
    def read(cls) -> _Templates:
        return cls(read_template(agenda_writer.TEMPLATE), read_template(pack_cover.TEMPLATE))


def resolve_members(
    session: Session, meeting: Meeting, wanted: Sequence[str | int] | None
) -> list[Member]:
    """The panel's active members, or those asked for by id or by name."""
    active = [m for m in meeting.panel.members if m.active]
    if not wanted:
        return active
    chosen: list[Member] = []
    for want in wanted:
        text = str(want).strip()
        match = [m for m in active if str(m.id) == text or m.name.lower() == text.lower()]
        if not match:
            known = "; ".join(f"{m.id} {m.name}" for m in active)
            raise PanelappError(
                f"'{text}' is not an active member of this panel. Give a member's number or "
                f"full name: {known}."
            )
        chosen.extend(m for m in match if m not in chosen)
    return chosen


def _plan(
    session: Session,
    meeting: Meeting,
    member: Member,
    naming: NamingMode,
    opening_minutes: int,
    today: date | None,
    agendas: dict,
    templates: _Templates,
) -> _PackPlan:
    item_ids = [i.id for i in meeting.items]
    withheld = items_withheld_from_pack(member.id, declarations_for(session, meeting.id), item_ids)
    if withheld not in agendas:  # members with the same withheld items share one agenda
        agenda = build_agenda(
            session,
            meeting.id,
            naming=naming,
            opening_minutes=opening_minutes,
            withheld_item_ids=withheld,
            today=today,
        )
        agendas[withheld] = (agenda, write_agenda(agenda, templates.agenda))
    agenda, agenda_bytes = agendas[withheld]
    entries: list[tuple[str, int, PaperKind | None]] = []
    used: set[str] = {COVER_NAME.lower(), AGENDA_NAME.lower()}
    mask = free_text_masker(meeting, naming)  # as the agenda masks paper titles (R18)
    for item in meeting.items:
        if item.id in withheld:
            continue
        for number, info in enumerate(papers.papers_for_item(session, item.id), start=1):
            title = mask(info.title)
            base = f"Item {item.position:02d} - {number} {safe_name(title, 80)}"
            name, again = base + info.extension, 2
            while name.lower() in used:
                name, again = f"{base} ({again}){info.extension}", again + 1
            used.add(name.lower())
            entries.append((name, info.paper_id, info.kind))
    positions = tuple(sorted(e.position for e in agenda.entries if e.withheld))
    cover = write_cover(
        PackCover(
            panel_name=meeting.panel.name,
            meeting_date=meeting.meeting_date,
            start=meeting.start_time,
            venue=meeting.venue,
            recipient=f"{member.name} ({member_roles(member)})",
            contents=(COVER_NAME, AGENDA_NAME, *(name for name, _, _ in entries)),
            withheld=tuple(
                WithheldItem(e.position, e.start, e.request_type)
                for e in agenda.entries
                if e.withheld
            ),
            late_papers=agenda.late_papers,
            produced_on=agenda.produced_on,
            council=agenda.council,
        ),
        templates.cover,
    )
    return _PackPlan(member, agenda, positions, tuple(entries), cover, agenda_bytes)


@dataclass(frozen=True)
class _PackRun:
    out_dir: Path
    naming: NamingMode
    stem: str


def _member_plans(
    store: Store,
    meeting_id: int,
    out_dir: Path | None,
    members: Sequence[str | int] | None,
    naming: NamingMode | None,
    opening_minutes: int,
    today: date | None,
    on_progress: Callable[[int, int], None] | None,
    prepare: Callable[[Session, Meeting, _PackPlan, _PackRun], T] | None = None,
) -> Iterator[tuple[_PackRun, _PackPlan, T | None]]:
    """Each chosen member's pack plan, read in a session of its own and yielded once that
    session is closed (so the pack is written outside it), with what ``prepare`` made from the
    plan while the session was open. Progress is reported after each member's pack is done."""
    out_dir = Path(out_dir).expanduser() if out_dir else Path.cwd()
    if not out_dir.is_dir():
        raise PanelappError(
            f"The folder {out_dir} does not exist. Create it or choose another with --out."
        )
    with store.read() as session:
        meeting = get_meeting(session, meeting_id)
        chosen = [m.id for m in resolve_members(session, meeting, members)]
        run = _PackRun(
            out_dir,
            naming_for(meeting, naming),
            f"{meeting.panel.name} - {meeting.meeting_date:%Y-%m-%d}",
        )
    agendas: dict = {}
    templates = _Templates.read()
    if on_progress:
        on_progress(0, len(chosen))
    for done, member_id in enumerate(chosen, start=1):
        with store.read() as session:
            meeting = get_meeting(session, meeting_id)
            member = get_row(session, Member, member_id, "member")
            plan = _plan(
                session, meeting, member, run.naming, opening_minutes, today, agendas, templates
            )
            prepared = prepare(session, meeting, plan, run) if prepare else None
        yield run, plan, prepared
        if on_progress:
            on_progress(done, len(chosen))


def export_packs(
    store: Store,
    actor: str,
    meeting_id: int,
    out_dir: Path | None = None,
    *,
    members: Sequence[str | int] | None = None,
    naming: NamingMode | None = None,
    as_zip: bool = True,
    overwrite: bool = False,
    opening_minutes: int = DEFAULT_OPENING_MINUTES,
    today: date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[ExportedPack]:
    """Write one pack per member (all active members unless ``members`` names some) into
    ``out_dir``; each is complete or absent, and recorded in the audit trail."""
    results = []
    for run, plan, _ in _member_plans(
        store, meeting_id, out_dir, members, naming, opening_minutes, today, on_progress
    ):
        name = safe_name(f"Pack - {plan.member.name} - {run.stem}")
        target = target_path(run.out_dir, name + (".zip" if as_zip else ""))
        results.append(
            _write_pack(store, actor, meeting_id, plan, target, as_zip, overwrite, run.naming)
        )
    logger.info("exported %d pack(s)", len(results))
    return results


def _write_pack(
    store,
    actor,
    meeting_id,
    plan: _PackPlan,
    target: Path,
    as_zip: bool,
    overwrite: bool,
    naming: NamingMode,
) -> ExportedPack:
    def record(uow, digest: str | None = None) -> None:
        _audit_pack(
            uow, meeting_id, plan, len(plan.papers), naming, "zip" if as_zip else "folder", digest
        )

    if as_zip:
        digest = publish_file(
            store, actor, target, lambda fh: _zip_into(store, plan, fh), record, overwrite=overwrite
        )
    else:
        digest = None
        publish_folder(
            store,
            actor,
            target,
            lambda folder: _files_into(store, plan, folder),
            record,
            overwrite=overwrite,
        )
    return ExportedPack(
        plan.member.id, plan.member.name, target, plan.withheld_positions, len(plan.papers), digest
    )


def _audit_pack(
    uow, meeting_id: int, plan: _PackPlan, papers: int, naming: NamingMode, form: str, digest
) -> None:
    """One pack's audit event: the member and the withheld items by number, never a child."""
    uow.audit(
        "pack.exported",
        "meeting",
        meeting_id,
        member_id=plan.member.id,
        withheld_items=list(plan.withheld_positions),
        papers=papers,
        naming=naming.value,
        format=form,
        sha256=digest,
    )


def _write_all(data: bytes, fh: BinaryIO) -> None:
    fh.write(data)


def _zip_into(store: Store, plan: _PackPlan, fh) -> None:
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(COVER_NAME, plan.cover)
        archive.writestr(AGENDA_NAME, plan.agenda_bytes)
        with store.read() as session:
            for name, paper_id, kind in plan.papers:
                method = zipfile.ZIP_STORED if kind in _ALREADY_COMPRESSED else zipfile.ZIP_DEFLATED
                archive.writestr(name, papers.paper_bytes(session, paper_id), compress_type=method)
                session.expunge_all()  # let each paper's bytes go before the next


def _files_into(store: Store, plan: _PackPlan, folder: Path) -> None:
    (folder / COVER_NAME).write_bytes(plan.cover)
    (folder / AGENDA_NAME).write_bytes(plan.agenda_bytes)
    with store.read() as session:
        for name, paper_id, _ in plan.papers:
            (folder / name).write_bytes(papers.paper_bytes(session, paper_id))
            session.expunge_all()


# -- one encrypted PDF per member --------------------------------------------------------------


@dataclass(frozen=True)
class ExportedPdfPack:
    member_id: int
    member_name: str
    path: Path
    withheld_positions: tuple[int, ...]
    papers: int
    sha256: str
    #: shown once to the officer, for sending to the member apart from the pack; never stored
    password: str = field(repr=False)


# a paper of no known kind (None) is read as an office document
_PDF_KINDS: dict[PaperKind | None, str] = {
    PaperKind.PDF: "pdf",
    PaperKind.PNG: "image",
    PaperKind.JPEG: "image",
    PaperKind.TEXT: "text",
    PaperKind.DOCX: "office",
    PaperKind.XLSX: "office",
}


def _agenda_lines(agenda: AgendaDocument) -> list[str]:
    """The agenda as lines of text for the PDF pack (the Word agenda is the full layout)."""
    lines = [
        f"{weekday_date(agenda.meeting_date)}, {agenda.start:%H:%M}"
        f" to {agenda.end:%H:%M}; {agenda.venue or 'venue to be confirmed'}",
        f"Chair: {agenda.chair or 'not set'}. Vice-chair: {agenda.vice_chair or 'not set'}.",
        f"Papers were due by the end of {format_date(agenda.paper_deadline)}. Children are "
        f"named: {agenda.naming_label.lower()}.",
        "",
        "Opening business: welcome and apologies; declarations of interest; the minutes of the "
        "previous meeting; matters arising.",
    ]
    lines += [f"  Declared before the meeting: {line}" for line in agenda.advance_declarations]
    for matter in agenda.matters_arising:
        due = f"due {format_date(matter.due)}" if matter.due else "no due date"
        late = " OVERDUE" if matter.overdue else ""
        lines.append(f"  Matter arising: {matter.description} ({matter.owner}; {due}){late}")
    lines.append("")
    for entry in agenda.entries:
        lines.append(
            f"Item {entry.position}, {entry.start:%H:%M}-{entry.end:%H:%M}: {entry.child}, "
            f"{entry.request_type}; presented by {entry.presenting_officer or 'not set'}"
        )
        if entry.withheld:
            lines.append("  Papers withheld from this pack: you declared an interest.")
        for paper in entry.papers:
            lines.append(f"  {paper.number}. {paper.title}" + ("  LATE" if paper.late else ""))
    lines += [
        "",
        f"Date of next meeting: "
        f"{format_date(agenda.next_meeting) if agenda.next_meeting else 'to be arranged'}",
    ]
    return lines


def _cover_lines(member: Member, agenda: AgendaDocument, withheld: tuple[int, ...]) -> list[str]:
    lines = [
        f"For {member.name} ({member_roles(member)}).",
        f"{agenda.panel_name}, {weekday_date(agenda.meeting_date)}.",
        "",
        "OFFICIAL-SENSITIVE: personal data about children. Read it yourself only; do not "
        "forward, print or copy it. Delete it after the meeting as your council's records "
        "policy says.",
        "",
        "This PDF holds the agenda and then each item's papers, in agenda order: use the "
        "bookmarks to go to an item.",
    ]
    if withheld:
        listed = ", ".join(str(p) for p in withheld)
        lines += [
            "",
            f"Papers withheld: items {listed}. You declared an interest in them before the "
            "meeting, so their papers are not in your pack, and you leave the meeting for them.",
        ]
    return lines


def _pdf_sections(session: Session, meeting: Meeting, plan: _PackPlan, run: _PackRun) -> list:
    """The cover, the agenda and each item's papers the member may see, as the PDF's sections."""
    from panelapp.documents.pack_pdf import PackPaper, PackSection
    from panelapp.store.fulltext import paper_text

    mask = free_text_masker(meeting, run.naming)
    member = plan.member
    sections = [
        PackSection("Cover", tuple(_cover_lines(member, plan.agenda, plan.withheld_positions))),
        PackSection("Agenda", tuple(_agenda_lines(plan.agenda))),
    ]
    entries = {e.position: e for e in plan.agenda.entries}
    for item in meeting.items:
        if item.position in plan.withheld_positions:
            continue
        item_papers = []
        for info in papers.papers_for_item(session, item.id):
            kind = _PDF_KINDS.get(info.kind, "office")
            item_papers.append(
                PackPaper(
                    title=mask(info.title),
                    kind=kind,
                    content=papers.paper_bytes(session, info.paper_id),
                    file_name=safe_name(mask(info.title), 80) + info.extension,
                    text=mask(paper_text(session, info.paper_id)) if kind == "office" else "",
                )
            )
        entry = entries[item.position]
        sections.append(
            PackSection(
                f"Item {item.position}: {entry.child}, {entry.request_type}",
                papers=tuple(item_papers),
            )
        )
    return sections


def export_pdf_packs(
    store: Store,
    actor: str,
    meeting_id: int,
    out_dir: Path | None = None,
    *,
    members: Sequence[str | int] | None = None,
    naming: NamingMode | None = None,
    overwrite: bool = False,
    opening_minutes: int = DEFAULT_OPENING_MINUTES,
    today: date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[ExportedPdfPack]:
    """One AES-256 encrypted PDF per member, each under its own new password (returned, never
    stored or logged). Each file is complete or absent, and recorded in the audit trail."""
    from panelapp.documents.pack_pdf import build_pack_pdf
    from panelapp.services.pack_passwords import new_password

    results = []
    for run, plan, sections in _member_plans(
        store,
        meeting_id,
        out_dir,
        members,
        naming,
        opening_minutes,
        today,
        on_progress,
        prepare=_pdf_sections,
    ):
        assert sections is not None
        member = plan.member
        count = sum(len(section.papers) for section in sections)
        password = new_password()
        data = build_pack_pdf(sections, password, footer=f"{run.stem}: pack for {member.name}")
        del sections
        target = target_path(run.out_dir, safe_name(f"Pack - {member.name} - {run.stem}") + ".pdf")

        def record(uow, digest: str, plan=plan, count=count, naming=run.naming) -> None:
            _audit_pack(uow, meeting_id, plan, count, naming, "pdf-aes256", digest)

        digest = publish_file(
            store, actor, target, partial(_write_all, data), record, overwrite=overwrite
        )
        results.append(
            ExportedPdfPack(
                member.id, member.name, target, plan.withheld_positions, count, digest, password
            )
        )
    logger.info("exported %d encrypted pack(s)", len(results))
    return results
