"""XML-DSig building blocks: the OPC RelationshipTransform, Canonical XML, digests and lookups
of signed elements by Id."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from lxml import etree

from panelapp.documents.package_signature.names import (
    ALG_C14N,
    ALG_C14N_COMMENTS,
    ALG_EXC_C14N,
    ALG_EXC_C14N_COMMENTS,
    DIGESTS,
    NS_DSIG,
    NS_RELATIONSHIPS,
)
from panelapp.documents.package_signature.package import PARSER, PackageError, parse_xml


def dsig(tag: str) -> str:
    return f"{{{NS_DSIG}}}{tag}"


def relationship_transform(data: bytes, source_ids: Iterable[str]) -> bytes:
    """The OPC RelationshipTransform of a .rels part followed by Canonical XML 1.0.

    Only Relationship elements whose Id is listed are kept, sorted by Id (ordinal comparison),
    with their unprefixed attributes, an explicit ``TargetMode="Internal"`` when it was left to its
    default, and no content, comments or foreign markup.
    """
    wanted = set(source_ids)
    root = parse_xml(data, "a relationships part")
    if root.tag != f"{{{NS_RELATIONSHIPS}}}Relationships":
        raise PackageError("The file is damaged: a relationships part is not valid.")
    kept = [
        element
        for element in root.iterchildren(f"{{{NS_RELATIONSHIPS}}}Relationship")
        if element.get("Id") is not None and element.get("Id") in wanted
    ]
    kept.sort(key=lambda element: element.get("Id").encode("utf-8"))
    output = etree.Element(f"{{{NS_RELATIONSHIPS}}}Relationships", nsmap={None: NS_RELATIONSHIPS})
    for element in kept:
        attributes = {
            name: value
            for name, value in element.attrib.items()
            if not name.startswith("{") or name.startswith("{http://www.w3.org/XML/1998/namespace}")
        }
        attributes.setdefault("TargetMode", "Internal")
        child = etree.SubElement(output, f"{{{NS_RELATIONSHIPS}}}Relationship")
        for name, value in attributes.items():
            child.set(name, value)
    return canonicalise(output, ALG_C14N)


def canonicalise(element: etree._Element, algorithm: str) -> bytes:
    """Canonical XML of ``element`` and its descendants as a document subset.

    The subtree is serialised (lxml writes every namespace declaration in scope on its top
    element) and parsed again, and the fresh document is canonicalised. Canonicalising a
    sub-element of a tree built in memory directly gave spurious ``xmlns=""`` declarations with
    lxml 6 / libxml2 2.14, and so digests that other verifiers did not reproduce.
    """
    standalone = etree.fromstring(etree.tostring(element, with_tail=False), parser=PARSER)
    return etree.tostring(
        standalone,
        method="c14n",
        exclusive=algorithm in (ALG_EXC_C14N, ALG_EXC_C14N_COMMENTS),
        with_comments=algorithm in (ALG_C14N_COMMENTS, ALG_EXC_C14N_COMMENTS),
    )


def element_by_id(root: etree._Element, identifier: str) -> etree._Element:
    matches = root.xpath("//*[@Id=$id]", id=identifier)
    if len(matches) != 1:
        raise PackageError(f"The signature has {len(matches)} elements with the Id {identifier}.")
    return matches[0]


def expected_digest(reference: etree._Element) -> tuple[bytes | None, str | None]:
    digest_name = DIGESTS.get(algorithm_of(reference.find(dsig("DigestMethod"))) or "")
    value = reference.find(dsig("DigestValue"))
    if value is None or not squeeze(value.text):
        return None, digest_name
    try:
        return base64.b64decode(squeeze(value.text), validate=True), digest_name
    except ValueError:
        return None, digest_name


def contains(ancestor: etree._Element, element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def algorithm_of(element: etree._Element | None) -> str | None:
    return None if element is None else element.get("Algorithm")


def squeeze(text: str | None) -> str:
    return "".join((text or "").split())
