"""Importing papers into the encrypted store: per-file results, refused files leave nothing,
duplicates are reported, late papers are flagged by one rule."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text

from panelapp.documents.paper_sniffer import PaperKind, Refusal
from panelapp.domain.errors import RuleViolation
from panelapp.domain.late_papers import is_late_paper, paper_deadline
from panelapp.services import papers
from panelapp.services.papers import PaperStatus, import_papers
from panelapp.store.tables import AuditEvent, Meeting, Paper, PaperContent
from tests.helpers import paper_files as files
from tests.helpers.meeting_day import MEETING_DAY


def _utc(day: date, at: time) -> datetime:
    """A local wall-clock time as the UTC the store keeps (the test machine's time zone)."""
    return datetime.combine(day, at).astimezone(UTC).replace(tzinfo=None)


def _counts(store) -> tuple[int, int, int, int]:
    """Papers, contents, index entries of papers and 'paper.added' audit events."""
    with store.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Paper)),
            session.scalar(select(func.count()).select_from(PaperContent)),
            session.scalar(text("SELECT count(*) FROM search_index WHERE kind = 'paper'")),
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "paper.added")
            ),
        )


def test_a_batch_stores_the_good_files_and_refuses_the_bad_ones_leaving_nothing(
    store, prepared, tmp_path
):
    good_pdf = tmp_path / "EP advice.pdf"
    good_pdf.write_bytes(files.pdf(["Working memory well below expectations."], pages=3))
    good_docx = tmp_path / "request form.docx"
    good_docx.write_bytes(files.word())
    locked = tmp_path / "SALT report.pdf"
    locked.write_bytes(files.encrypted_pdf())
    macro = tmp_path / "provision map.docx"
    macro.write_bytes(files.word_with_macros())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    progress = []

    outcomes = import_papers(
        store,
        "Ops Officer",
        prepared.item_ids[0],
        [good_pdf, locked, good_docx, macro, empty, tmp_path / "missing.pdf"],
        on_progress=lambda done, total: progress.append((done, total)),
    )

    assert [o.source for o in outcomes] == [
        "EP advice.pdf", "SALT report.pdf", "request form.docx", "provision map.docx",
        "empty.txt", "missing.pdf",
    ]  # fmt: skip
    assert [o.status for o in outcomes] == [
        PaperStatus.STORED, PaperStatus.REFUSED, PaperStatus.STORED, PaperStatus.REFUSED,
        PaperStatus.REFUSED, PaperStatus.REFUSED,
    ]  # fmt: skip
    assert outcomes[1].refusal is Refusal.ENCRYPTED
    assert outcomes[3].refusal is Refusal.MACROS
    assert outcomes[4].refusal is Refusal.EMPTY
    assert "was not found" in outcomes[5].message
    assert progress == [(0, 6), (1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]
    assert _counts(store) == (2, 2, 2, 2), "refused files leave no paper, content, index or event"
    with store.read() as session:
        stored = session.get(Paper, outcomes[0].paper_id)
        assert (stored.media_type, stored.pages, stored.title) == (
            "application/pdf",
            3,
            "EP advice",
        )
        assert stored.size == len(good_pdf.read_bytes())
        assert stored.sha256 == __import__("hashlib").sha256(good_pdf.read_bytes()).hexdigest()
        assert abs(stored.received_at - datetime.now(UTC)) < timedelta(minutes=1)
        assert session.get(PaperContent, stored.id).content == good_pdf.read_bytes()


@pytest.mark.parametrize(
    "name, make, reason",
    [
        ("virus.pdf", lambda: b"MZ" + bytes(500), Refusal.EXECUTABLE),
        ("notes.pdf", lambda: bytes(range(256)) * 4, Refusal.UNKNOWN),
        ("locked.pdf", files.encrypted_pdf, Refusal.ENCRYPTED),
        ("cut.pdf", lambda: files.pdf(pages=2)[:-600], Refusal.CORRUPT),
        ("cut.docx", lambda: files.word()[:4000], Refusal.CORRUPT),
        ("zero.docx", lambda: b"", Refusal.EMPTY),
        ("bomb.docx", files.word_zip_bomb, Refusal.ZIP_BOMB),
        ("macro.docx", files.word_with_macros, Refusal.MACROS),
    ],
)
def test_each_malformed_kind_is_refused_with_its_message_and_nothing_stored(
    store, prepared, tmp_path, name, make, reason
):
    path = tmp_path / name
    path.write_bytes(make())
    (outcome,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path])
    assert outcome.status is PaperStatus.REFUSED and outcome.refusal is reason
    assert outcome.message and name not in outcome.message
    assert _counts(store) == (0, 0, 0, 0)


def test_a_file_over_the_size_setting_is_refused_and_the_setting_can_be_raised(
    store, prepared, tmp_path
):
    path = tmp_path / "long report.pdf"
    path.write_bytes(files.pdf(pages=40))
    (small,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path], max_bytes=2048)
    assert small.refusal is Refusal.TOO_LARGE
    (fits,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path])
    assert fits.stored and fits.pages == 40


def test_the_type_comes_from_the_content_not_the_name(store, prepared, tmp_path):
    path = tmp_path / "actually a pdf.docx"
    path.write_bytes(files.pdf())
    (outcome,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path])
    assert outcome.stored and outcome.kind is PaperKind.PDF


def test_the_same_file_twice_for_a_case_is_reported_not_stored_again(store, prepared, tmp_path):
    first, copy = tmp_path / "advice.pdf", tmp_path / "advice (1).pdf"
    first.write_bytes(files.pdf(["Same advice"]))
    copy.write_bytes(first.read_bytes())
    one, two = import_papers(store, "Ops Officer", prepared.item_ids[0], [first, copy])
    assert one.stored and two.status is PaperStatus.DUPLICATE
    assert two.paper_id == one.paper_id and "already stored for this case" in two.message
    # The same file for another child's case is that case's paper.
    (other,) = import_papers(store, "Ops Officer", prepared.item_ids[1], [first])
    assert other.stored
    assert _counts(store)[0] == 2


def test_a_folder_stands_for_the_files_in_it(store, prepared, tmp_path):
    folder = tmp_path / "item 1"
    folder.mkdir()
    (folder / "b.txt").write_text("Second paper")
    (folder / "a.png").write_bytes(files.png())
    (folder / ".hidden").write_text("ignored")
    outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], [folder])
    assert [(o.source, o.kind) for o in outcomes] == [
        ("a.png", PaperKind.PNG),
        ("b.txt", PaperKind.TEXT),
    ]


def test_the_deadline_is_the_whole_calendar_day_n_days_before_the_meeting():
    assert paper_deadline(MEETING_DAY, 2) == date(2026, 3, 10)
    assert not is_late_paper(date(2026, 3, 10), MEETING_DAY, 2)
    assert is_late_paper(date(2026, 3, 11), MEETING_DAY, 2)
    assert is_late_paper(MEETING_DAY, MEETING_DAY, 0) is False  # a 0-day deadline: the day itself
    assert is_late_paper(date(2026, 3, 6), MEETING_DAY, 7)  # a week's deadline


def test_a_paper_received_after_the_panels_deadline_is_flagged_late(store, prepared, tmp_path):
    on_time, late = tmp_path / "on time.txt", tmp_path / "late.txt"
    on_time.write_text("Received on the deadline day, late in the evening.")
    late.write_text("Received the day before the meeting.")
    (a,) = import_papers(
        store,
        "Ops",
        prepared.item_ids[0],
        [on_time],
        received_at=_utc(date(2026, 3, 10), time(23, 30)),
    )
    (b,) = import_papers(
        store, "Ops", prepared.item_ids[0], [late], received_at=_utc(date(2026, 3, 11), time(0, 30))
    )
    assert not a.late and b.late
    assert "LATE" in b.message and "10 March 2026" in b.message
    with store.read() as session:
        meeting = session.get(Meeting, prepared.meeting_id)
        rows = papers.papers_for_item(session, prepared.item_ids[0])
        flags = [papers.is_late(p.received_at, meeting.meeting_date, 2) for p in rows]
    assert flags == [False, True]


def test_papers_of_a_signed_meeting_are_locked(store, prepared, tmp_path):
    with store.write() as session, session.begin():
        session.get(Meeting, prepared.meeting_id).status = "signed"
    path = tmp_path / "late addition.txt"
    path.write_text("Too late")
    with pytest.raises(RuleViolation, match="papers are locked"):
        import_papers(store, "Ops Officer", prepared.item_ids[0], [path])


def test_the_audit_trail_records_each_paper_without_its_name_or_title(store, prepared, tmp_path):
    path = tmp_path / "Oliver Grant - EP advice.pdf"
    path.write_bytes(files.pdf(["Oliver Grant"]))
    (outcome,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path])
    with store.read() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "paper.added"))
    detail = json.loads(event.detail)
    assert event.entity_id == outcome.paper_id and detail["sha256"] and "late" in detail
    assert "Oliver" not in event.detail and "Grant" not in event.detail


def test_paper_contents_are_encrypted_on_disk(store, prepared, tmp_path, store_path):
    marker = "Quokkaberry-unique-marker-7731"
    path = tmp_path / "notes.txt"
    path.write_text(f"Notes mentioning {marker} for the panel.")
    (outcome,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path])
    assert outcome.stored
    on_disk = b"".join(
        p.read_bytes() for p in store_path.parent.iterdir() if p.name.startswith(store_path.name)
    )
    assert marker.encode() not in on_disk
