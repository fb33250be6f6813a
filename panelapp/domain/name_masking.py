"""Keeping a child's name out of paper titles where the reader asked not to see it (R18).

Paper titles come from file names, and officers often save a file as "Oliver Grant - EP
advice.pdf". An agenda made "by initials" or "by reference" would name the child through the
titles of its papers; this masks the child's first and last name in such text.
"""

from __future__ import annotations

import re

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
    if not names:
        return text
    full = r"\s+".join(re.escape(n) for n in (first_name.split() + last_name.split()))
    masked = re.sub(rf"(?<!\w){full}(?!\w)", stand_in, text, flags=re.IGNORECASE)
    for name in sorted(names, key=len, reverse=True):
        masked = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", stand_in, masked, flags=re.IGNORECASE)
    # "OG OG" when the names were split by other words: keep one.
    return re.sub(rf"(?<!\w)({re.escape(stand_in)})(?:[\s_\-]+\1)+(?!\w)", r"\1", masked)
