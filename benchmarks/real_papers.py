"""A realistic corpus of papers: advice reports typed in Word and saved as PDF, the Word files
themselves, and Excel costings.

Real advice (an EP's report, a school's review, a therapist's assessment) is long typed text:
headings, paragraphs, tables of provision, a header and footer on every page, the fonts
embedded in the PDF. So each PDF here is a Word document made with python-docx and converted
by LibreOffice (``soffice --headless --convert-to pdf``), as a council's "Save as PDF" does;
sizes run from about 100 KB to 2 MB (by the number of pages, spread evenly on a log scale).
The Excel papers are costed provision maps made with openpyxl. Nothing is random bytes and no
two files are alike; everything is fictional.
"""

from __future__ import annotations

import math
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.fiction import FIRST_NAMES, LAST_NAMES, SETTINGS
from benchmarks.papers_gen import HEADINGS, SENTENCES, TITLES

#: Bytes of PDF per page of report text, as LibreOffice writes it here (fonts embedded once).
PDF_BYTES_PER_PAGE = 2_950
PDF_BASE_BYTES = 33_000
PARAGRAPHS_PER_PAGE = 5
SMALLEST, LARGEST = 100_000, 2_000_000
CONVERT_TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class RealPaper:
    path: Path
    size: int
    kind: str  # "pdf", "docx" or "xlsx"


def _subject(index: int, rng: random.Random) -> dict:
    return {
        "first": FIRST_NAMES[index % len(FIRST_NAMES)],
        "his": rng.choice(("his", "her", "their")),
        "setting": SETTINGS[index % len(SETTINGS)],
    }


def _paragraph(rng: random.Random, subject: dict) -> str:
    return " ".join(s.format(**subject) for s in rng.sample(SENTENCES, k=rng.randint(4, 7)))


def word_report(index: int, pages: int, path: Path) -> None:
    """A typed report of about ``pages`` pages, as an officer or professional writes one."""
    from docx import Document
    from docx.shared import Pt

    rng = random.Random(5000 + index)
    subject = _subject(index, rng)
    name = f"{subject['first']} {LAST_NAMES[index % len(LAST_NAMES)]}"
    document = Document()
    style = document.styles["Normal"]
    style.font.name = rng.choice(("Liberation Serif", "Liberation Sans", "DejaVu Sans"))
    style.font.size = Pt(11)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"OFFICIAL-SENSITIVE. {TITLES[index % len(TITLES)]}"
    section.footer.paragraphs[
        0
    ].text = f"Reference BM-{index:05d}. Fictional document made for panelapp's benchmarks."
    document.add_heading(f"{TITLES[index % len(TITLES)]}: {name}", level=0)
    paragraphs = pages * PARAGRAPHS_PER_PAGE
    written = 0
    while written < paragraphs:
        document.add_heading(rng.choice(HEADINGS), level=1)
        for _ in range(rng.randint(3, 8)):
            document.add_paragraph(_paragraph(rng, subject))
            written += 1
        if rng.random() < 0.3:
            table = document.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ("Provision", "Hours", "Review"),
                                  strict=True):  # fmt: skip
                cell.text = text
            for _ in range(rng.randint(3, 6)):
                row = table.add_row().cells
                row[0].text = " ".join(rng.choice(SENTENCES).split()[:8]).format(**subject)
                row[1].text = str(rng.randint(1, 25))
                row[2].text = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2026"
            written += 2
    document.save(path)


def excel_costings(index: int, rows: int, path: Path) -> None:
    import openpyxl

    rng = random.Random(9000 + index)
    subject = _subject(index, rng)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Provision map"
    sheet.append(["Provision", "Provider", "Hours a week", "Weeks", "Cost per hour", "Cost"])
    for n in range(rows):
        hours, weeks, rate = rng.randint(1, 25), rng.choice((38, 39, 52)), rng.randint(18, 60)
        what = " ".join(rng.choice(SENTENCES).split()[:9]).format(**subject)
        sheet.append([what, rng.choice(SETTINGS), hours, weeks, rate, hours * weeks * rate])
        if n % 40 == 39:
            sheet.append([])
    notes = book.create_sheet("Notes")
    for _ in range(max(5, rows // 10)):
        notes.append([_paragraph(rng, subject)])
    book.save(path)


def convert_to_pdf(sources: list[Path], folder: Path) -> None:
    """LibreOffice's own conversion, in one run, with a profile of its own (so it neither
    touches nor waits for anyone else's LibreOffice)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to make the realistic PDFs")
    with tempfile.TemporaryDirectory(prefix="panelapp-bench-lo-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(folder), *map(str, sources)],
            check=True, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS,
        )  # fmt: skip


def make_corpus(folder: Path, pdfs: int, words: int, sheets: int) -> list[RealPaper]:
    """``pdfs`` LibreOffice PDFs (100 KB to 2 MB), ``words`` Word reports and ``sheets`` Excel
    costings, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="panelapp-bench-docx-") as scratch:
        sources = []
        for i in range(pdfs):
            share = i / max(1, pdfs - 1)
            size = SMALLEST * math.exp(share * math.log(LARGEST / SMALLEST))
            pages = max(1, round((size - PDF_BASE_BYTES) / PDF_BYTES_PER_PAGE))
            source = Path(scratch) / f"report-{i:03d}.docx"
            word_report(i, pages, source)
            sources.append(source)
        if sources:
            convert_to_pdf(sources, folder)
    for i in range(words):
        word_report(500 + i, random.Random(i).randint(3, 25), folder / f"word-{i:03d}.docx")
    for i in range(sheets):
        excel_costings(i, random.Random(i).randint(50, 600), folder / f"costings-{i:03d}.xlsx")
    made = []
    for path in sorted(folder.iterdir()):
        made.append(RealPaper(path, path.stat().st_size, path.suffix[1:]))
    return made
