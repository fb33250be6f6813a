"""Active content: anything inside a paper that could act when a panel member opens it.

Papers go on, byte for byte, into every member's pack, so a file that carries something able
to run, fetch or drop another file is refused, whatever its name says. The causes are listed
once, in ``CAUSES``, with what the officer tells the sender; the checks below read the file's
structure with real parsers (pikepdf for PDF objects, defusedxml for Office package parts,
the standard HTML parser for markup), never patterns over raw bytes.

Pure: parsed structures or text in, a cause (or None) out. Callers turn a cause into a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from xml.etree.ElementTree import Element


class ActiveCause(StrEnum):
    PDF_JAVASCRIPT = "pdf_javascript"
    PDF_LAUNCH = "pdf_launch"
    PDF_SUBMIT = "pdf_submit"
    PDF_ATTACHMENT = "pdf_attachment"
    PDF_XFA = "pdf_xfa"
    OFFICE_MACROS = "office_macros"
    OFFICE_EMBEDDED = "office_embedded"
    OFFICE_ACTIVEX = "office_activex"
    OFFICE_EXTERNAL = "office_external"
    OFFICE_FIELD = "office_field"
    WEB_PAGE = "web_page"
    SVG = "svg"
    HTA = "hta"
    SCRIPT = "script"
    SHORTCUT = "shortcut"


@dataclass(frozen=True)
class Cause:
    what: str
    todo: str


_PRINT_TO_PDF = (
    "Ask the sender to print it to PDF (File, Print, 'Save as PDF' or 'Microsoft Print to "
    "PDF') and send that, or do so yourself on a computer where it is safe to open it."
)
_SAVE_AS = (
    "Ask the sender to save it as a plain Word Document (.docx), Excel Workbook (.xlsx) or "
    "PDF, or to print it to PDF and send that."
)
_DO_NOT_OPEN = (
    "Do not open it. If the paper was meant to be a document, ask the sender to print it to "
    "PDF and send that; if you did not expect it, tell your IT security contact."
)

#: Every cause of refusal, what it is and what to do. The one place these are described.
CAUSES: dict[ActiveCause, Cause] = {
    ActiveCause.PDF_JAVASCRIPT: Cause(
        "is a PDF containing JavaScript, which a PDF reader may run when it is opened",
        _PRINT_TO_PDF,
    ),
    ActiveCause.PDF_LAUNCH: Cause(
        "is a PDF with an action that starts a program or opens another file", _PRINT_TO_PDF
    ),
    ActiveCause.PDF_SUBMIT: Cause(
        "is a PDF with an action that sends or fetches data over the internet", _PRINT_TO_PDF
    ),
    ActiveCause.PDF_ATTACHMENT: Cause(
        "is a PDF carrying embedded or attached files, which are not checked and could be programs",
        _PRINT_TO_PDF + " Attached files must be sent as papers of their own.",
    ),
    ActiveCause.PDF_XFA: Cause(
        "is a PDF with an XFA (dynamic) form, which can run scripts and which many readers "
        "cannot show",
        _PRINT_TO_PDF,
    ),
    ActiveCause.OFFICE_MACROS: Cause(
        "is a macro-enabled {what} file. Macros can run programs, so panelapp does not store them",
        _SAVE_AS,
    ),
    ActiveCause.OFFICE_EMBEDDED: Cause(
        "is {a_what} file with an embedded object (an OLE object, package or file inside it), "
        "which could be a program",
        _PRINT_TO_PDF,
    ),
    ActiveCause.OFFICE_ACTIVEX: Cause(
        "is {a_what} file with ActiveX controls, which run code when it is opened", _SAVE_AS
    ),
    ActiveCause.OFFICE_EXTERNAL: Cause(
        "is {a_what} file that links to something outside it (a remote template, linked "
        "pictures or data), which is fetched when it is opened",
        _PRINT_TO_PDF,
    ),
    ActiveCause.OFFICE_FIELD: Cause(
        "is {a_what} file with a field that runs a program or brings in another file (DDE or "
        "INCLUDE fields)",
        _PRINT_TO_PDF,
    ),
    ActiveCause.WEB_PAGE: Cause(
        "is a web page (HTML or a saved web archive), which can run scripts when it is opened",
        _PRINT_TO_PDF,
    ),
    ActiveCause.SVG: Cause(
        "is an SVG drawing, which can carry scripts. Ask the sender for a PNG or PDF of it",
        _PRINT_TO_PDF,
    ),
    ActiveCause.HTA: Cause("is an HTML application (HTA), which is a program", _DO_NOT_OPEN),
    ActiveCause.SCRIPT: Cause(
        "is a script (for example VBScript, JScript, PowerShell or a batch file), a program "
        "in text form, not a paper",
        _DO_NOT_OPEN,
    ),
    ActiveCause.SHORTCUT: Cause(
        "is a shortcut to a program, folder or website, not a paper", _DO_NOT_OPEN
    ),
}


def describe(cause: ActiveCause, what: str = "Word or Excel") -> str:
    """The refusal message for a cause (without the file's name, which the caller adds)."""
    entry = CAUSES[cause]
    a_what = ("an " if what[:1] in "AEIOU" else "a ") + what
    return f"{entry.what.format(what=what, a_what=a_what)}. {entry.todo}"


# -- PDF -------------------------------------------------------------------------------------

_PDF_ACTIONS = {
    "/JavaScript": ActiveCause.PDF_JAVASCRIPT,
    "/Rendition": ActiveCause.PDF_JAVASCRIPT,  # may carry /JS
    "/Launch": ActiveCause.PDF_LAUNCH,
    "/GoToE": ActiveCause.PDF_ATTACHMENT,
    "/SubmitForm": ActiveCause.PDF_SUBMIT,
    "/ImportData": ActiveCause.PDF_SUBMIT,
}
_PDF_KEYS = {
    "/JS": ActiveCause.PDF_JAVASCRIPT,
    "/JavaScript": ActiveCause.PDF_JAVASCRIPT,  # the document's named scripts
    "/EmbeddedFiles": ActiveCause.PDF_ATTACHMENT,
    "/EF": ActiveCause.PDF_ATTACHMENT,
    "/RichMedia": ActiveCause.PDF_ATTACHMENT,
    "/XFA": ActiveCause.PDF_XFA,
}
_PDF_TYPES = {
    "/EmbeddedFile": ActiveCause.PDF_ATTACHMENT,
    "/FileAttachment": ActiveCause.PDF_ATTACHMENT,
    "/RichMedia": ActiveCause.PDF_ATTACHMENT,
}
_MAX_DEPTH = 64


def pdf_active_content(pdf) -> ActiveCause | None:
    """Walk every object of an open ``pikepdf.Pdf`` (referenced or not, as a reader may use
    either) and its direct sub-objects, looking for actions, scripts, attachments and XFA."""
    import pikepdf

    def look(obj, depth: int) -> ActiveCause | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key, value in obj.items():
                if key in _PDF_KEYS:
                    return _PDF_KEYS[key]
                if key == "/S" and str(value) in _PDF_ACTIONS:
                    return _PDF_ACTIONS[str(value)]
                if key in ("/Type", "/Subtype") and str(value) in _PDF_TYPES:
                    return _PDF_TYPES[str(value)]
                if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not (
                    value.is_indirect
                ):
                    found = look(value, depth + 1)
                    if found:
                        return found
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not (
                    value.is_indirect
                ):
                    found = look(value, depth + 1)
                    if found:
                        return found
        return None

    found = look(pdf.Root, 0) or look(pdf.trailer, 0)
    if found:
        return found
    for obj in pdf.objects:
        found = look(obj, 0)
        if found:
            return found
    return None


# -- Office packages -------------------------------------------------------------------------

_REL_CAUSES = {
    "vbaproject": ActiveCause.OFFICE_MACROS,
    "wordvbadata": ActiveCause.OFFICE_MACROS,
    "keymapcustomizations": ActiveCause.OFFICE_MACROS,
    "oleobject": ActiveCause.OFFICE_EMBEDDED,
    "package": ActiveCause.OFFICE_EMBEDDED,
    "control": ActiveCause.OFFICE_ACTIVEX,
    "activexcontrol": ActiveCause.OFFICE_ACTIVEX,
    "activexcontrolbinary": ActiveCause.OFFICE_ACTIVEX,
    "externallink": ActiveCause.OFFICE_EXTERNAL,
    "externallinkpath": ActiveCause.OFFICE_EXTERNAL,
    "connections": ActiveCause.OFFICE_EXTERNAL,
    "querytable": ActiveCause.OFFICE_EXTERNAL,
    "attachedtemplate": ActiveCause.OFFICE_EXTERNAL,
    "subdocument": ActiveCause.OFFICE_EXTERNAL,
    "frame": ActiveCause.OFFICE_EXTERNAL,
}
#: Ends of content types (lower case) that mark active parts.
_TYPE_CAUSES = (
    ("macroenabled", ActiveCause.OFFICE_MACROS),
    ("vbaproject", ActiveCause.OFFICE_MACROS),
    ("vbadata", ActiveCause.OFFICE_MACROS),
    ("oleobject", ActiveCause.OFFICE_EMBEDDED),
    ("activex", ActiveCause.OFFICE_ACTIVEX),
)
_PART_CAUSES = (
    ("vbaproject.bin", ActiveCause.OFFICE_MACROS),
    ("vbadata.xml", ActiveCause.OFFICE_MACROS),
    ("/activex/", ActiveCause.OFFICE_ACTIVEX),
    ("/embeddings/", ActiveCause.OFFICE_EMBEDDED),
)
#: Relationship types that may point outside the file: a clickable link opens nothing by itself.
_EXTERNAL_ALLOWED = {"hyperlink"}
_CHART_DATA = re.compile(r"(^|/)charts/_rels/[^/]+\.rels$")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def office_active_content(parts: Mapping[str, Element | None]) -> ActiveCause | None:
    """Check an Office package from its part names and its parsed ``[Content_Types].xml`` and
    relationship parts (``parts`` maps every part name to its parsed XML root, or to None for
    parts that were not parsed)."""
    allowed_embeddings: set[str] = set()
    for name, root in parts.items():
        if root is None or not name.endswith(".rels"):
            continue
        for rel in root:
            if _local(rel.tag) != "Relationship":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1].lower()
            external = rel.get("TargetMode", "").lower() == "external"
            if kind == "package" and _CHART_DATA.search(name) and not external:
                # A chart keeps its numbers in a workbook inside the file (checked below).
                target = rel.get("Target", "")
                if target.lower().endswith(".xlsx"):
                    allowed_embeddings.add(target.rsplit("/", 1)[-1].lower())
                    continue
            if kind in _REL_CAUSES:
                return _REL_CAUSES[kind]
            if external and kind not in _EXTERNAL_ALLOWED:
                return ActiveCause.OFFICE_EXTERNAL
    types = parts.get("[Content_Types].xml")
    if types is not None:
        for entry in types:
            content_type = entry.get("ContentType", "").lower()
            for end, cause in _TYPE_CAUSES:
                if end in content_type:
                    return cause
    for name in parts:
        lowered = "/" + name.lower()
        for fragment, cause in _PART_CAUSES:
            if fragment in lowered:
                if cause is ActiveCause.OFFICE_EMBEDDED and _chart_workbook(
                    lowered, allowed_embeddings
                ):
                    continue
                return cause
    return None


def _chart_workbook(lowered: str, allowed: set[str]) -> bool:
    return lowered.rsplit("/", 1)[-1] in allowed and lowered.endswith(".xlsx")


#: Field codes that run programs or pull in other files when a document is opened or updated.
_ACTIVE_FIELDS = {"dde", "ddeauto", "includetext", "includepicture", "import", "link"}


def word_field_active_content(root) -> ActiveCause | None:
    """Field instructions in a parsed Word part (``w:instrText`` runs and ``w:fldSimple``)."""
    instructions: list[str] = []
    for node in root.iter():
        tag = _local(node.tag)
        if tag == "instrText" and node.text:
            instructions.append(node.text)
        elif tag == "fldSimple":
            for key, value in node.attrib.items():
                if _local(key) == "instr":
                    instructions.append(value)
    for text in instructions:
        words = text.strip().split(None, 1)
        if words and words[0].lower() in _ACTIVE_FIELDS:
            return ActiveCause.OFFICE_FIELD
    return None


# -- text files ------------------------------------------------------------------------------

_HTML_TAGS = {
    "html", "head", "body", "script", "iframe", "frame", "frameset", "object", "embed",
    "applet", "form", "meta", "link", "base", "style", "noscript", "template", "xml",
}  # fmt: skip
_HTA_TAGS = {"hta:application", "job", "scriptlet", "component", "package", "registration"}
_SVG_TAGS = {"svg", "foreignobject"}


class _MarkupFinder(HTMLParser):
    """Finds the first sign that a 'text' file is really markup a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.cause: ActiveCause | None = None

    def _found(self, cause: ActiveCause) -> None:
        if self.cause is None or cause is ActiveCause.HTA:
            self.cause = cause

    def handle_starttag(self, tag, attrs) -> None:
        local = tag.rsplit(":", 1)[-1]
        if tag in _HTA_TAGS:
            self._found(ActiveCause.HTA)
        elif local in _SVG_TAGS:
            self._found(ActiveCause.SVG)
        elif tag in _HTML_TAGS or local in _HTML_TAGS:
            self._found(ActiveCause.WEB_PAGE)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(
                ("javascript:", "vbscript:")
            ):
                self._found(ActiveCause.WEB_PAGE)

    handle_startendtag = handle_starttag

    def handle_decl(self, decl) -> None:
        if decl.lower().replace(" ", "").startswith("doctypehtml"):
            self._found(ActiveCause.WEB_PAGE)
        elif "svg" in decl.lower():
            self._found(ActiveCause.SVG)

    def handle_pi(self, data) -> None:
        if data.lower().startswith("xml-stylesheet"):
            self._found(ActiveCause.WEB_PAGE)


#: Markers that appear in scripts and shortcut files and not in a written report.
_SCRIPT_MARKERS = re.compile(
    r"wscript\.|cscript|createobject\s*\(|activexobject|getobject\s*\(|shell\.application"
    r"|invoke-expression|\biex\s*[\(\$]|invoke-webrequest|downloadstring\s*\(|downloadfile\s*\("
    r"|frombase64string|-encodedcommand|\bstart-process\b|net\.webclient|new-object\s+\S"
    r"|\bmshta\b|\brundll32\b|\bregsvr32\b|\bcertutil\b|\bpowershell(\.exe)?\s+-"
    r"|\bcmd(\.exe)?\s+/[ck]\b|^\s*@?echo\s+off\b|^\s*on\s+error\s+resume\s+next\b",
    re.IGNORECASE | re.MULTILINE,
)
_SHORTCUT_MARKERS = re.compile(
    r"^\s*\[(internetshortcut|desktop entry|shell|\.shellclassinfo)\]\s*$"
    r"|^\s*(windows registry editor version|regedit4)\b",
    re.IGNORECASE | re.MULTILINE,
)
#: Lines that are statements of a programming language rather than sentences.
_CODE_LINE = re.compile(
    r"^\s*(?:(?:dim|var|let|const|set|global|local)\s+\$?\w+\s*(?:=|,|$|as\b)"
    r"|(?:sub|function|def)\s+\w+\s*\("
    r"|end\s+(?:sub|function|if|select|with)\s*$"
    r"|(?:next(?:\s+[a-z]\w?)?|wend|loop)\s*$"
    r"|if\b.*\bthen\s*$"
    r"|\$\w+\s*=|param\s*\("
    r"|.*[;{}]\s*$"
    r"|\w[\w.]*\s*\(.*\)\s*$)",
    re.IGNORECASE,
)


def text_active_content(text: str) -> ActiveCause | None:
    """Markup, scripts and shortcuts among files that decode as plain text."""
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    if head.startswith(("mime-version:", "content-type: multipart/related")):
        return ActiveCause.WEB_PAGE  # a saved web archive (.mht)
    if _SHORTCUT_MARKERS.search(text):
        return ActiveCause.SHORTCUT
    if "<" in text:
        finder = _MarkupFinder()
        try:
            finder.feed(text)
            finder.close()
        except (AssertionError, ValueError):  # unparseable markup is still markup
            return ActiveCause.WEB_PAGE
        if finder.cause:
            return finder.cause
    if _SCRIPT_MARKERS.search(text):
        return ActiveCause.SCRIPT
    lines = [line for line in text.splitlines()[:2000] if line.strip()]
    if len(lines) >= 3:
        code = sum(1 for line in lines if _CODE_LINE.match(line))
        if code * 2 > len(lines):
            return ActiveCause.SCRIPT
    return None
