"""Reading the minutes back: the body's text with python-docx, header and footer text, and a
check for any demonstration child's name. (A module of its own: ``conftest`` is not a unique
module name across tests/.)"""

from __future__ import annotations

import io
import re
import zipfile

#: every child of the demonstration meeting: (first name, last name)
DEMO_CHILDREN = (
    ("Oliver", "Grant"),
    ("Amelia", "Hughes"),
    ("Noah", "Patel"),
    ("Isla", "Thompson"),
    ("Leo", "Murphy"),
    ("Freya", "Wilson"),
    ("Harry", "Clarke"),
    ("Grace", "Evans"),
    ("Jacob", "Ward"),
    ("Ella", "Roberts"),
    ("Mason", "Hall"),
    ("Sophie", "Turner"),
)


def docx_text(data: bytes) -> str:
    """Every paragraph of the body, tables included, one per line (python-docx reads it back)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            paragraphs = [
                                "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                for p in cell.iterchildren()
                                if p.tag.endswith("}p")
                            ]
                            cells.append(" / ".join(paragraphs))
                    lines.append(" | ".join(cells))
    return "\n".join(lines)


def part_text(data: bytes, prefix: str) -> str:
    """The text of every package part whose name starts with ``prefix`` (headers, footers)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        texts = [
            b" ".join(re.findall(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>", archive.read(name))).decode()
            for name in sorted(archive.namelist())
            if name.startswith(prefix)
        ]
    return "\n".join(texts)


def names_found(text: str) -> list[str]:
    """Any demonstration child's first name, or full name, found as a word in ``text``."""
    found = []
    for first, last in DEMO_CHILDREN:
        for name in (first, f"{first} {last}"):
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                found.append(name)
    return found
