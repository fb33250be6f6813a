"""Fictional papers for the demonstration meeting: request forms, psychology and therapy
advice, costed provision maps and parents' views, two to four per case, one of them late.

They are made at run time as Word, plain text and small PDF files
(``documents.sample_papers``), then imported through the same papers service as
real files, so the demo exercises checking, text extraction, search and the late-paper rule.
Every person, school and fact in them is invented.
"""

from __future__ import annotations

import functools
import io
import logging
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from xml.sax.saxutils import escape as xml_escape

from panelapp.documents.reading_process import ReadingProcess
from panelapp.documents.sample_papers import pdf_file, text_file, word_file
from panelapp.domain.outcomes import format_pounds
from panelapp.domain.vocabulary import RequestType
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.papers import add_paper
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store
from panelapp.store.tables import Case

logger = logging.getLogger(__name__)

__all__ = ["add_papers_to_meeting", "pdf_file", "text_file", "word_file"]


# -- the papers of each kind of request ----------------------------------------------------
#
# Each kind of Word paper is made once with python-docx, with [[TOKENS]] where the case's
# details go, and filled in per case by rewriting its document part: the demo stays fast.

_WORD_PAPERS: dict[str, tuple[str, list[str], list[tuple[str, ...]] | None]] = {
    "request": (
        "[[KIND]]: request form",
        [
            "Council reference: [[REF]]. Setting: [[SETTING]]. [[YEAR]].",
            "Submitted by the SENCo on behalf of the school, with the agreement of [[FIRST]]'s "
            "parents.",
            "Summary of need: [[FIRST]] has been supported through the graduated approach "
            "(assess, plan, do, review) for at least two terms. Progress has been limited despite "
            "targeted small-group interventions and advice from outside agencies.",
            "Outcomes sought: improved communication with adults and peers, access to the "
            "curriculum with reduced adult prompting, and a plan for transition.",
            "Parents' views: they feel the current support helps but is not enough, and want the "
            "panel to consider the request.",
        ],
        None,
    ),
    "ep": (
        "Educational psychology advice",
        [
            "Educational psychology advice for [[FIRST]] ([[REF]]).",
            "I observed [[FIRST]] in class and at lunchtime and met parents and the class teacher.",
            "Cognitive assessment shows a relative strength in visual reasoning; working memory "
            "and processing speed are well below age-related expectations.",
            "Recommendations: pre-teaching of key vocabulary, visual timetables, short tasks with "
            "clear endings, and a quiet space for regulation breaks.",
            "Dr Nadia Osei, Senior Educational Psychologist (fictional).",
        ],
        None,
    ),
    "map": (
        "Costed provision map",
        [
            "Costed provision map for [[REF]], [[SETTING]].",
            "The first £6,000 of additional support is met from the school's notional SEN budget "
            "(element 2); the request is for the remainder as element 3 top-up.",
        ],
        [
            ("Provision", "Hours per week", "Cost per year"),
            ("Teaching assistant support (1:1)", "[[HOURS]]", "[[TA_COST]]"),
            ("Speech and language programme", "1", "£1,200.00"),
            ("Specialist teacher visits", "termly", "£450.00"),
            ("Total", "", "[[TOTAL]]"),
        ],
    ),
    "review": (
        "Annual review report",
        [
            "Annual review report for [[REF]] at [[SETTING]].",
            "Progress against outcomes: partly met. Attendance has fallen this term.",
            "The review meeting recommended amending sections B, F and I and increasing the "
            "banding to reflect greater social, emotional and mental health needs.",
        ],
        None,
    ),
}


@functools.cache
def _word_template(key: str) -> bytes:
    title, lines, table = _WORD_PAPERS[key]
    return word_file(title, lines, table)


def _filled(key: str, values: dict[str, str]) -> bytes:
    """The Word paper ``key`` with its tokens replaced by ``values``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_word_template(key))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                for token, value in values.items():
                    text = text.replace(f"[[{token}]]", xml_escape(value))
                data = text.encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


def _values(case: Case, **extra: str) -> dict[str, str]:
    return {
        "FIRST": case.first_name,
        "REF": case.reference,
        "SETTING": case.setting,
        "YEAR": case.year_group,
        **extra,
    }


def _request_form(case: Case, kind: str) -> tuple[str, bytes]:
    return f"{kind} - request form", _filled("request", _values(case, KIND=kind))


def _ep_advice(case: Case) -> tuple[str, bytes]:
    return "Educational psychology advice", _filled("ep", _values(case))


def _provision_map(case: Case, weekly_hours: int, rate_pence: int) -> tuple[str, bytes]:
    ta_cost = weekly_hours * rate_pence * 38  # a school year of 38 weeks
    values = _values(
        case,
        HOURS=str(weekly_hours),
        TA_COST=format_pounds(ta_cost),
        TOTAL=format_pounds(ta_cost + 1_650_00),
    )
    return "Costed provision map", _filled("map", values)


def _review_report(case: Case) -> tuple[str, bytes]:
    return "Annual review report", _filled("review", _values(case))


def _salt_report(case: Case) -> tuple[str, bytes]:
    name = case.first_name
    lines = [
        f"Speech and language therapy report: {name} ({case.reference}).",
        f"{name} has a severe receptive and expressive language disorder with marked "
        "phonological difficulties; intelligibility to unfamiliar listeners is low.",
        "Recommended: direct therapy in blocks of six weeks, a communication-friendly "
        "classroom, and staff training in visual supports.",
        "Northfield Community NHS Trust, Children's Therapies (fictional).",
    ]
    return "Speech and language therapy report", pdf_file(
        "Speech and language therapy report", lines
    )


def _parent_views(case: Case) -> tuple[str, bytes]:
    name = case.first_name
    lines = [
        f"We are {name}'s parents. We want the panel to know how hard mornings are at home.",
        f"{name} is anxious about school and often refuses to go in. The current support is "
        "kind but stops at lunchtime.",
        "We would like a setting where staff understand autism and the class is small.",
    ]
    return "Parents' views", text_file("Parents' views", lines)


def _papers_for(case: Case) -> list[tuple[str, bytes]]:
    kind = case.request_type
    if kind is RequestType.ASSESSMENT_REQUEST:
        made = [_request_form(case, "EHC needs assessment"), _ep_advice(case)]
        if case.primary_need == "SLCN":
            made.append(_salt_report(case))
        return made
    if kind is RequestType.POST_ASSESSMENT:
        second = (
            _salt_report(case) if case.primary_need == "ASD" else _provision_map(case, 10, 15_00)
        )
        return [_ep_advice(case), second]
    if kind in (RequestType.ANNUAL_REVIEW, RequestType.PHASE_TRANSFER):
        return [_review_report(case), _provision_map(case, 15, 16_00)]
    if kind is RequestType.TOP_UP:
        return [_request_form(case, "High Needs top-up"), _provision_map(case, 20, 15_50)]
    if kind is RequestType.PLACEMENT:
        return [_request_form(case, "Change of placement"), _ep_advice(case), _parent_views(case)]
    return [_request_form(case, case.request_type.label)]


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at).astimezone(UTC)


def add_papers_to_meeting(store: Store, meeting_id: int, actor: str) -> int:
    """Two to four fictional papers for each item of a meeting; the parents' views for the
    placement case arrive the day before the meeting (a late paper). Returns how many."""
    with store.read() as session:
        meeting = get_meeting(session, meeting_id)
        meeting_day = meeting.meeting_date
        plan = [(item.id, item.case, item.carried_from_item_id) for item in meeting.items]
    added = 0
    with UnitOfWork(store, actor) as uow, ReadingProcess() as reader:
        for n, (item_id, case, carried_from) in enumerate(plan):
            # A case returning after deferral brings what the panel asked for; its earlier
            # papers come with it from the earlier hearing.
            made = (
                [_provision_map(case, 12, 15_00), _salt_report(case)]
                if carried_from
                else _papers_for(case)
            )
            for k, (title, data) in enumerate(made):
                late = title == "Parents' views"
                received = (
                    _utc(meeting_day - timedelta(days=1), time(16, 40))
                    if late
                    else _utc(meeting_day - timedelta(days=8 - n % 4), time(9 + k, 15 + n))
                )
                ext = {b"%P": ".pdf", b"PK": ".docx"}.get(data[:2], ".txt")
                outcome = add_paper(
                    uow,
                    item_id,
                    file_name=f"{title}{ext}",
                    data=data,
                    title=title,
                    received_at=received,
                    reader=reader,
                )
                added += outcome.stored
    logger.info("added %d demonstration papers", added)
    return added
