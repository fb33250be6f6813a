"""Keeping a child's name out of paper titles where the reader asked not to see it (R18).

Paper titles come from file names, and officers often save a file as "Oliver Grant - EP
advice.pdf". An agenda made "by initials" or "by reference" would name the child through the
titles of its papers; this masks the child's first and last name in such text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from panelapp.domain.naming import initials
from panelapp.domain.vocabulary import NamingMode


def mask_child_name(
    text: str, first_name: str, last_name: str, reference: str, mode: NamingMode
) -> str:
    """``text`` with the child's names replaced: by initials (``OG``) or by the reference."""
    mode = NamingMode(mode)
    if mode is NamingMode.FULL or not text:
        return text
    stand_in = initials(first_name, last_name) if mode is NamingMode.INITIALS else reference
    names = [n for n in (first_name.split() + last_name.split()) if len(n) > 1]
    if not names or _cannot_name(text, names, stand_in):
        return text
    full = r"\s+".join(re.escape(n) for n in (first_name.split() + last_name.split()))
    masked = re.sub(rf"(?<!\w){full}(?!\w)", stand_in, text, flags=re.IGNORECASE)
    for name in sorted(names, key=len, reverse=True):
        masked = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", stand_in, masked, flags=re.IGNORECASE)
    # "OG OG" when the names were split by other words: keep one.
    return re.sub(rf"(?<!\w)({re.escape(stand_in)})(?:[\s_\-]+\1)+(?!\w)", r"\1", masked)


#: The only characters outside ASCII that a case-insensitive pattern of ASCII letters matches
#: in Python's ``re`` (found by trying every code point), with the letter each stands for.
_ASCII_LOOKALIKES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _cannot_name(text: str, names: list[str], stand_in: str) -> bool:
    """True when masking would leave ``text`` as it is: no name can occur in it (a plain
    substring test on text folded at least as widely as the patterns fold it, so it never
    misses a name they would find) and the stand-in is not there to be tidied. Names outside
    ASCII always take the patterns. Searching and the minutes call this for every hit and
    every child, and the patterns were most of their time."""
    if not stand_in or stand_in in text or not all(name.isascii() for name in names):
        return False
    folded = text.translate(_ASCII_LOOKALIKES).lower()
    return not any(name.lower() in folded for name in names)


def children_masker(
    children: Sequence[tuple[str, str, str]], mode: NamingMode
) -> Callable[[str | None], str]:
    """A function masking every child of ``children`` (first name, last name, reference) in
    a text, child after child, exactly as ``mask_child_name`` does each.

    Why: the minutes mask every typed text against every child of the meeting, tens of
    thousands of calls for a 40-case meeting. Most texts name no child at all, so one search
    for any of the names (and for any stand-in, which ``mask_child_name`` also tidies) tells
    that nothing would change, and the text is returned as it is.
    """
    mode = NamingMode(mode)
    kept = [(first, last, reference) for first, last, reference in children]  # a copy
    names: set[str] = set()
    stand_ins: set[str] = set()
    shortcut = True
    for first_name, last_name, reference in kept:
        own = [n for n in (first_name.split() + last_name.split()) if len(n) > 1]
        stand_in = initials(first_name, last_name) if mode is NamingMode.INITIALS else reference
        names.update(own)
        stand_ins.add(stand_in)
        if own and not stand_in:
            shortcut = False  # an empty stand-in: always take the long way
    any_name = (
        re.compile(
            r"(?<!\w)(?:"
            + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            + r")(?!\w)",
            flags=re.IGNORECASE,
        )
        if names
        else None
    )

    def mask(text: str | None) -> str:
        if (
            shortcut
            and (any_name is None or any_name.search(text or "") is None)
            and not any(s in (text or "") for s in stand_ins if s)
        ):
            return text or ""
        for first_name, last_name, reference in kept:
            text = mask_child_name(text or "", first_name, last_name, reference, mode)
        return text or ""

    return mask
