"""Replacing an export: when the audit event cannot be committed, the file that was already at
the target stays as it was (no export without its audit event, and nothing lost)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from panelapp.services import export_files
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AuditEvent


class _CommitFails(UnitOfWork):
    """A unit of work whose commit fails, after everything inside the block has run."""

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            return super().__exit__(exc_type, exc, tb)
        super().__exit__(RuntimeError, RuntimeError("commit"), None)  # rolls back
        raise RuntimeError("The audit event could not be committed.")


def _record(uow, digest: str) -> None:
    uow.audit("test.exported", "meeting", 1, sha256=digest)


def _audited(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).where(AuditEvent.action == "test.exported"))


def test_a_failed_audit_commit_keeps_the_earlier_file(store, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "Agenda.docx"
    target.write_bytes(b"the earlier agenda")
    monkeypatch.setattr(export_files, "UnitOfWork", _CommitFails)
    with pytest.raises(RuntimeError, match="could not be committed"):
        export_files.publish_file(
            store, "Tester", target, lambda fh: fh.write(b"the new agenda"), _record, overwrite=True
        )
    assert target.read_bytes() == b"the earlier agenda"
    assert sorted(p.name for p in out.iterdir()) == ["Agenda.docx"]  # nothing left over
    assert _audited(store) == 0


def test_a_successful_replacement_leaves_only_the_new_file(store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "Agenda.docx"
    target.write_bytes(b"the earlier agenda")
    export_files.publish_file(
        store, "Tester", target, lambda fh: fh.write(b"the new agenda"), _record, overwrite=True
    )
    assert target.read_bytes() == b"the new agenda"
    assert sorted(p.name for p in out.iterdir()) == ["Agenda.docx"]
    assert _audited(store) == 1
