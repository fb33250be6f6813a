"""Errors whose text a panel chair may read.

Every message says what is wrong and what to do next. Messages never carry a child's name:
the domain only ever sees ids, roles and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    """Something a person can do next, named here and worded by each front end: the command
    line as a command to type, the window as the button or menu that does it."""

    LIST_MEETINGS = "list_meetings"
    GENERATE_MINUTES = "generate_minutes"
    SIGN_MINUTES = "sign_minutes"
    EXPORT_MINUTES = "export_minutes"
    AMEND_MINUTES = "amend_minutes"
    CREATE_SIGNING_IDENTITY = "create_signing_identity"
    CHECK_STORE = "check_store"
    LIST_CASES = "list_cases"
    SHOW_MEETING = "show_meeting"
    LIST_PANELS = "list_panels"
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    CONNECT_TEAM = "connect_team"
    TEAM_PASSWORD = "team_password"
    WORK_LOCALLY = "work_locally"


@dataclass(frozen=True)
class NextStep:
    step: Step
    meeting_id: int | None = None
    member_id: int | None = None

    def as_command(self) -> str:
        """The step as the command line words it: the command to type. This is also what
        ``str()`` of an error gives, for scripts and the command line; the window words each
        step as its own button instead (``ui/next_steps.py``)."""
        m, who = self.meeting_id, self.member_id if self.member_id is not None else "MEMBER"
        return {
            Step.LIST_MEETINGS: "List them with 'panelapp meetings'.",
            Step.GENERATE_MINUTES: f"Make them with 'panelapp minutes generate {m}'.",
            Step.SIGN_MINUTES: f"Sign them with 'panelapp minutes sign {m} --signer ...'.",
            Step.EXPORT_MINUTES: (
                f"Write the signed file with 'panelapp minutes export {m} --out FILE'."
            ),
            Step.AMEND_MINUTES: (
                f"Start a correction with 'panelapp minutes amend {m} --reason ...'."
            ),
            Step.CREATE_SIGNING_IDENTITY: (
                f"Create one with 'panelapp signing create {who}', or import the council's "
                f"with 'panelapp signing import {who} FILE.p12'."
            ),
            Step.CHECK_STORE: "Run 'panelapp check'.",
            Step.LIST_CASES: "Check it with 'panelapp cases'.",
            Step.SHOW_MEETING: f"See them with 'panelapp show {m}'.",
            Step.LIST_PANELS: "See 'panelapp panels list' for the numbers.",
            Step.CHECK_IN: f"Check it in with 'panelapp team checkin {m}'.",
            Step.CHECK_OUT: (
                f"Check it out first with 'panelapp team checkout {m}', or give the --store it "
                "was checked out to."
            ),
            Step.TEAM_PASSWORD: (
                "Run 'panelapp team connect URL' to give it again (it is kept in the OS keyring)."
            ),
            Step.WORK_LOCALLY: "Or work on your local store: 'panelapp --store PATH COMMAND'.",
            Step.CONNECT_TEAM: (
                "Run 'panelapp team connect URL' and 'panelapp team use URL' once, then try again."
            ),
        }[self.step]


class PanelappError(Exception):
    """Base for every error whose ``str()`` is safe to show to a user."""

    def __init__(self, message: str, *, next_steps: tuple[NextStep, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        #: what the person can do about it, for the front end to word in its own terms
        self.next_steps = next_steps

    def __str__(self) -> str:
        """The message with each next step as a command (what the command line prints)."""
        return " ".join([self.message, *(s.as_command() for s in self.next_steps)])


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
