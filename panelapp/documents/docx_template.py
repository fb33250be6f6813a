"""Filling a council's Word template: keep its styles, page, header and footer; write the body.

Why this shape: a council changes the look of its minutes by editing a .docx in Word, not code.
So the writers open the template, drop whatever its body holds, and add paragraphs and tables
by *style name*. A style the council's template lacks falls back to Normal (or to no table
style), logged once by name, rather than failing the export. Placeholders such as
``{{council}}`` in headers and footers are filled in.

Output is deterministic: the same content and template give the same bytes (fixed ZIP entry
times, document properties set from the given moment), so a regenerated draft can be compared
with the one the chair read.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from docx.table import Table
from docx.text.paragraph import Paragraph

from panelapp.domain.errors import PanelappError

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Part:
    """A piece of a paragraph: its text, bold or not, and optionally a character style of the
    template ("Alert" for a mark such as LATE, "Aside" for a quiet note beside the text)."""

    text: str
    bold: bool = False
    style: str = ""


@dataclass(frozen=True)
class Line:
    """A paragraph in a table cell made of parts, in its own paragraph style (empty: the
    cell's)."""

    parts: tuple[Part, ...]
    style: str = ""


@dataclass(frozen=True)
class Cell:
    """Table cell content: lines of text (or of parts), the first optionally bold."""

    lines: tuple[str | Line, ...]
    bold_first: bool = False

    @classmethod
    def of(cls, value: str | Sequence[str | Line] | Cell) -> Cell:
        if isinstance(value, Cell):
            return value
        if isinstance(value, str):
            return cls(tuple(value.splitlines() or [""]))
        return cls(tuple(value) or ("",))


@dataclass(frozen=True)
class Span:
    """A row of a grid that spans every column (what follows the row above it: an agenda
    item's papers), indented by ``indent_cm``; the row above is kept on its page."""

    content: Cell
    indent_cm: float = 0.0


CellValue = str | Sequence[str | Line] | Cell


class TemplateDocument:
    """A template opened for writing, with style look-ups that tolerate a council's edits."""

    def __init__(self, template: bytes, *, what: str) -> None:
        try:
            self.document: Document = docx.Document(io.BytesIO(template))
        except (ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise PanelappError(
                f"The {what} template is not a Word .docx file ({type(exc).__name__}). Save "
                "it from Word as a .docx document (not .dotx or .doc), or remove it to use "
                "panelapp's own template."
            ) from None
        self._styles: dict[tuple[str, WD_STYLE_TYPE], object] = {}
        self._table_style_ids: dict[str, str | None] = {}
        self._clear_body()
        section = self.document.sections[-1]
        width, left, right = section.page_width, section.left_margin, section.right_margin
        if width is None or left is None or right is None:
            raise PanelappError(
                f"The {what} template does not set its page size and margins. Set them in Word "
                "(Layout > Size and Margins) and save it again, or remove it to use panelapp's "
                "own template."
            )
        self.text_width = Emu(width - left - right)

    # -- styles -----------------------------------------------------------------------------

    def style(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH):
        """The named style, or None (Normal / plain table) when the template lacks it."""
        key = (name, kind)
        if key not in self._styles:
            try:
                style = self.document.styles[name]
            except KeyError:
                style = None
            if style is None or style.type != kind:
                style = None
                logger.warning(
                    "the template has no %s style %r; using the default", kind.name, name
                )
            self._styles[key] = style
        return self._styles[key]

    def _styled(self, paragraph, name: str):
        """Give a paragraph a style by id (python-docx's own setter is slow on big documents)."""
        style = self.style(name)
        if style is None:
            return paragraph
        p = paragraph._p
        if p.pPr is None:
            # A new paragraph: <w:pPr><w:pStyle w:val="..."/></w:pPr> made in one go, the
            # same XML python-docx makes after searching for where each element goes.
            properties = OxmlElement("w:pPr")
            properties.append(OxmlElement("w:pStyle", attrs={qn("w:val"): style.style_id}))
            p.insert(0, properties)
        else:
            p.style = style.style_id
        return paragraph

    # -- body -------------------------------------------------------------------------------

    def _clear_body(self) -> None:
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    def paragraph(self, text: str = "", style: str = "Normal", *, bold: bool = False):
        paragraph = self._styled(self.document.add_paragraph(), style)
        if text:
            _add_run(paragraph, text, bold or None)
        return paragraph

    def runs(self, parts: Iterable[tuple[str, bool] | Part], style: str = "Normal"):
        """One paragraph of (text, bold) runs, or of parts in character styles."""
        paragraph = self._styled(self.document.add_paragraph(), style)
        self._add_parts(paragraph, parts)
        return paragraph

    def _add_parts(self, paragraph, parts: Iterable[tuple[str, bool] | Part]) -> None:
        for part in parts:
            if isinstance(part, Part):
                self._add_part(paragraph, part)
            else:
                text, bold = part
                _add_run(paragraph, text, bold or None)

    def _add_part(self, paragraph, part: Part) -> None:
        character = self.style(part.style, WD_STYLE_TYPE.CHARACTER) if part.style else None
        if character is None:
            _add_run(paragraph, part.text, part.bold or None)
            return
        run = paragraph.add_run(part.text)
        properties = run._r.get_or_add_rPr()
        properties.insert(0, OxmlElement("w:rStyle", attrs={qn("w:val"): character.style_id}))
        if part.bold:
            run.bold = True

    def heading(self, text: str, level: int):
        return self.paragraph(text, f"Heading {level}")

    def keep_last_with_next(self, count: int) -> None:
        """Keep the last ``count`` blocks written (paragraphs, or a table's last row) on the
        page of what follows, so that a signature block never stands alone on a page
        without the text it signs."""
        body = self.document.element.body
        blocks = [child for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
        for block in blocks[-count:] if count > 0 else ():
            if block.tag == qn("w:tbl"):
                rows = block.findall(qn("w:tr"))
                if not rows:
                    continue
                last = rows[-1]
                _keep_row_together(Table(block, self.document._body).rows[-1])
                paragraphs = last.iter(qn("w:p"))
            else:
                paragraphs = iter((block,))
            for p in paragraphs:
                _keep_with_next(Paragraph(p, self.document._body))

    def bullets(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.paragraph(line, "List Bullet")

    def text_block(self, text: str, style: str = "Normal") -> None:
        """Typed text, one paragraph per line the person typed (blank lines dropped)."""
        for line in text.splitlines():
            if line.strip():
                self.paragraph(line.strip(), style)

    def facts(self, rows: Sequence[tuple[str, CellValue]], *, spacer: bool = True) -> Table | None:
        """A two-column label/value table in the "Facts Table" style (``spacer``: an empty
        small paragraph after it, left out when a note follows at once)."""
        cells_of = [(label, Cell.of(value)) for label, value in rows]
        if not cells_of:
            return None
        table = self._table(len(cells_of), 2, "Facts Table", header=False)
        label_width = Cm(4.6)
        widths = (label_width, Emu(self.text_width - label_width))
        for index, (row, (label, value)) in enumerate(zip(table.rows, cells_of, strict=True)):
            cells = row.cells  # python-docx works this list out afresh on every call
            self._fill(cells[0], Cell((label,)), "Table Label")
            self._fill(cells[1], value, "Table Text")
            _keep_row_together(row)
            if index < len(cells_of) - 1:  # a short table of facts stays on one page
                for cell in cells:
                    for paragraph in cell.paragraphs:
                        _keep_with_next(paragraph)
        _set_widths(table, widths)
        if spacer:
            self._after_table()
        return table

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[CellValue] | Span],
        widths_cm: Sequence[float],
    ) -> Table:
        """A table with a heading row (repeated on each page) in the "Panel Table" style.
        A ``Span`` row spans every column and stays on the page of the row above it."""
        table = self._table(len(rows) + 1, len(headings), "Panel Table", header=True)
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            self._fill(cell, Cell((text,)), "Table Label")
        _repeat_as_header(table.rows[0])
        spans = []
        for index, (row, values) in enumerate(zip(table.rows[1:], rows, strict=True)):
            if isinstance(values, Span):
                cells = row.cells
                merged = cells[0].merge(cells[-1])
                self._fill(merged, values.content, "Table Text")
                if values.indent_cm:
                    for paragraph in merged.paragraphs:
                        paragraph.paragraph_format.left_indent = Cm(values.indent_cm)
                spans.append(merged)
            else:
                for cell, value in zip(row.cells, values, strict=True):
                    self._fill(cell, Cell.of(value), "Table Text")
                if index + 1 < len(rows) and isinstance(rows[index + 1], Span):
                    for cell in row.cells:
                        for paragraph in cell.paragraphs:
                            _keep_with_next(paragraph)
            _keep_row_together(row)
        _set_widths(table, [Cm(w) for w in widths_cm])
        for merged in spans:  # a merged cell is as wide as the columns it spans
            merged.width = Cm(sum(widths_cm))
        self._after_table()
        return table

    def _table(self, rows: int, cols: int, style: str, *, header: bool) -> Table:
        table = self.document.add_table(rows=rows, cols=cols)
        table_style = self.style(style, WD_STYLE_TYPE.TABLE)
        if table_style is None:
            table_style = self.style("Table Grid", WD_STYLE_TYPE.TABLE)
        self._set_table_style(table, table_style)
        _table_look(table, first_row=header, first_column=not header)
        return table

    def _set_table_style(self, table: Table, style) -> None:
        """What ``table.style = style`` does, with the style's id looked up once per document
        (python-docx looks for the default table style among all styles on every call)."""
        if style is None:
            table.style = None
            return
        if style.style_id not in self._table_style_ids:
            self._table_style_ids[style.style_id] = self.document.part.get_style_id(
                style, WD_STYLE_TYPE.TABLE
            )
        table._tbl.tblStyle_val = self._table_style_ids[style.style_id]

    def _fill(self, cell, content: Cell, style: str) -> None:
        if not content.lines:
            self._styled(cell.paragraphs[0], style)
            return
        for index, line in enumerate(content.lines):
            chosen = line.style or style if isinstance(line, Line) else style
            paragraph = self._styled(
                cell.paragraphs[0] if index == 0 else cell.add_paragraph(), chosen
            )
            if isinstance(line, Line):
                self._add_parts(paragraph, line.parts)
            else:
                _add_run(paragraph, line, index == 0 and content.bold_first)

    def _after_table(self) -> None:
        # A little space after a table, and a paragraph between two tables so Word does not
        # merge them.
        self.paragraph("", "Small Print")

    # -- header, footer and finishing ----------------------------------------------------------

    def fill_placeholders(self, values: Mapping[str, str]) -> None:
        """Replace ``{{name}}`` in every header and footer (text, tables, all page kinds)."""
        for section in self.document.sections:
            for part in (
                section.header,
                section.first_page_header,
                section.even_page_header,
                section.footer,
                section.first_page_footer,
                section.even_page_footer,
            ):
                if part.is_linked_to_previous:  # no such header or footer: nothing to fill
                    continue
                for paragraph in _all_paragraphs(part):
                    _replace_in_paragraph(paragraph, values)

    def finish(
        self, *, title: str, subject: str, moment: datetime, identifier: str | None = None
    ) -> bytes:
        """The document's bytes, the same for the same content and moment. ``identifier``
        (when given) goes in the core properties' ``dc:identifier``, which a package signature
        does not cover."""
        properties = self.document.core_properties
        if identifier is not None:
            properties.identifier = identifier
        properties.title = title
        properties.subject = subject
        properties.author = "panelapp"
        properties.last_modified_by = "panelapp"
        properties.category = "OFFICIAL-SENSITIVE"
        properties.keywords = "OFFICIAL-SENSITIVE; personal data"
        properties.comments = ""
        properties.revision = 1
        # core properties are UTC (W3CDTF with Z); an aware moment is converted, not relabelled
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        naive = moment.replace(tzinfo=None, microsecond=0)
        properties.created = naive
        properties.modified = naive
        buffer = io.BytesIO()
        self.document.save(buffer)
        return stable_zip(buffer.getvalue())


def stable_zip(data: bytes) -> bytes:
    """Rewrite a package with fixed entry times, so equal parts make equal files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# -- helpers --------------------------------------------------------------------------------------

_SPECIAL_CHARACTERS = re.compile(r"[\t\n\r]")
#: characters XML cannot hold (a NUL typed, or extracted from a paper): shown as U+FFFD
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _add_run(paragraph, text: str, bold: bool | None) -> None:
    """``paragraph.add_run(text)``, then ``run.bold = bold`` unless ``bold`` is False (None
    still leaves an empty ``<w:rPr/>``, as python-docx's setter does). The same XML is made
    directly for plain text: python-docx's text setter first searches the new, empty run for
    content to clear. Text with tabs or line breaks takes python-docx's own way."""
    text = _NOT_XML.sub("\ufffd", text) if text else text
    if not text or _SPECIAL_CHARACTERS.search(text):
        run = paragraph.add_run(text)
        if bold is not False:
            run.bold = bold
        return
    r = paragraph._p.add_r()
    if bold is not False:
        properties = OxmlElement("w:rPr")
        if bold:
            properties.append(OxmlElement("w:b"))
        r.append(properties)
    t = OxmlElement("w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(qn("xml:space"), "preserve")
    r.append(t)


def _all_paragraphs(part):
    yield from part.paragraphs
    for table in part.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _replace_in_paragraph(paragraph, values: Mapping[str, str]) -> None:
    """Fill placeholders even when Word split one across runs; the paragraph keeps the first
    run's formatting for the text it replaces. Unknown placeholders are left visible."""
    full = "".join(run.text for run in paragraph.runs)
    if "{{" not in full:
        return

    def replace(match: re.Match) -> str:
        return values.get(match.group(1), match.group(0))

    for run in paragraph.runs:  # the usual case: each placeholder within one run
        if "{{" in run.text and "}}" in run.text:
            run.text = _PLACEHOLDER.sub(replace, run.text)
    full = "".join(run.text for run in paragraph.runs)
    if not _PLACEHOLDER.search(full) or not any(
        m.group(1) in values for m in _PLACEHOLDER.finditer(full)
    ):
        return
    runs = paragraph.runs
    runs[0].text = _PLACEHOLDER.sub(replace, full)
    for run in runs[1:]:
        run.text = ""


def _table_look(table: Table, *, first_row: bool, first_column: bool) -> None:
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    for attribute in list(look.attrib):
        del look.attrib[attribute]
    look.set(qn("w:firstRow"), "1" if first_row else "0")
    look.set(qn("w:lastRow"), "0")
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:lastColumn"), "0")
    look.set(qn("w:noHBand"), "1")
    look.set(qn("w:noVBand"), "1")
    look.set(
        qn("w:val"), f"{(0x20 if first_row else 0) | (0x80 if first_column else 0) | 0x600:04X}"
    )


def _set_widths(table: Table, widths) -> None:
    """What ``cell.width = width`` for each of each row's cells does, on the cell elements
    themselves: python-docx works out a row's cells (following merges) on every ``row.cells``.
    A cell merged across columns takes the last of their widths here, as it does there; the
    caller then gives it the sum."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(int(width.twips)))
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            cells.extend([tc] * tc.grid_span)
        for tc, width in zip(cells, widths, strict=False):
            tc.width = width


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _keep_with_next(paragraph) -> None:
    """``paragraph_format.keep_with_next = True``; when the paragraph has only its style so
    far, the same XML is added directly (python-docx searches every possible sibling first)."""
    properties = paragraph._p.pPr
    if properties is not None and [child.tag for child in properties] == [qn("w:pStyle")]:
        properties.append(OxmlElement("w:keepNext"))
    else:
        paragraph.paragraph_format.keep_with_next = True


def _keep_row_together(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))
