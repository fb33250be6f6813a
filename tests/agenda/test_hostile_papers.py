"""Papers with active content are refused, whatever they are called, with the cause and what
to do; plain papers (links, ordinary text) still go in. Each file is made in the test."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from panelapp.cli import main
from panelapp.documents.active_content import CAUSES, ActiveCause
from panelapp.documents.paper_sniffer import PaperKind, PaperRefused, Refusal, sniff
from panelapp.store.tables import Paper
from tests.helpers import hostile_files as hostile
from tests.helpers import paper_files as files

HOSTILE = [
    (
        "open-action.pdf",
        hostile.pdf_javascript_open_action,
        ActiveCause.PDF_JAVASCRIPT,
        "JavaScript",
    ),
    ("names.pdf", hostile.pdf_named_javascript, ActiveCause.PDF_JAVASCRIPT, "JavaScript"),
    ("launch.pdf", hostile.pdf_launch_action, ActiveCause.PDF_LAUNCH, "starts a program"),
    ("submit.pdf", hostile.pdf_submit_form, ActiveCause.PDF_SUBMIT, "sends or fetches data"),
    ("attached.pdf", hostile.pdf_attached_exe, ActiveCause.PDF_ATTACHMENT, "attached files"),
    ("xfa.pdf", hostile.pdf_xfa_form, ActiveCause.PDF_XFA, "XFA"),
    ("ole.docx", hostile.word_with_ole_object, ActiveCause.OFFICE_EMBEDDED, "embedded object"),
    ("pkg.docx", hostile.word_with_embedded_package, ActiveCause.OFFICE_EMBEDDED, "embedded"),
    ("activex.docx", hostile.word_with_activex, ActiveCause.OFFICE_ACTIVEX, "ActiveX"),
    (
        "template.docx",
        hostile.word_with_remote_template,
        ActiveCause.OFFICE_EXTERNAL,
        "remote template",
    ),
    ("image.docx", hostile.word_with_linked_image, ActiveCause.OFFICE_EXTERNAL, "linked pictures"),
    ("dde.docx", hostile.word_with_dde_field, ActiveCause.OFFICE_FIELD, "DDE"),
    ("macros.xlsx", hostile.excel_with_macros, ActiveCause.OFFICE_MACROS, "macro-enabled Excel"),
    ("linked.xlsx", hostile.excel_with_external_link, ActiveCause.OFFICE_EXTERNAL, "outside it"),
    ("report.docx", lambda: hostile.HTML_AS_DOCX, ActiveCause.WEB_PAGE, "web page"),
    ("notes.txt", lambda: hostile.HIDDEN_HTML, ActiveCause.WEB_PAGE, "web page"),
    ("report.hta", lambda: hostile.HTA, ActiveCause.HTA, "HTML application"),
    ("chart.svg", lambda: hostile.SVG, ActiveCause.SVG, "SVG"),
    ("notes.txt", lambda: hostile.VBS, ActiveCause.SCRIPT, "a script"),
    ("notes.txt", lambda: hostile.POWERSHELL, ActiveCause.SCRIPT, "PowerShell"),
    ("notes.txt", lambda: hostile.JSCRIPT, ActiveCause.SCRIPT, "a script"),
    ("notes.txt", lambda: hostile.BATCH_LATE, ActiveCause.SCRIPT, "batch file"),
    ("link.url", lambda: hostile.URL_SHORTCUT, ActiveCause.SHORTCUT, "shortcut"),
    ("utf16.txt", lambda: hostile.VBS.decode().encode("utf-16"), ActiveCause.SCRIPT, "script"),
]


@pytest.mark.parametrize(
    "name, make, cause, says", HOSTILE, ids=[h[0] + "-" + h[2] for h in HOSTILE]
)
def test_active_content_is_refused_with_its_cause_and_what_to_do(name, make, cause, says):
    with pytest.raises(PaperRefused) as caught:
        sniff(make())
    refused = caught.value
    assert refused.cause is cause
    assert refused.reason in (Refusal.ACTIVE_CONTENT, Refusal.MACROS)
    assert says in refused.message
    assert any(w in refused.message for w in ("print it to PDF", "save it as", "Do not open it"))


def test_every_cause_in_the_table_says_what_to_do():
    for cause, entry in CAUSES.items():
        assert entry.what and entry.todo, cause
        assert "PDF" in entry.todo or "Do not open" in entry.todo


@pytest.mark.parametrize(
    "make, kind",
    [
        (hostile.pdf_with_link, PaperKind.PDF),
        (hostile.word_with_hyperlink, PaperKind.DOCX),
        (lambda: hostile.PLAIN_TEXT, PaperKind.TEXT),
        (lambda: "Notes – Café\r\nSecond line\r\n".encode("cp1252"), PaperKind.TEXT),
    ],
)
def test_ordinary_links_and_plain_text_are_still_accepted(make, kind):
    assert sniff(make()).kind is kind


def test_xml_entities_in_a_word_part_are_never_expanded():
    with pytest.raises(PaperRefused) as caught:
        sniff(hostile.word_with_entity_expansion())
    assert caught.value.reason is Refusal.CORRUPT


@pytest.fixture
def meeting_store(demo_command_store):
    return demo_command_store


def _papers(store_path) -> int:
    from panelapp.store.lifecycle import open_store

    store = open_store(store_path)
    try:
        with store.read() as session:
            return session.scalar(select(func.count()).select_from(Paper))
    finally:
        store.close()


def test_papers_add_refuses_each_hostile_file_stores_nothing_and_exits_2(
    meeting_store, tmp_path, capsys
):
    before = _papers(meeting_store)
    paths = []
    for n, (name, make, _, _) in enumerate(HOSTILE):
        path = tmp_path / f"{n:02d}-{name}"
        path.write_bytes(make())
        paths.append(str(path))
    code = main(
        ["--store", str(meeting_store), "papers", "add", "--meeting", "1", "--item", "1", *paths]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.out + captured.err
    for (_, _, _, says), path in zip(HOSTILE, paths, strict=True):
        line = next(x for x in captured.out.splitlines() if path.rsplit("/", 1)[1] in x)
        assert line.startswith("  NO ") and says in line, line
    assert f"0 of {len(HOSTILE)} file(s) stored" in captured.out
    assert _papers(meeting_store) == before


def test_a_plain_paper_and_a_hostile_one_in_one_batch(meeting_store, tmp_path, capsys):
    (tmp_path / "advice.pdf").write_bytes(files.pdf(["Reading age 6."]))
    (tmp_path / "advice2.pdf").write_bytes(hostile.pdf_javascript_open_action())
    code = main(
        ["--store", str(meeting_store), "papers", "add", "--meeting", "1", "--item", "1",
         str(tmp_path / "advice.pdf"), str(tmp_path / "advice2.pdf")]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 2
    assert (
        "  ok  advice.pdf stored" in out
        and "  NO  advice2.pdf is a PDF containing JavaScript" in out
    )
