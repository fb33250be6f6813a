"""Facts about a child that the council reports on: vulnerability flags and placement type.

Each enum's value is the stable code kept in the store (a flag's code is also the name of its
column on ``cases``); ``label`` is what people read. Codes never change once released.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS[self]


class Vulnerability(_Labelled):
    """A child's circumstances that reports break figures down by (a case may have several)."""

    LOOKED_AFTER = "looked_after"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    CARE_LEAVER = "care_leaver"
    ELECTIVELY_HOME_EDUCATED = "electively_home_educated"
    KNOWN_TO_YOUTH_JUSTICE = "known_to_youth_justice"
    FREE_SCHOOL_MEALS = "free_school_meals"


class PlacementType(_Labelled):
    """Where the child is educated (or is to be), as placement reports group settings."""

    MAINSTREAM = "mainstream"
    RESOURCED_PROVISION = "resourced_provision"
    MAINTAINED_SPECIAL = "maintained_special"
    ACADEMY_SPECIAL = "academy_special"
    INDEPENDENT_SPECIAL = "independent_special"
    OUT_OF_AREA = "out_of_area"
    RESIDENTIAL_38 = "residential_38"
    RESIDENTIAL_52 = "residential_52"
    ALTERNATIVE_PROVISION = "alternative_provision"
    EOTAS = "eotas"
    POST_16 = "post_16"


_LABELS: dict[StrEnum, str] = {
    Vulnerability.LOOKED_AFTER: "Looked after",
    Vulnerability.CHILD_IN_NEED: "Child in need",
    Vulnerability.CHILD_PROTECTION_PLAN: "Child protection plan",
    Vulnerability.CARE_LEAVER: "Care leaver",
    Vulnerability.ELECTIVELY_HOME_EDUCATED: "Electively home educated",
    Vulnerability.KNOWN_TO_YOUTH_JUSTICE: "Known to youth justice",
    Vulnerability.FREE_SCHOOL_MEALS: "Free school meals",
    PlacementType.MAINSTREAM: "Mainstream",
    PlacementType.RESOURCED_PROVISION: "Resourced provision / SEN unit",
    PlacementType.MAINTAINED_SPECIAL: "Maintained special school",
    PlacementType.ACADEMY_SPECIAL: "Academy or free special school",
    PlacementType.INDEPENDENT_SPECIAL: "Independent or non-maintained special school",
    PlacementType.OUT_OF_AREA: "Out of area",
    PlacementType.RESIDENTIAL_38: "Residential (38 weeks)",
    PlacementType.RESIDENTIAL_52: "Residential (52 weeks)",
    PlacementType.ALTERNATIVE_PROVISION: "Alternative provision",
    PlacementType.EOTAS: "Education otherwise than at school (EOTAS)",
    PlacementType.POST_16: "Post-16 (college, apprenticeship or training)",
}

#: Other words case-management systems use for a placement type (normalised: a-z0-9 only).
PLACEMENT_ALIASES: dict[str, PlacementType] = {
    "mainstreamschool": PlacementType.MAINSTREAM,
    "resourcedprovision": PlacementType.RESOURCED_PROVISION,
    "senunit": PlacementType.RESOURCED_PROVISION,
    "arp": PlacementType.RESOURCED_PROVISION,
    "maintainedspecialschool": PlacementType.MAINTAINED_SPECIAL,
    "academyspecialschool": PlacementType.ACADEMY_SPECIAL,
    "freespecialschool": PlacementType.ACADEMY_SPECIAL,
    "independentspecial": PlacementType.INDEPENDENT_SPECIAL,
    "nonmaintainedspecial": PlacementType.INDEPENDENT_SPECIAL,
    "inmss": PlacementType.INDEPENDENT_SPECIAL,
    "ism": PlacementType.INDEPENDENT_SPECIAL,
    "outofarea": PlacementType.OUT_OF_AREA,
    "outofauthority": PlacementType.OUT_OF_AREA,
    "residential38weeks": PlacementType.RESIDENTIAL_38,
    "residential52weeks": PlacementType.RESIDENTIAL_52,
    "ap": PlacementType.ALTERNATIVE_PROVISION,
    "otherthanatschool": PlacementType.EOTAS,
    "educationotherwisethanatschool": PlacementType.EOTAS,
    "post16": PlacementType.POST_16,
    "fe": PlacementType.POST_16,
    "furthereducation": PlacementType.POST_16,
    "college": PlacementType.POST_16,
}
