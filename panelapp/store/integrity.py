"""``panelapp check``: is the store whole, unaltered and consistent?"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from panelapp.store import audit
from panelapp.store.damage import damage_error, find_damage
from panelapp.store.engine import Store

logger = logging.getLogger(__name__)


@dataclass
class CheckReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store) -> CheckReport:
    report = CheckReport()
    # Pages first, each look on a connection of its own: after a failed page SQLite's own
    # checks below would end in an error instead of a report.
    damage = find_damage(store.path, store._key)
    if damage.found:
        report.problems.append(damage_error(store.path, damage).message)
        return report
    with store.engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        if rows == ["ok"]:
            report.passed.append("SQLite integrity check: the database structure is sound.")
        else:
            report.problems.append(
                f"SQLite integrity check found {len(rows)} problem(s) in the database structure. "
                "Restore the store from its most recent backup."
            )
        cipher = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        if not cipher:
            report.passed.append("SQLCipher page check: every encrypted page is authentic.")
        else:
            report.problems.append(
                f"SQLCipher page check found {len(cipher)} page(s) that were altered or damaged on "
                "disk. Restore the store from its most recent backup."
            )
        fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if fk:
            report.problems.append(f"{len(fk)} record(s) point at records that no longer exist.")
    with store.read() as session:
        chain = audit.verify(session)
    if chain.intact:
        report.passed.append(f"Audit trail: {chain.events} events, chain intact.")
    else:
        report.problems.extend(chain.problems)
    return report
