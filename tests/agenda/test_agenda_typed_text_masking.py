"""Typed text on an agenda or in a member's pack (what a deferral asked for, the nature of a
declared interest, paper titles) names no child where the reader asked for initials or
references (R18): it is masked exactly as the minutes mask it."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from sqlalchemy import select

from panelapp.domain.vocabulary import NamingMode
from panelapp.services import declarations
from panelapp.services.agenda_export import export_agenda
from panelapp.services.packs import AGENDA_NAME, COVER_NAME, export_packs
from panelapp.services.papers import import_papers
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, DeferralRow

DEMO_DAY = date(2026, 3, 12)


def _docx_text(data: bytes) -> str:
    """Every paragraph of the body, tables included, and of the headers and footers."""
    document = docx.Document(io.BytesIO(data))

    def blocks(container):
        lines = [p.text for p in container.paragraphs]
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(blocks(cell))
        return lines

    lines = blocks(document)
    for section in document.sections:
        lines += blocks(section.header) + blocks(section.footer)
    return "\n".join(lines)


@pytest.fixture
def named_in_typed_text(store, demo, tmp_path):
    """The demo with Noah Patel (carried to the next meeting) named in typed text: what his
    deferral asked for, a member's advance declaration, and a paper on another child's item."""
    with UnitOfWork(store, "Test") as uow:
        next_items = uow.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == demo.next_meeting_id)
            .order_by(AgendaItem.position)
        ).all()
        noah, other = next_items[0], next_items[1]
        deferral = uow.session.scalar(
            select(DeferralRow).where(DeferralRow.relisted_item_id == noah.id)
        )
        deferral.information_required = "Noah Patel's costed provision map and SALT report"
        declarations.declare_interest(
            uow,
            demo.next_meeting_id,
            demo.member_ids["Sarah Bennett"],
            item_id=noah.id,
            nature="Family friend of Noah Patel",
            before_meeting=True,
        )
        other_id = other.id
    letter = tmp_path / "Letter naming Noah Patel.txt"
    letter.write_text("A letter from the family.")
    (outcome,) = import_papers(store, "Test", other_id, [letter])
    assert outcome.stored
    return demo


@pytest.mark.parametrize("naming", [NamingMode.INITIALS, NamingMode.REFERENCE])
def test_the_agenda_masks_the_child_in_typed_text(store, named_in_typed_text, tmp_path, naming):
    demo = named_in_typed_text
    agenda = export_agenda(
        store, "Joanne Pike", demo.next_meeting_id, tmp_path, naming=naming, today=DEMO_DAY
    )
    text = _docx_text(agenda.path.read_bytes())
    assert "Family friend of" in text and "costed provision map" in text  # the text is there
    assert "Noah" not in text and "Patel" not in text
    stand_in = "NP" if naming is NamingMode.INITIALS else "NB-24-0322"
    assert f"Family friend of {stand_in}" in text
    assert f"{stand_in}'s costed provision map" in text


@pytest.mark.parametrize("naming", [NamingMode.INITIALS, NamingMode.REFERENCE])
def test_member_packs_mask_the_child_in_typed_text(store, named_in_typed_text, tmp_path, naming):
    demo = named_in_typed_text
    made = export_packs(
        store,
        "Joanne Pike",
        demo.next_meeting_id,
        tmp_path,
        members=["Sarah Bennett", "Dr Priya Nair"],  # Sarah declared in advance: item 1 withheld
        naming=naming,
        today=DEMO_DAY,
    )
    assert [p.withheld_positions for p in made] == [(1,), ()]
    for pack in made:
        with zipfile.ZipFile(pack.path) as archive:
            names = archive.namelist()
            cover = _docx_text(archive.read(COVER_NAME))
            agenda = _docx_text(archive.read(AGENDA_NAME))
        assert any(n.startswith("Item 02") and "Letter naming" in n for n in names)
        assert "Letter naming" in cover and "Family friend of" in agenda
        for text in (cover, agenda, *names):
            assert "Noah" not in text and "Patel" not in text, text


def test_by_full_names_typed_text_is_left_as_typed(store, named_in_typed_text, tmp_path):
    demo = named_in_typed_text
    agenda = export_agenda(
        store,
        "Joanne Pike",
        demo.next_meeting_id,
        tmp_path,
        naming=NamingMode.FULL,
        today=DEMO_DAY,
    )
    text = _docx_text(agenda.path.read_bytes())
    assert "Family friend of Noah Patel" in text
    assert "Noah Patel's costed provision map" in text
    assert "Letter naming Noah Patel" in text
