"""The panel figures count what followed the decisions: appeals per decision outcome and
letters to families against the service standard, counted here by hand from what the test
records."""

from __future__ import annotations

from datetime import date

from panelapp.domain.appeals import AppealOutcome, AppealStep
from panelapp.domain.vocabulary import ItemStatus, NamingMode
from panelapp.services.appeals import record_appeal_step
from panelapp.services.family_letters import record_letter_sent
from panelapp.services.meeting_view import meeting_view
from panelapp.services.panel_statistics import StatsQuery, panel_statistics
from panelapp.services.unit_of_work import UnitOfWork

MARCH = StatsQuery(date(2026, 3, 1), date(2026, 3, 31))


def test_appeals_and_letters_in_the_figures(store, demo, signed_minutes):
    with store.read() as session:
        view = meeting_view(session, demo.meeting_id, NamingMode.FULL)
    decided = [i for i in view.items if i.status is ItemStatus.DECIDED]
    heard = [i for i in view.items if i.status in (ItemStatus.DECIDED, ItemStatus.DEFERRED)]
    a, b = decided[0], decided[1]
    with UnitOfWork(store, "Joanne Pike") as uow:
        m = demo.meeting_id
        record_appeal_step(
            uow, m, item=a.position, step=AppealStep.APPEAL_LODGED, on=date(2026, 4, 1)
        )
        record_appeal_step(uow, m, item=a.position, step=AppealStep.APPEAL_DECIDED,
                           on=date(2026, 9, 1), outcome=AppealOutcome.CONCEDED)  # fmt: skip
        record_appeal_step(uow, m, item=b.position, step=AppealStep.MEDIATION_REQUESTED,
                           on=date(2026, 4, 2))  # fmt: skip
        # 12 March is a Thursday: five working days on is Thursday 19 March
        record_letter_sent(uow, m, a.position, on=date(2026, 3, 16))
        record_letter_sent(uow, m, b.position, on=date(2026, 3, 30))
    with store.read() as session:
        sets = {ds.key: ds for ds in panel_statistics(session, MARCH)}
    appeals = sets["appeals"]
    assert sum(appeals.column("Decisions")) == len(decided)
    assert sum(appeals.column("Appeals lodged")) == 1
    assert sum(appeals.column("Mediation asked for")) == 1
    assert sum(appeals.column("For the family")) == 1
    row_a = next(
        r for r in appeals.rows if r[0] == a.request_type.label and r[1] == a.outcome.label
    )
    assert row_a[-1] == round(100 * 1 / row_a[2], 1)

    letters = sets["letters"]
    assert letters.row("Letters due to families")[1] == len(heard)
    assert letters.row("Sent within the service standard")[1] == 1
    assert letters.row("Sent late")[1] == 1
    assert letters.row("Not yet sent, past the standard")[1] == len(heard) - 2
    assert letters.row("Sent within the standard, % of those sent")[1] == 50.0


def test_published_follow_up_figures_give_no_small_count_away(store, demo, signed_minutes):
    from panelapp.domain.statistics_rules import HELD_BACK
    from panelapp.services.panel_statistics import published

    with UnitOfWork(store, "Joanne Pike") as uow:
        record_letter_sent(uow, demo.meeting_id, 1, on=date(2026, 3, 16))
    with store.read() as session:
        sets = {ds.key: ds for ds in published(panel_statistics(session, MARCH))}
    letters = sets["letters"]
    assert letters.row("Sent within the service standard")[1] == "<5"
    assert letters.row("Sent within the standard, % of those sent")[1] == HELD_BACK
    shown = [v for _, v in letters.rows[:5] if isinstance(v, int)]
    assert len(shown) != 4  # a total and all but one part would give the last away
