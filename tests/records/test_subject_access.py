"""A subject access request: everything held about one child in one folder with an index,
the minutes cut to the part about that child (never another child), audited."""

from __future__ import annotations

import docx
from sqlalchemy import select

from panelapp.cli import main
from panelapp.services.subject_access import export_subject_access
from panelapp.store.tables import AuditEvent
from tests.records.conftest import DISCUSSION_WORD, OLD, PAPER_WORD, RATIONALE_WORD, SURNAME


def _all_text(folder) -> str:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".docx":
            texts.append("\n".join(p.text for p in docx.Document(str(path)).paragraphs))
        elif path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


def test_everything_about_the_child_and_nothing_about_another(store, two_children, tmp_path):
    result = export_subject_access(store, "Jo", OLD, tmp_path)
    folder = result.folder
    assert (result.cases, result.hearings, result.papers) == (2, 2, 1)
    index = (folder / "index.txt").read_text()
    for relative in result.files:
        assert relative == "index.txt" or relative in index
    summary = (folder / "summary.txt").read_text()
    assert f"Ada {SURNAME}" in summary and "1 April 1990" in summary
    assert RATIONALE_WORD in summary and "Decline" in summary
    extracts = sorted((folder / "minutes-extracts").iterdir())
    assert len(extracts) == 2
    first = extracts[0].read_text()
    assert DISCUSSION_WORD in first and "Item 1." in first
    assert PAPER_WORD.encode() in next((folder / "papers").iterdir()).read_bytes()
    assert list((folder / "letters").iterdir())
    everything = _all_text(folder)
    assert "Young" not in everything and "Threshold met" not in everything
    assert "Item 2." not in everything
    with store.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "records.subject_access_exported")
        ).one()
    assert SURNAME not in event.detail and OLD not in event.detail


def test_the_command_writes_the_folder_and_refuses_an_unknown_reference(
    store, store_path, two_children, tmp_path, capsys
):
    store.close()
    base = ["--store", str(store_path), "--as", "Jo"]
    out = tmp_path / "requests"
    out.mkdir()
    assert main([*base, "records", "export", "--case", OLD, "--out", str(out)]) == 0
    assert "index.txt" in capsys.readouterr().out
    (made,) = out.iterdir()
    assert made.name.startswith(f"subject-access-{OLD}") and (made / "index.txt").exists()
    assert main([*base, "records", "export", "--case", "NB-NONE", "--out", str(out)]) == 2
    assert "No case has the reference NB-NONE" in capsys.readouterr().err
