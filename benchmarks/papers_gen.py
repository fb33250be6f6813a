"""Fictional papers for the import and memory benchmarks: real PDFs (fpdf2) and Word files
(python-docx) of about 1 MiB each.

A real 1 MB paper is a few pages of typed text plus scanned pages (a signed letter, a form
filled in by hand, a report from another system printed and scanned). So is each file here:
four to nine pages of report text, then enough "scanned" pages (JPEG images of a page of text,
with the speckle and blur of a scanner) to bring it to 1 MiB within a few per cent. Nothing is
random bytes: the files compress, parse and extract like ordinary documents, and each one's
text is different (names, references, sentences), so no two files are the same.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from benchmarks.fiction import FIRST_NAMES, LAST_NAMES, SETTINGS

MIB = 1024 * 1024
TARGET_BYTES = MIB
PDF_SHARE = 0.6  # the rest are .docx; see make_paper

SENTENCES = (
    "{first} settles well in the morning when greeted by a familiar adult at the gate.",
    "Attention and listening have improved since the small-group programme began in September.",
    "Assessment on the British Picture Vocabulary Scale placed receptive vocabulary below the "
    "expected range for {his} age.",
    "{first} prefers visual timetables and benefits from advance warning of changes to routine.",
    "Reading is at an early phonics stage; {first} blends three-sound words with support.",
    "The setting reports two incidents of dysregulation a week, usually after unstructured time.",
    "Parents describe difficulties with sleep and with transitions between activities at home.",
    "The speech and language therapist recommends a daily twenty-minute language session.",
    "Fine motor skills are developing; a writing slope and pencil grip are used in class.",
    "{first} enjoys construction play and will work alongside peers for short periods.",
    "Working memory scores were in the low range; instructions are best given one step at a time.",
    "The school has used its notional SEN budget to fund a teaching assistant for mornings.",
    "Progress against the outcomes in section E has been slower than the plan anticipated.",
    "{first}'s attendance this year is 91 per cent, with absences for hospital appointments.",
    "The family would like {first} to remain with friends at {setting} if needs can be met.",
    "A sensory assessment found sensitivity to noise; ear defenders are used in assemblies.",
    "Social communication has improved, with more spontaneous requests to adults and peers.",
    "The educational psychologist observed {first} in class and at play on two occasions.",
)
HEADINGS = (
    "Background", "Views of the child and family", "Communication and interaction",
    "Cognition and learning", "Social, emotional and mental health",
    "Sensory and physical needs", "Provision in place", "Recommended outcomes",
    "Recommended provision", "Summary",
)  # fmt: skip
TITLES = (
    "Educational psychology advice", "Speech and language therapy report",
    "School SEN support plan review", "Occupational therapy assessment",
    "Parents' views and contribution", "Health advice (paediatrics)",
    "Costed provision map", "Social care advice",
)  # fmt: skip


@dataclass(frozen=True)
class GeneratedPaper:
    path: Path
    size: int
    kind: str  # "pdf" or "docx"


def _page_paragraphs(rng: random.Random, n: int, subject: dict) -> list[tuple[str, list[str]]]:
    sections = []
    for heading in rng.sample(HEADINGS, k=min(n, len(HEADINGS))):
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            chosen = rng.sample(SENTENCES, k=rng.randint(3, 6))
            paragraphs.append(" ".join(s.format(**subject) for s in chosen))
        sections.append((heading, paragraphs))
    return sections


class ScanPool:
    """JPEG "scans" of typed pages at a few qualities, made once and reused across files."""

    def __init__(self, seed: int = 7, pages: int = 6) -> None:
        from PIL import Image, ImageDraw, ImageFilter

        rng = random.Random(seed)
        self.scans: list[bytes] = []
        self.pages = []
        for page in range(pages):
            image = Image.new("L", (1240, 1754), 246)  # A4 at 150 dpi, off-white
            draw = ImageDraw.Draw(image)
            y = 90
            while y < 1650:
                words = " ".join(rng.choice(SENTENCES).split()[:12]).format(
                    first="J.", his="their", setting="the school"
                )
                draw.text((90 + rng.randint(-3, 3), y), words, fill=rng.randint(20, 60))
                y += rng.randint(26, 40)
            noise = Image.effect_noise(image.size, 18 + page * 3)
            image = Image.blend(image, noise, 0.12).filter(ImageFilter.GaussianBlur(0.6))
            rgb = image.convert("RGB")
            self.pages.append(rgb)
            for quality in (55, 70, 85):
                buffer = io.BytesIO()
                rgb.save(buffer, "JPEG", quality=quality)
                self.scans.append(buffer.getvalue())
        self.scans.sort(key=len, reverse=True)

    def fill(self, room: int, rng: random.Random) -> list[bytes]:
        """Scans whose sizes add up to nearly ``room`` bytes (largest first, greedy)."""
        chosen: list[bytes] = []
        candidates = list(self.scans)
        rng.shuffle(candidates)
        candidates.sort(key=len, reverse=True)
        for scan in candidates * 8:
            if len(scan) <= room:
                chosen.append(scan)
                room -= len(scan)
        return chosen

    def strip(self, room: int, rng: random.Random) -> bytes | None:
        """The top of a scanned page (a signature block, a stamp) of about ``room`` bytes."""
        page = rng.choice(self.pages)
        per_row = len(self._jpeg(page)) / page.height
        height = int(room / per_row)
        for _ in range(3):
            if height < 16:
                return None
            data = self._jpeg(page.crop((0, 0, page.width, min(height, page.height))))
            if len(data) <= room:
                return data
            height = int(height * room / len(data) * 0.98)
        return None

    @staticmethod
    def _jpeg(image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70)
        return buffer.getvalue()


_NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}


def _pdf(title: str, sections, scans: list[bytes], footer: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(title)
    pdf.set_author("Benchmark Borough Council (fictional)")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, title, **_NEXT_LINE)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, footer, **_NEXT_LINE)
    for heading, paragraphs in sections:
        pdf.set_font("Helvetica", "B", 12)
        pdf.ln(3)
        pdf.multi_cell(0, 7, heading, **_NEXT_LINE)
        pdf.set_font("Helvetica", "", 10.5)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5.5, paragraph, **_NEXT_LINE)
            pdf.ln(1.5)
    for scan in scans:
        pdf.add_page()
        pdf.image(io.BytesIO(scan), x=10, y=10, w=190)
    return bytes(pdf.output())


def _docx(title: str, sections, scans: list[bytes], footer: str) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    doc.add_paragraph(footer)
    for heading, paragraphs in sections:
        doc.add_heading(heading, level=2)
        for paragraph in paragraphs:
            doc.add_paragraph(paragraph)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Provision", "Frequency", "Provider"), strict=True):
        cell.text = text
    for row in (("Small-group language", "Daily, 20 minutes", "Teaching assistant"),
                ("Sensory circuit", "Twice daily", "Class team"),
                ("Therapy review", "Termly", "NHS therapy service")):  # fmt: skip
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    for scan in scans:
        doc.add_page_break()
        doc.add_picture(io.BytesIO(scan), width=Cm(17))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def make_paper(
    index: int, pool: ScanPool, folder: Path, target: int = TARGET_BYTES
) -> GeneratedPaper:
    rng = random.Random(1000 + index)
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    subject = {
        "first": first,
        "his": rng.choice(("his", "her", "their")),
        "setting": SETTINGS[index % len(SETTINGS)],
    }
    title = f"{TITLES[index % len(TITLES)]}: {first} {LAST_NAMES[index % len(LAST_NAMES)]}"
    footer = (
        f"Reference BM-{20 + index % 6}-{index:05d}. OFFICIAL-SENSITIVE. Fictional document "
        "made for panelapp's benchmarks."
    )
    sections = _page_paragraphs(rng, rng.randint(4, 9), subject)
    is_pdf = (index % 5) < 3  # three in five are PDFs (PDF_SHARE)
    writer = _pdf if is_pdf else _docx
    base = len(writer(title, sections, [], footer))
    overhead = 1800 if is_pdf else 1200  # per embedded image: object or part and rels
    scans = pool.fill(max(0, target - base), rng)
    # Leave room for each image's own overhead.
    while scans and base + sum(len(s) + overhead for s in scans) > target:
        scans.pop()
    gap = target - base - sum(len(s) + overhead for s in scans) - overhead
    if gap > 4096:
        strip = pool.strip(gap, rng)
        if strip:
            scans.append(strip)
    data = writer(title, sections, scans, footer)
    suffix = ".pdf" if is_pdf else ".docx"
    path = folder / f"paper-{index:03d}-{TITLES[index % len(TITLES)].split()[0].lower()}{suffix}"
    path.write_bytes(data)
    return GeneratedPaper(path, len(data), suffix[1:])


def make_papers(folder: Path, count: int, target: int = TARGET_BYTES) -> list[GeneratedPaper]:
    folder.mkdir(parents=True, exist_ok=True)
    pool = ScanPool()
    return [make_paper(i, pool, folder, target) for i in range(count)]
