"""The audit anchor inside a signed Word document: a hidden document variable.

When minutes or a decision record are signed, the store's audit chain length and head (and
which store, meeting and version) are written into ``word/settings.xml`` as the document
variable ``panelapp.audit``. ``settings.xml`` is one of the parts the package signature covers,
so the anchor cannot be changed without breaking the signature, and the copy sent to a chief
officer carries it out of the store: ``panelapp check --against`` compares it with the store.
Word keeps document variables hidden; they change nothing a reader sees.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

__all__ = ["ANCHOR_NAME", "embed_anchor", "format_anchor", "parse_anchor", "read_anchor"]

ANCHOR_NAME = "panelapp.audit"
_SETTINGS = "word/settings.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
#: settings that come after w:docVars in CT_Settings (the schema fixes the order)
_AFTER_DOC_VARS = (
    f"{{{_W}}}rsids",
    f"{{{_M}}}mathPr",
    f"{{{_W}}}attachedSchema",
    f"{{{_W}}}themeFontLang",
    f"{{{_W}}}clrSchemeMapping",
    f"{{{_W}}}doNotIncludeSubdocsInStats",
    f"{{{_W}}}doNotAutoCompressPictures",
    f"{{{_W}}}forceUpgrade",
    f"{{{_W}}}captions",
    f"{{{_W}}}readModeInkLockDown",
    f"{{{_W}}}smartTagType",
    f"{{{_W}}}schemaLibrary",
    f"{{{_W}}}shapeDefaults",
    f"{{{_W}}}doNotEmbedSmartTags",
    f"{{{_W}}}decimalSymbol",
    f"{{{_W}}}listSeparator",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def format_anchor(fields: dict[str, object]) -> str:
    return ";".join(f"{key}={value}" for key, value in fields.items())


def parse_anchor(text: str) -> dict[str, str]:
    fields = {}
    for piece in text.split(";"):
        key, sep, value = piece.partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def embed_anchor(docx: bytes, anchor: str) -> bytes:
    """``docx`` with the anchor set as a hidden document variable (before signing)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    settings = etree.fromstring(source.read(_SETTINGS), _PARSER)
    doc_vars = settings.find(f"{{{_W}}}docVars")
    if doc_vars is None:
        doc_vars = etree.Element(f"{{{_W}}}docVars")
        following = next((c for c in settings if c.tag in _AFTER_DOC_VARS), None)
        if following is None:
            settings.append(doc_vars)
        else:
            following.addprevious(doc_vars)
    for old in doc_vars.findall(f"{{{_W}}}docVar"):
        if old.get(f"{{{_W}}}name") == ANCHOR_NAME:
            doc_vars.remove(old)
    var = etree.SubElement(doc_vars, f"{{{_W}}}docVar")
    var.set(f"{{{_W}}}name", ANCHOR_NAME)
    var.set(f"{{{_W}}}val", anchor)
    new_settings = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = new_settings if info.filename == _SETTINGS else source.read(info.filename)
            target.writestr(info, data)
    return out.getvalue()


def read_anchor(docx: bytes) -> str | None:
    """The anchor a document carries, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            settings = etree.fromstring(package.read(_SETTINGS), _PARSER)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError):
        return None
    for var in settings.iterfind(f"{{{_W}}}docVars/{{{_W}}}docVar"):
        if var.get(f"{{{_W}}}name") == ANCHOR_NAME:
            return var.get(f"{{{_W}}}val")
    return None
