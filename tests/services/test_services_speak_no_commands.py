"""The services' messages are read in the window as well as at the command line, so none of
them tells a person to type a command: each says what is wrong, and what to do next travels as
a typed step (``domain.errors.NextStep``) that each front end words its own way."""

from __future__ import annotations

import ast
from pathlib import Path

import panelapp.services
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.ui.next_steps import error_text

SERVICES = Path(panelapp.services.__file__).parent
#: the report of `panelapp verify`, which only the command line prints
COMMAND_LINE_ONLY = {"verification.py"}


def _strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def test_no_service_message_names_a_command_to_type():
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        if path.name in COMMAND_LINE_ONLY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in _strings(tree):
            if id(node) not in docstrings and "'panelapp " in node.value:
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not found, "services word a command for the user:\n" + "\n".join(found)


def test_every_step_is_worded_for_both_front_ends():
    for step in Step:
        error = PanelappError("Something is wrong.", next_steps=(NextStep(step, meeting_id=4),))
        assert "'panelapp " in str(error), step
        assert "panelapp " not in error_text(error).replace("panelapp's", ""), step
