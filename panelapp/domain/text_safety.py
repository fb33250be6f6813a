"""Characters that must not come into the store from a file: controls and direction overrides.

A right-to-left override (U+202E) makes ``exe.fdp`` read as ``pdf.exe``; an escape character
(ESC) echoed to a terminal can rewrite what the officer sees. Neither belongs in a name, a
reference or any other field of a case, so such text is refused, never cleaned silently.
"""

from __future__ import annotations

import unicodedata

#: Explicit direction embeddings, overrides and isolates, and the invisible direction marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
#: Whitespace controls that a spreadsheet cell may legitimately hold (they read as spaces).
_SPACING = frozenset("\t\n\r")


def unsafe_character(text: str) -> str | None:
    """A description of the first character that must not be stored (``U+202E``), or None."""
    for ch in text:
        if ch in _SPACING:
            continue
        category = unicodedata.category(ch)
        if ch in BIDI_CONTROLS or category in ("Cc", "Cs", "Co") or ch == "\ufeff":
            return f"U+{ord(ch):04X}"
    return None


def printable(text: str) -> str:
    """``text`` for a terminal line: controls and direction characters shown as ``U+XXXX``."""
    return "".join(
        f"<U+{ord(ch):04X}>"
        if ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Co")
        else ch
        for ch in text
    )
