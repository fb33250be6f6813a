"""What a paper is, decided from its bytes, and what must never enter the store.

Papers arrive by email from schools, psychologists and health services; a file called
``EP advice.pdf`` may be anything. The type is read from the content only, and anything that
is not a well-formed PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or plain-text file is refused
with a message that says why and what to do. Office files are ZIP containers, so they are
checked as archives before any XML parser sees them: a bounded total size and compression ratio
(zip bombs), CRC of every part (damaged downloads), and no macros.

Pure: bytes in, a verdict out. No database, no files, no logging of content. The refusal
messages never quote the file's name or content; the caller puts the name in front.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from xml.etree.ElementTree import Element

from panelapp.documents.active_content import (
    ActiveCause,
    describe,
    office_active_content,
    pdf_active_content,
    text_active_content,
    word_field_active_content,
)
from panelapp.domain.errors import PanelappError

logger = logging.getLogger(__name__)

MEGABYTE = 1024 * 1024
#: Default size limit for one paper; commands take --max-size-mb to change it.
DEFAULT_MAX_PAPER_BYTES = 50 * MEGABYTE

#: Office containers: limits on what their parts may unpack to.
MAX_UNPACKED_BYTES = 256 * MEGABYTE
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 2 * MEGABYTE  # tiny files may legitimately compress very well
MAX_ZIP_ENTRIES = 10_000
_CHUNK = 256 * 1024

_ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), PNG or JPEG images, or plain text"


class PaperKind(StrEnum):
    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    PNG = "image/png"
    JPEG = "image/jpeg"
    TEXT = "text/plain"

    @property
    def media_type(self) -> str:
        return self.value

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def from_media_type(cls, media_type: str) -> PaperKind | None:
        try:
            return cls(media_type.split(";")[0].strip())
        except ValueError:
            return None


_EXTENSIONS = {
    PaperKind.PDF: ".pdf",
    PaperKind.DOCX: ".docx",
    PaperKind.XLSX: ".xlsx",
    PaperKind.PNG: ".png",
    PaperKind.JPEG: ".jpg",
    PaperKind.TEXT: ".txt",
}
_LABELS = {
    PaperKind.PDF: "PDF",
    PaperKind.DOCX: "Word",
    PaperKind.XLSX: "Excel",
    PaperKind.PNG: "PNG image",
    PaperKind.JPEG: "JPEG image",
    PaperKind.TEXT: "text",
}


class Refusal(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    EXECUTABLE = "executable"
    UNKNOWN = "unknown"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    ZIP_BOMB = "zip_bomb"
    MACROS = "macros"
    OLD_OFFICE = "old_office"
    ACTIVE_CONTENT = "active_content"
    LIMIT = "limit"


class PaperRefused(PanelappError):
    """A file that is not stored; the message says why and what to do (without its name).
    ``cause`` names the active content found, for ``Refusal.ACTIVE_CONTENT`` and MACROS."""

    def __init__(self, reason: Refusal, message: str, cause: ActiveCause | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.cause = cause
        self.args = (reason, message, cause)


@dataclass(frozen=True)
class Sniffed:
    kind: PaperKind
    pages: int | None = None


def _refuse(reason: Refusal, message: str) -> PaperRefused:
    return PaperRefused(reason, message)


def _active(cause: ActiveCause, what: str = "Word or Excel") -> PaperRefused:
    reason = Refusal.MACROS if cause is ActiveCause.OFFICE_MACROS else Refusal.ACTIVE_CONTENT
    return PaperRefused(reason, describe(cause, what), cause)


def _mb(n: int) -> str:
    if n < MEGABYTE:
        return f"{max(1, n // 1024)} KB"
    return f"{n / MEGABYTE:.1f} MB" if n < 10 * MEGABYTE else f"{n / MEGABYTE:.0f} MB"


def check_size(size: int, max_bytes: int = DEFAULT_MAX_PAPER_BYTES) -> None:
    """Refuse empty and oversized files before anything reads them."""
    if size == 0:
        raise _refuse(
            Refusal.EMPTY,
            "is empty (0 bytes). Check you chose the right file, or ask the sender for it again.",
        )
    if size > max_bytes:
        raise _refuse(
            Refusal.TOO_LARGE,
            f"is {_mb(size)}, over the {_mb(max_bytes)} limit for one paper. Ask the sender "
            "for a smaller copy (for example scanned at a lower resolution) or split it into "
            "parts; the limit can be raised with --max-size-mb.",
        )


def sniff(data: bytes, *, max_bytes: int = DEFAULT_MAX_PAPER_BYTES) -> Sniffed:
    """Decide what ``data`` is, or raise PaperRefused saying why it is not accepted."""
    check_size(len(data), max_bytes)
    head = data[:16]
    if _is_executable(data):
        raise _refuse(
            Refusal.EXECUTABLE,
            f"is a program or script, not a paper. Papers must be {_ACCEPTED}. Do not open it; "
            "if you did not expect it, tell your IT security contact.",
        )
    start = data[:1024].find(b"%PDF-")
    if start >= 0:
        if (
            start
            and decode_text(data[:start])
            and text_active_content(decode_text(data[:start]) or "")
        ):
            raise _active(ActiveCause.WEB_PAGE)  # a web page dressed up as a PDF
        return Sniffed(PaperKind.PDF, pages=_check_pdf(data))
    if head.startswith(b"PK\x03\x04"):
        return Sniffed(_check_office(data))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _old_office(data)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(data)
        return Sniffed(PaperKind.PNG)
    if head.startswith(b"\xff\xd8\xff"):
        _check_jpeg(data)
        return Sniffed(PaperKind.JPEG)
    if head.startswith(b"{\\rtf"):
        raise _refuse(
            Refusal.UNKNOWN,
            "is a Rich Text (.rtf) file. Open it in Word and save it as .docx or PDF, then add it again.",
        )
    text = decode_text(data)
    if text is not None:
        cause = text_active_content(text)
        if cause is not None:
            raise _active(cause)
        return Sniffed(PaperKind.TEXT)
    raise _refuse(
        Refusal.UNKNOWN,
        f"is not a kind of file panelapp accepts ({_ACCEPTED}). Save or export it as PDF and "
        "add it again.",
    )


# -- executables ---------------------------------------------------------------------------

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux programs
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # macOS programs
    b"\xca\xfe\xba\xbe",  # macOS universal programs, Java classes
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
    b"dex\n",  # Android
    b"L\x00\x00\x00\x01\x14\x02\x00",  # Windows shortcuts
)
_SCRIPT_START = re.compile(
    rb"^\s*(@echo\s+off|<\?php|<script\b|<job\b|<hta:application\b|powershell(\.exe)?\s)",
    re.IGNORECASE,
)


def _is_executable(data: bytes) -> bool:
    return data.startswith(_EXECUTABLE_MAGIC) or bool(_SCRIPT_START.match(data[:256]))


# -- PDF ------------------------------------------------------------------------------------

_CORRUPT_PDF = (
    "is a damaged or incomplete PDF (it may have been cut short while downloading or "
    "copying). Download it or ask the sender for it again."
)


def _check_pdf(data: bytes) -> int:
    """Open the PDF with pikepdf (qpdf); refuse encryption, damage and active content; return
    the page count."""
    import pikepdf

    if b"%%EOF" not in data[-2048:]:
        raise _refuse(Refusal.CORRUPT, _CORRUPT_PDF)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pikepdf.open(io.BytesIO(data)) as pdf:
                if pdf.is_encrypted:
                    raise _encrypted_pdf()
                pages = len(pdf.pages)
                cause = pdf_active_content(pdf)
                if _lost_parts(pdf.get_warnings()):
                    raise _refuse(Refusal.CORRUPT, _CORRUPT_PDF)
    except pikepdf.PasswordError:
        raise _encrypted_pdf() from None
    except PaperRefused:
        raise
    except (
        pikepdf.PdfError,
        pikepdf.ForeignObjectError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        RuntimeError,
        NotImplementedError,
    ):
        raise _refuse(Refusal.CORRUPT, _CORRUPT_PDF) from None
    if pages < 1:
        raise _refuse(Refusal.CORRUPT, _CORRUPT_PDF)
    if cause is not None:
        raise _active(cause)
    return pages


#: What qpdf says when it could not rebuild part of a file: the file is cut short or damaged,
#: not merely written with a slightly wrong index (which it repairs silently).
_PDF_LOSS = ("unable to", "can't find startxref", "treating stream as empty", "expected endstream")


def _lost_parts(warnings_seen: list[str]) -> bool:
    return any(sign in w for w in warnings_seen for sign in _PDF_LOSS)


def _encrypted_pdf() -> PaperRefused:
    return _refuse(
        Refusal.ENCRYPTED,
        "is an encrypted or password-protected PDF, so the panel could not read it "
        "without the password and its text cannot be searched. Ask the sender for a "
        "copy without a password, or open it and print it to a new PDF, then add that.",
    )


# -- Office containers ---------------------------------------------------------------------

_WORD_MAIN = "wordprocessingml.document.main+xml"
_EXCEL_MAIN = "spreadsheetml.sheet.main+xml"
#: An XML part this large is far beyond any real document (a 500-page report's text is about
#: 20 MB); parsing it would take seconds and gigabytes.
MAX_XML_PART_BYTES = 64 * MEGABYTE


def _damaged(what: str) -> PaperRefused:
    return _refuse(
        Refusal.CORRUPT,
        f"is a damaged or incomplete {what} file (it may have been cut short while downloading "
        "or copying). Download it or ask the sender for it again.",
    )


def parse_part(data: bytes) -> Element:
    """An XML part parsed safely: no DTD, no entities, no network (defusedxml)."""
    from defusedxml.ElementTree import fromstring

    return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)


def _is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels")) or name == "[Content_Types].xml"


def check_zip_container(data: bytes, what: str = "Word or Excel") -> dict[str, bytes]:
    """Check an Office (ZIP) container before anything parses it, and return the small parts
    needed to identify it (``[Content_Types].xml`` and the relationship parts). Every part is
    decompressed once, within a fixed budget, so a lying header or a damaged part is found
    here; then its relationships and content types are checked for active content."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _damaged(what) from None
    if what == "Word or Excel":
        what = _which_from_archive(archive, infos) or what
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _zip_bomb(what, f"{len(infos)} parts")
    declared = sum(i.file_size for i in infos)
    compressed = max(1, sum(i.compress_size for i in infos))
    if declared > MAX_UNPACKED_BYTES:
        raise _zip_bomb(what, f"{_mb(declared)} once unpacked")
    if declared > RATIO_CHECK_FROM_BYTES and declared / compressed > MAX_COMPRESSION_RATIO:
        raise _zip_bomb(what, f"{declared // compressed} times its packed size")
    for info in infos:
        if _is_xml_part(info.filename) and info.file_size > MAX_XML_PART_BYTES:
            raise _zip_bomb(what, f"one part of {_mb(info.file_size)}")
    kept: dict[str, bytes] = {}
    budget = MAX_UNPACKED_BYTES
    try:
        for info in infos:
            if info.flag_bits & 0x1:
                raise _refuse(
                    Refusal.ENCRYPTED,
                    f"is a password-protected {what} file. Ask the sender for a copy without "
                    "a password, or save it as PDF without one.",
                )
            wanted = info.filename == "[Content_Types].xml" or info.filename.endswith(".rels")
            chunks = []
            size = 0
            with archive.open(info) as part:
                while block := part.read(_CHUNK):
                    budget -= len(block)
                    size += len(block)
                    if budget < 0:
                        raise _zip_bomb(what, "more data than its parts declare")
                    if _is_xml_part(info.filename) and size > MAX_XML_PART_BYTES:
                        raise _zip_bomb(what, "more data than its parts declare")
                    if wanted:
                        chunks.append(block)
            if wanted:
                kept[info.filename] = b"".join(chunks)
    except PaperRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise _damaged(what) from None
    if "[Content_Types].xml" not in kept:
        raise _refuse(
            Refusal.UNKNOWN,
            f"is a ZIP archive, not a Word or Excel file. Papers must be {_ACCEPTED}; add the "
            "files inside it one by one.",
        )
    parsed: dict[str, Element | None] = {info.filename: None for info in infos}
    try:
        for name, body in kept.items():
            parsed[name] = parse_part(body)
    except MemoryError:
        raise
    except Exception:  # malformed XML, or a DTD/entities no Office file has
        raise _damaged(what) from None
    if what == "Word or Excel":
        what = _which_office(parsed["[Content_Types].xml"]) or what
    cause = office_active_content(parsed)
    if cause is not None:
        raise _active(cause, what)
    return kept


def _which_from_archive(archive: zipfile.ZipFile, infos) -> str | None:
    """Word or Excel, from a small ``[Content_Types].xml``, so that even a refusal before
    anything else is unpacked names the right program."""
    info = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    if info is None or info.file_size > 1 * MEGABYTE:
        return None
    try:
        return _which_office(parse_part(archive.read(info)))
    except MemoryError:
        raise
    except Exception:  # damaged: found again, and named, by the full check
        return None


def _which_office(content_types) -> str | None:
    kinds = " ".join(e.get("ContentType", "") for e in content_types).lower()
    if "spreadsheetml" in kinds or "ms-excel" in kinds:
        return "Excel"
    if "wordprocessingml" in kinds or "ms-word" in kinds:
        return "Word"
    return None


def _zip_bomb(what: str, how_big: str) -> PaperRefused:
    again = ".xlsx or CSV" if what == "Excel" else ".docx or PDF"
    article = "an" if what.startswith("E") else "a"
    return _refuse(
        Refusal.ZIP_BOMB,
        f"is {article} {what} file that would unpack to {how_big}, far more than any real document; "
        "this is how 'zip bomb' attacks work, so it was not opened. Ask the sender to save it "
        f"again as {again}, and tell your IT security contact if you did not expect it.",
    )


def _check_office(data: bytes) -> PaperKind:
    content_types = check_zip_container(data)["[Content_Types].xml"]
    kinds = [e.get("ContentType", "") for e in parse_part(content_types)]
    if any(k.endswith(_WORD_MAIN) for k in kinds):
        try:
            parts = word_parts(data, content_types)
        except MemoryError:
            raise
        except Exception:  # any failure to read or parse the text parts is damage
            raise _damaged("Word") from None
        if not parts or parts[0][0] != 0:
            raise _damaged("Word")
        for _, root in parts:
            cause = word_field_active_content(root)
            if cause is not None:
                raise _active(cause, "Word")
        return PaperKind.DOCX
    if any(k.endswith(_EXCEL_MAIN) for k in kinds):
        _check_xlsx(data)
        return PaperKind.XLSX
    if any("presentationml" in k for k in kinds):
        hint = "a PowerPoint presentation. Save it as PDF"
    else:
        hint = "an Office file of a kind panelapp does not accept. Save it as .docx or PDF"
    raise _refuse(Refusal.UNKNOWN, f"is {hint}, then add it again.")


#: Parts of a Word file that hold its words, by the end of their content type.
WORD_TEXT_PARTS = (
    "document.main+xml",
    "header+xml",
    "footer+xml",
    "footnotes+xml",
    "endnotes+xml",
)


def word_parts(data: bytes, content_types: bytes) -> list[tuple[int, Element]]:
    """(rank, parsed XML) of a Word file's main document part (rank 0), then its headers,
    footers and notes, found through ``[Content_Types].xml``. Only these parts are parsed,
    with defusedxml (no DTD, no entities, no network); the container has been checked by
    ``check_zip_container`` first, so their size is bounded."""
    ranked = []
    for override in parse_part(content_types):
        kind = override.get("ContentType", "")
        if override.tag.endswith("Override") and kind.endswith(WORD_TEXT_PARTS):
            rank = next(i for i, end in enumerate(WORD_TEXT_PARTS) if kind.endswith(end))
            ranked.append((rank, override.get("PartName", "").lstrip("/")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(rank, parse_part(archive.read(name))) for rank, name in sorted(ranked) if name]


def _check_xlsx(data: bytes) -> None:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            book.close()
    except MemoryError:
        raise
    except Exception:  # openpyxl raises many kinds on damaged parts
        raise _damaged("Excel") from None


# -- old Office (compound files) -----------------------------------------------------------


def _old_office(data: bytes) -> PaperRefused:
    if "EncryptedPackage".encode("utf-16-le") in data:  # the name of its directory entry
        return _refuse(
            Refusal.ENCRYPTED,
            "is a password-protected Word or Excel file. Ask the sender for a copy without a "
            "password, or save it as PDF without one.",
        )
    return _refuse(
        Refusal.OLD_OFFICE,
        "is in an older Office format (.doc or .xls, which can carry macros). Open it, save it "
        "as Word Document (.docx), Excel Workbook (.xlsx) or PDF, and add that.",
    )


# -- images --------------------------------------------------------------------------------

_DAMAGED_IMAGE = (
    "is a damaged or incomplete {what} image (it may have been cut short while downloading). "
    "Ask the sender for it again."
)


def _check_png(data: bytes) -> None:
    """Walk the chunks, checking each CRC: a cut-short or altered PNG is refused."""
    pos, first, ended = 8, True, False
    try:
        while pos + 12 <= len(data):
            length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
            body_end = pos + 8 + length
            if body_end + 4 > len(data):
                break
            crc = struct.unpack(">I", data[body_end : body_end + 4])[0]
            if zlib.crc32(data[pos + 4 : body_end]) & 0xFFFFFFFF != crc:
                break
            if first and ctype != b"IHDR":
                break
            first = False
            pos = body_end + 4
            if ctype == b"IEND":
                ended = True
                break
    except struct.error:
        ended = False
    if not ended:
        raise _refuse(Refusal.CORRUPT, _DAMAGED_IMAGE.format(what="PNG"))


def _check_jpeg(data: bytes) -> None:
    """A JPEG ends with the end-of-image marker (cameras may add a little after it)."""
    if b"\xff\xd9" not in data[-65536:] or len(data) < 128:
        raise _refuse(Refusal.CORRUPT, _DAMAGED_IMAGE.format(what="JPEG"))


# -- plain text ----------------------------------------------------------------------------

_ALLOWED_CONTROLS = set("\t\n\r\f")


def decode_text(data: bytes) -> str | None:
    """The text of a plain-text file (UTF-8, UTF-16 with a byte-order mark, or Windows-1252),
    or None when the bytes are not readable text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    elif b"\x00" in data:
        return None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                return None
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    if controls > max(2, len(sample) // 1000):
        return None
    return text
