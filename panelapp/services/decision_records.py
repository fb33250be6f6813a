"""Decision records for chief officers: one signed Word file per case, exported to a folder.

Each record is signed by the member who chaired that case (R4): the chair, or the vice-chair for
a case the chair declared an interest in, or the member the panel chose. Records go out only once
the minutes are signed, when the decisions are locked (R9), so a record can never disagree with
the signed minutes. They are made on request, written whole or not at all, audited without any
child's details, and not kept in the store: the signed minutes are the record of the meeting.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from panelapp.documents.audit_anchor import embed_anchor
from panelapp.documents.decision_record_writer import DecisionRecordContext, write_decision_record
from panelapp.documents.package_signature import sign_docx
from panelapp.documents.signature_block import SignatureLine
from panelapp.documents.signing_errors import SigningError
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.uk_time import uk_time
from panelapp.domain.vocabulary import MeetingStatus, NamingMode
from panelapp.resources import read_template
from panelapp.services import export_files
from panelapp.services.audit_anchor import prepare_checkpoint
from panelapp.services.clock import utc_now
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.meeting_view import ItemView, MeetingView, meeting_view
from panelapp.services.minutes import minutes_versions
from panelapp.services.record_content import item_content, meeting_content
from panelapp.services.row_lookup import get_row
from panelapp.services.signing import (
    current_identity_row,
    is_self_signed,
    load_identity,
    no_identity_message,
    no_identity_step,
)
from panelapp.store.engine import Store
from panelapp.store.tables import Member

logger = logging.getLogger(__name__)

TEMPLATE = "decision_record.docx"


@dataclass(frozen=True)
class DecisionRecord:
    item_position: int
    file_name: str
    signer_id: int
    document: bytes
    #: the signer's checkpoint of the audit chain, kept in the store when the records are
    #: exported (shared by every record the same member signs)
    checkpoint: object = None


class _Reader:
    """A read session with the store, as ``signing.load_identity`` expects."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store, self.session = store, session


def _item_chair(item: ItemView) -> int:
    """The member who chaired the item signs its record, and nobody else (R4)."""
    if item.decision is not None:
        return item.decision.chaired_by_id
    if item.deferral is not None and item.deferral.chaired_by_id is not None:
        return item.deferral.chaired_by_id
    if item.chaired_by_id is not None:
        return item.chaired_by_id
    raise PanelappError(
        f"Item {item.position} was deferred without anyone recorded as chairing it, so nobody "
        "can sign its decision record. Amend the minutes: reopen the item, record who chaired "
        "it and defer it again."
    )


def _role(view: MeetingView, member_id: int) -> str:
    if member_id == view.chair_id:
        return "Chair"
    if member_id == view.vice_chair_id:
        return "Vice-chair, chairing this case"
    return "Panel member chairing this case, chosen by the panel"


def _heard_and_chairs(view: MeetingView) -> tuple[list[ItemView], dict[int, int]]:
    """The decided or deferred items, and who chaired each (by item position)."""
    heard = [i for i in view.items if i.decision is not None or i.deferral is not None]
    return heard, {item.position: _item_chair(item) for item in heard}


@dataclass(frozen=True)
class RecordSigner:
    """A member who signs some of a meeting's decision records."""

    member_id: int
    name: str
    item_positions: tuple[int, ...]
    has_identity: bool


def record_signers(session: Session, meeting_id: int) -> list[RecordSigner]:
    """Who signs which decision records of a meeting, and whether each has a certificate, so
    a screen can offer to make the missing ones before exporting."""
    view = meeting_view(session, meeting_id, NamingMode.REFERENCE)
    _, chairs = _heard_and_chairs(view)
    positions: dict[int, list[int]] = {}
    for position, member_id in chairs.items():
        positions.setdefault(member_id, []).append(position)
    return [
        RecordSigner(
            member_id,
            get_row(session, Member, member_id, "member").name,
            tuple(items),
            current_identity_row(session, member_id) is not None,
        )
        for member_id, items in positions.items()
    ]


def records_folder_name(meeting_date: date, meeting_id: int) -> str:
    """The name of the folder a meeting's decision records are exported into."""
    return f"decision-records-{meeting_date:%Y-%m-%d}-meeting-{meeting_id}"


def make_decision_records(
    store: Store,
    session: Session,
    meeting_id: int,
    naming: NamingMode,
    *,
    signed_at: datetime | None = None,
    passphrases: Mapping[int, str] | None = None,
) -> list[DecisionRecord]:
    """Sign one record per decided or deferred case of a signed meeting, in memory.

    ``passphrases`` maps each signer's member id to their own signing passphrase (or
    certificate password); see ``signing.load_identity``."""
    meeting = get_meeting(session, meeting_id)
    if meeting.status != MeetingStatus.SIGNED:
        raise PanelappError(
            "Decision records go to chief officers once the chair has signed the minutes and "
            "the decisions are locked. Sign the minutes first.",
            next_steps=(NextStep(Step.SIGN_MINUTES, meeting_id),),
        )
    view = meeting_view(session, meeting_id, NamingMode(naming), mask_free_text=True)
    heard, chairs = _heard_and_chairs(view)
    if not heard:
        raise PanelappError("This meeting decided or deferred no cases, so there is no record.")

    missing: dict[int, list[int]] = {}
    for position, member_id in chairs.items():
        if current_identity_row(session, member_id) is None:
            missing.setdefault(member_id, []).append(position)
    if missing:
        problems = []
        for member_id, positions in missing.items():
            member = get_row(session, Member, member_id, "member")
            which = ", ".join(str(p) for p in positions)
            problems.append(f"{no_identity_message(member.name, member_id)} (items {which})")
        raise PanelappError(
            " ".join(problems), next_steps=tuple(no_identity_step(m) for m in missing)
        )

    signed_minutes = [v for v in minutes_versions(session, meeting_id) if v.signed]
    latest = signed_minutes[-1] if signed_minutes else None
    reader = _Reader(store, session)
    given = passphrases or {}
    identities = {m: load_identity(reader, m, given.get(m)) for m in sorted(set(chairs.values()))}
    checkpoints = {}
    for member_id, identity in identities.items():
        checkpoints[member_id] = prepare_checkpoint(
            session, identity, member_id, "decision records", meeting_id
        )
    moment = (signed_at or utc_now()).astimezone(UTC).replace(microsecond=0)
    template = read_template(TEMPLATE)
    content = meeting_content(view)
    records = []
    for item in heard:
        member_id = chairs[item.position]
        identity = identities[member_id]
        name = get_row(session, Member, member_id, "member").name
        context = DecisionRecordContext(
            generated_at=moment,
            expected_signer=name,
            expected_role=_role(view, member_id),
            signature=SignatureLine(
                signer=name,
                role=_role(view, member_id),
                basis="A decision record is signed by the member who chaired the case.",
                signed_at=uk_time(moment),
                fingerprint=identity.fingerprint,
                self_signed=is_self_signed(identity.certificate),
            ),
            minutes_version=latest.version if latest else None,
            minutes_signed_by=latest.signed_by if latest else None,
            minutes_signed_at=uk_time(latest.signed_at) if latest and latest.signed_at else None,
        )
        unsigned = write_decision_record(content, item_content(item), context, template)
        checkpoint, anchor = checkpoints[member_id]
        unsigned = embed_anchor(unsigned, f"{anchor};item={item.position}")
        purpose = (
            f"Decision record, item {item.position}, {view.panel_name}, "
            f"{format_date(view.meeting_date)}"
        )
        try:
            signed = sign_docx(unsigned, identity, signed_at=moment, purpose=purpose)
        except SigningError as exc:
            raise PanelappError(exc.message) from None
        file_name = export_files.safe_name(
            f"decision-record-item-{item.position:02d}-{item.reference}.docx"
        )
        records.append(DecisionRecord(item.position, file_name, member_id, signed, checkpoint))
    return records


def export_decision_records(
    store: Store,
    actor: str,
    meeting_id: int,
    out: Path,
    naming: NamingMode,
    *,
    overwrite: bool = False,
    passphrases: Mapping[int, str] | None = None,
) -> tuple[Path, list[DecisionRecord]]:
    """Write the records into a new folder (inside ``out`` when it is an existing folder)."""
    with store.read() as session:
        meeting = get_meeting(session, meeting_id)
        folder_name = records_folder_name(meeting.meeting_date, meeting_id)
        records = make_decision_records(store, session, meeting_id, naming, passphrases=passphrases)
    target = export_files.target_path(out, folder_name)

    def fill(folder: Path) -> None:
        for record in records:
            # Readable by the owner only, like every export (the folder is private too).
            fd = os.open(folder / record.file_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(record.document)

    def record(uow) -> None:
        kept = {id(r.checkpoint): r.checkpoint for r in records if r.checkpoint is not None}
        for checkpoint in kept.values():
            uow.session.add(checkpoint)
        uow.audit(
            "decision_records.exported",
            "meeting",
            meeting_id,
            naming=NamingMode(naming).value,
            items=[r.item_position for r in records],
            signers=sorted({r.signer_id for r in records}),
        )

    export_files.publish_folder(store, actor, target, fill, record, overwrite=overwrite)
    logger.info("%d decision records exported for meeting %d", len(records), meeting_id)
    return target, records
