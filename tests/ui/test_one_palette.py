"""The window's colours and style sheets live in panelapp/ui/palette.py, named for what they
mean: no other window module writes a colour code, a Qt colour or a style sheet of its own, so
a council restyling the window, or a contrast fix, changes one file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import panelapp.ui

UI = Path(panelapp.ui.__file__).parent
PALETTE = UI / "palette.py"

#: a colour written in a string: #rrggbb, #rgb, rgb(...)/rgba(...), or a style property given
#: anything but a value from the palette (``color:{palette.DANGER}``)
_COLOUR_TEXT = re.compile(
    r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\brgba?\s*\("
    r"|(?<![\w-])(?:color|background(?:-color)?|border(?:-color)?)\s*:\s*(?!\{)",
    re.IGNORECASE,
)
#: Qt's own colours and colour objects
_QT_COLOURS = {"QColor", "GlobalColor", "QPalette"}


def _text(node: ast.AST) -> str | None:
    """A string constant's text; an f-string's with ``{}`` where each value goes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def colour_problems(source: str, name: str) -> list[str]:
    """Where ``source`` writes a colour or a style sheet itself, as 'name:line: what'."""
    problems = []
    tree = ast.parse(source)
    inside_fstring = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if id(node) in inside_fstring:
            continue  # read as part of its f-string
        text = _text(node)
        if text is not None and _COLOUR_TEXT.search(text):
            problems.append(f"{name}:{node.lineno}: colour in text {text!r}")
        if isinstance(node, ast.Name) and node.id in _QT_COLOURS:
            problems.append(f"{name}:{node.lineno}: {node.id}")
        if isinstance(node, ast.Attribute) and node.attr in _QT_COLOURS:
            problems.append(f"{name}:{node.lineno}: {node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setStyleSheet"
            and node.args
            and (text := _text(node.args[0])) is not None
            and text != ""  # clearing a style is not a style
        ):
            problems.append(f"{name}:{node.lineno}: style sheet {text!r}")
    return problems


def test_no_window_module_but_the_palette_writes_a_colour_or_a_style_sheet():
    modules = sorted(p for p in UI.rglob("*.py") if p != PALETTE)
    assert len(modules) > 30  # the whole window is read, not an empty folder
    problems = [
        problem
        for module in modules
        for problem in colour_problems(module.read_text(encoding="utf-8"), module.name)
    ]
    assert problems == []


def test_the_scan_finds_each_way_of_writing_a_colour():
    """The check above would see a colour written in any of the ways the window once used."""
    written = {
        'label.setStyleSheet("font-size: 13pt; font-weight: 600;")': "style sheet",
        "entry.setForeground(Qt.GlobalColor.transparent)": "GlobalColor",
        'entry.setForeground(QColor("#b00020"))': "QColor",
        "text = f\"<b style='color:red'>{name}</b>\"": "colour in text",
        'style = "background:#fdecea; padding:6px;"': "colour in text",
        'STYLE = "color: palette(mid);"': "colour in text",
        'label.setStyleSheet(f"color: {colour};")': "style sheet",
    }
    for source, kind in written.items():
        found = colour_problems(source, "m.py")
        assert found and kind in found[0], (source, found)
    # What the window writes instead: the palette's names.
    for source in (
        "label.setStyleSheet(palette.HEADING)",
        "text = f\"<b style='color:{palette.DANGER}'>{name}</b>\"",
        'field.setStyleSheet(palette.invalid_input_style() if bad else "")',
        'label.setText("Colour: #1 choice")',
    ):
        assert colour_problems(source, "m.py") == [], source


def test_the_palette_holds_the_window_colours():
    source = PALETTE.read_text(encoding="utf-8")
    assert colour_problems(source, "palette.py")  # the colours are here, and only here
