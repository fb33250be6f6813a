"""``panelapp inspection-pack``: the terms of reference read back from Word, each signed
minutes version byte for byte as the store keeps it, the published workbook, the index, the
audit event, nothing left behind by a failed run, and the command's exit statuses."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import select

from panelapp.cli import main
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import NamingMode, Role
from panelapp.services import export_files, inspection_pack
from panelapp.services.inspection_pack import export_inspection_pack
from panelapp.services.minutes import generate_minutes, sign_minutes, start_amendment
from panelapp.services.panels import quorum_rule, update_panel
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AuditEvent, Member, MinutesVersion, Panel

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
ACTION = "inspection_pack.exported"


def _word_text(path) -> str:
    """Every paragraph and table cell of a Word file, as python-docx reads it."""
    document = docx.Document(path)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pack_events(store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == ACTION)))


def _signed_versions(store) -> list[MinutesVersion]:
    with store.read() as session:
        return list(
            session.scalars(
                select(MinutesVersion)
                .where(MinutesVersion.signed_at.is_not(None))
                .order_by(MinutesVersion.version)
            )
        )


@pytest.fixture
def exports(tmp_path):
    """An empty folder to write packs in (the store lives in ``tmp_path`` itself)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def _nothing_staged() -> bool:
    return not any(export_files.staging_dir().iterdir())


def test_the_pack_holds_terms_minutes_as_kept_figures_and_index(
    store, demo, signed_minutes, identities, exports
):
    # Counting the paper deadline in working days shows in the terms of reference.
    with UnitOfWork(store, "Joanne Pike") as uow:
        panel = uow.session.get(Panel, demo.panel_id)
        update_panel(
            uow, demo.panel_id, name=panel.name, quorum=quorum_rule(panel),
            paper_deadline_days=4, naming_mode=NamingMode(panel.naming_mode),
            allow_declared_remained=panel.allow_declared_remained,
            paper_deadline_working_days=True,
        )  # fmt: skip
    # A corrected version, signed again: both signed versions belong in the pack.
    with UnitOfWork(store, "Joanne Pike") as uow:
        start_amendment(uow, demo.meeting_id, reason="A date was wrong")
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, identities[0])

    out = exports / "pack"
    pack = export_inspection_pack(store, "Joanne Pike", *MARCH, out)

    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(pack.files) == names
    assert "Index.docx" in names and "Panel figures.xlsx" in names
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "Signed minutes",
        "Terms of reference",
    ]

    with store.read() as session:
        panel = session.get(Panel, demo.panel_id)
        members = list(session.scalars(select(Member).where(Member.panel_id == panel.id)))
        minimum = panel.minimum_members
    (terms,) = [n for n in names if n.startswith("Terms of reference/")]
    text = _word_text(out / terms)
    assert f"At least {minimum} members present" in text
    assert "4 working days before the meeting" in text
    chair = next(m for m in members if m.active and Role.CHAIR.value in m.roles)
    assert f"{Role.CHAIR.label} | {chair.name}" in text
    for member in members:
        if member.active:
            assert member.name in text
    for heading in ("Quorum", "Declarations of interest and withdrawal", "Deferrals",
                    "Decisions", "Minutes and signing"):  # fmt: skip
        assert heading in text

    signed = _signed_versions(store)
    assert [v.version for v in signed] == [1, 2]
    assert pack.minutes_versions == 2
    kept = sorted(hashlib.sha256(bytes(v.document)).hexdigest() for v in signed)
    minutes = [n for n in names if n.startswith("Signed minutes/Minutes")]
    assert sorted(hashlib.sha256((out / n).read_bytes()).hexdigest() for n in minutes) == kept
    assert signed_minutes[1] in {(out / n).read_bytes() for n in minutes}

    workbook = openpyxl.load_workbook(out / "Panel figures.xlsx")
    cover = "\n".join(
        str(c.value) for row in workbook.worksheets[0].iter_rows() for c in row if c.value
    )
    assert "shown as '<5'" in cover  # the published form, not the exact counts

    index = _word_text(out / "Index.docx")
    for name in names:
        if name != "Index.docx":
            digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
            assert f"{name} |" in index and digest in index

    (event,) = _pack_events(store)
    detail = json.loads(event.detail)
    assert detail["minutes_version_ids"] == [v.id for v in signed]
    assert detail["files"] == len(names)
    assert "A date was wrong" not in event.detail


def test_a_failing_writer_leaves_no_folder_and_no_event(
    store, demo, signed_minutes, exports, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("the disk is full")

    monkeypatch.setattr(inspection_pack, "write_workbook", broken)
    out = exports / "pack"
    with pytest.raises(OSError):
        export_inspection_pack(store, "Joanne Pike", *MARCH, out)
    assert not out.exists() and list(exports.iterdir()) == []
    assert _pack_events(store) == [] and _nothing_staged()


def test_a_failure_half_way_through_writing_leaves_nothing(
    store, demo, signed_minutes, exports, monkeypatch
):
    write_bytes = Path.write_bytes

    def failing(self, data):
        if self.name == "Index.docx":  # the last file: the others are already written
            raise OSError("the disk is full")
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        export_inspection_pack(store, "Joanne Pike", *MARCH, exports / "pack")
    assert list(exports.iterdir()) == []
    assert _pack_events(store) == [] and _nothing_staged()


def test_a_failure_while_recording_the_event_removes_the_written_files(
    store, demo, signed_minutes, exports, monkeypatch
):
    audit = UnitOfWork.audit

    def failing(self, action, *args, **kwargs):
        if action == ACTION:
            raise RuntimeError("the store went away")
        return audit(self, action, *args, **kwargs)

    monkeypatch.setattr(UnitOfWork, "audit", failing)
    out = exports / "pack"
    with pytest.raises(RuntimeError):
        export_inspection_pack(store, "Joanne Pike", *MARCH, out)
    assert list(exports.iterdir()) == []
    assert _pack_events(store) == [] and _nothing_staged()


def test_bad_input_is_refused_before_anything_is_written(store, demo, signed_minutes, exports):
    with pytest.raises(PanelappError, match="nothing to put in an inspection pack"):
        export_inspection_pack(store, "Joanne Pike", date(2026, 4, 1), date(2026, 4, 30),
                               exports / "april")  # fmt: skip
    with pytest.raises(PanelappError, match="no panel 99"):
        export_inspection_pack(store, "Joanne Pike", *MARCH, exports / "p", panel_id=99)
    with pytest.raises(PanelappError, match="--to is before --from"):
        export_inspection_pack(store, "Joanne Pike", MARCH[1], MARCH[0], exports / "p")
    assert list(exports.iterdir()) == [] and _pack_events(store) == []


def test_unsigned_minutes_are_not_a_pack(store, demo, exports):
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with pytest.raises(PanelappError, match="have the chair sign them first"):
        export_inspection_pack(store, "Joanne Pike", *MARCH, exports / "pack")
    assert not (exports / "pack").exists()


def test_the_command_writes_the_pack_and_refuses_bad_input_with_status_2(
    store_path, store, demo, signed_minutes, exports, capsys
):
    def run(*argv: str) -> tuple[int, str, str]:
        status = main(["--store", str(store_path), "--as", "Joanne Pike", "inspection-pack",
                       *argv])  # fmt: skip
        out, err = capsys.readouterr()
        return status, out, err

    out = exports / "pack"
    status, printed, err = run("--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out))
    assert status == 0, err
    assert "1 signed minutes version)" in printed and out.is_dir()

    status, _, err = run("--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out))
    assert status == 2 and "already exists" in err
    status, _, err = run("--from", "2026-03-31", "--to", "2026-03-01", "--out", str(exports / "b"))
    assert status == 2 and "--to is before --from" in err
    status, _, err = run("--from", "2026-05-01", "--to", "2026-05-31", "--out", str(exports / "c"))
    assert status == 2 and "have the chair sign them first" in err
    assert [p.name for p in exports.iterdir()] == ["pack"]
    assert len(_pack_events(store)) == 1
