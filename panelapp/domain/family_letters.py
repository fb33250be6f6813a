"""What a letter to a family says about the panel's decision, in plain English.

The words follow the SEND Code of Practice: a family told of a decision they may disagree with
is told of their right of appeal to the First-tier Tribunal (Special Educational Needs and
Disability), that they must first contact a mediation adviser and get a certificate (unless the
appeal is only about the school or type of school named in the plan), the deadline (R16), and
where to get independent advice (the council's SENDIASS) and mediation. A refusal gives the
panel's reasons (R10). No rule codes and no unexplained acronyms reach the page.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta

from panelapp.domain.deadlines import (
    appeal_deadline,
    final_plan_due,
    format_date,
    no_plan_decision_due,
)
from panelapp.domain.late_papers import is_working_day
from panelapp.domain.vocabulary import Outcome, RequestType

#: (request, outcome) pairs a family can appeal to the First-tier Tribunal
_APPEALABLE = frozenset(
    {
        (RequestType.ASSESSMENT_REQUEST, Outcome.DECLINE_TO_ASSESS),
        (RequestType.POST_ASSESSMENT, Outcome.DO_NOT_ISSUE_PLAN),
        (RequestType.POST_ASSESSMENT, Outcome.ISSUE_PLAN),
        (RequestType.REASSESSMENT, Outcome.DECLINE),
        (RequestType.ANNUAL_REVIEW, Outcome.MAINTAIN),
        (RequestType.ANNUAL_REVIEW, Outcome.AMEND),
        (RequestType.ANNUAL_REVIEW, Outcome.CEASE),
        (RequestType.PHASE_TRANSFER, Outcome.NAME_SETTING),
        (RequestType.PHASE_TRANSFER, Outcome.NAME_SETTING_TYPE),
    }
)

#: outcomes that refuse what was asked: the letter must give the panel's reasons
REFUSALS = frozenset(
    {Outcome.DECLINE_TO_ASSESS, Outcome.DO_NOT_ISSUE_PLAN, Outcome.DECLINE, Outcome.CEASE}
)

#: what the panel decided, said to a parent ("The panel decided to ...")
_DECIDED = {
    Outcome.AGREE_TO_ASSESS: (
        "carry out an Education, Health and Care needs assessment. This is a detailed look at "
        "{child}'s needs and the help they need"
    ),
    Outcome.DECLINE_TO_ASSESS: (
        "not carry out an Education, Health and Care needs assessment at this time. The panel "
        "thinks {child}'s needs can be met with the support schools and settings normally give "
        "(SEN support)"
    ),
    Outcome.ISSUE_PLAN: (
        "issue an Education, Health and Care plan (EHC plan) for {child}. An EHC plan is a legal "
        "document that sets out {child}'s needs and the help they must get"
    ),
    Outcome.DO_NOT_ISSUE_PLAN: (
        "not issue an Education, Health and Care plan (EHC plan). The panel thinks {child}'s "
        "needs can be met with SEN support from their school or setting"
    ),
    Outcome.AGREE: "agree to the request made for {child}",
    Outcome.DECLINE: "not agree to the request made for {child}",
    Outcome.MAINTAIN: "keep {child}'s Education, Health and Care plan as it is",
    Outcome.AMEND: "change (amend) {child}'s Education, Health and Care plan",
    Outcome.CEASE: "stop (cease) {child}'s Education, Health and Care plan",
    Outcome.NAME_SETTING: "name {setting} in {child}'s Education, Health and Care plan",
    Outcome.NAME_SETTING_TYPE: (
        "name the type of school or setting {child} should attend in their Education, Health "
        "and Care plan"
    ),
    Outcome.AGREE_TO_CONSULT: (
        "ask schools or settings whether they can meet {child}'s needs, before one is named"
    ),
    Outcome.AGREE_BAND: "agree extra funding for {child}'s support",
    Outcome.AGREE_BAND_OVERRIDE: "agree extra funding for {child}'s support",
    Outcome.REFER_TO_TRAVEL_TEAM: (
        "pass the request for help with travel to the council's travel assistance team"
    ),
}


def can_appeal(request: RequestType, outcome: Outcome) -> bool:
    """The family may appeal this decision to the First-tier Tribunal."""
    return (RequestType(request), Outcome(outcome)) in _APPEALABLE


def decision_sentence(outcome: Outcome, child: str, setting: str | None = None) -> str:
    """'The panel decided to ...' for ``outcome``, naming the child by first name."""
    words = _DECIDED[Outcome(outcome)].format(child=child, setting=setting or "a setting")
    if words.startswith("not "):
        return f"The panel decided not to {words[4:]}."
    return f"The panel decided to {words}."


def assessment_dates(request_received: date) -> tuple[date, date]:
    """After an agreement to assess: (the latest date for telling the family whether a plan
    will be issued, the latest date for the final plan) - 16 and 20 weeks from the request."""
    return no_plan_decision_due(request_received), final_plan_due(request_received)


def appeal_paragraphs(letter_date: date) -> list[str]:
    """The right of appeal, mediation first, and the deadline written as a date (R16)."""
    deadline = appeal_deadline(letter_date)
    return [
        "If you disagree with this decision, you have the right to appeal to the First-tier "
        "Tribunal (Special Educational Needs and Disability), an independent court that hears "
        "these appeals.",
        "Before you can appeal, you must contact a mediation adviser. Mediation is a meeting "
        "with an independent person to try to agree things without going to the Tribunal. You "
        "do not have to take part in mediation, but you must contact the adviser and get a "
        "certificate to send with your appeal. You do not need a certificate if your appeal is "
        "only about the school or type of school named in the plan.",
        f"You must appeal by {format_date(deadline)} (two months from the date of this letter), "
        "or within one month of the date on your mediation certificate if that is later.",
    ]


def add_working_days(start: date, days: int, bank_holidays: Container[date]) -> date:
    """The day ``days`` working days after ``start`` (weekends and bank holidays skipped)."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, bank_holidays):
            left -= 1
    return day
