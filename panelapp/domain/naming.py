"""How a child is named in minutes, agendas and on screen (R18)."""

from __future__ import annotations

from panelapp.domain.vocabulary import NamingMode


def initials(first_name: str, last_name: str) -> str:
    parts = [p for p in (first_name.split() + last_name.split()) if p]
    return "".join(p[0].upper() for p in parts)


def child_label(first_name: str, last_name: str, reference: str, mode: NamingMode) -> str:
    """``Oliver Grant (NB-24-0311)``, ``OG (NB-24-0311)`` or ``NB-24-0311``."""
    mode = NamingMode(mode)
    if mode is NamingMode.FULL:
        return f"{first_name} {last_name} ({reference})"
    if mode is NamingMode.INITIALS:
        return f"{initials(first_name, last_name)} ({reference})"
    return reference
