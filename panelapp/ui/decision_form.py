"""The decision form: the outcomes of the item's request type and the details they need."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from panelapp.domain.outcomes import DecisionDraft
from panelapp.domain.vocabulary import Outcome, RequestType
from panelapp.ui.date_field import DateField, first_date_problem


def _optional_date(check: QCheckBox, edit: DateField) -> date | None:
    return edit.value() if check.isChecked() else None


class DecisionForm(QWidget):
    """Fields for one decision. ``draft()`` builds the domain value that
    ``services.decisions.record_decision`` takes (the services check it against the rules);
    ``values()`` is the same by field name, as kept while typing (``services.drafts``)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Outcome")
        form.addRow("&Outcome:", self.outcome)
        self.rationale = QPlainTextEdit()
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setPlaceholderText("The reasons for the decision, as they will be minuted")
        self.rationale.setFixedHeight(70)
        self.rationale.setTabChangesFocus(True)  # a tab typed here would go into the minutes
        form.addRow("Rationa&le:", self.rationale)
        self.amount = QDoubleSpinBox()
        self.amount.setAccessibleName("Amount in pounds")
        self.amount.setRange(0, 10_000_000)
        self.amount.setDecimals(2)
        self.amount.setPrefix("£")
        self.amount.setGroupSeparatorShown(True)
        self.amount.setSpecialValueText("none")
        form.addRow("&Amount:", self.amount)
        self.band = QLineEdit()
        self.band.setAccessibleName("Band")
        form.addRow("&Band:", self.band)
        self.override_reason = QLineEdit()
        self.override_reason.setAccessibleName("Band override reason")
        form.addRow("Override reaso&n:", self.override_reason)
        self.setting = QLineEdit()
        self.setting.setAccessibleName("Setting")
        form.addRow("&Setting:", self.setting)
        self.sections = QLineEdit()
        self.sections.setAccessibleName("Plan sections amended")
        form.addRow("S&ections amended:", self.sections)
        self.hours = QDoubleSpinBox()
        self.hours.setAccessibleName("Hours per week")
        self.hours.setRange(0, 40)
        self.hours.setSpecialValueText("none")
        form.addRow("Hours per &week:", self.hours)
        self.has_start = QCheckBox("Start date")
        self.start = DateField(QDate.currentDate())
        self.start.setAccessibleName("Start date")
        form.addRow(self.has_start, self.start)
        self.has_review = QCheckBox("Review date")
        self.review = DateField(QDate.currentDate().addDays(84))
        self.review.setAccessibleName("Review date")
        form.addRow(self.has_review, self.review)
        announce = lambda *_: self.edited.emit()  # noqa: E731 - signals pass varying arguments
        for widget in (self.band, self.override_reason, self.setting, self.sections):
            widget.textEdited.connect(announce)
        self.rationale.textChanged.connect(announce)
        for spin in (self.amount, self.hours):
            spin.valueChanged.connect(announce)
        self.outcome.currentIndexChanged.connect(announce)
        for check in (self.has_start, self.has_review):
            check.toggled.connect(announce)
        for edit in (self.start, self.review):
            edit.dateChanged.connect(announce)

    def set_outcomes(self, outcomes: tuple[Outcome, ...]) -> None:
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItem("Choose the outcome...", None)
        for outcome in outcomes:
            self.outcome.addItem(outcome.label, outcome)
        self.outcome.blockSignals(False)

    def choose(self, outcome: Outcome) -> None:
        self.outcome.setCurrentIndex(self.outcome.findData(outcome))

    def clear(self) -> None:
        self.outcome.setCurrentIndex(0)
        self.rationale.setPlainText("")
        for line in (self.band, self.override_reason, self.setting, self.sections):
            line.clear()
        self.amount.setValue(0)
        self.hours.setValue(0)
        self.has_start.setChecked(False)
        self.has_review.setChecked(False)

    def date_problem(self) -> str | None:
        """What is wrong with a ticked date field's text, if anything."""
        return first_date_problem(
            {
                check.text(): edit
                for check, edit in ((self.has_start, self.start), (self.has_review, self.review))
                if check.isChecked()
            }
        )

    def values(self) -> dict:
        amount = round(self.amount.value() * 100)
        chosen = self.outcome.currentData()  # Qt hands enum data back as plain text
        return {
            "outcome": Outcome(chosen) if chosen else None,
            "rationale": self.rationale.toPlainText(),
            "amount_pence": amount or None,
            "band": self.band.text().strip() or None,
            "band_override_reason": self.override_reason.text().strip() or None,
            "setting": self.setting.text().strip() or None,
            "sections_amended": self.sections.text().strip() or None,
            "hours_per_week": self.hours.value() or None,
            "start_date": _optional_date(self.has_start, self.start),
            "review_date": _optional_date(self.has_review, self.review),
        }

    def draft(self, request_type: RequestType) -> DecisionDraft | None:
        """The decision as typed, or None while no outcome is chosen."""
        values = self.values()
        if values["outcome"] is None:
            return None
        return DecisionDraft.from_fields(request_type, values)

    def load(self, values: dict) -> None:
        """Put back a saved draft."""
        if values.get("outcome"):
            self.choose(Outcome(values["outcome"]))
        self.rationale.setPlainText(values.get("rationale") or "")
        self.band.setText(values.get("band") or "")
        self.override_reason.setText(values.get("band_override_reason") or "")
        self.setting.setText(values.get("setting") or "")
        self.sections.setText(values.get("sections_amended") or "")
        self.amount.setValue((values.get("amount_pence") or 0) / 100)
        self.hours.setValue(values.get("hours_per_week") or 0)
        for key, check, edit in (
            ("start_date", self.has_start, self.start),
            ("review_date", self.has_review, self.review),
        ):
            if values.get(key):
                check.setChecked(True)
                edit.setDate(QDate.fromString(str(values[key]), "yyyy-MM-dd"))
