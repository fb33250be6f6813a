"""Mutation fuzzing of the paper sniffer and the case-list reader, seeded from real files made
here: whatever bytes arrive, only the refusal error may come out (never another exception), and
through the reading process no memory or time limit is reached by a small file."""

from __future__ import annotations

import io
import os
import time

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panelapp.documents.case_list_reader import read_table
from panelapp.documents.paper_sniffer import PaperRefused, sniff
from panelapp.documents.reading_process import ReadingLimit, ReadingProcess
from panelapp.documents.text_extraction import extract_text
from panelapp.domain.errors import PanelappError
from tests.helpers import hostile_files as hostile
from tests.helpers import paper_files as files


def _case_list_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Reference", "First name", "Last name", "Date of birth", "Primary need"])
    sheet.append(["NB-1", "Ruby", "Khan", "03/12/2020", "SLCN"])
    sheet["F2"] = "=1+2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PAPER_SEEDS = [
    files.pdf(["Educational psychology advice."], pages=2),
    files.word(["The child benefits from visual supports."]),
    files.excel([["Provision", "Hours"], ["TA support", 20]]),
    files.png(),
    files.jpeg(),
    b"Parents' views: a smaller class would help.\n",
    hostile.pdf_javascript_open_action(),
    hostile.word_with_ole_object(),
    hostile.HTML_AS_DOCX,
]
CASE_SEEDS = [
    b"Reference,First name,Last name,Date of birth\nNB-1,Ruby,Khan,03/12/2020\n",
    _case_list_xlsx(),
]


@st.composite
def mutated(draw, seeds):
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "splice", "repeat"]))
        if not data:
            data = bytearray(b"%PDF-")
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 4096))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, len(other) - 1))
            data[at:] = other[start : start + draw(st.integers(1, 8192))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 512))] * draw(st.integers(1, 8))
    return bytes(data)


FUZZ = settings(
    # More locally with PANELAPP_FUZZ_EXAMPLES=2000; the suite keeps it well under a minute.
    max_examples=int(os.environ.get("PANELAPP_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(mutated(PAPER_SEEDS))
def test_the_sniffer_and_text_reader_only_ever_refuse(data):
    try:
        sniffed = sniff(data)
    except PaperRefused:
        return
    extract_text(sniffed.kind, data, budget=2.0)  # keeps what it can read, never raises


@FUZZ
@given(mutated(CASE_SEEDS))
def test_the_case_list_reader_only_ever_refuses(data):
    try:
        rows = read_table(data, "cases")
    except PanelappError:
        return
    assert all(isinstance(number, int) for number, _ in rows)


@pytest.fixture(scope="module")
def reader():
    with ReadingProcess() as shared:
        yield shared


@settings(FUZZ, max_examples=40)
@given(mutated(PAPER_SEEDS + CASE_SEEDS))
def test_through_the_reading_process_no_limit_is_reached(reader, data):
    started = time.monotonic()
    for job, options in (("paper", {"max_bytes": 10**7}), ("case_list", {"name": "cases"})):
        try:
            reader.run(job, data, **options)
        except PanelappError:
            pass
        except ReadingLimit as limit:
            pytest.fail(f"a small file reached the {limit.why} limit")
    assert time.monotonic() - started < 10
