"""The case facts reports need (vulnerability flags, placement type, the final plan's date)
come in with the case list when its columns are there, are checked row by row, and can be
corrected afterwards like any other detail of the case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from panelapp.domain.case_facts import PlacementType, Vulnerability
from panelapp.services import corrections
from panelapp.services.case_list_import import CaseListInvalid, import_case_list
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Case
from tests.helpers.meeting_day import MEETING_DAY

HEADER = (
    "Reference,First name,Last name,Date of birth,Primary need,Request type,"
    "Request received date,LAC,Child in need,FSM,EHE,Placement type,Final plan issued"
)


def _csv(tmp_path, rows):
    path = tmp_path / "facts.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_flags_placement_and_final_plan_date_are_imported(store, tmp_path):
    rows = [
        "NB-1,Ruby,Khan,03/12/2015,SLCN,post_assessment,02/02/2026,yes,no,Y,,"
        "Maintained special school,20/06/2026",
        "NB-2,Alfie,Brown,22/02/2014,MLD,top_up,20/02/2026,,,,,INMSS,",
        "NB-3,Evie,Green,30/06/2011,VI,annual_review,01/03/2026,,,,,,",
    ]
    result = import_case_list(store, "Ops", _csv(tmp_path, rows), today=date(2026, 7, 1))
    with store.read() as session:
        ruby, alfie, evie = (session.get(Case, i) for i in result.case_ids)
        assert (ruby.looked_after, ruby.child_in_need, ruby.free_school_meals) == (
            True,
            False,
            True,
        )
        assert ruby.electively_home_educated is False and ruby.care_leaver is False
        assert ruby.placement_type == "maintained_special"
        assert ruby.final_plan_issued == date(2026, 6, 20)
        assert alfie.placement_type == "independent_special" and not alfie.looked_after
        assert (evie.placement_type, evie.final_plan_issued) == (None, None)
        assert corrections.case_details(session, ruby.id).vulnerabilities == {
            Vulnerability.LOOKED_AFTER,
            Vulnerability.FREE_SCHOOL_MEALS,
        }


def test_bad_facts_import_nothing_and_name_row_and_column(store, tmp_path):
    rows = [
        "NB-1,Ruby,Khan,03/12/2015,SLCN,post_assessment,02/02/2026,perhaps,,,,,",
        "NB-2,Alfie,Brown,22/02/2014,MLD,top_up,20/02/2026,,,,,a castle,",
        "NB-3,Evie,Green,30/06/2011,VI,post_assessment,01/03/2026,,,,,,01/01/2026",
    ]
    with pytest.raises(CaseListInvalid) as refused:
        import_case_list(store, "Ops", _csv(tmp_path, rows), today=MEETING_DAY)
    problems = refused.value.problems
    assert "row 2, column H (looked after): should be yes or no" in problems
    assert any(
        p.startswith("row 3, column L (placement type): is not a placement type") for p in problems
    )
    assert "row 4, column M (final plan issued): is before the request received date" in problems
    assert not any("castle" in p or "perhaps" in p for p in problems)  # values never repeated
    with store.read() as session:
        assert session.query(Case).filter(Case.reference.like("NB-%")).count() == 0


def test_facts_are_corrected_and_the_trail_names_the_fields(store, tmp_path):
    rows = ["NB-1,Ruby,Khan,03/12/2015,SLCN,post_assessment,02/02/2026,,,,,,"]
    (case_id,) = import_case_list(store, "Ops", _csv(tmp_path, rows), today=MEETING_DAY).case_ids
    with store.read() as session:
        before = corrections.case_details(session, case_id)
    fixed = replace(
        before,
        vulnerabilities=frozenset({Vulnerability.CHILD_PROTECTION_PLAN}),
        placement_type=PlacementType.EOTAS,
        final_plan_issued=date(2026, 6, 1),
    )
    with UnitOfWork(store, "Ops") as uow:
        changed = corrections.update_case(uow, case_id, fixed)
    assert changed == ["vulnerabilities", "placement_type", "final_plan_issued"]
    with store.read() as session:
        case = session.get(Case, case_id)
        assert case.child_protection_plan and not case.looked_after
        assert (case.placement_type, case.final_plan_issued) == ("eotas", date(2026, 6, 1))
    with UnitOfWork(store, "Ops") as uow, pytest.raises(Exception, match="before the date"):
        corrections.update_case(uow, case_id, replace(fixed, final_plan_issued=date(2026, 1, 1)))
