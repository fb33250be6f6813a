"""The window's words for what a person can do next (``domain.errors.NextStep``): the button
or menu that does it, never a command to type."""

from __future__ import annotations

from panelapp.domain.errors import NextStep, PanelappError, Step


def window_words(next_step: NextStep) -> str:
    return {
        Step.LIST_MEETINGS: "Choose a meeting from the list on the left.",
        Step.GENERATE_MINUTES: "Make them with 'Generate draft' in the Minutes window.",
        Step.SIGN_MINUTES: "The chair signs them with 'Sign as chair...' in the Minutes window.",
        Step.EXPORT_MINUTES: "Save the signed file with 'Save a copy...' in the Minutes window.",
        Step.AMEND_MINUTES: "Start a correction with 'Start an amendment...' in the Minutes window.",
        Step.CREATE_SIGNING_IDENTITY: (
            "Create the member's signing certificate, or import the council's, with "
            "'Signing certificates...' in the Minutes window."
        ),
        Step.CHECK_STORE: "Ask the council's IT team to run panelapp's store check.",
        Step.LIST_CASES: "Check the reference in the Deadlines view.",
        Step.SHOW_MEETING: "The meeting's agenda lists them.",
        Step.LIST_PANELS: "Choose the panel from the list.",
        Step.CHECK_IN: "Check it in with 'Check in this meeting' in the Team menu.",
        Step.CHECK_OUT: "Check it out first with 'Check out for the meeting...' in the Team menu.",
        Step.CONNECT_TEAM: "Connect to the team store first (Team menu).",
        Step.TEAM_PASSWORD: "Give it again with 'Connect to the team store...' in the Team menu.",
        Step.WORK_LOCALLY: "Meanwhile this computer's own store can be used as before.",
    }[next_step.step]


def error_text(exc: BaseException) -> str:
    """What the window shows for an error: its message, then each next step in the window's
    own terms."""
    if not isinstance(exc, PanelappError):
        return str(exc)
    return " ".join([exc.message, *(window_words(s) for s in exc.next_steps)])
