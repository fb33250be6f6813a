"""The words of a paper, for the full-text index.

Papers come from many systems and some are half-broken; extraction must never stop an import,
so every failure ends in whatever text was read so far. The work is bounded (pages, characters
and seconds), because a 60-page scanned report or a hostile file must not hang the officer's
laptop. Only files already accepted by ``paper_sniffer`` are given to this module.
"""

from __future__ import annotations

import io
import logging
import time
import warnings
import zipfile
from dataclasses import dataclass

from panelapp.documents.paper_sniffer import PaperKind, decode_text, word_parts

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 1_000
MAX_SHEET_CELLS = 200_000
TIME_BUDGET_SECONDS = 20.0


@dataclass(frozen=True)
class ExtractedText:
    text: str
    #: False when a limit was reached or part of the file could not be read.
    complete: bool = True
    #: stopped by its time budget (another reading, on a quieter machine, may get further)
    timed_out: bool = False


def extract_text(
    kind: PaperKind, data: bytes, *, budget: float = TIME_BUDGET_SECONDS
) -> ExtractedText:
    """The text of a paper, as far as it can be read within the limits."""
    reader = _READERS.get(kind)
    if reader is None:
        return ExtractedText("", complete=True)  # images: no OCR
    collector = _Collector(time.monotonic() + budget)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader(data, collector)
    except _LimitReached:
        collector.complete = False
    except MemoryError:
        raise  # the reading process refuses the file: its limit is there for this
    except Exception as exc:  # a damaged part: keep what was read, never fail the import
        logger.info("text extraction stopped early (%s)", type(exc).__name__)
        collector.complete = False
    return ExtractedText(
        collector.text(), complete=collector.complete, timed_out=collector.timed_out
    )


class _LimitReached(Exception):
    pass


class _Collector:
    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.parts: list[str] = []
        self.size = 0
        self.complete = True
        self.timed_out = False

    def add(self, text: str | None) -> None:
        # Past the deadline, stop before the next part; the first part read is always kept.
        if self.parts and time.monotonic() > self.deadline:
            self.timed_out = True
            raise _LimitReached
        if not text:
            return
        room = MAX_TEXT_CHARS - self.size
        if len(text) > room:
            self.parts.append(text[:room])
            self.size = MAX_TEXT_CHARS
            raise _LimitReached
        self.parts.append(text)
        self.size += len(text)

    def text(self) -> str:
        return "\n".join(self.parts).replace("\x00", "")


def _pdf(data: bytes, out: _Collector) -> None:
    """PDFium's text layer (pypdfium2), page by page; far faster than a pure-Python parser on
    real reports. PDFium here runs no JavaScript and no forms."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        for number in range(len(document)):
            if number >= MAX_PDF_PAGES:
                raise _LimitReached
            try:
                page = document[number]
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                    page.close()
                out.add(text.replace("\r\n", "\n"))
            except _LimitReached:
                raise
            except MemoryError:
                raise
            except Exception as exc:  # one bad page does not lose the others
                logger.info("could not read the text of one PDF page (%s)", type(exc).__name__)
                out.complete = False
    finally:
        document.close()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(data: bytes, out: _Collector) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content_types = archive.read("[Content_Types].xml")
    paragraph, text_tag, tab, brk = _W + "p", _W + "t", _W + "tab", _W + "br"
    for _, part in word_parts(data, content_types):
        for p in part.iter(paragraph):
            words = []
            for node in p.iter():
                if node.tag == text_tag:
                    words.append(node.text or "")
                elif node.tag in (tab, brk):
                    words.append(" ")
            out.add("".join(words))


def _xlsx(data: bytes, out: _Collector) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    try:
        for sheet in book.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_SHEET_CELLS:
                    raise _LimitReached
                out.add(" ".join(str(v) for v in row if v is not None))
    finally:
        book.close()


def _text(data: bytes, out: _Collector) -> None:
    out.add(decode_text(data) or "")


_READERS = {
    PaperKind.PDF: _pdf,
    PaperKind.DOCX: _docx,
    PaperKind.XLSX: _xlsx,
    PaperKind.TEXT: _text,
}
