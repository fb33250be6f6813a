"""The meeting view as the content of the minutes and decision records
(``documents.minutes_content``): the same values, in the types documents/ owns, so the writers
never read the services' types.

The view has already named each child by the chosen mode and, for documents leaving the store,
masked typed text (R18); nothing is reworded here.
"""

from __future__ import annotations

from panelapp.documents.minutes_content import (
    ActionContent,
    AttendeeContent,
    DecisionContent,
    DeclarationContent,
    DeferralContent,
    ItemContent,
    MeetingContent,
    PaperContent,
)
from panelapp.services.meeting_view import DecisionView, DeferralView, ItemView, MeetingView

__all__ = ["item_content", "meeting_content"]


def meeting_content(view: MeetingView) -> MeetingContent:
    return MeetingContent(
        panel_name=view.panel_name,
        meeting_date=view.meeting_date,
        start_time=view.start_time,
        venue=view.venue,
        attendees=tuple(
            AttendeeContent(
                member_id=a.member_id,
                name=a.name,
                roles=a.roles,
                status=a.status,
                organisation=a.organisation,
                in_attendance_as=a.in_attendance_as,
                arrived_before=a.arrived_before,
                left_before=a.left_before,
                online=a.online,
            )
            for a in view.attendees
        ),
        declarations=tuple(
            DeclarationContent(
                member_name=d.member_name,
                item_position=d.item_position,
                nature=d.nature,
                withdrew=d.withdrew,
                before_meeting=d.before_meeting,
                left_at=d.left_at,
                returned_at=d.returned_at,
                member_id=d.member_id,
                correction=d.correction,
                correction_reason=d.correction_reason,
                attended=d.attended,
                excluded_positions=d.excluded_positions,
            )
            for d in view.declarations
        ),
        items=tuple(item_content(item) for item in view.items),
        council=view.council,
        naming=view.naming,
        chair_id=view.chair_id,
        vice_chair_id=view.vice_chair_id,
        action_items=tuple(
            ActionContent(
                description=a.description,
                owner=a.owner,
                due_date=a.due_date,
                item_position=a.item_position,
            )
            for a in view.action_items
        ),
    )


def item_content(item: ItemView) -> ItemContent:
    return ItemContent(
        position=item.position,
        child=item.child,
        reference=item.reference,
        request_type=item.request_type,
        status=item.status,
        presenting_officer=item.presenting_officer,
        chaired_by=item.chaired_by,
        chair_reason=item.chair_reason,
        withdrawn=item.withdrawn,
        child_name=item.child_name,
        chaired_by_id=item.chaired_by_id,
        discussion=item.discussion,
        papers=tuple(
            PaperContent(
                title=p.title,
                received_on=p.received_on,
                late=p.late,
                pages=p.pages,
                carried_from=p.carried_from,
            )
            for p in item.papers
        ),
        decision=_decision(item.decision) if item.decision is not None else None,
        deferral=_deferral(item.deferral) if item.deferral is not None else None,
        clock=item.clock,
        clock_gap=item.clock_gap,
        carried_from=item.carried_from,
    )


def _decision(decision: DecisionView) -> DecisionContent:
    return DecisionContent(
        request_type=decision.request_type,
        **decision.as_fields(),  # type: ignore[arg-type]
        participants=decision.participants,
    )


def _deferral(deferral: DeferralView) -> DeferralContent:
    return DeferralContent(
        reason=deferral.reason,
        information_required=deferral.information_required,
        provider=deferral.provider,
        return_date=deferral.return_date,
        statutory_due=deferral.statutory_due,
        past_due_reason=deferral.past_due_reason,
        timescale_risk=deferral.timescale_risk,
        inquorate_reasons=deferral.inquorate_reasons,
        participants=deferral.participants,
        relisted_to=deferral.relisted_to,
    )
