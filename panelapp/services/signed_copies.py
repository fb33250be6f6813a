"""``panelapp check --against``: compare the store with signed copies held outside it.

A signed minutes or decision record carries, inside its signed part, the audit chain's length
and head when it was signed (``documents.audit_anchor``). The copy sent to a chief officer is
out of reach of whoever holds the store key: if the store's chain no longer has that head at
that length, or the store's copy of those minutes is not this file, the store was rewritten
after the copy left, and this names it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from panelapp.documents.audit_anchor import parse_anchor, read_anchor
from panelapp.documents.package_signature import verify_docx
from panelapp.domain.errors import PanelappError
from panelapp.services.audit_anchor import store_id
from panelapp.services.verification import registered_in_store
from panelapp.store import audit
from panelapp.store.engine import Store
from panelapp.store.integrity import (
    changed_without_amendment,
    compare_with_anchor,
    laptop_anchor,
)
from panelapp.store.tables import MinutesVersion

_MAX_FILE = 512 * 1024 * 1024


@dataclass
class CopiesReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Copy:
    name: str
    data: bytes


def _read(path: Path) -> _Copy:
    try:
        if path.stat().st_size > _MAX_FILE:
            raise PanelappError(f"{path} is too large to be a signed panel document.")
        return _Copy(path.name, path.read_bytes())
    except OSError as exc:
        raise PanelappError(
            f"The signed copy {path} could not be read ({exc.strerror}). Check the path."
        ) from None


def check_against(store: Store, paths: list[Path]) -> CopiesReport:
    copies = [_read(Path(p).expanduser()) for p in paths]
    report = CopiesReport()
    anchored: list[tuple[_Copy, dict[str, str]]] = []
    with store.read() as session:
        registered = {e.fingerprint: e.member for e in registered_in_store(session)}
        here = store_id(session)
        for copy in copies:
            signature = verify_docx(copy.data)
            if not (signature.signed and signature.valid):
                why = " ".join(signature.problems)
                report.problems.append(
                    f"{copy.name}: the file is not intact as signed ({why}), so it cannot be "
                    "compared with the store."
                )
                continue
            if signature.signer_fingerprint not in registered:
                report.problems.append(
                    f"{copy.name}: it was signed with a certificate this store never registered "
                    f"for a member ({signature.signer}, {signature.signer_fingerprint}); it is not "
                    "a copy that panelapp signed here."
                )
                continue
            text = read_anchor(copy.data)
            fields = parse_anchor(text) if text else {}
            if not fields.get("events", "").isdigit() or not fields.get("head"):
                report.problems.append(
                    f"{copy.name}: it carries no audit anchor (it was signed by an earlier "
                    "panelapp), so the store cannot be compared with it."
                )
                continue
            if fields.get("store") != here:
                # signed on a laptop that had the meeting checked out, and checked in here:
                # compared with the team events the laptop's became
                mapped = laptop_anchor(
                    session, fields.get("store", ""), int(fields["events"]), fields["head"]
                )
                if mapped is None:
                    report.problems.append(
                        f"{copy.name}: it was signed from another panelapp store, not this one."
                    )
                    continue
                fields = {
                    **fields,
                    "events": str(mapped[0]),
                    "head": mapped[1],
                    "records": mapped[2],
                }
            anchored.append((copy, fields))
        chain = audit.verify(session, frozenset(int(f["events"]) for _, f in anchored))
        for copy, fields in anchored:
            events, head = int(fields["events"]), fields["head"]
            what = f"the signed copy {copy.name}"
            problems = compare_with_anchor(chain, events, head, what)
            if fields.get("document") == "minutes":
                problems.extend(_compare_minutes(session, copy, fields))
            meeting = fields.get("meeting", "")
            if (
                not problems
                and meeting.isdigit()
                and fields.get("records")
                and changed_without_amendment(
                    session.connection(), chain, int(meeting), events, fields["records"]
                )
            ):
                problems.append(
                    f"The records of meeting {meeting} (attendance, declarations, decisions, "
                    f"deferrals or actions) are not those {copy.name} was signed on, and no "
                    "amendment was started since: they were changed after that copy left."
                )
            if problems:
                report.problems.extend(problems)
            else:
                report.passed.append(
                    f"{copy.name}: the store agrees with this signed copy (the audit trail's "
                    f"first {events} events are the ones it anchors"
                    + (
                        ", and the store keeps exactly this file)"
                        if fields.get("document") == "minutes"
                        else ")"
                    )
                )
    return report


def _compare_minutes(session, copy: _Copy, fields: dict[str, str]) -> list[str]:
    try:
        meeting_id, version = int(fields["meeting"]), int(fields["version"])
    except (KeyError, ValueError):
        return [f"{copy.name}: its anchor does not say which minutes it is."]
    row = session.scalar(
        select(MinutesVersion).where(
            MinutesVersion.meeting_id == meeting_id, MinutesVersion.version == version
        )
    )
    if row is None:
        return [
            f"The store no longer has version {version} of the minutes of meeting {meeting_id}, "
            f"which {copy.name} is a signed copy of: it was deleted."
        ]
    if row.document != copy.data:
        digest = hashlib.sha256(copy.data).hexdigest()
        return [
            f"The store's version {version} of the minutes of meeting {meeting_id} is not the "
            f"signed copy {copy.name} (sha256 {digest[:16]}...): the stored minutes were "
            "replaced after that copy left."
        ]
    return []
