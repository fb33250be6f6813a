"""What the demonstration meeting's minutes say, read back with python-docx."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

import docx
import pytest

from panelapp.documents.minutes_writer import MinutesContext, sign_draft, write_minutes
from panelapp.documents.signature_block import SignatureLine
from panelapp.domain.uk_time import uk_time
from panelapp.domain.vocabulary import NamingMode
from panelapp.resources import read_template
from panelapp.services import meetings
from panelapp.services.meeting_view import meeting_view
from panelapp.services.minutes import generate_minutes, minutes_document, minutes_versions
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.minutes_docx import docx_text, names_found, part_text


def draft(store, demo, naming: NamingMode) -> str:
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, naming)
    with store.read() as session:
        _, data = minutes_document(session, demo.meeting_id)
    return data


def test_the_minutes_have_the_meeting_and_its_sections(store, demo):
    text = docx_text(draft(store, demo, NamingMode.INITIALS))
    assert "SEND Panel (demonstration): minutes" in text
    assert "Thursday 12 March 2026, 09:30, Committee Room 2, Town Hall" in text
    for heading in (
        "1. Attendance",
        "2. Declarations of interest",
        "3. Cases considered",
        "4. Actions",
        "5. Signature",
    ):
        assert heading in text.splitlines()
    # Present with their roles; in attendance; apologies; absent.
    assert "Helen Whitaker | Chair | Head of SEND Service" in text
    assert "Dr Priya Nair | Educational psychologist | Principal Educational Psychologist" in text
    assert "Joanne Pike, minute taker (SEN operations officer)" in text.splitlines()
    assert "Ben Carter, presenting items 4, 5, 7, 8 and 10" in text
    assert "Dr Aisha Rahman (Health representative)" in text
    assert "Gary Mills (Transport officer)" in text
    # Twelve items, each with its reference and request type.
    assert text.count("\nItem ") == 12
    assert "Item 9. JW (NB-22-0142): High Needs top-up funding (element 3)" in text
    # The actions table: owner and due date.
    assert (
        "1 | Obtain the costed provision map and the SALT report and circulate them. | 3 | "
        "Claire Doyle | 21 March 2026"
    ) in text
    assert (
        "2 | Travel assistance referral to the travel team for assessment. | 11 | Gary Mills"
        in text
    )
    # A draft's signature block names who is to sign.
    assert "DRAFT: These minutes have not been signed." in text
    assert "To be signed by | Helen Whitaker (Chair)" in text


def test_the_withdrawal_for_the_declared_interest_is_minuted(store, demo):
    text = docx_text(draft(store, demo, NamingMode.INITIALS))
    assert (
        "Tom Ashworth declared an interest in item 9: Headteacher of the school requesting the "
        "top-up. Tom Ashworth left the meeting for item 9 at 11:05 and returned at 11:20, and "
        "took no part in the item's discussion or decision."
    ) in text
    assert (
        "Helen Whitaker (Chair) declared an interest in item 10 before the meeting: Governor of "
        "Oakwood Special School, the proposed placement. Helen Whitaker left the meeting for "
        "item 10, and took no part in the item's discussion or decision."
    ) in text
    # The item itself says who left, and the withdrawn member is not among those taking part.
    item9 = text.split("Item 9. ")[1].split("Item 10. ")[0]
    assert (
        "Interests declared | Tom Ashworth: Headteacher of the school requesting the top-up. "
        "Left the meeting for this item (11:05 to 11:20)."
    ) in item9
    taking_part = next(line for line in item9.splitlines() if line.startswith("Members taking"))
    assert "Tom Ashworth" not in taking_part and "Dr Priya Nair" in taking_part


def test_the_vice_chaired_item_says_who_chaired_it_and_why(store, demo):
    text = docx_text(draft(store, demo, NamingMode.INITIALS))
    item10 = text.split("Item 10. ")[1].split("Item 11. ")[0]
    assert (
        "Chaired by | David Okafor (Vice-chair) / The chair declared an interest; the vice-chair "
        "chairs this item."
    ) in item10
    assert "Decision | Agree" in item10
    assert "Setting | Oakwood Special School" in item10
    assert "Amount | £23,500.00" in item10
    taking_part = next(line for line in item10.splitlines() if line.startswith("Members taking"))
    assert "Helen Whitaker" not in taking_part
    # Items the chair chaired do not repeat it.
    assert "Chaired by" not in text.split("Item 9. ")[1].split("Item 10. ")[0]


def test_the_deferral_has_its_return_date_and_timescale_risk(store, demo):
    text = docx_text(draft(store, demo, NamingMode.INITIALS))
    item3 = text.split("Item 3. ")[1].split("Item 4. ")[0]
    assert "Decision | Deferred" in item3
    assert "Return date | 25 March 2026; listed for the meeting of 26 March 2026" in item3
    assert "Information or action needed | Costed provision map; speech and language" in item3
    assert "To be provided by | School SENCo (provision map); NHS SALT service (report)" in item3
    assert "Timescale risk | The return date is after the statutory due date (19 March 2026)." in (
        item3
    )
    assert "Reason recorded: The SALT report is booked for next week" in item3
    assert (
        "Statutory due date | 19 March 2026 (decision whether to assess). Not yet met: "
        "deferred to 25 March 2026, after the due date (timescale risk)."
    ) in item3


def test_decisions_show_amount_band_dates_and_whether_the_due_date_was_met(store, demo):
    text = docx_text(draft(store, demo, NamingMode.INITIALS))
    item6 = text.split("Item 6. ")[1].split("Item 7. ")[0]
    for line in (
        "Decision | Amend the plan",
        "Sections amended | Sections B, F and I",
        "Band | Band 4",
        "Amount | £12,450.00",
        "Start date | 19 March 2026",
    ):
        assert line in item6
    item1 = text.split("Item 1. ")[1].split("Item 2. ")[0]
    assert (
        "Statutory due date | 24 March 2026 (decision whether to assess). Met: decided on "
        "12 March 2026."
    ) in item1
    item12 = text.split("Item 12. ")[1]
    assert "Hours per week | 15" in item12 and "Review date | 23 April 2026" in item12
    assert "Statutory due date | No statutory time limit applies to this request." in item12


@pytest.mark.parametrize(
    ("naming", "heading", "absent"),
    [
        (NamingMode.FULL, "Item 1. Oliver Grant (NB-24-0311): EHC needs assessment request", ()),
        (NamingMode.INITIALS, "Item 1. OG (NB-24-0311): EHC needs assessment request", ("Oliver",)),
        (NamingMode.REFERENCE, "Item 1. NB-24-0311: EHC needs assessment request", ("OG (",)),
    ],
)
def test_each_naming_mode(store, demo, naming, heading, absent):
    data = draft(store, demo, naming)
    text = docx_text(data)
    assert heading in text
    for word in absent:
        assert word not in text
    confidentiality = {
        NamingMode.FULL: "named in full",
        NamingMode.INITIALS: "named by initials and reference",
        NamingMode.REFERENCE: "named by council reference only",
    }[naming]
    assert f"Children and young people are {confidentiality}." in text
    if naming is NamingMode.FULL:
        assert "Child or young person | Oliver Grant" in text
        assert len(names_found(text)) == 24  # every first name and full name is there
    else:
        assert names_found(text) == []
        assert names_found(part_text(data, "word/")) == []  # headers and footers too
    if naming is NamingMode.REFERENCE:
        assert "Child or young person" not in text
    with store.read() as session:
        (version,) = minutes_versions(session, demo.meeting_id)
    assert version.naming is naming


def test_typed_text_and_paper_titles_do_not_name_the_child_unless_asked(store, demo, tmp_path):
    from panelapp.services import papers

    item1 = demo.item_ids[0]
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="add the discussion")
        meetings.save_discussion(
            uow, item1, "Oliver Grant's class teacher described progress.\nOliver enjoys music."
        )
        meetings.close_meeting(uow, demo.meeting_id)
        on_time = papers.add_paper(
            uow,
            item1,
            file_name="Oliver Grant EP advice.txt",
            data=b"Educational psychology advice for the panel.\n",
            received_at=datetime(2026, 3, 2, 10, 0),
        )
        late = papers.add_paper(
            uow,
            item1,
            file_name="SALT report.txt",
            data=b"Speech and language therapy report.\n",
            received_at=datetime(2026, 3, 11, 12, 0),
        )
    assert on_time.stored and late.stored and late.late and not on_time.late

    text = docx_text(draft(store, demo, NamingMode.INITIALS))
    item1_text = text.split("Item 1. ")[1].split("Item 2. ")[0]
    assert "Summary of discussion" in item1_text
    assert "OG's class teacher described progress." in item1_text
    assert "OG enjoys music." in item1_text
    assert "OG EP advice, received 2 March 2026" in item1_text
    assert "LATE PAPER: SALT report, received 11 March 2026" in item1_text
    assert "LATE PAPER: OG" not in item1_text
    assert names_found(text) == []

    full = docx_text(draft(store, demo, NamingMode.FULL))
    assert "Oliver Grant's class teacher described progress." in full
    assert "Oliver Grant EP advice, received 2 March 2026" in full


def test_every_page_is_marked_official_sensitive(store, demo):
    data = draft(store, demo, NamingMode.INITIALS)
    headers = part_text(data, "word/header")
    footers = part_text(data, "word/footer")
    assert "OFFICIAL-SENSITIVE" in headers
    assert "Northfield Borough Council (fictional)" in headers  # {{council}}, the logo's place
    assert "OFFICIAL-SENSITIVE: personal data about children" in footers
    assert "Minutes of 12 March 2026, version 1 (draft)" in footers  # {{document}}
    assert "{{" not in headers + footers
    assert "OFFICIAL-SENSITIVE." in docx_text(data)
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.category == "OFFICIAL-SENSITIVE"
    assert "Oliver" not in (properties.title + properties.subject)


def test_generating_again_replaces_the_draft_and_is_deterministic(store, demo):
    with store.read() as session:
        view = meeting_view(session, demo.meeting_id, NamingMode.INITIALS, mask_free_text=True)
    context = MinutesContext(1, datetime(2026, 3, 12, 13, 0), "Helen Whitaker", "Chair")
    template = read_template("minutes.docx")
    assert write_minutes(view, context, template) == write_minutes(view, context, template)

    first = draft(store, demo, NamingMode.INITIALS)
    second = draft(store, demo, NamingMode.REFERENCE)
    assert first != second
    with store.read() as session:
        versions = minutes_versions(session, demo.meeting_id)
    assert [(v.version, v.naming, v.signed) for v in versions] == [(1, NamingMode.REFERENCE, False)]


def test_the_writer_uses_the_templates_styles(store, demo):
    data = draft(store, demo, NamingMode.INITIALS)
    document = docx.Document(io.BytesIO(data))
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Marking", "List Bullet"} <= used
    assert {t.style.name for t in document.tables} == {"Panel Table", "Facts Table"}
    # The template's instructions are not carried into the minutes.
    assert "panelapp template" not in docx_text(data)


def _signed_context(context: MinutesContext) -> MinutesContext:
    moment = datetime(2026, 3, 12, 15, 30, tzinfo=UTC)
    line = SignatureLine("Helen Whitaker", "Chair", uk_time(moment), "AB:CD", basis="b")
    return replace(context, generated_at=moment, signature=line)


@pytest.mark.parametrize("naming", list(NamingMode))
def test_the_signed_version_from_the_draft_is_the_one_written_in_full(store, demo, naming):
    with store.read() as session:
        view = meeting_view(session, demo.meeting_id, naming, mask_free_text=True)
    context = MinutesContext(1, datetime(2026, 3, 12, 13, 0), "Helen Whitaker", "Chair")
    template = read_template("minutes.docx")
    read = write_minutes(view, context, template, identifier="inputs")
    signed = _signed_context(context)
    made = sign_draft(read, view, signed, template, identifier="inputs")
    assert made == write_minutes(view, signed, template, identifier="inputs")
    assert "Signed by | Helen Whitaker" in docx_text(made)
    assert "(draft)" not in part_text(made, "word/footer")


def test_a_draft_laid_out_otherwise_is_not_taken_for_the_signed_version(store, demo):
    """A draft whose opening or signature block is not what this writer makes (another
    panelapp's layout) gives None: the service then writes the signed version in full."""
    with store.read() as session:
        view = meeting_view(session, demo.meeting_id, NamingMode.INITIALS, mask_free_text=True)
    context = MinutesContext(1, datetime(2026, 3, 12, 13, 0), "Helen Whitaker", "Chair")
    template = read_template("minutes.docx")
    read = write_minutes(view, context, template)
    signed = _signed_context(context)
    assert sign_draft(read, view, signed, template) is not None
    for old, new in (
        (b"Draft for the chair's signature.", b"Awaiting signature."),  # the opening
        (b"have not been signed.", b"are not yet signed."),  # the draft's signature block
    ):
        assert sign_draft(_with_document_xml(read, old, new), view, signed, template) is None
    assert sign_draft(b"not a package", view, signed, template) is None


def _with_document_xml(data: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert part.count(old) == 1
                part = part.replace(old, new)
            target.writestr(info, part)
    return out.getvalue()
