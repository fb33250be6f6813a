"""Errors whose text a panel chair may read.

Every message says what is wrong and what to do next. Messages never carry a child's name:
the domain only ever sees ids, roles and dates.
"""

from __future__ import annotations


class PanelappError(Exception):
    """Base for every error whose ``str()`` is safe to show to a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RuleViolation(PanelappError):
    """An action was refused because it would break a panel rule (R1-R20 in DOMAIN.md).

    ``rule`` names the rule for code, tests and the log; people read only the message, in
    plain words, because a rule code means nothing to a chair or a family's solicitor.
    """

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        # Keep both arguments so the error survives pickling (e.g. across worker threads).
        self.args = (rule, message)
