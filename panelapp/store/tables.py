"""The tables of the store (SQLAlchemy ORM).

Enum columns hold the stable codes of the domain's enums (``code_enum``: read back as members).
Times of events are UTC (``UtcDateTime``: read back aware); meeting dates and times are the
council's local wall clock. Money is whole pence.
Every change to this file needs a migration in ``migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from panelapp.domain.appeals import AppealOutcome, AppealStep
from panelapp.domain.case_facts import PlacementType
from panelapp.domain.outcomes import DECISION_FIELDS, DecisionDraft
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ExceptionKind,
    ItemStatus,
    MeetingStatus,
    NamingMode,
    Outcome,
    PanelType,
    PrimaryNeed,
    RequestType,
)
from panelapp.store.column_types import UtcDateTime, code_enum


class Base(DeclarativeBase):
    pass


class StoreMeta(Base):
    """Facts about the store itself: its id, key source, audit chain head."""

    __tablename__ = "store_meta"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Panel(Base):
    __tablename__ = "panels"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    panel_type: Mapped[PanelType] = mapped_column(code_enum(PanelType, 32))
    council: Mapped[str] = mapped_column(String(200), default="")
    #: the council's postal address (lines separated by newlines) and its contact for the
    #: panel (telephone, email), printed at the head of every document
    council_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    council_contact: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: for letters to families: the mediation service and the SEND information, advice and
    #: support service (SENDIASS) the council's families are pointed to
    mediation_contact: Mapped[str] = mapped_column(Text, default="", server_default="")
    sendiass_contact: Mapped[str] = mapped_column(Text, default="", server_default="")
    minimum_members: Mapped[int] = mapped_column(Integer, default=3)
    #: list of lists of role codes; each inner list is one requirement met by any of its roles
    required_roles: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    paper_deadline_days: Mapped[int] = mapped_column(Integer, default=2)
    #: the paper deadline counts working days (weekends and England's bank holidays skipped)
    paper_deadline_working_days: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    naming_mode: Mapped[NamingMode] = mapped_column(
        code_enum(NamingMode, 16), default=NamingMode.INITIALS
    )
    allow_declared_remained: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_within_working_days: Mapped[int] = mapped_column(Integer, default=5)
    #: how much one meeting can hear, for the planner: a number of items and/or minutes
    capacity_items: Mapped[int | None] = mapped_column(Integer)
    capacity_minutes: Mapped[int | None] = mapped_column(Integer)
    #: members attending online count towards the quorum (hybrid meetings)
    online_counts_for_quorum: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    members: Mapped[list[Member]] = relationship(back_populates="panel", order_by="Member.id")


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    panel: Mapped[Panel] = relationship(back_populates="members")


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    meeting_date: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        code_enum(MeetingStatus, 16), default=MeetingStatus.SCHEDULED
    )
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    online_link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    #: bumped each time the meeting moves, so calendars take the change (iCalendar SEQUENCE)
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: whether members online counted for quorum, fixed from the panel's setting when the
    #: meeting started, so a later change of the setting cannot rewrite a quorum already judged
    online_counts_for_quorum: Mapped[bool | None] = mapped_column(Boolean)

    panel: Mapped[Panel] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position"
    )


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    status: Mapped[AttendanceStatus] = mapped_column(code_enum(AttendanceStatus, 16))
    in_attendance_as: Mapped[str] = mapped_column(String(200), default="")
    arrived_at: Mapped[time | None] = mapped_column(Time)
    left_at: Mapped[time | None] = mapped_column(Time)
    #: the first item a late arrival was in the room for; the first item after an early leaver
    #: left (the minutes and quorum go by items, not by clock times)
    arrived_before_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    left_before_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))


class Case(Base):
    """One request about one child or young person, as the panel hears it."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    setting: Mapped[str] = mapped_column(String(200), default="")
    year_group: Mapped[str] = mapped_column(String(16), default="")
    primary_need: Mapped[PrimaryNeed] = mapped_column(code_enum(PrimaryNeed, 8))
    secondary_need: Mapped[PrimaryNeed | None] = mapped_column(code_enum(PrimaryNeed, 8))
    case_officer: Mapped[str] = mapped_column(String(200), default="")
    request_type: Mapped[RequestType] = mapped_column(code_enum(RequestType, 32))
    request_received: Mapped[date] = mapped_column(Date)
    review_meeting_date: Mapped[date | None] = mapped_column(Date)
    transfer_year: Mapped[int | None] = mapped_column(Integer)
    post16_transfer: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a post-16 to post-16 move at another time of year (regulation 18(2))
    transfer_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: open while the case is still to be decided; closed (with a reason) when it leaves the
    #: caseload
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Facts reports break figures down by (domain.case_facts): one column a vulnerability flag,
    # so counts are plain SQL sums.
    looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    child_in_need: Mapped[bool] = mapped_column(Boolean, default=False)
    child_protection_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    care_leaver: Mapped[bool] = mapped_column(Boolean, default=False)
    electively_home_educated: Mapped[bool] = mapped_column(Boolean, default=False)
    known_to_youth_justice: Mapped[bool] = mapped_column(Boolean, default=False)
    free_school_meals: Mapped[bool] = mapped_column(Boolean, default=False)
    placement_type: Mapped[PlacementType | None] = mapped_column(code_enum(PlacementType, 32))
    #: the day the final EHC plan was issued (for 20-week timeliness)
    final_plan_issued: Mapped[date | None] = mapped_column(Date)

    exceptions: Mapped[list[ClockExceptionRow]] = relationship(order_by="ClockExceptionRow.id")


class ClockExceptionRow(Base):
    __tablename__ = "clock_exceptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[ExceptionKind] = mapped_column(code_enum(ExceptionKind, 32))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    #: set when the exception is withdrawn (the reason is in ``reasons``); it then excuses nothing
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AttendanceMode(Base):
    """How a member attended (in the room or online), beside the digest-covered attendance
    row so that adding it changes no record digest."""

    __tablename__ = "attendance_modes"
    attendance_id: Mapped[int] = mapped_column(ForeignKey("attendance.id"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    minutes_allocated: Mapped[int] = mapped_column(Integer, default=15)
    presenting_officer: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[ItemStatus] = mapped_column(code_enum(ItemStatus, 16), default=ItemStatus.TO_DO)
    discussion: Mapped[str] = mapped_column(Text, default="")
    carried_from_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    chair_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    chair_reason: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    case: Mapped[Case] = relationship()


class Paper(Base):
    __tablename__ = "papers"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pages: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: how far its words are in the search index: "pending" while the text is being read
    #: (after the bytes were stored), then complete, partial or none; empty for papers
    #: stored before their text was read afterwards (they were read when stored)
    text_state: Mapped[str | None] = mapped_column(String(16), index=True)


class PaperContent(Base):
    """Paper bytes apart from their description, so listing papers never loads them."""

    __tablename__ = "paper_contents"
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class DeclarationRow(Base):
    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    nature: Mapped[str] = mapped_column(Text)
    withdraws: Mapped[bool] = mapped_column(Boolean, default=True)
    before_meeting: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime)
    left_at: Mapped[time | None] = mapped_column(Time)
    returned_at: Mapped[time | None] = mapped_column(Time)
    #: for an "every item" declaration: the items already taken when it was made
    excluded_item_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    #: declared after the item was decided, recorded while the minutes were being amended
    correction: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class DecisionRow(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), unique=True)
    outcome: Mapped[Outcome] = mapped_column(code_enum(Outcome, 32))
    rationale: Mapped[str] = mapped_column(Text)
    amount_pence: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(32))
    band_override_reason: Mapped[str | None] = mapped_column(Text)
    setting: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    sections_amended: Mapped[str | None] = mapped_column(Text)
    chaired_by_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    participant_ids: Mapped[list[int]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))

    # The one place where a decision's fields become columns and back: the columns carry the
    # names of ``DecisionDraft``'s fields (the outcome column reads and writes ``Outcome``).

    @classmethod
    def from_draft(cls, draft: DecisionDraft, **record: object) -> DecisionRow:
        """A row for ``draft``; ``record`` gives the rest (item, chair, participants, when)."""
        columns = draft.as_fields()
        columns.update(rationale=draft.rationale.strip())
        return cls(**columns, **record)

    def draft(self, request_type: RequestType) -> DecisionDraft:
        """The decision this row records, as the domain value."""
        columns = {name: getattr(self, name) for name in DECISION_FIELDS}
        return DecisionDraft(request_type=RequestType(request_type), **columns)


class DeferralRow(Base):
    __tablename__ = "deferrals"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    information_required: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(200))
    return_date: Mapped[date] = mapped_column(Date)
    statutory_due: Mapped[date | None] = mapped_column(Date)
    past_due_reason: Mapped[str | None] = mapped_column(Text)
    timescale_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    #: why the panel could not decide, when it was not quorate (R5)
    inquorate_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    chaired_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    participant_ids: Mapped[list[int]] = mapped_column(JSON)
    relisted_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))


class ActionRow(Base):
    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class ActionProgress(Base):
    """An action completed or reopened, newest last. Kept apart from ``actions`` (a row the
    signed minutes rest on) so that following an action up never touches the signed record.
    A completion note is typed text: it lives in ``reasons`` (entity "action")."""

    __tablename__ = "action_progress"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    #: "done" or "open"
    state: Mapped[str] = mapped_column(String(8))
    on_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))


class ApprovalRow(Base):
    """A chief officer's approval or return of a decision, recorded after the minutes are
    signed; the latest one for a decision is where it stands. A comment is typed text: it
    lives in ``reasons`` (entity "approval")."""

    __tablename__ = "approvals"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    #: "approved" or "returned"
    result: Mapped[str] = mapped_column(String(16))
    officer: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    on_date: Mapped[date] = mapped_column(Date)
    #: a returned decision's case, put back on the panel's next agenda
    relisted_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))


class AppealStepRow(Base):
    """One step a family took after a decision: mediation asked for, a mediation certificate,
    an agreement in mediation, an appeal lodged with the Tribunal, the Tribunal's decision."""

    __tablename__ = "appeal_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    step: Mapped[AppealStep] = mapped_column(code_enum(AppealStep, 32))
    outcome: Mapped[AppealOutcome | None] = mapped_column(code_enum(AppealOutcome, 32))
    on_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))


class MinutesVersion(Base):
    __tablename__ = "minutes_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    naming_mode: Mapped[NamingMode] = mapped_column(code_enum(NamingMode, 16))
    document: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signed_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """One link of the audit hash chain; see ``panelapp.store.audit``."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SigningIdentityRow(Base):
    """A member's signing certificate and private key. The key's PEM is itself encrypted
    (see panelapp.services.signing), on top of the store's own encryption."""

    __tablename__ = "signing_identities"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    common_name: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(100))
    certificate_pem: Mapped[bytes] = mapped_column(LargeBinary)
    private_key_pem: Mapped[bytes] = mapped_column(LargeBinary)
    origin: Mapped[str] = mapped_column(String(16))  # "created" in panelapp or "imported"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: what protects the private key: "store" (a key derived from the store key: made before
    #: members held their own keys, replaced at the member's next signing), "passphrase" (the
    #: member's own signing passphrase, Argon2id) or "pkcs12" (the council's file, with its
    #: own password)
    key_protection: Mapped[str] = mapped_column(String(16), default="store")


class AuditCheckpoint(Base):
    """The audit chain's length and head, signed by a member's own key when they signed minutes
    or decision records. ``check`` refuses a chain that is shorter than, or differs from, any
    checkpoint; the signed documents carry the same anchor outside the store."""

    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(String(64))
    meeting_id: Mapped[int | None] = mapped_column(Integer)
    #: the minutes version signed (None for decision records)
    version: Mapped[int | None] = mapped_column(Integer)
    #: ``record_digests.meeting_records_digest`` of the meeting when it was signed
    records_digest: Mapped[str] = mapped_column(String(64))
    signer_member_id: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(100))
    certificate_pem: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[str] = mapped_column(String(40))


class FormDraft(Base):
    """What has been typed into a form that is not recorded yet, kept so that a crash or a flat
    battery loses nothing. Removed when the decision or deferral is recorded."""

    __tablename__ = "form_drafts"
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), primary_key=True)
    form: Mapped[str] = mapped_column(String(32), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReasonRow(Base):
    """Why something was reopened or withdrawn, as typed. Kept apart from the audit trail
    (which records only that a reason was given and which one), because typed text may name a
    child and must go when the council's retention period ends, while the chain stays whole."""

    __tablename__ = "reasons"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))


class FamilyLetterRow(Base):
    """The letter to a family about one item's decision or deferral: when it was first made
    and when the officer sent it (for the service standard and the statutory limits)."""

    __tablename__ = "family_letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id"), unique=True)
    first_made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_recorded_by: Mapped[str] = mapped_column(String(200), default="", server_default="")


class DeletedCaseCount(Base):
    """What the council's statistics keep of cases deleted at the end of retention (R20):
    counts by panel, month heard, request type and outcome, and nothing about the child."""

    __tablename__ = "deleted_case_counts"
    __table_args__ = (UniqueConstraint("panel_id", "month", "request_type", "outcome"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for a case never put before a panel
    panel_id: Mapped[int | None] = mapped_column(ForeignKey("panels.id"))
    #: YYYY-MM of the meeting that heard it ("" for a case never heard)
    month: Mapped[str] = mapped_column(String(7))
    request_type: Mapped[str] = mapped_column(String(32))
    #: the outcome code, "deferred", or "" for a case not decided
    outcome: Mapped[str] = mapped_column(String(32))
    cases: Mapped[int] = mapped_column(Integer, default=0)


class TeamCheckout(Base):
    """A meeting checked out of the team store to a laptop (``side`` "team": the team store's
    record of who has it; "laptop": the laptop's record of what it holds). Rows made on the
    laptop take ids from ``id_block_start``..``id_block_end``, reserved on the team store at
    check-out, so they keep their ids when checked in. Released by a check-in or by force."""

    __tablename__ = "team_checkouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    side: Mapped[str] = mapped_column(String(8))
    checked_out_to: Mapped[str] = mapped_column(String(200))
    machine: Mapped[str] = mapped_column(String(200))
    checked_out_at: Mapped[datetime] = mapped_column(UtcDateTime)
    team_store_id: Mapped[str] = mapped_column(String(64))
    #: the team store's audit head when the meeting was checked out
    team_seq: Mapped[int] = mapped_column(Integer)
    team_head: Mapped[str] = mapped_column(String(64))
    local_store_id: Mapped[str] = mapped_column(String(64))
    #: on the laptop: the team store's row for this checkout
    team_checkout_id: Mapped[int | None] = mapped_column(Integer)
    #: on the laptop: the seq of its own "checked out" event (its segment starts there)
    local_seq: Mapped[int | None] = mapped_column(Integer)
    id_block_start: Mapped[int] = mapped_column(Integer)
    id_block_end: Mapped[int] = mapped_column(Integer)
    next_id: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    released_by: Mapped[str | None] = mapped_column(String(200))
    #: "checkin" or "forced"
    release_kind: Mapped[str | None] = mapped_column(String(16))


class TeamCheckinEvent(Base):
    """One laptop audit event as it became an event of the team chain at check-in: minutes
    signed on the laptop sign the laptop chain's head, which this keeps."""

    __tablename__ = "team_checkin_events"
    __table_args__ = (UniqueConstraint("checkout_id", "local_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("team_checkouts.id"))
    local_seq: Mapped[int] = mapped_column(Integer)
    local_hash: Mapped[str] = mapped_column(String(64))
    team_seq: Mapped[int] = mapped_column(Integer)
    team_hash: Mapped[str] = mapped_column(String(64))


class TeamCheckinCheckpoint(Base):
    """A checkpoint signed on a laptop (it names the laptop's store and chain), checked in."""

    __tablename__ = "team_checkin_checkpoints"
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("audit_checkpoints.id"), primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("team_checkouts.id"))
    local_store_id: Mapped[str] = mapped_column(String(64))
    #: the team event the signed laptop head became
    team_seq: Mapped[int] = mapped_column(Integer)
    #: ``record_digests.meeting_records_digest`` of the meeting on the team store at check-in
    team_records_digest: Mapped[str] = mapped_column(String(64))


class TeamLatePaper(Base):
    """A paper added on the team store while its meeting was checked out: it waits there,
    flagged, until ``team refresh`` brings it down to the laptop."""

    __tablename__ = "team_late_papers"
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("team_checkouts.id"), index=True)
    fetched_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
