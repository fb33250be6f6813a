"""The parts of one case that both the minutes and a decision record show, in the same words.

A chief officer reads a decision record beside the minutes; writing an item once, here, means
the two never describe the same decision differently. Everything comes from the meeting's content
(``minutes_content``), in which the services have already named the child by the chosen mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from panelapp.documents.docx_template import Cell, TemplateDocument
from panelapp.documents.minutes_content import (
    DeclarationContent,
    ItemContent,
    MeetingContent,
    PaperContent,
)
from panelapp.domain.formatting import format_date, weekday_date
from panelapp.domain.outcomes import format_pounds
from panelapp.domain.vocabulary import ItemStatus, NamingMode

NO_PART = "took no part in the item's discussion or decision"


def join_names(names: Iterable[str]) -> str:
    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def item_list(positions: Iterable[int]) -> str:
    """'item 3', 'items 1 to 11', 'items 2, 4 and 7 to 9'."""
    ordered = sorted(set(positions))
    runs: list[list[int]] = []
    for p in ordered:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    parts: list[str] = []
    for r in runs:
        parts.extend([str(p) for p in r] if len(r) < 3 else [f"{r[0]} to {r[-1]}"])
    noun = "item" if len(ordered) == 1 else "items"
    return f"{noun} {join_names(parts)}"


def clock_time(moment: time | None) -> str:
    return f"{moment:%H:%M}" if moment else ""


def long_date(day: date) -> str:
    """'Thursday 12 March 2026'."""
    return weekday_date(day)


def item_heading(item: ItemContent) -> str:
    return f"Item {item.position}. {item.child}: {item.request_type.label}"


# -- declarations -----------------------------------------------------------------------------


def declaration_sentence(declaration: DeclarationContent, role: str = "") -> str:
    """One declaration as the minutes record it (R2: that they left, and when they returned)."""
    who = declaration.member_name + (f" ({role})" if role else "")
    name = declaration.member_name
    when = " before the meeting" if declaration.before_meeting else ""
    nature = declaration.nature.rstrip(".")
    if declaration.correction:
        reason = declaration.correction_reason.rstrip(".")
        return (
            f"Correction: {who} had an interest in item {declaration.item_position} that was "
            f"not declared when the item was decided: {nature}. {name} took part in that "
            "item; the interest is recorded as a correction to the minutes"
            + (f" ({reason})." if reason else ".")
        )
    if not declaration.attended:
        where = (
            "every item"
            if declaration.item_position is None
            else f"item {declaration.item_position}"
        )
        return (
            f"{who} declared an interest in {where}{when}: {nature}. {name} did not attend "
            "the meeting."
        )
    if declaration.item_position is None:
        if not declaration.excluded_positions:
            first = f"{who} declared an interest in every item{when}: {nature}."
            if declaration.withdrew:
                return f"{first} {name} {NO_PART.replace('the item', 'any item')}."
            return f"{first} {name} remained, as the panel's terms allow."
        taken = item_list(declaration.excluded_positions)
        first = (
            f"{who} declared an interest in every item still to be taken ({taken} had already "
            f"been taken): {nature}."
        )
        if declaration.withdrew:
            return f"{first} {name} took no part in the discussion or decision of those items."
        return f"{first} {name} remained, as the panel's terms allow."
    item = f"item {declaration.item_position}"
    first = f"{who} declared an interest in {item}{when}: {nature}."
    if not declaration.withdrew:
        return (
            f"{first} {name} remained for {item}, as the panel's terms of "
            "reference allow for this kind of interest."
        )
    left = f" at {clock_time(declaration.left_at)}" if declaration.left_at else ""
    back = (
        f" and returned at {clock_time(declaration.returned_at)}" if declaration.returned_at else ""
    )
    return f"{first} {name} left the meeting for {item}{left}{back}, and {NO_PART}."


def _declaration_touches(declaration: DeclarationContent, position: int) -> bool:
    if declaration.item_position is not None:
        return declaration.item_position == position
    return position not in declaration.excluded_positions


def item_declaration_lines(view: MeetingContent, item: ItemContent) -> list[str]:
    """The declarations that touch this item, short, for the item's own facts."""
    lines = []
    for d in view.declarations:
        if not _declaration_touches(d, item.position):
            continue
        nature = d.nature.rstrip(".")
        if d.correction:
            lines.append(
                f"{d.member_name}: {nature}. Not declared when the item was decided; "
                "recorded afterwards as a correction. Took part in the item."
            )
            continue
        if not d.attended:
            lines.append(f"{d.member_name}: {nature}. Declared before the meeting; did not attend.")
            continue
        if d.member_name not in item.withdrawn and d.withdrew:
            continue  # not in the room for this item (arrived later or left earlier)
        if not d.withdrew:
            lines.append(f"{d.member_name}: {nature}. Remained, as the panel's terms allow.")
            continue
        span = ""
        if d.left_at and d.returned_at:
            span = f" ({clock_time(d.left_at)} to {clock_time(d.returned_at)})"
        elif d.left_at:
            span = f" (from {clock_time(d.left_at)})"
        lines.append(f"{d.member_name}: {nature}. Left the meeting for this item{span}.")
    return lines


# -- facts, decision, deferral ----------------------------------------------------------------


def paper_line(paper: PaperContent) -> str:
    pages = ""
    if paper.pages:
        pages = " (1 page)" if paper.pages == 1 else f" ({paper.pages} pages)"
    if paper.carried_from is not None:
        return f"{paper.title}{pages}, sent for the meeting of {format_date(paper.carried_from)}"
    line = f"{paper.title}{pages}, received {format_date(paper.received_on)}"
    return f"LATE PAPER: {line}" if paper.late else line


def statutory_text(item: ItemContent, meeting_date: date) -> str:
    """The due date, which never moves, any exception recorded beside it, and whether the
    time limit was met at this meeting, in words (R10-R15, R12)."""
    clock = item.clock
    if clock is None:
        if item.clock_gap:
            return (
                f"Clock unknown: {item.clock_gap}. The request has a statutory time limit, "
                "but the due date cannot be worked out until that is recorded."
            )
        return "No statutory time limit applies to this request."
    due = clock.due
    text = f"{format_date(due)} ({clock.name[:1].lower()}{clock.name[1:]})."
    for exc in clock.applying_exceptions:
        evidence = f" Evidence: {exc.note.strip().rstrip('.')}." if exc.note.strip() else ""
        text += f" Exception recorded: {exc.describe()}.{evidence}"
    if item.status is ItemStatus.DECIDED:
        result = clock.timeliness(meeting_date)
        if result.met:
            return text + f" Met: decided on {format_date(meeting_date)}."
        late = "1 day" if result.days_late == 1 else f"{result.days_late} days"
        return text + f" {result.label()}: decided on {format_date(meeting_date)}, {late} late."
    if item.status is ItemStatus.DEFERRED and item.deferral is not None:
        back = item.deferral.return_date
        if back > due:
            return (
                text + f" Not yet met: deferred to {format_date(back)}, after the due date "
                "(timescale risk)."
            )
        return text + f" Not yet met: deferred to {format_date(back)}, before the due date."
    return text + " Not decided at this meeting."


def further_dates(item: ItemContent) -> list[str]:
    """The other statutory dates that follow from the case (draft and final EHC plan, the
    amended plan after an annual review), one line each."""
    if item.clock is None:
        return []
    return [f"{m.label}: {format_date(m.due)}." for m in item.clock.milestones]


def item_facts(doc: TemplateDocument, view: MeetingContent, item: ItemContent) -> None:
    rows: list[tuple[str, str | list[str] | Cell]] = []
    if view.naming is not NamingMode.REFERENCE and item.child_name:
        rows.append(("Child or young person", item.child_name))
    rows.append(("Reference", item.reference))
    rows.append(("Request", item.request_type.label))
    if item.presenting_officer:
        rows.append(("Presented by", item.presenting_officer))
    if item.carried_from is not None:
        rows.append(
            ("Carried forward", f"Deferred at the meeting of {format_date(item.carried_from)}.")
        )
    if item.chaired_by and item.chair_reason:
        role = _role_of(view, item.chaired_by_id)
        who = f"{item.chaired_by} ({role})" if role else item.chaired_by
        rows.append(("Chaired by", [who, item.chair_reason]))
    declared = item_declaration_lines(view, item)
    if declared:
        rows.append(("Interests declared", declared))
    papers = [paper_line(p) for p in item.papers]
    rows.append(("Papers considered", papers or ["None recorded in panelapp."]))
    rows.append(("Statutory due date", statutory_text(item, view.meeting_date)))
    further = further_dates(item)
    if further:
        rows.append(("Further statutory dates", further))
    doc.facts(rows)


def discussion(doc: TemplateDocument, item: ItemContent, level: int) -> None:
    """The minute taker's summary; nothing at all when none was typed (decision minutes)."""
    if item.discussion.strip():
        doc.heading("Summary of discussion", level)
        doc.text_block(item.discussion)


def outcome(doc: TemplateDocument, item: ItemContent, level: int) -> None:
    """The decision or deferral, with its reasons and who took part."""
    if item.decision is not None:
        d = item.decision
        doc.heading("Decision", level)
        rows: list[tuple[str, str | list[str] | Cell]] = [
            ("Decision", Cell((d.outcome.label,), bold_first=True))
        ]
        if d.sections_amended:
            rows.append(("Sections amended", d.sections_amended))
        if d.setting:
            rows.append(("Setting", d.setting))
        if d.band:
            rows.append(("Band", d.band))
        if d.band_override_reason:
            rows.append(("Band override reason", d.band_override_reason))
        if d.amount_pence is not None:
            rows.append(("Amount", format_pounds(d.amount_pence)))
        if d.hours_per_week is not None:
            rows.append(("Hours per week", f"{d.hours_per_week:g}"))
        if d.start_date:
            rows.append(("Start date", format_date(d.start_date)))
        if d.review_date:
            rows.append(("Review date", format_date(d.review_date)))
        rows.append(("Reasons", d.rationale))
        rows.append(("Members taking part", join_names(d.participants) or "Not recorded."))
        doc.facts(rows)
        return
    if item.deferral is not None:
        f = item.deferral
        doc.heading("Deferral", level)
        back = format_date(f.return_date)
        if f.relisted_to is not None:
            back += f"; listed for the meeting of {format_date(f.relisted_to)}"
        else:
            back += "; to be listed at the first meeting on or after that date"
        rows = [
            ("Decision", Cell(("Deferred",), bold_first=True)),
            ("Reasons", f.reason),
            ("Information or action needed", f.information_required),
            ("To be provided by", f.provider),
            ("Return date", back),
        ]
        if f.timescale_risk or f.past_due_reason:
            due = f" ({format_date(f.statutory_due)})" if f.statutory_due else ""
            rows.append(
                (
                    "Timescale risk",
                    [f"The return date is after the statutory due date{due}."]
                    + ([f"Reason recorded: {f.past_due_reason}"] if f.past_due_reason else []),
                )
            )
        if f.inquorate_reasons:
            rows.append(("Not quorate", list(f.inquorate_reasons)))
        rows.append(("Members present for the item", join_names(f.participants) or "Not recorded."))
        doc.facts(rows)
        return
    doc.heading("Outcome", level)
    if item.status is ItemStatus.WITHDRAWN:
        doc.paragraph("Withdrawn from the agenda before it was heard.")
    else:
        doc.paragraph("Not heard: no decision or deferral has been recorded.")


def _role_of(view: MeetingContent, member_id: int | None) -> str:
    if member_id is None:
        return ""
    if member_id == view.chair_id:
        return "Chair"
    if member_id == view.vice_chair_id:
        return "Vice-chair"
    return "panel member"
