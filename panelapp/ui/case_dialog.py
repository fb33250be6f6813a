"""Adding a case (one request about one child) and a new meeting."""

from __future__ import annotations

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.case_facts import PlacementType, Vulnerability
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import PrimaryNeed, RequestType
from panelapp.services import cases, corrections, meetings, panels
from panelapp.services.cases import CaseDetails
from panelapp.services.meeting_view import meeting_view
from panelapp.ui.context import AppContext
from panelapp.ui.date_field import DateField, first_date_problem
from panelapp.ui.feedback import Banner, ok_cancel
from panelapp.ui.next_steps import error_text


def _date_edit(name: str, initial: QDate) -> DateField:
    edit = DateField(initial)
    edit.setAccessibleName(name)
    return edit


class CaseDialog(QDialog):
    """Adds a case and puts it on the meeting's agenda in one step; with ``case_id``,
    corrects that case's details instead."""

    def __init__(
        self,
        ctx: AppContext,
        meeting_id: int,
        parent: QWidget | None = None,
        *,
        case_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.case_id = case_id
        self.item_id: int | None = None
        self.setWindowTitle("Add a case to the agenda" if case_id is None else "Correct a case")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.reference = QLineEdit()
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.date_of_birth = _date_edit("Date of birth", QDate.currentDate().addYears(-8))
        self.request_type = QComboBox()
        for rtype in RequestType:
            self.request_type.addItem(rtype.label, rtype)
        self.received = _date_edit("Request received", QDate.currentDate())
        self.primary_need = QComboBox()
        self.secondary_need = QComboBox()
        self.secondary_need.addItem("None", None)
        for need in PrimaryNeed:
            self.primary_need.addItem(f"{need.value}: {need.label}", need)
            self.secondary_need.addItem(f"{need.value}: {need.label}", need)
        self.setting = QLineEdit()
        self.year_group = QLineEdit()
        self.case_officer = QLineEdit()
        self.presenting = QLineEdit()
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 120)
        self.minutes.setValue(15)
        self.minutes.setSuffix(" minutes")
        self.review_meeting = _date_edit("Annual review meeting date", QDate.currentDate())
        self.has_review_meeting = QCheckBox("Annual review meeting held on")
        self.transfer_year = QSpinBox()
        self.transfer_year.setRange(2000, 2100)
        self.transfer_year.setValue(QDate.currentDate().year() + 1)
        self.post16 = QCheckBox("Secondary to post-16 transfer")
        self.has_transfer_date = QCheckBox("Post-16 to post-16 move at another time, on")
        self.has_transfer_date.setToolTip(
            "A move between post-16 institutions at another time of year: the plan is "
            "amended at least five months before the date of the move."
        )
        self.transfer_date = _date_edit("Date of the post-16 move", QDate.currentDate())
        for label, widget in (
            ("Council &reference:", self.reference),
            ("&First name:", self.first_name),
            ("&Last name:", self.last_name),
            ("Date of &birth:", self.date_of_birth),
            ("Request &type:", self.request_type),
            ("Request re&ceived:", self.received),
            ("Primary &need:", self.primary_need),
            ("Secondary need:", self.secondary_need),
            ("&Setting:", self.setting),
            ("&Year group:", self.year_group),
            ("Case &officer:", self.case_officer),
            ("&Presenting officer:", self.presenting),
            ("Time &allocated:", self.minutes),
            ("Transfer year (phase transfer):", self.transfer_year),
        ):
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        form.addRow(self.has_review_meeting, self.review_meeting)
        form.addRow("", self.post16)
        form.addRow(self.has_transfer_date, self.transfer_date)
        # The facts the council's reports break figures down by.
        self.placement_type = QComboBox()
        self.placement_type.setAccessibleName("Placement type")
        self.placement_type.addItem("Not recorded", None)
        for placement in PlacementType:
            self.placement_type.addItem(placement.label, placement)
        form.addRow("Placement type:", self.placement_type)
        self.flags = {flag: QCheckBox(flag.label) for flag in Vulnerability}
        for flag, box in self.flags.items():
            box.setAccessibleName(flag.label)
            form.addRow("Circumstances:" if flag is Vulnerability.LOOKED_AFTER else "", box)
        self.has_final_plan = QCheckBox("Final EHC plan issued on")
        self.final_plan = _date_edit("Final plan issued", QDate.currentDate())
        form.addRow(self.has_final_plan, self.final_plan)
        layout.addLayout(form)
        self.banner = Banner("Case problem")
        layout.addWidget(self.banner)
        if case_id is None:
            layout.addWidget(ok_cancel(self, "Add to agenda", self.add))
        else:
            self.minutes.setEnabled(False)  # the agenda's own columns hold these
            self.presenting.setEnabled(False)
            self._fill(ctx.read(corrections.case_details, case_id))
            layout.addWidget(ok_cancel(self, "Save the correction", self.add))

    def _fill(self, d: CaseDetails) -> None:
        self.reference.setText(d.reference)
        self.first_name.setText(d.first_name)
        self.last_name.setText(d.last_name)
        self.date_of_birth.setDate(d.date_of_birth)
        self.request_type.setCurrentIndex(self.request_type.findData(d.request_type))
        self.received.setDate(d.request_received)
        self.primary_need.setCurrentIndex(self.primary_need.findData(d.primary_need))
        self.secondary_need.setCurrentIndex(max(0, self.secondary_need.findData(d.secondary_need)))
        self.setting.setText(d.setting)
        self.year_group.setText(d.year_group)
        self.case_officer.setText(d.case_officer)
        self.has_review_meeting.setChecked(d.review_meeting_date is not None)
        if d.review_meeting_date:
            self.review_meeting.setDate(d.review_meeting_date)
        if d.transfer_year:
            self.transfer_year.setValue(d.transfer_year)
        self.post16.setChecked(d.post16_transfer)
        self.has_transfer_date.setChecked(d.transfer_date is not None)
        if d.transfer_date:
            self.transfer_date.setDate(d.transfer_date)
        self.placement_type.setCurrentIndex(max(0, self.placement_type.findData(d.placement_type)))
        for flag, box in self.flags.items():
            box.setChecked(flag in d.vulnerabilities)
        self.has_final_plan.setChecked(d.final_plan_issued is not None)
        if d.final_plan_issued:
            self.final_plan.setDate(d.final_plan_issued)

    def add(self) -> None:
        dates = {"Date of birth": self.date_of_birth, "Request received": self.received}
        if self.has_review_meeting.isChecked():
            dates["Annual review meeting date"] = self.review_meeting
        if self.has_final_plan.isChecked():
            dates["Final plan issued"] = self.final_plan
        rtype = RequestType(self.request_type.currentData())
        moving = rtype is RequestType.PHASE_TRANSFER and self.has_transfer_date.isChecked()
        if moving:
            dates["Date of the post-16 move"] = self.transfer_date
        problem = first_date_problem(dates)
        born, received = self.date_of_birth.value(), self.received.value()
        if problem or born is None or received is None:
            self.banner.show_message(
                "error", problem or "Type the date of birth and the date received."
            )
            return
        details = CaseDetails(
            reference=self.reference.text(),
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            date_of_birth=born,
            request_type=rtype,
            request_received=received,
            primary_need=PrimaryNeed(self.primary_need.currentData()),
            secondary_need=self.secondary_need.currentData(),
            setting=self.setting.text(),
            year_group=self.year_group.text(),
            case_officer=self.case_officer.text(),
            review_meeting_date=self.review_meeting.value()
            if self.has_review_meeting.isChecked()
            else None,
            transfer_year=self.transfer_year.value()
            if rtype is RequestType.PHASE_TRANSFER
            else None,
            post16_transfer=self.post16.isChecked(),
            transfer_date=self.transfer_date.value() if moving else None,
            vulnerabilities=frozenset(f for f, box in self.flags.items() if box.isChecked()),
            placement_type=self.placement_type.currentData(),
            final_plan_issued=self.final_plan.value() if self.has_final_plan.isChecked() else None,
        )

        if self.case_id is not None:
            try:
                self.ctx.do(corrections.update_case, self.case_id, details)
            except PanelappError as exc:
                self.banner.show_message("error", error_text(exc))
                return
            self.accept()
            return

        def add_and_list(uow):
            case_id = cases.add_case(uow, details)
            return meetings.put_on_agenda(
                uow,
                self.meeting_id,
                case_id,
                minutes=self.minutes.value(),
                presenting_officer=self.presenting.text() or self.case_officer.text(),
            )

        add_and_list.__name__ = "put_on_agenda"
        try:
            self.item_id = self.ctx.do(add_and_list)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.accept()


class NewMeetingDialog(QDialog):
    """Schedules a meeting; with ``meeting_id``, corrects its date, start and venue."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, meeting_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = meeting_id
        self.editing = meeting_id is not None
        self.setWindowTitle(
            "Correct the meeting's date and venue" if self.editing else "Schedule a meeting"
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.panel = QComboBox()
        self.panel.setAccessibleName("Panel")
        for p in ctx.read(panels.all_panel_settings):
            self.panel.addItem(p.name, p.panel_id)
        form.addRow("&Panel:", self.panel)
        self.on = _date_edit("Meeting date", QDate.currentDate().addDays(14))
        form.addRow("&Date:", self.on)
        self.start = QTimeEdit(QTime(9, 30))
        self.start.setAccessibleName("Start time")
        form.addRow("&Start:", self.start)
        self.venue = QLineEdit()
        self.venue.setAccessibleName("Venue")
        form.addRow("&Venue:", self.venue)
        layout.addLayout(form)
        self.banner = Banner("Meeting problem")
        layout.addWidget(self.banner)
        if self.editing:
            view = ctx.read(meeting_view, meeting_id, ctx.naming, mask_free_text=False)
            self.panel.setCurrentIndex(max(0, self.panel.findText(view.panel_name)))
            self.panel.setEnabled(False)
            self.on.setDate(view.meeting_date)
            self.start.setTime(QTime(view.start_time.hour, view.start_time.minute))
            self.venue.setText(view.venue)
        layout.addWidget(ok_cancel(self, "Save" if self.editing else "Schedule", self.schedule))

    def schedule(self) -> None:
        if self.panel.currentData() is None:
            self.banner.show_message("error", "Set up a panel first (Panels and members).")
            return
        problem = first_date_problem({"Date": self.on})
        if problem:
            self.banner.show_message("error", problem)
            return
        if self.editing:
            try:
                self.ctx.do(
                    corrections.update_meeting,
                    self.meeting_id,
                    on=self.on.value(),
                    start=self.start.time().toPython(),
                    venue=self.venue.text(),
                )
            except PanelappError as exc:
                self.banner.show_message("error", error_text(exc))
                return
            self.accept()
            return
        try:
            self.meeting_id = self.ctx.do(
                meetings.schedule_meeting,
                self.panel.currentData(),
                on=self.on.value(),
                start=self.start.time().toPython(),
                venue=self.venue.text(),
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.accept()
