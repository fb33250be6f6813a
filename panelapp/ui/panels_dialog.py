"""Panels and their members: roles, vice-chair, quorum and paper settings (the terms of
reference), kept by the operations officer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import NamingMode, PanelType, Role
from panelapp.services import panels
from panelapp.ui.context import AppContext
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text


class RolePicker(QWidget):
    """A grid of role check boxes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for n, role in enumerate(Role):
            box = QCheckBox(role.label)
            self.boxes[role] = box
            grid.addWidget(box, n // 2, n % 2)

    def chosen(self) -> list[Role]:
        return [r for r, b in self.boxes.items() if b.isChecked()]

    def set_chosen(self, roles) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)


class MemberDialog(QDialog):
    """A member's name, organisation and roles. OK checks what is missing and runs ``save``
    (which raises PanelappError on refusal); the dialog stays open, with what was typed, until
    both succeed."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "Member", save=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Member name")
        form.addRow("&Name:", self.name)
        self.organisation = QLineEdit()
        self.organisation.setAccessibleName("Organisation or job title")
        form.addRow("&Organisation / title:", self.organisation)
        self.active = QCheckBox("Current member")
        self.active.setChecked(True)
        form.addRow("", self.active)
        layout.addLayout(form)
        box = QGroupBox("Roles")
        box_layout = QVBoxLayout(box)
        self.roles = RolePicker()
        box_layout.addWidget(self.roles)
        layout.addWidget(box)
        self.banner = Banner("Member problem")
        layout.addWidget(self.banner)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        missing = []
        if not self.name.text().strip():
            missing.append("the member's name")
        if not self.roles.chosen():
            missing.append("at least one role (for example chair, vice-chair or finance officer)")
        if missing:
            self.banner.show_message("error", "Give " + " and ".join(missing) + ".")
            first_box = next(iter(self.roles.boxes.values()))
            (self.name if not self.name.text().strip() else first_box).setFocus()
            return
        if self._save is not None:
            try:
                self._save(self)
            except PanelappError as exc:
                self.banner.show_message("error", error_text(exc))
                return
        super().accept()


class RequirementDialog(QDialog):
    """One quorum requirement: met by any member present holding one of the chosen roles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Required role for quorum")
        layout = QVBoxLayout(self)
        self.roles = RolePicker()
        layout.addWidget(self.roles)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _requirement_text(group) -> str:
    return " or ".join(sorted(Role(r).label for r in group))


class PanelsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Panels and members")
        # never larger than the screen (1280 x 720 at 150% leaves about 853 x 453 to show)
        room = self.screen().availableGeometry()
        self.resize(min(1000, room.width()), min(640, room.height()))
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.panel_list = QListWidget()
        self.panel_list.setAccessibleName("Panels")
        self.panel_list.currentRowChanged.connect(self._load_panel)
        left.addWidget(self.panel_list)
        self.new_panel = QPushButton("New &panel")
        self.new_panel.clicked.connect(self.create_panel)
        left.addWidget(self.new_panel)
        outer.addLayout(left, 1)

        right = QVBoxLayout()
        self.banner = Banner("Panel settings message")
        right.addWidget(self.banner)
        settings = QGroupBox("Terms of reference")
        form = QFormLayout(settings)
        # Related settings share a row, so that the members below stay in view on a laptop
        # screen at 150% scaling (1280 x 720).
        self.name = QLineEdit()
        self.name.setAccessibleName("Panel name")
        form.addRow("&Name:", self.name)
        self.minimum = QSpinBox()
        self.minimum.setRange(1, 30)
        self.minimum.setSuffix(" members")
        self.minimum.setAccessibleName("Minimum members for quorum")
        req_row = QHBoxLayout()
        req_row.addWidget(self.minimum)
        req_row.addWidget(QLabel("including:"))
        self.requirements = QListWidget()
        self.requirements.setAccessibleName("Roles required for quorum")
        self.requirements.setToolTip(
            "Each line is met by any member present holding one of its roles"
        )
        self.requirements.setMaximumHeight(2 * self.fontMetrics().height() + 14)
        self.requirements.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        req_row.addWidget(self.requirements, 1)
        add_req = QPushButton("Add...")
        add_req.setAccessibleName("Add a required role")
        add_req.clicked.connect(self.add_requirement)
        remove_req = QPushButton("Remove")
        remove_req.setAccessibleName("Remove the required role")
        remove_req.clicked.connect(
            lambda: self.requirements.takeItem(self.requirements.currentRow())
        )
        req_row.addWidget(add_req)
        req_row.addWidget(remove_req)
        quorum_label = QLabel("&Quorum:")
        quorum_label.setBuddy(self.minimum)
        form.addRow(quorum_label, req_row)
        self.deadline = QSpinBox()
        self.deadline.setRange(0, 30)
        self.deadline.setSuffix(" days before the meeting")
        self.deadline.setAccessibleName("Paper deadline")
        self.working_days = QCheckBox("Count &working days")
        self.working_days.setAccessibleName("Paper deadline in working days")
        self.working_days.setToolTip(
            "Ticked, weekends and England's bank holidays are skipped. Unticked, the deadline "
            'counts calendar days, as a terms of reference\'s "2 days" reads.'
        )
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline)
        deadline_row.addWidget(self.working_days, 1)
        deadline_label = QLabel("Paper &deadline:")
        deadline_label.setBuddy(self.deadline)
        form.addRow(deadline_label, deadline_row)
        self.naming = QComboBox()
        self.naming.setAccessibleName("How minutes name children")
        for mode in NamingMode:
            self.naming.addItem(mode.label, mode)
        self.remained = QCheckBox("Allow 'declared, remained' interests")
        self.remained.setToolTip("Otherwise every member who declares an interest leaves")
        naming_row = QHBoxLayout()
        naming_row.addWidget(self.naming)
        naming_row.addWidget(self.remained, 1)
        form.addRow("Children named as:", naming_row)
        # How much one meeting can hear (the planner keeps within it), and hybrid meetings.
        self.capacity_items = QSpinBox()
        self.capacity_items.setRange(0, 99)
        self.capacity_items.setSpecialValueText("any number of items")
        self.capacity_items.setSuffix(" items")
        self.capacity_items.setAccessibleName("Most items one meeting hears")
        self.capacity_minutes = QSpinBox()
        self.capacity_minutes.setRange(0, 600)
        self.capacity_minutes.setSingleStep(15)
        self.capacity_minutes.setSpecialValueText("no time limit")
        self.capacity_minutes.setSuffix(" minutes")
        self.capacity_minutes.setAccessibleName("Most minutes of items one meeting hears")
        self.online_counts = QCheckBox("Members &online count for quorum")
        self.online_counts.setAccessibleName("Members attending online count for quorum")
        self.online_counts.setToolTip(
            "Unticked, only members in the room count towards quorum; the minutes list who "
            "attended online either way. A change applies to meetings not yet started."
        )
        capacity_row = QHBoxLayout()
        capacity_row.addWidget(self.capacity_items)
        capacity_row.addWidget(self.capacity_minutes)
        capacity_row.addWidget(self.online_counts, 1)
        capacity_label = QLabel("Each &meeting hears:")
        capacity_label.setBuddy(self.capacity_items)
        capacity_label.setToolTip("The planner proposes no more than this for one meeting")
        form.addRow(capacity_label, capacity_row)
        self.council = QLineEdit()
        self.council.setAccessibleName("Council name")
        self.council.setPlaceholderText("Council name")
        # the address (its lines separated by semicolons) and the contact share the row
        self.council_address = QLineEdit()
        self.council_address.setAccessibleName("Council postal address")
        self.council_address.setPlaceholderText("Address: Town Hall; Market Street; NB1 1AA")
        self.council_address.setToolTip("The council's postal address; separate its lines with ;")
        self.council_contact = QLineEdit()
        self.council_contact.setAccessibleName("Council contact for the panel")
        self.council_contact.setPlaceholderText("Contact: telephone, email")
        letterhead = QHBoxLayout()
        letterhead.addWidget(self.council, 2)
        letterhead.addWidget(self.council_address, 3)
        letterhead.addWidget(self.council_contact, 2)
        letterhead_label = QLabel("Co&uncil, address:")
        letterhead_label.setBuddy(self.council)
        form.addRow(letterhead_label, letterhead)
        save = QPushButton("&Save settings")
        save.clicked.connect(self.save_settings)
        letterhead.addWidget(save)  # the form's last row: its save button at the bottom right
        right.addWidget(settings)

        members = QGroupBox("Members")
        m_layout = QVBoxLayout(members)
        self.members = QTableWidget(0, 3)
        self.members.setHorizontalHeaderLabels(["Name", "Roles", "Organisation"])
        self.members.setAccessibleName("Members")
        self.members.verticalHeader().hide()
        self.members.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.members.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.members.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.members.doubleClicked.connect(lambda _i: self.edit_member())
        self.members.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in (
            ("Add a member...", lambda: self.add_member()),
            ("Edit or retire this member...", lambda: self.edit_member()),
        ):
            action = QAction(text, self.members)
            action.triggered.connect(lambda _=False, slot=slot: slot())
            self.members.addAction(action)
        m_layout.addWidget(self.members)
        m_buttons = QHBoxLayout()
        add_member = QPushButton("&Add member...")
        add_member.clicked.connect(self.add_member)
        edit_member = QPushButton("&Edit member...")
        edit_member.clicked.connect(self.edit_member)
        m_buttons.addWidget(add_member)
        m_buttons.addWidget(edit_member)
        m_buttons.addStretch(1)
        m_layout.addLayout(m_buttons)
        right.addWidget(members, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        right.addWidget(close)
        outer.addLayout(right, 3)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        current = select_id or self.current_panel_id()
        rows = [
            (p.panel_id, p.name, p.panel_type.label)
            for p in self.ctx.read(panels.all_panel_settings)
        ]
        self.panel_list.blockSignals(True)
        self.panel_list.clear()
        for pid, name, kind in rows:
            entry = QListWidgetItem(f"{name}\n{kind}")
            entry.setData(Qt.ItemDataRole.UserRole, pid)
            self.panel_list.addItem(entry)
            if pid == current:
                self.panel_list.setCurrentItem(entry)
        if self.panel_list.currentRow() < 0 and rows:
            self.panel_list.setCurrentRow(0)
        self.panel_list.blockSignals(False)
        self._load_panel()

    def current_panel_id(self) -> int | None:
        entry = self.panel_list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    def _load_panel(self, *_args) -> None:
        pid = self.current_panel_id()
        if pid is None:
            return

        settings = self.ctx.read(panels.panel_settings, pid)
        name, minimum, deadline = (
            settings.name,
            settings.quorum.minimum_members,
            settings.paper_deadline_days,
        )
        required = [sorted(r.value for r in group) for group in settings.quorum.required_roles]
        naming, remained = settings.naming_mode, settings.allow_declared_remained
        members = [
            (m.member_id, m.name, m.roles, m.organisation, m.active) for m in settings.members
        ]
        self.name.setText(name)
        self.minimum.setValue(minimum)
        self.requirements.clear()
        for group in required:
            entry = QListWidgetItem(_requirement_text(group))
            entry.setToolTip(_requirement_text(group))
            entry.setData(Qt.ItemDataRole.UserRole, list(group))
            self.requirements.addItem(entry)
        self.deadline.setValue(deadline)
        self.working_days.setChecked(settings.paper_deadline_working_days)
        self.naming.setCurrentIndex(self.naming.findData(NamingMode(naming)))
        self.remained.setChecked(remained)
        self.council.setText(settings.council)
        self.council_address.setText("; ".join(settings.council_address.splitlines()))
        self.council_contact.setText(settings.council_contact)
        self.capacity_items.setValue(settings.capacity_items or 0)
        self.capacity_minutes.setValue(settings.capacity_minutes or 0)
        self.online_counts.setChecked(settings.online_counts_for_quorum)
        self._capacity = self._capacity_chosen()
        self._members = members
        self.members.setRowCount(len(members))
        for row, (_mid, mname, roles, org, active) in enumerate(members):
            label = mname if active else f"{mname} (former member)"
            self.members.setItem(row, 0, QTableWidgetItem(label))
            self.members.setItem(row, 1, QTableWidgetItem(", ".join(r.label for r in roles)))
            self.members.setItem(row, 2, QTableWidgetItem(org))

    def add_requirement(self) -> None:
        dialog = RequirementDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.roles.chosen():
            group = [r.value for r in dialog.roles.chosen()]
            entry = QListWidgetItem(_requirement_text(group))
            entry.setToolTip(_requirement_text(group))
            entry.setData(Qt.ItemDataRole.UserRole, group)
            self.requirements.addItem(entry)

    def save_settings(self) -> None:
        pid = self.current_panel_id()
        groups = tuple(
            frozenset(Role(r) for r in self.requirements.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.requirements.count())
        )
        try:
            self.ctx.do(
                panels.update_panel,
                pid,
                name=self.name.text(),
                quorum=QuorumRule(self.minimum.value(), groups),
                paper_deadline_days=self.deadline.value(),
                paper_deadline_working_days=self.working_days.isChecked(),
                naming_mode=NamingMode(self.naming.currentData()),
                allow_declared_remained=self.remained.isChecked(),
            )
            self.ctx.do(
                panels.set_council_details,
                pid,
                council=self.council.text(),
                address=self.council_address.text().replace(";", "\n"),
                contact=self.council_contact.text(),
            )
            if self._capacity_chosen() != self._capacity:  # audited only when it changes
                items, minutes, online = self._capacity_chosen()
                self.ctx.do(
                    panels.set_meeting_capacity,
                    pid,
                    items=items,
                    minutes=minutes,
                    online_counts_for_quorum=online,
                )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message("ok", "Settings saved.")
        self.refresh(pid)

    def _capacity_chosen(self) -> tuple[int | None, int | None, bool]:
        """Items and minutes per meeting as the spin boxes show them (0: no limit), and
        whether members online count for quorum."""
        return (
            self.capacity_items.value() or None,
            self.capacity_minutes.value() or None,
            self.online_counts.isChecked(),
        )

    def create_panel(self) -> None:
        try:
            pid = self.ctx.do(panels.create_panel, name="New panel", panel_type=PanelType.SEND)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.refresh(pid)
        self.name.setFocus()
        self.name.selectAll()

    def add_member(self) -> None:
        panel_id = self.current_panel_id()

        def save(dialog: MemberDialog) -> None:
            self.ctx.do(
                panels.add_member,
                panel_id,
                name=dialog.name.text(),
                roles=dialog.roles.chosen(),
                organisation=dialog.organisation.text(),
            )

        dialog = MemberDialog(self, title="Add member", save=save)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._load_panel()

    def edit_member(self) -> None:
        row = self.members.currentRow()
        if row < 0:
            self.banner.show_message("warning", "Choose a member in the list first.")
            return
        mid, name, roles, org, active = self._members[row]

        def save(dialog: MemberDialog) -> None:
            self.ctx.do(
                panels.update_member,
                mid,
                name=dialog.name.text(),
                roles=dialog.roles.chosen(),
                organisation=dialog.organisation.text(),
                active=dialog.active.isChecked(),
            )

        dialog = MemberDialog(self, title="Edit member", save=save)
        dialog.name.setText(name)
        dialog.organisation.setText(org)
        dialog.active.setChecked(active)
        dialog.active.setText("Current member (untick when they leave the panel)")
        dialog.roles.set_chosen(roles)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._load_panel()
