"""The words of SEND and High Needs panels: roles, request types, outcomes, needs.

Each enum's value is the stable code kept in the store; ``label`` is what people read.
Codes never change once released; labels may.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " "))


class PanelType(_Labelled):
    SEND = "send"
    HIGH_NEEDS = "high_needs"
    PLACEMENT = "placement"
    ANNUAL_REVIEW = "annual_review"


class Role(_Labelled):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SEND_MANAGER = "send_manager"
    EARLY_INTERVENTION_MANAGER = "early_intervention_manager"
    SOCIAL_CARE_MANAGER = "social_care_manager"
    EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist"
    SEN_PRACTITIONER = "sen_practitioner"
    CASE_OFFICER = "case_officer"
    SCHOOLS_REP = "schools_rep"
    HEALTH_REP = "health_rep"
    TRANSPORT_OFFICER = "transport_officer"
    MINUTE_TAKER = "minute_taker"
    PARENT_CARER_REP = "parent_carer_rep"
    EARLY_YEARS_REP = "early_years_rep"
    #: confirms High Needs funding decisions against the budget
    FINANCE_OFFICER = "finance_officer"
    OBSERVER = "observer"


#: Roles whose holders attend without being panel members for quorum purposes.
NON_VOTING_ROLES = frozenset({Role.MINUTE_TAKER, Role.OBSERVER})


class RequestType(_Labelled):
    ASSESSMENT_REQUEST = "assessment_request"
    POST_ASSESSMENT = "post_assessment"
    REASSESSMENT = "reassessment"
    ANNUAL_REVIEW = "annual_review"
    PHASE_TRANSFER = "phase_transfer"
    PLACEMENT = "placement"
    TOP_UP = "top_up"
    PERSONAL_BUDGET = "personal_budget"
    TRAVEL_ASSISTANCE = "travel_assistance"
    CARE_PACKAGE = "care_package"
    ALTERNATIVE_PROVISION = "alternative_provision"
    ALTERNATIVE_RESOURCES = "alternative_resources"


class Outcome(_Labelled):
    AGREE_TO_ASSESS = "agree_to_assess"
    DECLINE_TO_ASSESS = "decline_to_assess"
    ISSUE_PLAN = "issue_plan"
    DO_NOT_ISSUE_PLAN = "do_not_issue_plan"
    AGREE = "agree"
    DECLINE = "decline"
    MAINTAIN = "maintain"
    AMEND = "amend"
    CEASE = "cease"
    NAME_SETTING = "name_setting"
    NAME_SETTING_TYPE = "name_setting_type"
    AGREE_TO_CONSULT = "agree_to_consult"
    AGREE_BAND = "agree_band"
    AGREE_BAND_OVERRIDE = "agree_band_override"
    REFER_TO_TRAVEL_TEAM = "refer_to_travel_team"


class PrimaryNeed(_Labelled):
    """SEN2 categories of primary (and secondary) need."""

    SPLD = "SpLD"
    MLD = "MLD"
    SLD = "SLD"
    PMLD = "PMLD"
    SEMH = "SEMH"
    SLCN = "SLCN"
    HI = "HI"
    VI = "VI"
    MSI = "MSI"
    PD = "PD"
    ASD = "ASD"
    OTH = "OTH"
    NSA = "NSA"


class NamingMode(_Labelled):
    """How minutes and agendas name a child (R18)."""

    FULL = "full"
    INITIALS = "initials"
    REFERENCE = "reference"


class MeetingStatus(_Labelled):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    SIGNED = "signed"


class AttendanceStatus(_Labelled):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class ItemStatus(_Labelled):
    TO_DO = "to_do"
    DECIDED = "decided"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"  # taken off the agenda before it was heard


class ExceptionKind(_Labelled):
    """Exceptions that may extend a statutory clock (R12, SEND Regulations 2014 reg. 10)."""

    SETTING_CLOSED = "setting_closed"
    PERSONAL_CIRCUMSTANCES = "personal_circumstances"
    FAMILY_AWAY = "family_away"


_LABELS: dict[StrEnum, str] = {
    PanelType.SEND: "SEND Panel",
    PanelType.HIGH_NEEDS: "High Needs Funding Panel",
    PanelType.PLACEMENT: "Placement Panel",
    PanelType.ANNUAL_REVIEW: "Annual Review Panel",
    Role.CHAIR: "Chair",
    Role.VICE_CHAIR: "Vice-chair",
    Role.SEND_MANAGER: "SEND service manager",
    Role.EARLY_INTERVENTION_MANAGER: "Early intervention service manager",
    Role.SOCIAL_CARE_MANAGER: "Social care service manager",
    Role.EDUCATIONAL_PSYCHOLOGIST: "Educational psychologist",
    Role.SEN_PRACTITIONER: "SEN senior practitioner",
    Role.CASE_OFFICER: "SEN case officer",
    Role.SCHOOLS_REP: "Schools representative",
    Role.HEALTH_REP: "Health representative",
    Role.TRANSPORT_OFFICER: "Transport officer",
    Role.MINUTE_TAKER: "Minute taker (SEN operations officer)",
    Role.PARENT_CARER_REP: "Parent-carer representative",
    Role.EARLY_YEARS_REP: "Early years representative",
    Role.FINANCE_OFFICER: "Finance officer (High Needs)",
    Role.OBSERVER: "Observer",
    RequestType.ASSESSMENT_REQUEST: "EHC needs assessment request",
    RequestType.POST_ASSESSMENT: "Decision after assessment",
    RequestType.REASSESSMENT: "Reassessment request",
    RequestType.ANNUAL_REVIEW: "Annual review outcome",
    RequestType.PHASE_TRANSFER: "Phase transfer",
    RequestType.PLACEMENT: "Placement / change of placement",
    RequestType.TOP_UP: "High Needs top-up funding (element 3)",
    RequestType.PERSONAL_BUDGET: "Personal budget / direct payment",
    RequestType.TRAVEL_ASSISTANCE: "Travel assistance",
    RequestType.CARE_PACKAGE: "Care package change (child in need with disabilities)",
    RequestType.ALTERNATIVE_PROVISION: "Alternative provision / EOTAS / interim tuition",
    RequestType.ALTERNATIVE_RESOURCES: "Alternative resources instead of an EHC plan",
    Outcome.AGREE_TO_ASSESS: "Agree to assess",
    Outcome.DECLINE_TO_ASSESS: "Decline to assess",
    Outcome.ISSUE_PLAN: "Issue an EHC plan",
    Outcome.DO_NOT_ISSUE_PLAN: "Do not issue an EHC plan (SEN support applies)",
    Outcome.AGREE: "Agree",
    Outcome.DECLINE: "Decline",
    Outcome.MAINTAIN: "Maintain the plan",
    Outcome.AMEND: "Amend the plan",
    Outcome.CEASE: "Cease the plan",
    Outcome.NAME_SETTING: "Name a setting",
    Outcome.NAME_SETTING_TYPE: "Name a type of setting",
    Outcome.AGREE_TO_CONSULT: "Agree to consult settings",
    Outcome.AGREE_BAND: "Agree band and amount",
    Outcome.AGREE_BAND_OVERRIDE: "Agree with band override",
    Outcome.REFER_TO_TRAVEL_TEAM: "Refer to the travel team",
    PrimaryNeed.SPLD: "Specific learning difficulty",
    PrimaryNeed.MLD: "Moderate learning difficulty",
    PrimaryNeed.SLD: "Severe learning difficulty",
    PrimaryNeed.PMLD: "Profound and multiple learning difficulty",
    PrimaryNeed.SEMH: "Social, emotional and mental health",
    PrimaryNeed.SLCN: "Speech, language and communication needs",
    PrimaryNeed.HI: "Hearing impairment",
    PrimaryNeed.VI: "Vision impairment",
    PrimaryNeed.MSI: "Multi-sensory impairment",
    PrimaryNeed.PD: "Physical disability",
    PrimaryNeed.ASD: "Autistic spectrum disorder",
    PrimaryNeed.OTH: "Other difficulty or disability",
    PrimaryNeed.NSA: "SEN support but no specialist assessment of type of need",
    NamingMode.FULL: "Full names",
    NamingMode.INITIALS: "Initials and reference",
    NamingMode.REFERENCE: "Reference only",
    MeetingStatus.SCHEDULED: "Scheduled",
    MeetingStatus.IN_PROGRESS: "In progress",
    MeetingStatus.CLOSED: "Closed",
    MeetingStatus.SIGNED: "Signed",
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.APOLOGIES: "Apologies",
    AttendanceStatus.ABSENT: "Absent",
    ItemStatus.TO_DO: "To do",
    ItemStatus.DECIDED: "Decided",
    ItemStatus.DEFERRED: "Deferred",
    ItemStatus.WITHDRAWN: "Withdrawn from agenda",
    ExceptionKind.SETTING_CLOSED: "School or early years setting closed for 4+ weeks",
    ExceptionKind.PERSONAL_CIRCUMSTANCES: "Exceptional personal circumstances",
    ExceptionKind.FAMILY_AWAY: "Family away for 4+ continuous weeks",
}

#: The outcomes each request type may end in (R6). Deferral is always possible and is
#: recorded as a deferral, not as an outcome.
OUTCOMES: dict[RequestType, tuple[Outcome, ...]] = {
    RequestType.ASSESSMENT_REQUEST: (Outcome.AGREE_TO_ASSESS, Outcome.DECLINE_TO_ASSESS),
    RequestType.POST_ASSESSMENT: (Outcome.ISSUE_PLAN, Outcome.DO_NOT_ISSUE_PLAN),
    RequestType.REASSESSMENT: (Outcome.AGREE, Outcome.DECLINE),
    RequestType.ANNUAL_REVIEW: (Outcome.MAINTAIN, Outcome.AMEND, Outcome.CEASE),
    RequestType.PHASE_TRANSFER: (Outcome.NAME_SETTING, Outcome.NAME_SETTING_TYPE),
    RequestType.PLACEMENT: (Outcome.AGREE, Outcome.AGREE_TO_CONSULT, Outcome.DECLINE),
    RequestType.TOP_UP: (Outcome.AGREE_BAND, Outcome.AGREE_BAND_OVERRIDE, Outcome.DECLINE),
    RequestType.PERSONAL_BUDGET: (Outcome.AGREE, Outcome.DECLINE),
    RequestType.TRAVEL_ASSISTANCE: (Outcome.AGREE, Outcome.DECLINE, Outcome.REFER_TO_TRAVEL_TEAM),
    RequestType.CARE_PACKAGE: (Outcome.AGREE, Outcome.DECLINE),
    RequestType.ALTERNATIVE_PROVISION: (Outcome.AGREE, Outcome.DECLINE),
    RequestType.ALTERNATIVE_RESOURCES: (Outcome.AGREE, Outcome.DECLINE),
}
