"""``panelapp inspection-pack``: the terms of reference read back from Word, each signed
minutes version byte for byte as the store keeps it, the workbook and the index."""

from __future__ import annotations

import hashlib

import docx
from sqlalchemy import select

from panelapp.cli import main
from panelapp.store.lifecycle import open_store
from panelapp.store.tables import MinutesVersion


def test_the_pack_holds_the_terms_and_the_signed_minutes_exactly(
    store_path, tmp_path, capsys, restore_logging
):
    run = ["--store", str(store_path), "--as", "Joanne Pike"]
    assert main([*run, "demo"]) == 0
    out = tmp_path / "pack"
    code = main([*run, "inspection-pack", "--from", "2000-01-01", "--to", "2100-12-31",
                 "--out", str(out)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir())
    assert "Index.docx" in names and "Panel figures.xlsx" in names
    terms = [n for n in names if n.startswith("Terms of reference")]
    assert terms
    text = "\n".join(p.text for p in docx.Document(out / terms[0]).paragraphs)
    assert "Quorum" in text and "At least" in text and "Deferrals" in text
    store = open_store(store_path)
    try:
        with store.read() as session:
            signed = list(
                session.scalars(select(MinutesVersion).where(MinutesVersion.signed_at.is_not(None)))
            )
    finally:
        store.close()
    minutes = [n for n in names if n.startswith("Minutes")]
    assert len(minutes) == len(signed)
    kept = {hashlib.sha256(bytes(v.document)).hexdigest() for v in signed}
    assert {hashlib.sha256((out / n).read_bytes()).hexdigest() for n in minutes} == kept
