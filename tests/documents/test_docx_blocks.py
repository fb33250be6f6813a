"""The Word writers copy prepared elements instead of calling python-docx for each paragraph,
run and table cell: what they write must be what python-docx's own calls write, element for
element and attribute for attribute, for any text a person types (tabs, line breaks, spaces at
the ends, characters XML cannot hold) and any mix of bold and styles."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from panelapp.documents import docx_blocks
from panelapp.documents.docx_template import Cell, Line, Part, TemplateDocument
from panelapp.resources import read_template

TEMPLATE = read_template("minutes.docx")

#: typed text, with what Word treats apart: tabs, breaks, spaces at the ends, NUL and friends
texts = st.text(
    alphabet=st.sampled_from(list("ab Z\t\n\r\x00\x0b\ufffe&<>é"))
    | st.characters(exclude_categories=("Cs",)),
    max_size=12,
)
bolds = st.sampled_from([None, True, False])


def _xml_safe(text: str) -> str:
    """What a writer shows for characters XML 1.0 cannot hold: U+FFFD."""

    def allowed(c: str) -> bool:
        return c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c > "\uffff"

    return "".join(c if allowed(c) else "\ufffd" for c in text)


def _reference_run(paragraph, text: str, bold: bool | None, style_id: str | None) -> None:
    """python-docx's way: add_run, then the character style and bold."""
    run = paragraph.add_run(_xml_safe(text))
    if style_id is not None:
        run._r.get_or_add_rPr().style = style_id
        if bold:
            run.bold = True
    elif bold is not False:
        run.bold = bold


def _xml(element) -> bytes:
    return etree.tostring(element)


@settings(max_examples=300)
@given(
    runs=st.lists(
        st.tuples(texts, bolds, st.sampled_from([None, "Strong"])), min_size=0, max_size=4
    ),
    style_id=st.sampled_from([None, "TableText"]),
    keep=st.booleans(),
)
def test_a_paragraph_and_its_runs_are_what_python_docx_writes(runs, style_id, keep):
    document = docx.Document(io.BytesIO(TEMPLATE))
    expected = document.add_paragraph()
    if style_id is not None:
        expected._p.style = style_id
    if keep:
        expected.paragraph_format.keep_with_next = True
    for text, bold, character in runs:
        _reference_run(expected, text, bold, character)

    made = docx_blocks.new_paragraph(style_id, keep_with_next=keep)
    for text, bold, character in runs:
        docx_blocks.add_run(made, text, bold, character)
    document.element.body.append(made)  # in the same document, so namespaces read alike

    assert _xml(made) == _xml(expected._p)
    assert [r.text for r in Paragraph(made, None).runs] == [r.text for r in expected.runs]


# -- tables -----------------------------------------------------------------------------------

lines = st.one_of(
    texts,
    st.builds(
        Line,
        st.lists(
            st.builds(Part, texts, st.booleans(), st.sampled_from(["", "Strong", "Nowhere"])),
            max_size=3,
        ).map(tuple),
        st.sampled_from(["", "Small Print", "No Such Style"]),
    ),
)
cells = st.one_of(
    texts,
    st.lists(texts, max_size=3),
    st.builds(Cell, st.lists(lines, max_size=3).map(tuple), st.booleans()),
)


def _style_id(document, name: str) -> str | None:
    try:
        style = document.styles[name]
    except KeyError:
        return None
    return style.style_id


def _reference_fill(document, cell, content: Cell, style: str, keep: bool) -> None:
    """A cell as python-docx writes it: a paragraph a line, in its style, then its runs."""
    if not content.lines:
        paragraphs = [cell.paragraphs[0]]
        if _style_id(document, style):
            paragraphs[0]._p.style = _style_id(document, style)
    else:
        paragraphs = []
        for index, line in enumerate(content.lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            chosen = (line.style or style) if isinstance(line, Line) else style
            if _style_id(document, chosen):
                paragraph._p.style = _style_id(document, chosen)
            if isinstance(line, Line):
                for part in line.parts:
                    character = None
                    if part.style and part.style in {s.name for s in document.styles}:
                        character = document.styles[part.style].style_id
                    bold = part.bold if character else (part.bold or None)
                    _reference_run(paragraph, part.text, bold, character)
            else:
                _reference_run(paragraph, line, index == 0 and content.bold_first, None)
            paragraphs.append(paragraph)
    if keep:
        for paragraph in paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _reference_table(document, style: str, widths, rows: int, header: bool):
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = document.styles[style]
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    for name in list(look.attrib):
        del look.attrib[name]
    for name, value in (
        ("firstRow", "1" if header else "0"),
        ("lastRow", "0"),
        ("firstColumn", "0" if header else "1"),
        ("lastColumn", "0"),
        ("noHBand", "1"),
        ("noVBand", "1"),
        ("val", "0620" if header else "0680"),
    ):
        look.set(qn(f"w:{name}"), value)
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width.twips))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def _row_property(row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(tag))


@settings(max_examples=150)
@given(rows=st.lists(st.tuples(texts, cells), min_size=1, max_size=4))
def test_a_table_of_facts_is_what_python_docx_writes(rows):
    doc = TemplateDocument(TEMPLATE, what="minutes")
    made = doc.facts(rows, spacer=False)

    document = docx.Document(io.BytesIO(TEMPLATE))
    label = Cm(4.6)
    widths = [label, Emu(doc.text_width - label)]
    expected = _reference_table(document, "Facts Table", widths, len(rows), header=False)
    for index, (row, (name, value)) in enumerate(zip(expected.rows, rows, strict=True)):
        keep = index < len(rows) - 1
        _reference_fill(document, row.cells[0], Cell((name,)), "Table Label", keep)
        _reference_fill(document, row.cells[1], Cell.of(value), "Table Text", keep)
        _row_property(row, "w:cantSplit")

    assert made is not None
    assert _xml(made._tbl) == _xml(expected._tbl)
    assert [[c.text for c in r.cells] for r in made.rows] == [
        [c.text for c in r.cells] for r in expected.rows
    ]


@settings(max_examples=100)
@given(
    width=st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.tuples(
            st.lists(texts, min_size=n, max_size=n),
            st.lists(st.lists(cells, min_size=n, max_size=n), max_size=3),
            st.lists(st.floats(min_value=0.5, max_value=9.0), min_size=n, max_size=n),
        )
    )
)
def test_a_grid_is_what_python_docx_writes(width):
    headings, rows, widths_cm = width
    doc = TemplateDocument(TEMPLATE, what="minutes")
    made = doc.grid(headings, rows, widths_cm)

    document = docx.Document(io.BytesIO(TEMPLATE))
    widths = [Cm(w) for w in widths_cm]
    expected = _reference_table(document, "Panel Table", widths, len(rows) + 1, header=True)
    for cell, text in zip(expected.rows[0].cells, headings, strict=True):
        _reference_fill(document, cell, Cell((text,)), "Table Label", False)
    _row_property(expected.rows[0], "w:tblHeader")
    for row, values in zip(expected.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _reference_fill(document, cell, Cell.of(value), "Table Text", False)
        _row_property(row, "w:cantSplit")

    assert _xml(made._tbl) == _xml(expected._tbl)


def test_documents_written_in_background_threads_at_once_are_the_same():
    """The window writes documents in background jobs, sometimes two at once: each thread
    copies from skeletons of its own, and every copy is the document written alone."""
    rows = [("Reference", "ABC-1"), ("Reasons", ["First line", " spaced ", "tab\there"])]

    def write() -> bytes:
        doc = TemplateDocument(TEMPLATE, what="minutes")
        for n in range(40):
            doc.heading(f"Item {n}", 2)
            doc.facts(rows)
            doc.runs([("Bold ", True), ("plain", False)], "Small Print")
        return doc.finish(title="t", subject="s", moment=datetime(2026, 3, 12, 13, 0))

    alone = write()
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _: write(), range(8)))
    assert all(data == alone for data in made)


def test_a_python_docx_without_its_saving_steps_still_saves_the_same_document(monkeypatch):
    """The one-pass save uses python-docx's own (private) saving steps; where a version of
    python-docx has none such, the document is saved the public way, to the same bytes."""
    from panelapp.documents import docx_template

    def written() -> bytes:
        doc = docx_template.TemplateDocument(TEMPLATE, what="minutes")
        doc.paragraph("Item 1: the panel agreed to assess.")
        return doc.finish(title="t", subject="s", moment=datetime(2026, 3, 12, 9, 30, tzinfo=UTC))

    one_pass = written()
    steps = docx_template._WRITER_STEPS
    monkeypatch.setattr(docx_template, "_WRITER_STEPS", (*steps[:-1], "_a_step_since_renamed"))
    assert written() == one_pass
