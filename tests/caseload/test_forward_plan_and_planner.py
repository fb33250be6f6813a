"""The forward plan and the planner over a caseload built here, with the right answers worked
out by hand: today is Thursday 12 March 2026, papers are due 2 calendar days before a meeting,
and each meeting hears at most 2 items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from panelapp.cli import main
from panelapp.services.forward_plan import AT_RISK, ON_TRACK, OVERDUE, UNKNOWN, forward_plan
from panelapp.services.planner import apply_plan, plan_meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Panel

TODAY = date(2026, 3, 12)  # a Thursday


def test_the_forward_plan_lists_each_open_case_by_its_due_date(store, caseload):
    m, ids = caseload
    with store.read() as session:
        rows = forward_plan(session, TODAY)
    got = [
        (r.reference, r.due, r.days_left, r.meeting_date, r.last_meeting_date, r.state)
        for r in rows
    ]
    assert got == [
        ("H-1", date(2026, 2, 14), -26, None, None, OVERDUE),
        ("C-1", date(2026, 3, 3), -9, None, None, OVERDUE),
        ("A-1", date(2026, 3, 24), 12, None, date(2026, 3, 19), AT_RISK),
        ("E-1", date(2026, 4, 2), 21, None, date(2026, 4, 2), ON_TRACK),
        ("B-1", date(2026, 4, 8), 27, None, date(2026, 4, 2), ON_TRACK),
        ("D-1", date(2026, 4, 21), 40, date(2026, 3, 19), date(2026, 4, 16), ON_TRACK),
        ("F-1", None, None, None, None, UNKNOWN),
    ]
    with store.read() as session:
        assert [r.reference for r in forward_plan(session, TODAY, overdue_only=True)] == [
            "H-1",
            "C-1",
        ]
        assert [r.reference for r in forward_plan(session, TODAY, within=21)] == [
            "H-1",
            "C-1",
            "A-1",
            "E-1",
        ]


def test_the_planner_saves_what_can_be_saved_within_capacity(store, caseload):
    m, ids = caseload
    with store.read() as session:
        plan = plan_meetings(session, TODAY)
    got = {(p.reference, p.meeting_date, p.late) for p in plan}
    # 19 March has room for one more (D is on it): A, due 24 March, takes it. E and B both fit
    # 2 April. The overdue H and C cannot be saved and take 16 April, flagged late.
    assert got == {
        ("A-1", date(2026, 3, 19), False),
        ("E-1", date(2026, 4, 2), False),
        ("B-1", date(2026, 4, 2), False),
        ("H-1", date(2026, 4, 16), True),
        ("C-1", date(2026, 4, 16), True),
        # F has no due date (its review meeting date is missing): it waits too, after every
        # dated case, and here finds no room left
        ("F-1", None, False),
    }
    undated = next(p for p in plan if p.reference == "F-1")
    assert undated.due is None and undated.meeting_id is None and undated.note
    with store.read() as session:
        until = plan_meetings(session, TODAY, until=date(2026, 4, 2))
    assert {p.reference for p in until if p.meeting_id is None} == {"H-1", "C-1", "F-1"}

    with store.read() as session:
        assert all(
            r.meeting_id is None for r in forward_plan(session, TODAY) if r.reference != "D-1"
        )
    with UnitOfWork(store, "Joanne Pike") as uow:
        apply_plan(uow, [(p.case_id, p.meeting_id) for p in plan if p.meeting_id])
    with store.read() as session:
        listed = {r.reference: r.meeting_date for r in forward_plan(session, TODAY)}
        assert listed["A-1"] == date(2026, 3, 19) and listed["C-1"] == date(2026, 4, 16)
        assert [p.reference for p in plan_meetings(session, TODAY)] == ["F-1"]


def test_a_case_without_a_due_date_takes_the_room_left_after_the_dated_ones(store, caseload):
    with UnitOfWork(store, "Joanne Pike") as uow:
        for panel in uow.session.scalars(select(Panel)):
            panel.capacity_items = 3
    with store.read() as session:
        plan = {p.reference: p for p in plan_meetings(session, TODAY)}
    assert plan["F-1"].meeting_date == date(2026, 4, 16) and not plan["F-1"].late
    assert plan["F-1"].note == "review meeting date missing"
    assert not plan["A-1"].late and not plan["B-1"].late and not plan["E-1"].late


def test_exceptions_through_the_command(store, store_path, caseload, capsys):
    store.close()
    run = lambda *a: main(["--store", str(store_path), "--as", "Joanne Pike", *a])  # noqa: E731
    # B-1: request 25 February 2026, 6-week limit 8 April 2026.
    assert (
        run(
            "cases",
            "exception",
            "add",
            "--case",
            "B-1",
            "--kind",
            "family_away",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-10",
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "at least four weeks" in err and "Check the dates" in err
    assert (
        run(
            "cases",
            "exception",
            "add",
            "--case",
            "H-1",
            "--kind",
            "family_away",
            "--from",
            "2025-10-01",
            "--to",
            "2025-11-30",
        )
        == 2
    )
    assert "allows no exceptions" in capsys.readouterr().err
    assert (
        run(
            "cases",
            "exception",
            "add",
            "--case",
            "B-1",
            "--kind",
            "family_away",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--evidence",
            "letter",
        )
        == 0
    )
    assert "Recorded exception" in capsys.readouterr().out
    assert run("cases", "exception", "list", "--case", "B-1") == 0
    out = capsys.readouterr().out
    assert "away from the area" in out and "withdrawn" not in out
    ident = out.split(".")[0].strip()
    assert run("cases", "exception", "withdraw", ident, "--reason", "Recorded in error") == 0
    assert run("cases", "exception", "withdraw", ident, "--reason", "again") == 2
    assert "already withdrawn" in capsys.readouterr().err
    assert run("cases", "exception", "list", "--case", "B-1") == 0
    assert "(withdrawn)" in capsys.readouterr().out
    assert run("cases", "exception", "list", "--case", "NOPE") == 2


def test_the_capacity_set_by_command_limits_the_plan_and_the_import_fills_the_caseload(
    store, store_path, caseload, capsys, tmp_path, monkeypatch
):
    store.close()
    monkeypatch.setattr("panelapp.commands.caseload._today", lambda: TODAY)
    run = lambda *a: main(["--store", str(store_path), "--as", "Joanne Pike", *a])  # noqa: E731
    # One item per meeting. 19 March is full (D). Most urgent first, on the latest meeting in
    # time: H and C none; A (due 24 March) none, 19 March being full; E (due 2 April) takes
    # 2 April; B (due 8 April) finds 2 April full; N-1 (received 5 March, due 16 April) takes
    # 16 April. Then no meeting has room for H, C, A or B.
    assert run("panels", "capacity", "1", "--items", "1") == 0
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "reference,first name,last name,date of birth,primary need,request type,"
        "request received date\n"
        "N-1,Amy,Brook,05/05/2019,SLCN,EHCNA,05/03/2026\n"
    )
    assert run("cases", "import", str(cases)) == 0
    capsys.readouterr()
    assert run("deadlines", "--within", "60") == 0
    out = capsys.readouterr().out
    assert "N-1" in out and "16 April 2026" in out and "OVERDUE" in out
    assert run("plan") == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if "-1" in line}
    assert "in time" in lines["E-1"] and "2 April 2026" in lines["E-1"]
    assert "in time" in lines["N-1"] and "on 16 April 2026" in lines["N-1"]
    assert all("NO ROOM" in lines[ref] for ref in ("H-1", "C-1", "A-1", "B-1"))
    assert run("plan", "--apply") == 0
    assert "Put 2 case(s) on agendas." in capsys.readouterr().out
