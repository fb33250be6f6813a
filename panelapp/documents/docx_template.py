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
from typing import Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from panelapp.documents import docx_blocks
from panelapp.documents.docx_blocks import TableLook
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
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._table_style_ids: dict[str, str | None] = {}
        self._clear_body()
        self._body = self.document.element.body
        #: the section properties, before which every block is written (as python-docx does)
        self._end = self._body.find(qn("w:sectPr"))
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

    def _style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """The id of the named style, or None when the template lacks it (see ``style``)."""
        key = (name, kind)
        if key not in self._style_ids:
            style = self.style(name, kind)
            self._style_ids[key] = style.style_id if style is not None else None
        return self._style_ids[key]

    # -- body -------------------------------------------------------------------------------

    def _clear_body(self) -> None:
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    def _place(self, block) -> None:
        """Write a block at the end of the body, before its section properties."""
        if self._end is not None:
            self._end.addprevious(block)
        else:
            self._body.append(block)

    def paragraph(self, text: str = "", style: str = "Normal", *, bold: bool = False):
        p = docx_blocks.new_paragraph(self._style_id(style))
        if text:
            docx_blocks.add_run(p, text, bold or None)
        self._place(p)
        return Paragraph(p, self.document._body)

    def runs(self, parts: Iterable[tuple[str, bool] | Part], style: str = "Normal"):
        """One paragraph of (text, bold) runs, or of parts in character styles."""
        p = docx_blocks.new_paragraph(self._style_id(style))
        self._add_parts(p, parts)
        self._place(p)
        return Paragraph(p, self.document._body)

    def _add_parts(self, p, parts: Iterable[tuple[str, bool] | Part]) -> None:
        for part in parts:
            if isinstance(part, Part):
                character = (
                    self._style_id(part.style, WD_STYLE_TYPE.CHARACTER) if part.style else None
                )
                if character is None:
                    docx_blocks.add_run(p, part.text, part.bold or None)
                else:
                    docx_blocks.add_run(p, part.text, part.bold, character)
            else:
                text, bold = part
                docx_blocks.add_run(p, text, bold or None)

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
        label_width = Cm(4.6)
        widths = (label_width, Emu(self.text_width - label_width))
        tbl = self._table("Facts Table", widths, header=False)
        label_style, text_style = self._style_id("Table Label"), self._style_id("Table Text")
        last = len(cells_of) - 1
        for index, (label, value) in enumerate(cells_of):
            keep = index < last  # a short table of facts stays on one page
            label_cell, value_cell = docx_blocks.new_row(tbl, widths)
            self._fill(label_cell, Cell((label,)), label_style, keep_with_next=keep)
            self._fill(value_cell, value, text_style, keep_with_next=keep)
        self._place(tbl)
        if spacer:
            self._after_table()
        return Table(tbl, self.document._body)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[CellValue] | Span],
        widths_cm: Sequence[float],
    ) -> Table:
        """A table with a heading row (repeated on each page) in the "Panel Table" style.
        A ``Span`` row spans every column and stays on the page of the row above it."""
        widths = self._column_widths(len(headings), [Cm(w) for w in widths_cm])
        tbl = self._table("Panel Table", widths, header=True)
        table = Table(tbl, self.document._body)
        label_style, text_style = self._style_id("Table Label"), self._style_id("Table Text")
        heading_cells = docx_blocks.new_row(tbl, widths, "tblHeader")
        for tc, text in zip(heading_cells, headings, strict=True):
            self._fill(tc, Cell((text,)), label_style)
        for index, values in enumerate(rows):
            tcs = docx_blocks.new_row(tbl, widths)
            if isinstance(values, Span):
                # python-docx's own merge, on a row as it makes one (an empty paragraph a cell)
                for tc in tcs:
                    tc.append(docx_blocks.new_paragraph(None))
                merged = _Cell(tcs[0], table).merge(_Cell(tcs[-1], table))
                merged._tc.remove(merged._tc.p_lst[0])
                self._fill(merged._tc, values.content, text_style)
                if values.indent_cm:
                    for paragraph in merged.paragraphs:
                        paragraph.paragraph_format.left_indent = Cm(values.indent_cm)
                merged.width = Cm(sum(widths_cm))  # as wide as the columns it spans
            else:
                keep = index + 1 < len(rows) and isinstance(rows[index + 1], Span)
                for tc, value in zip(tcs, values, strict=True):
                    self._fill(tc, Cell.of(value), text_style, keep_with_next=keep)
        self._place(tbl)
        self._after_table()
        return table

    def _column_widths(self, cols: int, widths: Sequence[Length]) -> list[Length]:
        """The given widths, and for columns beyond them python-docx's even share."""
        even = Emu(self.text_width // cols) if cols > 0 else Emu(0)
        return [widths[i] if i < len(widths) else even for i in range(cols)]

    def _table(self, style: str, widths: Sequence[Length], *, header: bool):
        """A table's ``<w:tbl>`` in the named table style (else "Table Grid", else none), its
        columns fixed at ``widths``, with no rows yet."""
        table_style = self.style(style, WD_STYLE_TYPE.TABLE)
        if table_style is None:
            table_style = self.style("Table Grid", WD_STYLE_TYPE.TABLE)
        look = TableLook(first_row=header, first_column=not header)
        return docx_blocks.new_table(self._table_style_id(table_style), look, widths)

    def _table_style_id(self, style) -> str | None:
        """What ``table.style = style`` writes, with the style's id looked up once per
        document (python-docx looks for the default table style among all styles on every
        call)."""
        if style is None:
            return None
        if style.style_id not in self._table_style_ids:
            self._table_style_ids[style.style_id] = self.document.part.get_style_id(
                style, WD_STYLE_TYPE.TABLE
            )
        return self._table_style_ids[style.style_id]

    def _fill(
        self, tc, content: Cell, style_id: str | None, *, keep_with_next: bool = False
    ) -> None:
        """Write a cell's paragraphs into ``tc`` (``keep_with_next``: each kept on the page of
        what follows)."""
        if not content.lines:
            tc.append(docx_blocks.new_paragraph(style_id, keep_with_next=keep_with_next))
            return
        for index, line in enumerate(content.lines):
            if isinstance(line, Line):
                chosen = self._style_id(line.style) if line.style else style_id
                p = docx_blocks.new_paragraph(chosen, keep_with_next=keep_with_next)
                self._add_parts(p, line.parts)
            else:
                p = docx_blocks.new_paragraph(style_id, keep_with_next=keep_with_next)
                docx_blocks.add_run(p, line, index == 0 and content.bold_first)
            tc.append(p)

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
        return _save_stable(self.document)


def stable_zip(data: bytes) -> bytes:
    """Rewrite a package with fixed entry times, so equal parts make equal files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(_stable_entry(info.filename), source.read(info.filename))
    return out.getvalue()


def _stable_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


class _StableArchive:
    """The archive python-docx's package writer writes into (``write(pack_uri, blob)`` and
    ``close()``, as its own), with every entry's time and permissions fixed."""

    def __init__(self, out: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        self._zip.writestr(_stable_entry(pack_uri.membername), blob)

    def close(self) -> None:
        self._zip.close()


def _save_stable(document: Document) -> bytes:
    """``stable_zip`` of what ``document.save`` writes, written once: python-docx's own steps
    of saving (content types, package relationships, then each part with its relationships)
    into an archive with fixed entry times, rather than a package compressed, read back and
    compressed again."""
    steps: list[Any] = [getattr(PackageWriter, name, None) for name in _WRITER_STEPS]
    if not all(callable(step) for step in steps):  # a python-docx whose writer is not so made
        saved = io.BytesIO()
        document.save(saved)
        return stable_zip(saved.getvalue())
    write_content_types, write_package_rels, write_parts = steps
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    archive: Any = _StableArchive(out)
    write_content_types(archive, parts)
    write_package_rels(archive, package.rels)
    write_parts(archive, parts)
    archive.close()
    return out.getvalue()


#: python-docx's own saving steps (not public: ``_save_stable`` saves the public way, and
#: compresses twice, where a version of python-docx has them otherwise).
_WRITER_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


# -- helpers --------------------------------------------------------------------------------------


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
