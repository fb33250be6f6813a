"""An unexpected error is logged with its type, codes and the stack of functions and line
numbers, never its message or values, which may hold a child's name."""

from __future__ import annotations

from datetime import datetime

import pytest

from panelapp.error_report import describe_exception


def _parse_a_childs_name():
    return datetime.strptime("Ruby Khan 2019", "%d/%m/%Y")


def test_the_report_has_type_and_stack_but_not_the_message():
    try:
        try:
            _parse_a_childs_name()
        except ValueError as exc:
            raise RuntimeError("while reading Ruby Khan's row") from exc
    except RuntimeError as exc:
        report = describe_exception(exc)
    assert "builtins.ValueError" in report and "then builtins.RuntimeError" in report
    assert "in _parse_a_childs_name" in report and "test_error_report.py:" in report
    assert "Ruby" not in report and "Khan" not in report and "%d/%m" not in report


def test_an_os_error_is_reported_by_its_code():
    with pytest.raises(OSError) as caught:
        open("/nonexistent-folder/Ruby Khan.docx", "rb")
    report = describe_exception(caught.value)
    assert "FileNotFoundError [ENOENT]" in report and "Ruby" not in report
