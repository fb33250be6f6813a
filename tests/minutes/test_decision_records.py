"""Decision records for chief officers: one signed file per case, signed by whoever chaired it."""

from __future__ import annotations

import pytest

from panelapp.documents.package_signature import verify_docx
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import NamingMode
from panelapp.services.decision_records import export_decision_records, make_decision_records
from panelapp.services.minutes import generate_minutes
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.minutes_docx import docx_text, names_found


def test_each_case_gets_a_record_signed_by_its_chair(store, demo, signed_minutes, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    folder, records = export_decision_records(
        store, "Joanne Pike", demo.meeting_id, out, NamingMode.INITIALS
    )
    assert folder.parent == out and folder.name.startswith("decision-records-2026-03-12")
    files = sorted(p.name for p in folder.iterdir())
    references = [
        "NB-24-0311", "NB-24-0318", "NB-24-0322", "NB-23-0987", "NB-23-1010", "NB-19-0456",
        "NB-20-0231", "NB-17-0777", "NB-22-0142", "NB-21-0610", "NB-18-0399", "NB-22-0875",
    ]  # fmt: skip
    assert files == [f"decision-record-item-{n:02d}-{r}.docx" for n, r in enumerate(references, 1)]
    for record in records:
        data = (folder / record.file_name).read_bytes()
        report = verify_docx(data)
        assert report.valid, (record.file_name, report.problems)
        expected = "David Okafor" if record.item_position == 10 else "Helen Whitaker"
        assert report.signer == expected, record.item_position
        assert names_found(docx_text(data)) == []
        assert (folder / record.file_name).stat().st_mode & 0o077 == 0

    item10 = docx_text((folder / "decision-record-item-10-NB-21-0610.docx").read_bytes())
    assert "Item 10. ER (NB-21-0610): Placement / change of placement" in item10
    assert "Signed by | David Okafor" in item10
    assert "Role | Vice-chair, chairing this case" in item10
    assert "Chaired by | David Okafor (Vice-chair) / The chair declared an interest" in item10
    assert "Helen Whitaker: Governor of Oakwood Special School" in item10
    assert "Recorded in the minutes of this meeting, version 1, signed by Helen Whitaker" in item10

    item3 = docx_text((folder / "decision-record-item-03-NB-24-0322.docx").read_bytes())
    assert "Decision | Deferred" in item3
    assert "Return date | 25 March 2026" in item3


def test_records_name_the_child_as_asked(store, demo, signed_minutes):
    with store.read() as session:
        records = make_decision_records(store, session, demo.meeting_id, NamingMode.FULL)
    first = docx_text(records[0].document)
    assert "Child or young person | Oliver Grant" in first
    assert "Oliver" not in records[0].file_name


def test_records_wait_for_the_signed_minutes(store, demo, identities):
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with pytest.raises(PanelappError, match="Sign the minutes first"), store.read() as session:
        make_decision_records(store, session, demo.meeting_id, NamingMode.INITIALS)


def test_a_missing_certificate_is_named_before_anything_is_written(
    store, demo, signed_minutes, tmp_path
):
    from sqlalchemy import update

    from panelapp.store.tables import SigningIdentityRow

    with UnitOfWork(store, "IT") as uow:
        uow.session.execute(
            update(SigningIdentityRow)
            .where(SigningIdentityRow.member_id == demo.member_ids["David Okafor"])
            .values(retired_at=SigningIdentityRow.created_at)
        )
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PanelappError) as refused:
        export_decision_records(store, "J", demo.meeting_id, out, NamingMode.INITIALS)
    assert "David Okafor has no signing certificate yet" in str(refused.value)
    assert "(items 10)" in str(refused.value)
    assert list(out.iterdir()) == []
