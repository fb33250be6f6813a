"""Letters to families about the panel's decisions, and whether they went out in time.

Each decided or deferred item gets a letter to the parent or carer (or to the young person once
they are 16): what the panel decided in plain English, its reasons, what happens next with the
dates that follow, and, for a decision the family can appeal, their right of appeal with its
deadline as a date (R16). Letters name the child in full: they go to the family. Making them is
an export (audited, all or nothing); the officer records the day each letter was sent, which is
checked against the panel's service standard (working days after the meeting) and, for a
decision not to assess, the six-week limit from the request (R10).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain import family_letters as words
from panelapp.domain.deadlines import assessment_decision_due, format_date
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.outcomes import format_pounds
from panelapp.domain.uk_time import uk_day
from panelapp.domain.vocabulary import ItemStatus, Outcome, RequestType
from panelapp.resources import read_template
from panelapp.services import export_files
from panelapp.services.bank_holidays import england_bank_holidays
from panelapp.services.clock import utc_now
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store
from panelapp.store.tables import (
    AgendaItem,
    Case,
    DecisionRow,
    DeferralRow,
    FamilyLetterRow,
    Meeting,
    Panel,
)

if TYPE_CHECKING:
    from panelapp.documents.family_letter_writer import FamilyLetter

logger = logging.getLogger(__name__)

TEMPLATE = "family_letter.docx"
LARGE_PRINT_TEMPLATE = "family_letter_large_print.docx"

_REQUESTS = {
    RequestType.ASSESSMENT_REQUEST: "the request for an Education, Health and Care needs "
    "assessment for {child}",
    RequestType.POST_ASSESSMENT: "the results of {child}'s Education, Health and Care needs "
    "assessment",
    RequestType.REASSESSMENT: "the request for a new assessment of {child}'s needs",
    RequestType.ANNUAL_REVIEW: "the annual review of {child}'s Education, Health and Care plan",
    RequestType.PHASE_TRANSFER: "{child}'s move to their next school or setting",
}


def _request_words(request: RequestType, child: str) -> str:
    template = _REQUESTS.get(request, "the request made for {child} ({what})")
    return template.format(child=child, what=request.label.lower())


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class LetterFile:
    item_position: int
    file_name: str
    document: bytes


def _items(session: Session, meeting: Meeting, positions: list[int] | None) -> list[AgendaItem]:
    heard = [i for i in meeting.items if i.status in (ItemStatus.DECIDED, ItemStatus.DEFERRED)]
    if positions is None:
        return heard
    by_position = {i.position: i for i in meeting.items}
    chosen = []
    for position in positions:
        item = by_position.get(position)
        if item is None:
            raise PanelappError(
                f"Meeting {meeting.id} has no item {position}.",
                next_steps=(NextStep(Step.SHOW_MEETING, meeting_id=meeting.id),),
            )
        if item not in heard:
            raise PanelappError(
                f"Item {position} has not been decided or deferred, so there is nothing to tell "
                "the family yet."
            )
        chosen.append(item)
    return chosen


def _letter(session: Session, item: AgendaItem, letter_date: date) -> FamilyLetter:
    from panelapp.documents.family_letter_writer import FamilyLetter

    meeting, case = item.meeting, item.case
    panel = meeting.panel
    full_name = f"{case.first_name} {case.last_name}"
    young_person = _age_on(case.date_of_birth, letter_date) >= 16
    request = case.request_type
    details: list[str] = []
    next_steps: list[str] = []
    appeal: tuple[str, ...] = ()
    reasons = ""
    decision_row = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item.id))
    if decision_row is not None:
        outcome = decision_row.outcome
        decision = words.decision_sentence(outcome, case.first_name, decision_row.setting)
        reasons = decision_row.rationale
        if decision_row.amount_pence is not None:
            details.append(f"Amount agreed: {format_pounds(decision_row.amount_pence)}")
        if decision_row.setting and outcome is not Outcome.NAME_SETTING:
            details.append(f"School or setting: {decision_row.setting}")
        if decision_row.hours_per_week:
            details.append(f"Hours each week: {decision_row.hours_per_week:g}")
        if decision_row.start_date:
            details.append(f"Starting on: {format_date(decision_row.start_date)}")
        if decision_row.review_date:
            details.append(f"To be reviewed by: {format_date(decision_row.review_date)}")
        if outcome is Outcome.AGREE_TO_ASSESS:
            tell_by, final_by = words.assessment_dates(case.request_received)
            next_steps += [
                "We will ask for advice from the people who know "
                f"{case.first_name}, including you, their school or setting, health and an "
                "educational psychologist.",
                f"We will tell you by {format_date(tell_by)} if we decide not to issue an "
                "EHC plan.",
                f"If we issue an EHC plan, the final plan will be ready by {format_date(final_by)}. "
                "You will see a draft first and can say which school or setting you would like.",
            ]
        elif outcome is Outcome.ISSUE_PLAN:
            next_steps.append(
                "We will send you a draft plan. You have 15 days to comment on it, ask for a "
                "meeting, and say which school or setting you would like named."
            )
        elif outcome in (Outcome.DECLINE_TO_ASSESS, Outcome.DO_NOT_ISSUE_PLAN):
            next_steps.append(
                f"{case.first_name}'s school or setting will keep supporting them through SEN "
                "support and should review that support with you regularly."
            )
        if words.can_appeal(request, outcome):
            appeal = tuple(words.appeal_paragraphs(letter_date))
    else:
        deferral = session.scalar(select(DeferralRow).where(DeferralRow.agenda_item_id == item.id))
        if deferral is None:
            raise PanelappError(
                f"Item {item.position} has no decision or deferral in the store, so there is no "
                "letter to write for it.",
                next_steps=(NextStep(Step.CHECK_STORE),),
            )
        decision = (
            "The panel has not made a decision yet: it needs more information first, and will "
            "look at the request again."
        )
        reasons = deferral.reason
        next_steps += [
            f"The panel asked for: {deferral.information_required}"
            + (f" (from {deferral.provider})." if deferral.provider else "."),
            f"The panel will look again at its first meeting on or after "
            f"{format_date(deferral.return_date)}.",
        ]
        if deferral.statutory_due and deferral.return_date > deferral.statutory_due:
            next_steps.append(
                f"The legal time limit for this decision is {format_date(deferral.statutory_due)}. "
                "The panel recorded why it could not decide before then; you may ask us about it."
            )
    if young_person:
        addressee, greeting = full_name, f"Dear {case.first_name}"
    else:
        addressee, greeting = f"the parent or carer of {full_name}", "Dear parent or carer"
    return FamilyLetter(
        council=panel.council,
        council_address=panel.council_address,
        council_contact=panel.council_contact,
        panel_name=panel.name,
        letter_date=letter_date,
        meeting_date=meeting.meeting_date,
        addressee=addressee,
        greeting=greeting,
        child_full_name=full_name,
        reference=case.reference,
        request=_request_words(request, case.first_name),
        decision=decision,
        details=tuple(details),
        reasons=reasons,
        next_steps=tuple(next_steps),
        appeal=appeal,
        mediation_contact=panel.mediation_contact,
        sendiass_contact=panel.sendiass_contact,
        case_officer=case.case_officer,
        generated_at=utc_now(whole_seconds=True),
    )


def make_letters(
    session: Session,
    meeting_id: int,
    *,
    positions: list[int] | None = None,
    large_print: bool = False,
    letter_date: date | None = None,
) -> list[LetterFile]:
    """The letters (not yet written anywhere) for the meeting's decided and deferred items, or
    for the items at ``positions``."""
    meeting = get_meeting(session, meeting_id)
    items = _items(session, meeting, positions)
    if not items:
        raise PanelappError(
            "No item of this meeting has been decided or deferred yet, so there is no letter "
            "to write."
        )
    # python-docx only when letters are written (the panel figures import this module too)
    from panelapp.documents.family_letter_writer import write_family_letter

    on = letter_date or uk_day(utc_now())
    template = read_template(LARGE_PRINT_TEMPLATE if large_print else TEMPLATE)
    letters = []
    for item in items:
        content = _letter(session, item, on)
        suffix = "-large-print" if large_print else ""
        name = export_files.safe_name(
            f"letter-item-{item.position:02d}-{item.case.reference}{suffix}.docx"
        )
        letters.append(LetterFile(item.position, name, write_family_letter(content, template)))
    return letters


def export_letters(
    store: Store,
    actor: str,
    meeting_id: int,
    out: Path,
    *,
    positions: list[int] | None = None,
    large_print: bool = False,
    letter_date: date | None = None,
    overwrite: bool = False,
) -> tuple[Path, list[LetterFile]]:
    """Write the letters into a new folder (inside ``out`` when it is an existing folder),
    whole or not at all, with the audit event (which names items, never the children)."""
    with store.read() as session:
        letters = make_letters(
            session,
            meeting_id,
            positions=positions,
            large_print=large_print,
            letter_date=letter_date,
        )
        meeting = get_meeting(session, meeting_id)
        folder_name = f"letters-{meeting.meeting_date.isoformat()}-meeting-{meeting_id}"
        item_ids = {i.position: i.id for i in meeting.items}
    target = export_files.target_path(out, folder_name)

    def fill(folder: Path) -> None:
        for letter in letters:
            fd = os.open(folder / letter.file_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(letter.document)

    def record(uow: UnitOfWork) -> None:
        for letter in letters:
            item_id = item_ids[letter.item_position]
            row = uow.session.scalar(
                select(FamilyLetterRow).where(FamilyLetterRow.agenda_item_id == item_id)
            )
            if row is None:
                uow.session.add(FamilyLetterRow(agenda_item_id=item_id, first_made_at=utc_now()))
        uow.audit(
            "letters.generated",
            "meeting",
            meeting_id,
            items=[letter.item_position for letter in letters],
            large_print=large_print,
        )

    export_files.publish_folder(store, actor, target, fill, record, overwrite=overwrite)
    logger.info("%d letters written for meeting %d", len(letters), meeting_id)
    return target, letters


def record_letter_sent(uow: UnitOfWork, meeting_id: int, position: int, *, on: date) -> None:
    """The day the officer sent the family the letter about item ``position``."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    item = next((i for i in meeting.items if i.position == position), None)
    if item is None:
        raise PanelappError(f"Meeting {meeting_id} has no item {position}.")
    if item.status not in (ItemStatus.DECIDED, ItemStatus.DEFERRED):
        raise PanelappError(
            f"Item {position} has not been decided or deferred: there was no letter to send."
        )
    if on < meeting.meeting_date:
        raise PanelappError(
            f"The letter cannot have been sent before the meeting ({format_date(meeting.meeting_date)}). "
            "Check the date."
        )
    if on > uk_day(utc_now()):
        raise PanelappError("That date is in the future: record the day the letter was sent.")
    row = uow.session.scalar(
        select(FamilyLetterRow).where(FamilyLetterRow.agenda_item_id == item.id)
    )
    if row is None:  # written outside panelapp: the sending is what counts
        row = FamilyLetterRow(agenda_item_id=item.id, first_made_at=utc_now())
        uow.session.add(row)
    row.sent_on = on
    row.sent_recorded_by = uow.actor
    uow.session.flush()
    uow.audit("letter.sent", "agenda_item", item.id, meeting_id=meeting_id, position=position)


@dataclass(frozen=True)
class LetterDue:
    meeting_id: int
    meeting_date: date
    position: int
    reference: str
    due: date  # the panel's service standard: working days after the meeting
    #: the legal limit for telling the family, where the law sets one (a decision not to
    #: assess: six weeks from the request)
    statutory_limit: date | None
    sent_on: date | None

    def late(self, today: date) -> bool:
        """Unsent past the service standard, or sent after it or after the legal limit."""
        limit = min(d for d in (self.due, self.statutory_limit) if d is not None)
        return (self.sent_on or today) > limit


def letters_due(
    session: Session,
    today: date,
    *,
    include_sent: bool = False,
    item_ids: Collection[int] | None = None,
) -> list[LetterDue]:
    """Every decided or deferred item whose family letter is unsent (or, with
    ``include_sent``, every one), oldest meeting first; ``item_ids`` keeps only those items.
    One query of plain columns (the panel figures, which have read the items already, go
    straight to ``letters_of``)."""
    stmt = (
        select(
            Meeting.id,
            Meeting.meeting_date,
            Panel.notify_within_working_days,
            AgendaItem.id,
            AgendaItem.position,
            Case.reference,
            Case.request_received,
            FamilyLetterRow.sent_on,
            DecisionRow.outcome,
        )
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Panel, Panel.id == Meeting.panel_id)
        .join(Case, Case.id == AgendaItem.case_id)
        .outerjoin(FamilyLetterRow, FamilyLetterRow.agenda_item_id == AgendaItem.id)
        .outerjoin(DecisionRow, DecisionRow.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.status.in_([ItemStatus.DECIDED, ItemStatus.DEFERRED]))
        .order_by(Meeting.meeting_date, Meeting.id, AgendaItem.position)
    )
    if not include_sent:
        stmt = stmt.where(FamilyLetterRow.sent_on.is_(None))
    rows = session.execute(stmt).all()
    if item_ids is not None:
        wanted = set(item_ids)
        rows = [r for r in rows if r[3] in wanted]
    return letters_of(
        [LetterFacts(r[0], r[1], r[2], r[4], r[5], r[6], r[7], r[8]) for r in rows], today
    )


class LetterFacts(NamedTuple):
    """What deciding a letter's dates needs of one decided or deferred item."""

    meeting_id: int
    meeting_date: date
    notify_within_working_days: int
    position: int
    reference: str
    request_received: date
    sent_on: date | None
    outcome: str | None  # the decision's outcome; None for a deferral


def letters_of(items: Iterable[LetterFacts], today: date) -> list[LetterDue]:
    """The letter due for each item, in the order given (``letters_due`` reads the items; the
    panel figures pass the hearings they have already read)."""
    items = list(items)
    years = {i.meeting_date.year for i in items} | {today.year}
    bank = england_bank_holidays(years | {y + 1 for y in years})
    due_on: dict[tuple[date, int], date] = {}  # many items share a meeting
    due_list = []
    for item in items:
        key = (item.meeting_date, item.notify_within_working_days)
        due = due_on.get(key)
        if due is None:
            due = due_on[key] = words.add_working_days(*key, bank)
        statutory = None
        if item.outcome == Outcome.DECLINE_TO_ASSESS:
            statutory = assessment_decision_due(item.request_received)
        due_list.append(
            LetterDue(
                meeting_id=item.meeting_id,
                meeting_date=item.meeting_date,
                position=item.position,
                reference=item.reference,
                due=due,
                statutory_limit=statutory,
                sent_on=item.sent_on,
            )
        )
    return due_list


__all__ = [
    "LetterDue",
    "LetterFacts",
    "LetterFile",
    "export_letters",
    "letters_due",
    "letters_of",
    "make_letters",
    "record_letter_sent",
]
