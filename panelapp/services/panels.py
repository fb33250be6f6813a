"""Setting up a panel: its type, quorum and paper settings, and its members."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from panelapp.domain.errors import PanelappError
from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import NamingMode, PanelType, Role
from panelapp.services.clock import utc_now
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Member, Panel


def create_panel(
    uow: UnitOfWork,
    *,
    name: str,
    panel_type: PanelType,
    council: str = "",
    quorum: QuorumRule | None = None,
    paper_deadline_days: int = 2,
    naming_mode: NamingMode = NamingMode.INITIALS,
    allow_declared_remained: bool = False,
    paper_deadline_working_days: bool = False,
) -> int:
    """A new panel. The paper deadline is ``paper_deadline_days`` before the meeting, in
    calendar days (the Rutland terms' "2 days") unless ``paper_deadline_working_days``."""
    if not name.strip():
        raise PanelappError("Give the panel a name, such as 'SEND Panel'.")
    if paper_deadline_days < 0:
        raise PanelappError(
            "The paper deadline is a number of days before the meeting (0 or more)."
        )
    quorum = quorum or QuorumRule()
    panel = Panel(
        name=name.strip(),
        panel_type=PanelType(panel_type),
        council=council,
        minimum_members=quorum.minimum_members,
        required_roles=[sorted(r.value for r in group) for group in quorum.required_roles],
        paper_deadline_days=paper_deadline_days,
        paper_deadline_working_days=bool(paper_deadline_working_days),
        naming_mode=NamingMode(naming_mode),
        allow_declared_remained=allow_declared_remained,
        created_at=utc_now(),
    )
    uow.session.add(panel)
    uow.session.flush()
    uow.audit(
        "panel.created",
        "panel",
        panel.id,
        panel_type=panel.panel_type,
        minimum_members=panel.minimum_members,
        required_roles=panel.required_roles,
        paper_deadline_days=panel.paper_deadline_days,
        paper_deadline_working_days=panel.paper_deadline_working_days,
    )
    return panel.id


def quorum_rule(panel: Panel) -> QuorumRule:
    return QuorumRule(
        minimum_members=panel.minimum_members,
        required_roles=tuple(frozenset(Role(r) for r in group) for group in panel.required_roles),
    )


def add_member(
    uow: UnitOfWork, panel_id: int, *, name: str, roles: Iterable[Role], organisation: str = ""
) -> int:
    uow.get(Panel, panel_id, "panel")
    role_values = [Role(r).value for r in roles]
    if not name.strip():
        raise PanelappError("Give the member's name.")
    if not role_values:
        raise PanelappError("Give the member at least one role (for example chair or EP).")
    for unique_role in (Role.CHAIR, Role.VICE_CHAIR):
        if unique_role.value in role_values and holder_of(uow, panel_id, unique_role) is not None:
            raise PanelappError(
                f"The panel already has a {unique_role.label.lower()}. Change that member's role first."
            )
    member = Member(
        panel_id=panel_id, name=name.strip(), organisation=organisation, roles=role_values
    )
    uow.session.add(member)
    uow.session.flush()
    uow.audit("member.added", "member", member.id, panel_id=panel_id, roles=role_values)
    return member.id


def role_holder(panel: Panel, role: Role) -> Member | None:
    """The panel's active member who holds ``role`` (chair, vice-chair...), or None: the one
    place that says who the chair is, for every screen and document."""
    return next((m for m in panel.members if m.active and role.value in m.roles), None)


def holder_of(uow: UnitOfWork, panel_id: int, role: Role) -> int | None:
    holder = role_holder(uow.get(Panel, panel_id, "panel"), role)
    return holder.id if holder else None


def update_panel(
    uow: UnitOfWork,
    panel_id: int,
    *,
    name: str,
    quorum: QuorumRule,
    paper_deadline_days: int,
    naming_mode: NamingMode,
    allow_declared_remained: bool,
    paper_deadline_working_days: bool | None = None,
) -> None:
    """Change a panel's settings (its terms of reference). ``paper_deadline_working_days``
    None keeps the panel's present way of counting the paper deadline."""
    panel = uow.get(Panel, panel_id, "panel")
    if not name.strip():
        raise PanelappError("Give the panel a name.")
    if paper_deadline_days < 0:
        raise PanelappError(
            "The paper deadline is a number of days before the meeting (0 or more)."
        )
    panel.name = name.strip()
    panel.minimum_members = quorum.minimum_members
    panel.required_roles = [sorted(r.value for r in group) for group in quorum.required_roles]
    panel.paper_deadline_days = paper_deadline_days
    if paper_deadline_working_days is not None:
        panel.paper_deadline_working_days = bool(paper_deadline_working_days)
    panel.naming_mode = NamingMode(naming_mode)
    panel.allow_declared_remained = allow_declared_remained
    uow.audit(
        "panel.updated",
        "panel",
        panel_id,
        minimum_members=panel.minimum_members,
        required_roles=panel.required_roles,
        paper_deadline_days=paper_deadline_days,
        paper_deadline_working_days=panel.paper_deadline_working_days,
        naming_mode=panel.naming_mode,
        allow_declared_remained=allow_declared_remained,
    )


def set_council_details(
    uow: UnitOfWork,
    panel_id: int,
    *,
    council: str | None = None,
    address: str | None = None,
    contact: str | None = None,
    mediation: str | None = None,
    sendiass: str | None = None,
) -> None:
    """The council's name, postal address and contact for a panel, printed at the head of its
    agendas, packs, minutes and decision records; and the mediation service and SENDIASS
    contacts its letters to families give. None keeps what the panel has."""
    panel = uow.get(Panel, panel_id, "panel")
    changed = []
    for field, value in (
        ("council", council),
        ("council_address", address),
        ("council_contact", contact),
        ("mediation_contact", mediation),
        ("sendiass_contact", sendiass),
    ):
        if value is None:
            continue
        value = "\n".join(line.strip() for line in value.strip().splitlines() if line.strip())
        if len(value) > 500:
            raise PanelappError(
                "The council's details are too long for a document's heading: keep each of "
                "the name, address and contact under 500 characters."
            )
        if getattr(panel, field) != value:
            setattr(panel, field, value)
            changed.append(field)
    if changed:
        uow.audit("panel.council_details", "panel", panel_id, changed=changed)


def update_member(
    uow: UnitOfWork,
    member_id: int,
    *,
    name: str,
    roles: Iterable[Role],
    organisation: str = "",
    active: bool = True,
) -> None:
    member = uow.get(Member, member_id, "member")
    role_values = [Role(r).value for r in roles]
    if not name.strip() or not role_values:
        raise PanelappError("A member needs a name and at least one role.")
    for unique_role in (Role.CHAIR, Role.VICE_CHAIR):
        holder = holder_of(uow, member.panel_id, unique_role)
        if unique_role.value in role_values and active and holder not in (None, member_id):
            raise PanelappError(
                f"The panel already has a {unique_role.label.lower()}. Change that member's role first."
            )
    member.name = name.strip()
    member.roles = role_values
    member.organisation = organisation
    member.active = active
    uow.audit("member.updated", "member", member_id, roles=role_values, active=active)


def list_panels(session) -> list[Panel]:
    """Panels with their members loaded, for settings screens (read only)."""
    return list(session.scalars(select(Panel).order_by(Panel.name)))


@dataclass(frozen=True)
class MemberSummary:
    member_id: int
    name: str
    roles: tuple[Role, ...]
    organisation: str
    active: bool


@dataclass(frozen=True)
class PanelSettings:
    panel_id: int
    name: str
    panel_type: PanelType
    quorum: QuorumRule
    paper_deadline_days: int
    naming_mode: NamingMode
    allow_declared_remained: bool
    members: tuple[MemberSummary, ...]
    #: the paper deadline counts working days (weekends and England's bank holidays skipped)
    paper_deadline_working_days: bool = False
    council: str = ""
    council_address: str = ""
    council_contact: str = ""
    mediation_contact: str = ""
    sendiass_contact: str = ""
    #: how much one meeting can hear, for the planner (None: no limit)
    capacity_items: int | None = None
    capacity_minutes: int | None = None
    #: members attending online count towards quorum
    online_counts_for_quorum: bool = True


def panel_settings(session, panel_id: int) -> PanelSettings:
    panel = session.get(Panel, panel_id)
    return PanelSettings(
        panel_id=panel.id,
        name=panel.name,
        panel_type=panel.panel_type,
        quorum=quorum_rule(panel),
        paper_deadline_days=panel.paper_deadline_days,
        naming_mode=panel.naming_mode,
        allow_declared_remained=panel.allow_declared_remained,
        members=tuple(
            MemberSummary(m.id, m.name, tuple(Role(r) for r in m.roles), m.organisation, m.active)
            for m in panel.members
        ),
        paper_deadline_working_days=panel.paper_deadline_working_days,
        council=panel.council,
        council_address=panel.council_address,
        council_contact=panel.council_contact,
        mediation_contact=panel.mediation_contact,
        sendiass_contact=panel.sendiass_contact,
        capacity_items=panel.capacity_items,
        capacity_minutes=panel.capacity_minutes,
        online_counts_for_quorum=panel.online_counts_for_quorum,
    )


def all_panel_settings(session) -> list[PanelSettings]:
    return [panel_settings(session, p.id) for p in list_panels(session)]


def set_meeting_capacity(
    uow: UnitOfWork,
    panel_id: int,
    *,
    items: int | None,
    minutes: int | None,
    online_counts_for_quorum: bool | None = None,
) -> None:
    """How much one of the panel's meetings can hear (for the planner: a number of items
    and/or minutes; None for no limit), and whether members online count for quorum."""
    panel = uow.get(Panel, panel_id, "panel")
    for value, what in ((items, "items"), (minutes, "minutes")):
        if value is not None and value < 1:
            raise PanelappError(f"Give a capacity of at least 1 {what}, or leave it unlimited.")
    panel.capacity_items = items
    panel.capacity_minutes = minutes
    if online_counts_for_quorum is not None:
        panel.online_counts_for_quorum = online_counts_for_quorum
    uow.session.flush()
    uow.audit(
        "panel.capacity_set",
        "panel",
        panel_id,
        items=items,
        minutes=minutes,
        online_counts=panel.online_counts_for_quorum,
    )
