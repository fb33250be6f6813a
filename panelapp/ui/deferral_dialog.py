"""Deferring an item: reason, what is needed, from whom, and when it comes back (R7), with a
warning, and a required reason, when that is after the statutory due date (R8)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.services import decisions
from panelapp.services.item_detail import ItemDetail
from panelapp.ui.context import AppContext
from panelapp.ui.date_field import DateField, first_date_problem
from panelapp.ui.feedback import Banner, ok_cancel
from panelapp.ui.next_steps import error_text


def default_return_date(meeting_date: date, statutory_due: date | None) -> date:
    """Two weeks on, but not past the statutory due date when that is still ahead, so the
    suggested date never starts out as a timescale risk."""
    suggested = meeting_date + timedelta(days=14)
    if statutory_due is not None and meeting_date < statutory_due < suggested:
        return statutory_due
    return suggested


class DeferralDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        detail: ItemDetail,
        parent: QWidget | None = None,
        *,
        nominated_chair_id: int | None = None,
    ):
        super().__init__(parent)
        self.nominated_chair_id = nominated_chair_id
        self.ctx = ctx
        self.detail = detail
        clock = detail.situation.clock
        self.statutory_due: date | None = clock.due if clock else None
        self.setWindowTitle(f"Defer item {detail.position}")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.inquorate = Banner("Why the panel cannot decide")
        if not detail.situation.quorum.quorate:
            self.inquorate.show_message(
                "warning",
                "The panel is not quorate for this item, so it can only be deferred: "
                + " ".join(detail.situation.quorum.reasons),
            )
        layout.addWidget(self.inquorate)
        form = QFormLayout()
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for deferral")
        self.reason.setFixedHeight(60)
        self.reason.setTabChangesFocus(True)
        form.addRow("&Reason:", self.reason)
        self.information = QLineEdit()
        self.information.setAccessibleName("Information or action required")
        form.addRow("&Information required:", self.information)
        self.provider = QLineEdit()
        self.provider.setAccessibleName("Who provides it")
        form.addRow("&Who provides it:", self.provider)
        self.return_date = DateField(default_return_date(detail.meeting_date, self.statutory_due))
        self.return_date.setAccessibleName("Return date")
        form.addRow("Return &date:", self.return_date)
        self.past_due_reason = QLineEdit()
        self.past_due_reason.setAccessibleName("Reason for returning after the statutory due date")
        form.addRow("Reason for &passing the due date:", self.past_due_reason)
        layout.addLayout(form)
        self.warning = Banner("Statutory timescale warning")
        layout.addWidget(self.warning)
        self.banner = Banner("Deferral problem")
        layout.addWidget(self.banner)
        layout.addWidget(ok_cancel(self, "Record deferral", self.record))
        self.return_date.dateChanged.connect(self.check_timescale)
        self.check_timescale()

    def check_timescale(self) -> None:
        chosen, due = self.return_date.value(), self.statutory_due
        late = due is not None and chosen is not None and chosen > due
        self.past_due_reason.setEnabled(late)
        if due is not None and chosen is not None and late:
            days = (chosen - due).days
            self.warning.show_message(
                "warning",
                f"This return date is {days} day{'s' if days != 1 else ''} after the statutory due "
                f"date ({format_date(due)}). It is allowed only with a recorded "
                "reason and will be shown as a timescale risk.",
            )
        else:
            self.warning.clear_message()

    def record(self) -> None:
        problem = first_date_problem({"Return date": self.return_date})
        if problem:
            self.banner.show_message("error", problem)
            return
        try:
            self.ctx.do(
                decisions.defer_item,
                self.detail.item_id,
                reason=self.reason.toPlainText(),
                information_required=self.information.text(),
                provider=self.provider.text(),
                return_date=self.return_date.value(),
                past_due_reason=self.past_due_reason.text() or None,
                nominated_chair_id=self.nominated_chair_id,
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.accept()
