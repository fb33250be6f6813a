"""Minutes: drafts, the chair's signature, amendments, and every version kept (R9, R17-R19).

Version rules
-------------
* A meeting's minutes are numbered versions (``MinutesVersion``). At most one version is
  unsigned: the latest, a *draft*. Generating the minutes again replaces that draft (same
  number, same amendment reason); it never touches a signed version.
* Signing turns the draft into a signed version: the draft's business (attendance to the
  closing lines), checked unchanged as below, is kept as the chair read it, with its opening
  and the signature block written for the signed version; the result is signed (OPC package
  signature) and kept as it left panelapp. The meeting becomes SIGNED and its decisions are
  locked (R9).
* A draft carries, in its core properties (``dc:identifier``, not signed content), the SHA-256
  of everything it was made from: the meeting view, the version's context and the template's
  bytes. Before signing, that digest is worked out again from the store (no document is made);
  if it differs, the records (or the template) changed after the draft was read, and signing
  is refused until the minutes are generated and read again. The chair signs what was read.
  (A draft without the digest, made by an earlier panelapp, is made again and compared byte
  for byte, as before.)
* An amendment (``start_amendment``, with a reason) unlocks the meeting to CLOSED and creates
  draft version n+1 carrying the reason. The minute taker reopens the meeting and corrects it
  through the usual services (every change audited), closes it, generates the minutes again and
  the chair signs version n+1. Version n stays in the store byte for byte.

Who signs
---------
The panel's chair, if they chaired at least one item heard; otherwise the member who chaired
the items (the vice-chair if they chaired any, else whoever chaired the most). The signature
block says which rule applied. A chair who withdrew from some items still signs the minutes:
those items record who chaired them, and their decision records are signed by that member
(``decision_records``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.documents.audit_anchor import embed_anchor
from panelapp.documents.minutes_writer import (
    EarlierVersion,
    MinutesContext,
    sign_draft,
    write_minutes,
)
from panelapp.documents.package_signature import sign_docx
from panelapp.documents.signature_block import SignatureLine
from panelapp.documents.signing_errors import SigningError
from panelapp.domain.errors import NextStep, PanelappError, RuleViolation, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.uk_time import uk_time
from panelapp.domain.vocabulary import AttendanceStatus, MeetingStatus, NamingMode, Role
from panelapp.resources import read_template
from panelapp.services import export_files
from panelapp.services.audit_anchor import prepare_checkpoint
from panelapp.services.clock import utc_now
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.meeting_view import MeetingView, meeting_view
from panelapp.services.panels import role_holder
from panelapp.services.previous_business import next_meeting_date, previous_meeting_actions
from panelapp.services.record_content import meeting_content
from panelapp.services.row_lookup import get_row
from panelapp.services.signing import (
    IdentityInfo,
    current_identity,
    is_self_signed,
    load_identity,
)
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store
from panelapp.store.tables import (
    Attendance,
    DecisionRow,
    DeferralRow,
    Meeting,
    Member,
    MinutesVersion,
)

logger = logging.getLogger(__name__)

TEMPLATE = "minutes.docx"


@dataclass(frozen=True)
class Signer:
    """Who signs a meeting's minutes, and the role the signature block gives them."""

    member_id: int
    name: str
    role: str
    #: why this member signs, in a sentence for the signature block
    basis: str = ""


@dataclass(frozen=True)
class MinutesVersionInfo:
    version_id: int
    meeting_id: int
    version: int
    naming: NamingMode
    reason: str
    created_at: datetime
    sha256: str
    size: int
    signed_by_id: int | None
    signed_by: str | None
    signed_at: datetime | None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


# -- reading --------------------------------------------------------------------------------


def _versions(session: Session, meeting_id: int) -> list[MinutesVersion]:
    return list(
        session.scalars(
            select(MinutesVersion)
            .where(MinutesVersion.meeting_id == meeting_id)
            .order_by(MinutesVersion.version)
        )
    )


def _info(session: Session, row: MinutesVersion) -> MinutesVersionInfo:
    signer = session.get(Member, row.signed_by_member_id) if row.signed_by_member_id else None
    return MinutesVersionInfo(
        version_id=row.id,
        meeting_id=row.meeting_id,
        version=row.version,
        naming=row.naming_mode,
        reason=row.reason,
        created_at=row.created_at,
        sha256=row.sha256,
        size=len(row.document),
        signed_by_id=row.signed_by_member_id,
        signed_by=signer.name if signer else None,
        signed_at=row.signed_at,
    )


def minutes_versions(session: Session, meeting_id: int) -> list[MinutesVersionInfo]:
    """Every version of a meeting's minutes, oldest first (without the documents)."""
    _meeting(session, meeting_id)
    return [_info(session, row) for row in _versions(session, meeting_id)]


def minutes_document(
    session: Session, meeting_id: int, version: int | None = None
) -> tuple[MinutesVersionInfo, bytes]:
    """A stored version's bytes exactly as kept (the latest when ``version`` is None)."""
    rows = _versions(session, meeting_id)
    if not rows:
        raise PanelappError(
            f"Meeting {meeting_id} has no minutes yet.",
            next_steps=(NextStep(Step.GENERATE_MINUTES, meeting_id),),
        )
    if version is None:
        row = rows[-1]
    else:
        wanted = next((r for r in rows if r.version == version), None)
        if wanted is None:
            raise PanelappError(
                f"Meeting {meeting_id} has minutes versions 1 to {rows[-1].version}; there is "
                f"no version {version}."
            )
        row = wanted
    return _info(session, row), row.document


def _meeting(session: Session, meeting_id: int) -> Meeting:
    return get_meeting(session, meeting_id)


# -- who signs ------------------------------------------------------------------------------


def minutes_signer(session: Session, meeting_id: int) -> Signer:
    """Who signs the minutes, and why (the rule goes into the signature block).

    The panel's chair signs if they chaired at least one item heard. Otherwise the member who
    chaired the items signs: the vice-chair if they chaired any, else whoever chaired the most
    (the first such item breaks a tie). A meeting that heard no item is signed by the chair if
    present, else the vice-chair if present.
    """
    meeting = _meeting(session, meeting_id)
    chair = role_holder(meeting.panel, Role.CHAIR)
    vice = role_holder(meeting.panel, Role.VICE_CHAIR)
    chaired = _item_chairs(session, meeting)
    heard = len(chaired)
    counts: dict[int, int] = {}
    for member_id in chaired.values():
        counts[member_id] = counts.get(member_id, 0) + 1
    if chair is not None and chair.id in counts:
        others = sorted(p for p, m in chaired.items() if m != chair.id)
        basis = "The chair signs the minutes: they chaired the meeting."
        if others:
            basis += (
                f" {_items_phrase(others).capitalize()} chaired by another member, who signs "
                f"{'its decision record' if len(others) == 1 else 'their decision records'}."
            )
        return Signer(chair.id, chair.name, Role.CHAIR.label, basis)
    if counts:
        if vice is not None and vice.id in counts:
            member_id = vice.id
        else:
            first_item = {m: min(p for p, c in chaired.items() if c == m) for m in counts}
            member_id = max(counts, key=lambda m: (counts[m], -first_item[m]))
        member = get_row(session, Member, member_id, "member")
        why = _chair_not_chairing(session, meeting, chair)
        share = (
            "every item"
            if counts[member_id] == heard
            else (f"{counts[member_id]} of the {heard} items heard")
        )
        role = (
            "Vice-chair, chairing the meeting"
            if vice is not None and member_id == vice.id
            else "Panel member chairing the meeting, chosen by the panel"
        )
        basis = f"{why}, so {member.name}, who chaired {share}, signs the minutes."
        return Signer(member.id, member.name, role, basis)
    present = _present_ids(session, meeting_id)
    for holder, title in ((chair, Role.CHAIR.label), (vice, "Vice-chair, chairing the meeting")):
        if holder is not None and holder.id in present:
            basis = (
                f"No item was heard; the {'chair' if holder is chair else 'vice-chair'} "
                "present signs the minutes."
            )
            return Signer(holder.id, holder.name, title, basis)
    raise PanelappError(
        "No item was decided or deferred and neither the chair nor the vice-chair was at this "
        "meeting, so panelapp cannot tell who signs the minutes. Record the chair or vice-chair "
        "as present if one of them chaired the meeting."
    )


def _item_chairs(session: Session, meeting: Meeting) -> dict[int, int]:
    """Who chaired each item heard (decided or deferred), by item position."""
    positions = {item.id: item.position for item in meeting.items}
    chaired: dict[int, int] = {}
    for table in (DecisionRow, DeferralRow):
        rows = session.execute(
            select(table.agenda_item_id, table.chaired_by_member_id).where(
                table.agenda_item_id.in_(list(positions))
            )
        )
        for item_id, member_id in rows:
            if member_id is not None:
                chaired[positions[item_id]] = member_id
    return dict(sorted(chaired.items()))


def _present_ids(session: Session, meeting_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Attendance.member_id).where(
                Attendance.meeting_id == meeting_id,
                Attendance.status == AttendanceStatus.PRESENT,
            )
        )
    )


def _chair_not_chairing(session: Session, meeting: Meeting, chair: Member | None) -> str:
    if chair is None:
        return "The panel has no chair"
    if chair.id not in _present_ids(session, meeting.id):
        return "The chair was not at the meeting"
    return "The chair chaired none of the items heard"


def _items_phrase(positions: list[int]) -> str:
    if len(positions) == 1:
        return f"item {positions[0]} was"
    listed = ", ".join(str(p) for p in positions[:-1]) + f" and {positions[-1]}"
    return f"items {listed} were"


def _check_signer(session: Session, meeting_id: int, member_id: int) -> Signer:
    signer = minutes_signer(session, meeting_id)
    if member_id != signer.member_id:
        member = session.get(Member, member_id)
        who = member.name if member else f"Member {member_id}"
        raise RuleViolation(
            "R9",
            f"{who} cannot sign these minutes: they are signed by {signer.name} ({signer.role}). "
            f"{signer.basis}",
        )
    return signer


# -- making the document --------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    """Everything a version's document is made from, read from the store once."""

    view: MeetingView
    context: MinutesContext
    template: bytes

    def digest(self) -> str:
        """SHA-256 of the inputs (the signature line aside): equal inputs, equal document."""
        context = replace(
            self.context,
            generated_at=self.context.generated_at.replace(microsecond=0),
            signature=None,
        )
        # Moments in UTC are written as the naive UTC they were read as when drafts were first
        # digested, so a draft made before the store read them back aware still matches.
        inputs = repr((self.view, context)).replace(_UTC_REPR, "")
        h = hashlib.sha256(_INPUTS_FORMAT.encode())
        h.update(hashlib.sha256(self.template).digest())
        h.update(inputs.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def identifier(self) -> str:
        return _INPUTS_PREFIX + self.digest()

    def write(self) -> bytes:
        return write_minutes(
            meeting_content(self.view), self.context, self.template, identifier=self.identifier()
        )


#: changes whenever what the digest covers changes meaning, so old drafts are made again
_INPUTS_FORMAT = "panelapp minutes inputs 2\n"
_INPUTS_PREFIX = "panelapp-minutes-inputs:sha256:"
#: how ``repr`` writes a UTC moment's zone, dropped from the digested inputs
_UTC_REPR = ", tzinfo=datetime.timezone.utc"
_DC_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"


def _stored_identifier(document: bytes) -> str | None:
    """The inputs identifier a stored draft carries, or None (an older draft, or none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(document)) as package:
            core = etree.fromstring(
                package.read("docProps/core.xml"), etree.XMLParser(resolve_entities=False)
            )
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    element = core.find(_DC_IDENTIFIER)
    text = (element.text or "") if element is not None else ""
    return text if text.startswith(_INPUTS_PREFIX) else None


def _inputs(
    session: Session,
    meeting: Meeting,
    *,
    version: int,
    naming: NamingMode,
    reason: str,
    generated_at: datetime,
    signature: SignatureLine | None = None,
) -> _Inputs:
    view = meeting_view(session, meeting.id, naming, mask_free_text=True)
    signer = minutes_signer(session, meeting.id)
    earlier = tuple(
        EarlierVersion(
            row.version,
            get_row(session, Member, row.signed_by_member_id, "member").name
            if row.signed_by_member_id
            else None,
            uk_time(row.signed_at) if row.signed_at else None,
        )
        for row in _versions(session, meeting.id)
        if row.version < version and row.signed_at is not None
    )
    context = MinutesContext(
        version=version,
        generated_at=generated_at,
        expected_signer=signer.name,
        expected_role=signer.role,
        expected_basis=signer.basis,
        reason=reason,
        earlier=earlier,
        signature=signature,
        council_address=meeting.panel.council_address,
        council_contact=meeting.panel.council_contact,
        closed_at=uk_time(meeting.closed_at) if meeting.closed_at else None,
        next_meeting=next_meeting_date(session, meeting),
        earlier_actions=previous_meeting_actions(session, meeting, naming),
    )
    return _Inputs(view, context, read_template(TEMPLATE))


def _render(session: Session, meeting: Meeting, **kwargs) -> bytes:
    return _inputs(session, meeting, **kwargs).write()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generate_minutes(
    uow: UnitOfWork, meeting_id: int, naming: NamingMode | None = None
) -> MinutesVersionInfo:
    """Make (or remake) the draft minutes from the store and keep them as the latest version."""
    session = uow.session
    meeting = _meeting(session, meeting_id)
    status = meeting.status
    if status is MeetingStatus.SCHEDULED:
        raise PanelappError(
            "This meeting has not started, so there is nothing to minute yet. Start it and "
            "record its business first."
        )
    rows = _versions(session, meeting_id)
    latest = rows[-1] if rows else None
    if status is MeetingStatus.SIGNED or (latest is not None and latest.signed_at is not None):
        number = latest.version if latest else 1
        raise PanelappError(
            f"The minutes are signed (version {number}), so they are not made again.",
            next_steps=(
                NextStep(Step.EXPORT_MINUTES, meeting_id),
                NextStep(Step.AMEND_MINUTES, meeting_id),
            ),
        )
    if naming is None:
        naming = latest.naming_mode if latest else meeting.panel.naming_mode
    naming = NamingMode(naming)
    moment = utc_now(whole_seconds=True)
    number, reason = (latest.version, latest.reason) if latest else (1, "")
    document = _render(
        session, meeting, version=number, naming=naming, reason=reason, generated_at=moment
    )
    replaced = latest is not None
    if latest is None:
        latest = MinutesVersion(meeting_id=meeting_id, version=number, reason=reason)
        session.add(latest)
    latest.naming_mode = naming
    latest.document = document
    latest.sha256 = _digest(document)
    latest.created_at = moment
    session.flush()
    uow.audit(
        "minutes.generated",
        "meeting",
        meeting_id,
        version=latest.version,
        naming=naming.value,
        sha256=latest.sha256,
        replaced_draft=replaced,
    )
    logger.info("minutes draft version %d made for meeting %d", latest.version, meeting_id)
    return _info(session, latest)


def sign_minutes(
    uow: UnitOfWork,
    meeting_id: int,
    signer_member_id: int,
    *,
    signed_at: datetime | None = None,
    passphrase: str | None = None,
) -> MinutesVersionInfo:
    """The chair signs the latest draft: the meeting's decisions are then locked (R9).

    ``passphrase`` is the signer's own signing passphrase (or certificate password); see
    ``signing.load_identity``."""
    session = uow.session
    meeting = _meeting(session, meeting_id)
    status = meeting.status
    if status is MeetingStatus.SIGNED:
        raise PanelappError(
            "These minutes are already signed.",
            next_steps=(NextStep(Step.AMEND_MINUTES, meeting_id),),
        )
    if status is not MeetingStatus.CLOSED:
        raise PanelappError(
            "Close the meeting (every item decided, deferred or withdrawn) before the chair "
            "signs its minutes."
        )
    rows = _versions(session, meeting_id)
    draft = rows[-1] if rows and rows[-1].signed_at is None else None
    if draft is None:
        raise PanelappError(
            "There is no draft to sign. Make the minutes, let the chair read them, then sign.",
            next_steps=(NextStep(Step.GENERATE_MINUTES, meeting_id),),
        )
    signer = _check_signer(session, meeting_id, signer_member_id)
    naming = draft.naming_mode
    inputs = _inputs(
        session,
        meeting,
        version=draft.version,
        naming=naming,
        reason=draft.reason,
        generated_at=draft.created_at,
    )
    stored = _stored_identifier(draft.document)
    if stored is not None:
        unchanged = stored == inputs.identifier()
    else:  # a draft made before drafts carried their inputs' digest: make it again
        unchanged = _digest(inputs.write()) == draft.sha256
    if not unchanged:
        raise PanelappError(
            "The meeting's records (or the minutes template) changed after this draft was "
            "made, so the chair would sign something they have not read. Generate the minutes "
            "again, read them, then sign."
        )
    identity = load_identity(uow, signer.member_id, passphrase)
    moment = (signed_at or utc_now()).astimezone(UTC).replace(microsecond=0)
    line = SignatureLine(
        signer=signer.name,
        role=signer.role,
        basis=signer.basis,
        signed_at=uk_time(moment),
        fingerprint=identity.fingerprint,
        self_signed=is_self_signed(identity.certificate),
    )
    # The same view and template the check above used, with the signature block and moment.
    # The signed copy carries the identifier of the inputs the chair read. A draft that carries
    # its inputs' digest (checked above) keeps its business as the chair read it: only its
    # opening and signature block are written again. An older draft is written in full.
    content = meeting_content(inputs.view)
    signed_context = replace(inputs.context, generated_at=moment, signature=line)
    unsigned = None
    if stored is not None:
        unsigned = sign_draft(
            draft.document, content, signed_context, inputs.template, identifier=stored
        )
    if unsigned is None:
        unsigned = write_minutes(
            content, signed_context, inputs.template, identifier=inputs.identifier()
        )
    purpose = (
        f"Approval of the minutes of {meeting.panel.name}, "
        f"{format_date(meeting.meeting_date)}, version {draft.version}"
    )
    # The audit chain as it stands, signed by the chair's own key: kept in the store as a
    # checkpoint and carried inside the signed document.
    checkpoint, anchor = prepare_checkpoint(
        session, identity, signer.member_id, "minutes", meeting_id, version=draft.version
    )
    unsigned = embed_anchor(unsigned, anchor)
    try:
        signed = sign_docx(unsigned, identity, signed_at=moment, purpose=purpose)
    except SigningError as exc:
        raise PanelappError(exc.message) from None
    draft.document = signed
    draft.sha256 = _digest(signed)
    draft.signed_by_member_id = signer.member_id
    draft.signed_at = moment
    meeting.status = MeetingStatus.SIGNED
    session.add(checkpoint)
    session.flush()
    uow.audit(
        "minutes.signed",
        "meeting",
        meeting_id,
        version=draft.version,
        sha256=draft.sha256,
        signer_id=signer.member_id,
        fingerprint=identity.fingerprint,
        checkpoint_events=checkpoint.events,
        checkpoint_head=checkpoint.head_hash,
    )
    logger.info("minutes version %d of meeting %d signed", draft.version, meeting_id)
    return _info(session, draft)


def start_amendment(uow: UnitOfWork, meeting_id: int, *, reason: str) -> MinutesVersionInfo:
    """Unlock signed minutes for a correction: draft version n+1 with the reason (R9)."""
    session = uow.session
    meeting = _meeting(session, meeting_id)
    rows = _versions(session, meeting_id)
    if meeting.status != MeetingStatus.SIGNED or not rows or rows[-1].signed_at is None:
        raise PanelappError(
            "Only signed minutes are amended. Until the chair signs, correct the meeting's "
            "records and generate the minutes again."
        )
    if not reason.strip():
        raise PanelappError(
            "Say why the minutes are being amended (for example 'rationale for item 4 "
            "misrecorded'); the reason is printed in the new version."
        )
    previous = rows[-1]
    meeting.status = MeetingStatus.CLOSED
    moment = utc_now(whole_seconds=True)
    number, naming = previous.version + 1, previous.naming_mode
    document = _render(
        session,
        meeting,
        version=number,
        naming=naming,
        reason=reason.strip(),
        generated_at=moment,
    )
    draft = MinutesVersion(
        meeting_id=meeting_id,
        version=number,
        reason=reason.strip(),
        naming_mode=naming,
        document=document,
        sha256=_digest(document),
        created_at=moment,
    )
    session.add(draft)
    session.flush()
    # The reason is typed text and may name a child: it is kept in the version, not the audit.
    uow.audit(
        "minutes.amendment_started",
        "meeting",
        meeting_id,
        version=draft.version,
        amends_version=previous.version,
    )
    return _info(session, draft)


# -- a screen's summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesOverview:
    """What a minutes screen shows about one meeting, in one read (no documents)."""

    meeting_id: int
    panel_id: int
    panel_name: str
    meeting_date: date
    status: MeetingStatus
    #: the naming a new draft would use: the latest version's, else the panel's setting
    naming: NamingMode
    versions: tuple[MinutesVersionInfo, ...]
    #: who signs (None when panelapp cannot tell; ``signer_problem`` says why)
    signer: Signer | None
    signer_problem: str
    #: the signer's current certificate (None when they have none yet)
    signer_identity: IdentityInfo | None
    #: the default file name of each version, by version number
    file_names: dict[int, str]

    @property
    def latest(self) -> MinutesVersionInfo | None:
        return self.versions[-1] if self.versions else None


def minutes_overview(session: Session, meeting_id: int) -> MinutesOverview:
    """A meeting's minutes versions, who signs them and with which certificate, in one read."""
    meeting = _meeting(session, meeting_id)
    versions = tuple(_info(session, row) for row in _versions(session, meeting_id))
    try:
        signer, problem = minutes_signer(session, meeting_id), ""
    except PanelappError as exc:
        signer, problem = None, str(exc)
    naming = versions[-1].naming if versions else meeting.panel.naming_mode
    return MinutesOverview(
        meeting_id=meeting_id,
        panel_id=meeting.panel_id,
        panel_name=meeting.panel.name,
        meeting_date=meeting.meeting_date,
        status=meeting.status,
        naming=naming,
        versions=versions,
        signer=signer,
        signer_problem=problem,
        signer_identity=current_identity(session, signer.member_id) if signer else None,
        file_names={v.version: default_file_name(meeting, v) for v in versions},
    )


# -- files ----------------------------------------------------------------------------------


def default_file_name(meeting: Meeting, info: MinutesVersionInfo) -> str:
    state = "" if info.signed else "-draft"
    return f"minutes-{meeting.meeting_date:%Y-%m-%d}-v{info.version}{state}.docx"


def export_minutes(
    store: Store,
    actor: str,
    meeting_id: int,
    out: Path | None,
    *,
    version: int | None = None,
    overwrite: bool = False,
) -> tuple[Path, MinutesVersionInfo]:
    """Write a stored version, exactly as kept, where the user asked; audited (R17, R19)."""
    with store.read() as session:
        meeting = _meeting(session, meeting_id)
        info, document = minutes_document(session, meeting_id, version)
        target = export_files.target_path(out, default_file_name(meeting, info))

    def record(uow: UnitOfWork, sha256: str) -> None:
        uow.audit(
            "minutes.exported",
            "meeting",
            meeting_id,
            version=info.version,
            naming=info.naming.value,
            signed=info.signed,
            sha256=sha256,
        )

    export_files.publish_file(
        store, actor, target, lambda fh: fh.write(document), record, overwrite=overwrite
    )
    return target, info
