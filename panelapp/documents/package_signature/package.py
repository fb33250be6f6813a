"""The OPC package: reading a .docx into its parts (refusing anything that is not a plain ZIP
package), its relationships and content types, and writing it back with the signature parts."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from lxml import etree

from panelapp.documents.package_signature.names import (
    CONTENT_TYPES_PART,
    CT_ORIGIN,
    CT_SIGNATURE,
    NS_CONTENT_TYPES,
    NS_RELATIONSHIPS,
    ORIGIN_PART,
    REL_OFFICE_DOCUMENT,
    REL_ORIGIN,
    REL_SIGNATURE,
    ROOT_RELS_PART,
    SIGNATURE_FOLDER,
    SIGNATURE_PART,
    UNSIGNED_PARTS,
    UNSIGNED_RELATIONSHIP_TYPES,
)
from panelapp.documents.signing_errors import SigningError

_MAX_PACKAGE_SIZE = 512 * 1024 * 1024  # uncompressed bytes; minutes are far smaller


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class PackageError(Exception):
    """The bytes are not a usable OPC package; the message is a plain sentence."""


class Package:
    """The parts of a ZIP package, read fully into memory, in their original order."""

    def __init__(self, infos: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> None:
        self.infos = infos
        self.parts = parts
        self._lower = {name.lower(): name for name in parts}
        self.content_types = ContentTypes.parse(parts[CONTENT_TYPES_PART])

    @classmethod
    def read(cls, data: bytes) -> Package:
        not_word = "The file is not a Word document (it is not a ZIP package)."
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("docx must be bytes")
        data = bytes(data)
        _require_nothing_outside_zip(data)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = [info for info in archive.infolist() if not info.is_dir()]
                if sum(info.file_size for info in infos) > _MAX_PACKAGE_SIZE:
                    raise PackageError("The file is too large to be a set of minutes.")
                parts: dict[str, bytes] = {}
                seen: set[str] = set()
                for info in infos:
                    key = info.filename.lower()
                    if key in seen:
                        raise PackageError(
                            f"The file is damaged: the part {info.filename} appears twice."
                        )
                    seen.add(key)
                    parts[info.filename] = archive.read(info)
        except PackageError:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            raise PackageError(not_word) from exc
        if CONTENT_TYPES_PART not in parts or ROOT_RELS_PART not in parts:
            raise PackageError(
                "The file is not a Word document (it has no [Content_Types].xml or _rels/.rels)."
            )
        return cls(infos, parts)

    def find(self, name: str) -> str | None:
        """The stored name of part ``name`` (compared case-insensitively), or None."""
        if name in self.parts:
            return name
        return self._lower.get(name.lower())

    def relationships(self, rels_part: str) -> list[_Relationship]:
        return _parse_relationships(self.parts[rels_part], rels_part)

    def has_signature_folder(self) -> bool:
        return any(name.lower().startswith(SIGNATURE_FOLDER) for name in self.parts)

    def is_signed(self) -> bool:
        if self.has_signature_folder():
            return True
        return any(rel.type == REL_ORIGIN for rel in self.relationships(ROOT_RELS_PART))

    def require_word_document(self) -> None:
        for rel in self.relationships(ROOT_RELS_PART):
            if rel.type in REL_OFFICE_DOCUMENT and rel.target_mode != "External":
                target = self.find(_resolve_target("", rel.target))
                if target is not None and "wordprocessingml" in (
                    self.content_types.lookup(target) or ""
                ):
                    return
        raise SigningError(
            "The file is not a Word document (it has no main Word document part). "
            "Export the minutes again from panelapp and sign that file."
        )

    def unreferenced_signature_parts(self, signature_parts: list[str]) -> list[str]:
        """Parts in the signature folder, or typed as signatures, that the origin does not
        reach: a reader's software might show them, but they sign nothing."""
        reached = {name.lower() for name in signature_parts}
        for name in signature_parts:
            rels = self.find(_rels_part_for(name))
            if rels is not None:
                reached.add(rels.lower())
        for rel in self.relationships(ROOT_RELS_PART):
            if rel.type == REL_ORIGIN and rel.target_mode != "External":
                origin = self.find(_resolve_target("", rel.target))
                if origin is not None:
                    reached.add(origin.lower())
                    origin_rels = self.find(_rels_part_for(origin))
                    if origin_rels is not None:
                        reached.add(origin_rels.lower())
        stray = []
        for name in self.parts:
            typed = self.content_types.lookup(name) in (CT_SIGNATURE, CT_ORIGIN)
            if (name.lower().startswith(SIGNATURE_FOLDER) or typed) and name.lower() not in reached:
                stray.append(name)
        return stray

    def signature_parts(self) -> list[str]:
        """The signature parts reached from the package's digital-signature origin."""
        result: list[str] = []
        for rel in self.relationships(ROOT_RELS_PART):
            if rel.type != REL_ORIGIN or rel.target_mode == "External":
                continue
            origin = self.find(_resolve_target("", rel.target))
            if origin is None:
                continue
            origin_rels = self.find(_rels_part_for(origin))
            if origin_rels is None:
                continue
            folder = origin.rsplit("/", 1)[0] if "/" in origin else ""
            for sig_rel in self.relationships(origin_rels):
                if sig_rel.type != REL_SIGNATURE or sig_rel.target_mode == "External":
                    continue
                part = self.find(_resolve_target(folder, sig_rel.target))
                if part is not None and part not in result:
                    result.append(part)
        return result


_LOCAL_HEADER = b"PK\x03\x04"
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"


def _require_nothing_outside_zip(data: bytes) -> None:
    """Refuse bytes before the first entry or after the end of the ZIP.

    ZIP readers find the archive from its end, so a file can carry anything in front of it
    (another document that a different program would show instead) or behind it: the signature
    would hold for the ZIP while the file is something else. A package from Word, LibreOffice or
    panelapp starts with its first entry and ends with its end record.
    """
    if len(data) < 22:
        raise PackageError("The file is not a Word document (it is not a ZIP package).")
    if not data.startswith(_LOCAL_HEADER):
        raise PackageError(
            "The file has data in front of its Word package, so it is not the file that was "
            "signed (another program could show that data instead). Ask the sender for the "
            "original file."
        )
    end = data.rfind(_END_OF_CENTRAL_DIRECTORY, max(0, len(data) - 22 - 0xFFFF))
    if end < 0:
        raise PackageError("The file is not a Word document (it is not a ZIP package).")
    comment_length = int.from_bytes(data[end + 20 : end + 22], "little")
    if end + 22 + comment_length != len(data):
        raise PackageError(
            "The file has data after the end of its Word package, so it is not the file that "
            "was signed. Ask the sender for the original file."
        )
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    offset = int.from_bytes(data[end + 16 : end + 20], "little")
    zip64 = end >= 20 and data[end - 20 : end - 16] == _ZIP64_LOCATOR
    if not zip64 and offset + size != end:
        raise PackageError(
            "The file has data hidden between the parts of its Word package and their index, so "
            "it is not the file that was signed. Ask the sender for the original file."
        )


@dataclass(frozen=True)
class _Relationship:
    id: str
    type: str
    target: str
    target_mode: str


def parse_xml(data: bytes, what: str) -> etree._Element:
    try:
        root = etree.fromstring(data, parser=PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"The file is damaged: {what} is not well-formed XML.") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise PackageError(
            f"The file is damaged: {what} contains a document type declaration, which a Word "
            "package must not."
        )
    return root


def _parse_relationships(data: bytes, part: str) -> list[_Relationship]:
    root = parse_xml(data, part)
    if root.tag != f"{{{NS_RELATIONSHIPS}}}Relationships":
        raise PackageError(f"The file is damaged: {part} is not a relationships part.")
    result = []
    for element in root.iterchildren(f"{{{NS_RELATIONSHIPS}}}Relationship"):
        result.append(
            _Relationship(
                id=element.get("Id", ""),
                type=element.get("Type", ""),
                target=element.get("Target", ""),
                target_mode=element.get("TargetMode", "Internal"),
            )
        )
    return result


def is_relationships_part(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".rels") and (lower.startswith("_rels/") or "/_rels/" in lower)


def _rels_part_for(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _resolve_target(source_folder: str, target: str) -> str:
    """Resolve a relationship target to a part name (without the leading '/')."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        segments: list[str] = []
        target = target[1:]
    else:
        segments = [s for s in source_folder.split("/") if s]
    for segment in target.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return "/".join(segments)


def should_sign_part(name: str) -> bool:
    lower = name.lower()
    return lower not in UNSIGNED_PARTS and not lower.startswith(SIGNATURE_FOLDER)


def signable_relationship_ids(rels_data: bytes, part: str = "relationships part") -> list[str]:
    return [
        rel.id
        for rel in _parse_relationships(rels_data, part)
        if rel.type not in UNSIGNED_RELATIONSHIP_TYPES
    ]


class ContentTypes:
    def __init__(self, defaults: dict[str, str], overrides: dict[str, str]) -> None:
        self.defaults = defaults
        self.overrides = overrides

    @classmethod
    def parse(cls, data: bytes) -> ContentTypes:
        root = parse_xml(data, CONTENT_TYPES_PART)
        if root.tag != f"{{{NS_CONTENT_TYPES}}}Types":
            raise PackageError(f"The file is damaged: {CONTENT_TYPES_PART} is not valid.")
        defaults = {}
        overrides = {}
        for element in root.iterchildren(f"{{{NS_CONTENT_TYPES}}}Default"):
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        for element in root.iterchildren(f"{{{NS_CONTENT_TYPES}}}Override"):
            overrides[element.get("PartName", "").lower()] = element.get("ContentType", "")
        return cls(defaults, overrides)

    def lookup(self, part: str) -> str | None:
        override = self.overrides.get("/" + part.lower())
        if override is not None:
            return override
        base = part.rsplit("/", 1)[-1]
        if "." not in base:
            return None
        return self.defaults.get(base.rsplit(".", 1)[-1].lower())


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_signature_content_types(data: bytes) -> bytes:
    root = parse_xml(data, CONTENT_TYPES_PART)
    defaults = list(root.iterchildren(f"{{{NS_CONTENT_TYPES}}}Default"))
    sigs_default = next((d for d in defaults if d.get("Extension", "").lower() == "sigs"), None)
    if sigs_default is None:
        element = etree.Element(
            f"{{{NS_CONTENT_TYPES}}}Default", Extension="sigs", ContentType=CT_ORIGIN
        )
        if defaults:
            defaults[-1].addnext(element)
        else:
            root.insert(0, element)
    elif sigs_default.get("ContentType") != CT_ORIGIN:
        etree.SubElement(
            root,
            f"{{{NS_CONTENT_TYPES}}}Override",
            PartName="/" + ORIGIN_PART,
            ContentType=CT_ORIGIN,
        )
    etree.SubElement(
        root,
        f"{{{NS_CONTENT_TYPES}}}Override",
        PartName="/" + SIGNATURE_PART,
        ContentType=CT_SIGNATURE,
    )
    return serialise(root)


def add_origin_relationship(data: bytes) -> bytes:
    root = parse_xml(data, ROOT_RELS_PART)
    used = {element.get("Id") for element in root.iter(f"{{{NS_RELATIONSHIPS}}}Relationship")}
    number = len(used) + 1
    while f"rId{number}" in used:
        number += 1
    etree.SubElement(
        root,
        f"{{{NS_RELATIONSHIPS}}}Relationship",
        Id=f"rId{number}",
        Type=REL_ORIGIN,
        Target=ORIGIN_PART,
    )
    return serialise(root)


def origin_relationships_part() -> bytes:
    root = etree.Element(f"{{{NS_RELATIONSHIPS}}}Relationships", nsmap={None: NS_RELATIONSHIPS})
    etree.SubElement(
        root,
        f"{{{NS_RELATIONSHIPS}}}Relationship",
        Id="rId1",
        Type=REL_SIGNATURE,
        Target=SIGNATURE_PART.rsplit("/", 1)[1],
    )
    return serialise(root)


def write_package(package: Package, parts: Mapping[str, bytes], moment: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        written: set[str] = set()
        for original in package.infos:
            info = zipfile.ZipInfo(original.filename, date_time=original.date_time)
            info.compress_type = (
                original.compress_type
                if original.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                else zipfile.ZIP_DEFLATED
            )
            info.external_attr = original.external_attr
            archive.writestr(info, parts[original.filename])
            written.add(original.filename)
        stamp = max(moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
        for name, data in parts.items():
            if name in written:
                continue
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
