"""A case list from a case-management export comes in whole or not at all, and its cases can
go straight onto an agenda; deferred cases come back to the next meeting by themselves."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, PrimaryNeed, RequestType
from panelapp.services import decisions, meetings, papers
from panelapp.services.case_list_import import CaseListInvalid, import_case_list
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, AuditEvent, Case
from tests.helpers import paper_files as files
from tests.helpers.meeting_day import MEETING_DAY

HEADER = (
    "Reference,First name,Last name,Date of birth,Setting,Year group,Primary need,"
    "Request type,Request received date,Case officer"
)
GOOD_ROWS = [
    "NB-25-0101,Ruby,Khan,03/12/2020,Hillside Primary School,Reception,SLCN,"
    "EHC needs assessment request,02/02/2026,Claire Doyle",
    "NB-21-0233,Alfie,Brown,2017-02-22,Brookfield Junior School,4,MLD,top_up,2026-02-20,Ben Carter",
    'NB-16-0120,Evie,Green,30 Jun 2011,"Westgate School, Northfield",Year 10,VI,'
    "Annual review outcome,01/03/2026,Ben Carter",
]


def _csv(tmp_path, rows, header=HEADER, name="cases.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _case_count(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Case))


def test_a_valid_csv_imports_every_case_and_can_put_them_on_an_agenda(store, prepared, tmp_path):
    before = _case_count(store)
    result = import_case_list(
        store,
        "Ops Officer",
        _csv(tmp_path, GOOD_ROWS),
        meeting_id=prepared.meeting_id,
        today=MEETING_DAY,
    )
    assert len(result.case_ids) == 3 and len(result.item_ids) == 3
    assert _case_count(store) == before + 3
    with store.read() as session:
        ruby = session.get(Case, result.case_ids[0])
        assert (ruby.reference, ruby.date_of_birth, ruby.year_group) == (
            "NB-25-0101",
            date(2020, 12, 3),
            "Reception",
        )
        assert ruby.request_type == RequestType.ASSESSMENT_REQUEST.value
        alfie = session.get(Case, result.case_ids[1])
        assert (alfie.year_group, alfie.primary_need) == ("Year 4", PrimaryNeed.MLD.value)
        assert session.get(Case, result.case_ids[2]).setting == "Westgate School, Northfield"
        items = [session.get(AgendaItem, i) for i in result.item_ids]
        assert [i.position for i in items] == [3, 4, 5]  # after the two already listed
        assert [i.presenting_officer for i in items] == ["Claire Doyle", "Ben Carter", "Ben Carter"]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "cases.imported"))
        assert "Ruby" not in event.detail and '"cases":3' in event.detail


def test_a_bad_row_imports_nothing_and_names_its_row_and_column_but_not_its_value(
    store, prepared, tmp_path
):
    rows = [
        GOOD_ROWS[0],
        "NB-21-0233,Alfie,Brown,31/02/2017,Brookfield Junior School,4,MLD,top_up,2026-02-20,Ben",
        GOOD_ROWS[2],
    ]
    before = _case_count(store)
    with pytest.raises(CaseListInvalid) as caught:
        import_case_list(store, "Ops Officer", _csv(tmp_path, rows), today=MEETING_DAY)
    message = str(caught.value)
    assert "row 3, column D (date of birth): is not a date" in message
    assert "31/02/2017" not in message and "Alfie" not in message
    assert "Nothing was imported" in message
    assert _case_count(store) == before


def test_every_problem_is_listed_at_once(store, tmp_path):
    rows = [
        "NB-1,,Khan,03/12/2020,School,R,XYZ,EHCNA,02/02/2026,Officer",
        "NB-2,Sam,Lee,03/12/2030,School,R,ASD,not a thing,02/02/2026,Officer",
        "NB-3,Kim,Ng,03/12/1990,School,R,ASD,EHCNA,02/02/2026,Officer",
    ]
    with pytest.raises(CaseListInvalid) as caught:
        import_case_list(store, "Ops", _csv(tmp_path, rows), today=MEETING_DAY)
    problems = caught.value.problems
    assert any(p.startswith("row 2, column B (first name): is blank") for p in problems)
    assert any(
        p.startswith("row 2, column G (primary need): is not an SEN2 need") for p in problems
    )
    assert any(p.startswith("row 3, column H (request type)") for p in problems)
    assert any(p.startswith("row 3, column D (date of birth): is in the future") for p in problems)
    assert any("older than 25" in p and p.startswith("row 4") for p in problems)


def test_a_missing_required_column_is_named(store, tmp_path):
    header = HEADER.replace("Date of birth,", "")
    rows = [
        r.split(",", 4)[0] + ",x,y,School,R,SLCN,EHCNA,02/02/2026,Officer" for r in GOOD_ROWS[:1]
    ]
    with pytest.raises(CaseListInvalid, match="no column for date of birth"):
        import_case_list(store, "Ops", _csv(tmp_path, rows, header=header), today=MEETING_DAY)


def test_repeated_rows_and_requests_already_in_the_store_are_refused(store, tmp_path):
    with pytest.raises(CaseListInvalid, match="row 3: repeats row 2"):
        import_case_list(
            store, "Ops", _csv(tmp_path, [GOOD_ROWS[0], GOOD_ROWS[0]]), today=MEETING_DAY
        )
    import_case_list(store, "Ops", _csv(tmp_path, GOOD_ROWS[:1]), today=MEETING_DAY)
    with pytest.raises(CaseListInvalid, match="already in the store as case"):
        import_case_list(store, "Ops", _csv(tmp_path, GOOD_ROWS[:2]), today=MEETING_DAY)
    assert _case_count(store) == 1


def test_an_xlsx_export_with_a_title_row_and_date_cells_imports(store, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(
        files.excel(
            [
                ["Northfield SEN case list, exported 12/03/2026"],
                [],
                [
                    "Ref",
                    "Forename",
                    "Surname",
                    "DOB",
                    "School",
                    "NC Year",
                    "Primary SEN need",
                    "Type of request",
                    "Date received",
                    "Caseworker",
                    "Notes",
                ],
                [
                    "NB-25-0101",
                    "Ruby",
                    "Khan",
                    datetime(2020, 12, 3),
                    "Hillside",
                    0,
                    "Autism",
                    "EHCNA",
                    datetime(2026, 2, 2),
                    "Claire Doyle",
                    "ignored",
                ],
            ]  # fmt: skip
        )
    )
    result = import_case_list(store, "Ops", path, today=MEETING_DAY)
    assert result.ignored_columns == ("Notes",)
    with store.read() as session:
        case = session.get(Case, result.case_ids[0])
    assert (case.date_of_birth, case.primary_need, case.year_group) == (
        date(2020, 12, 3),
        "ASD",
        "Reception",
    )


def test_a_macro_enabled_workbook_is_refused(store, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(files.rezip(files.excel([["a"]]), add={"xl/vbaProject.bin": b"vba"}))
    with pytest.raises(Exception, match="macro-enabled"):
        import_case_list(store, "Ops", path, today=MEETING_DAY)


def test_a_deferred_case_returns_to_the_next_meeting_with_its_papers(store, prepared, tmp_path):
    """R7: scheduling a meeting on or after the return date lists the deferred case again,
    carried from its earlier item, and the papers sent for that earlier hearing come with it."""
    path = tmp_path / "EP advice.pdf"
    path.write_bytes(files.pdf(["Needs a costed provision map."]))
    (paper,) = papers.import_papers(store, "Ops", prepared.item_ids[0], [path])
    with UnitOfWork(store, "Minute Taker") as uow:
        for member_id in prepared.member_ids.values():
            meetings.record_attendance(
                uow, prepared.meeting_id, member_id, AttendanceStatus.PRESENT, arrived_at=time(9)
            )
        meetings.start_meeting(uow, prepared.meeting_id)
        decisions.defer_item(
            uow,
            prepared.item_ids[0],
            reason="Needs more information",
            information_required="Costed provision map",
            provider="School SENCo",
            return_date=date(2026, 3, 20),
            past_due_reason="Parents agreed to wait for the provision map.",
        )
    with UnitOfWork(store, "Ops") as uow:
        later = meetings.schedule_meeting(
            uow, prepared.panel_id, on=date(2026, 3, 26), start=time(9, 30)
        )
    with store.read() as session:
        (item,) = session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == later))
        assert item.case_id == prepared.case_ids[0]
        assert item.carried_from_item_id == prepared.item_ids[0]
        assert item.status == ItemStatus.TO_DO.value
        (carried,) = papers.papers_for_item(session, item.id)
    assert carried.paper_id == paper.paper_id and carried.carried_from == MEETING_DAY


def test_a_post16_move_at_another_time_of_year_imports_with_its_date_and_clock(
    store, prepared, tmp_path
):
    header = HEADER + ",Transfer date"
    row = (
        "NB-15-0077,Kai,Lewis,14/09/2008,Northfield College,Year 13,SEMH,"
        "Phase transfer,02/02/2026,Ben Carter,04/01/2027"
    )
    result = import_case_list(
        store, "Ops Officer", _csv(tmp_path, [row], header=header), today=MEETING_DAY
    )

    from panelapp.services.cases import statutory_clock

    with store.read() as session:
        case = session.get(Case, result.case_ids[0])
        assert case.transfer_date == date(2027, 1, 4)
        assert statutory_clock(case).due == date(2026, 8, 4)  # five months before the move
