"""Letters to families: read back with python-docx and checked against the regulations'
arithmetic (worked out by hand here), the service standard and the command line."""

from __future__ import annotations

import io
import re
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import select

from panelapp.cli import main
from panelapp.domain.errors import PanelappError
from panelapp.services.family_letters import (
    export_letters,
    letters_due,
    make_letters,
    record_letter_sent,
)
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AuditEvent

LETTER_DAY = date(2026, 3, 13)  # the day after the demonstration meeting (12 March 2026)


def _text(data: bytes) -> str:
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _letters(store, demo, **kwargs):
    with store.read() as session:
        return {
            letter.item_position: letter
            for letter in make_letters(session, demo.meeting_id, letter_date=LETTER_DAY, **kwargs)
        }


def test_a_refusal_gives_the_reasons_the_right_of_appeal_and_its_deadline(store, demo):
    text = _text(_letters(store, demo, positions=[2])[2].document)
    assert "To the parent or carer of Amelia Hughes" in text  # letters name the child in full
    assert (
        "The panel decided not to carry out an Education, Health and Care needs assessment" in text
    )
    assert "Why the panel decided this" in text
    assert "Needs can be met from ordinarily available provision" in text  # the recorded reasons
    assert "First-tier Tribunal (Special Educational Needs and Disability)" in text
    assert "you must contact a mediation adviser" in text
    # two months from the letter of 13 March 2026
    assert "You must appeal by 13 May 2026" in text
    assert "Northfield Mediation Service" in text and "Northfield SENDIASS" in text
    assert "please contact Claire Doyle, your case officer" in text
    assert not re.search(r"\bR\d{1,2}\b", text)  # no rule codes for a parent


def test_an_agreement_to_assess_gives_the_16_and_20_week_dates_and_no_appeal(store, demo):
    text = _text(_letters(store, demo, positions=[1])[1].document)
    # request received 10 February 2026: + 16 weeks = 2 June, + 20 weeks = 30 June 2026
    assert "We will tell you by 2 June 2026 if we decide not to issue an EHC plan." in text
    assert "the final plan will be ready by 30 June 2026" in text
    assert "If you disagree" not in text and "Tribunal" not in text


def test_a_deferral_says_what_is_needed_from_whom_and_when_the_panel_looks_again(store, demo):
    text = _text(_letters(store, demo, positions=[3])[3].document)
    assert "The panel has not made a decision yet" in text
    assert "The panel asked for:" in text
    assert "on or after 25 March 2026" in text


def test_the_large_print_letter_has_the_same_words_in_16_point_or_more(store, demo):
    ordinary = _letters(store, demo, positions=[2])[2].document
    large = _letters(store, demo, positions=[2], large_print=True)[2].document
    assert _text(large) == _text(ordinary)
    normal = docx.Document(io.BytesIO(large)).styles["Normal"]
    assert normal.font.size.pt >= 16
    assert docx.Document(io.BytesIO(ordinary)).styles["Normal"].font.size.pt < 16


def test_the_export_is_audited_and_sending_is_checked_against_the_service_standard(
    store, demo, tmp_path
):
    folder, letters = export_letters(store, "Joanne Pike", demo.meeting_id, tmp_path)
    assert len(letters) == 12 and sorted(p.name for p in folder.iterdir()) == sorted(
        letter.file_name for letter in letters
    )
    assert all((folder / letter.file_name).stat().st_mode & 0o077 == 0 for letter in letters)
    with store.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "letters.generated")
        ).one()
    assert "Amelia" not in event.detail and "Hughes" not in event.detail
    # the meeting was on Thursday 12 March 2026; five working days on is Thursday 19 March
    with UnitOfWork(store, "Joanne Pike") as uow:
        record_letter_sent(uow, demo.meeting_id, 1, on=date(2026, 3, 19))
        record_letter_sent(uow, demo.meeting_id, 4, on=date(2026, 3, 20))
    with store.read() as session:
        rows = {r.position: r for r in letters_due(session, date(2026, 3, 25), include_sent=True)}
        unsent = [r.position for r in letters_due(session, date(2026, 3, 25))]
    assert rows[1].due == date(2026, 3, 19) and not rows[1].late(date(2026, 3, 25))
    assert rows[4].late(date(2026, 3, 25))  # sent a day after the standard
    assert 1 not in unsent and 4 not in unsent and 2 in unsent
    # a decision not to assess must reach the family within six weeks of the request
    assert rows[2].statutory_limit is not None
    with UnitOfWork(store, "Joanne Pike") as uow, pytest.raises(PanelappError, match="before"):
        record_letter_sent(uow, demo.meeting_id, 2, on=date(2026, 3, 1))


def test_the_letter_commands(store, store_path, demo, tmp_path, capsys):
    store.close()
    run = lambda *a: main(["--store", str(store_path), "--as", "Jo", *a])  # noqa: E731
    assert run("letters", "generate", "1", "--item", "2", "--out", str(tmp_path)) == 0
    assert "Wrote 1 letter to" in capsys.readouterr().out
    assert run("letters", "sent", "1", "--item", "2", "--date", "2026-03-16") == 0
    assert run("letters", "due") == 0
    listed = capsys.readouterr().out
    assert "item 2 NB-24-0318" not in listed.split("Recorded")[-1].split("not sent")[0]
    assert "item 1 NB-24-0311: not sent" in listed
    assert run("letters", "generate", "1", "--item", "99", "--out", str(tmp_path)) == 2
    assert "no item 99" in capsys.readouterr().err
