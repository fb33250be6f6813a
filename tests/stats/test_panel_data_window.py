"""The Panel data window on the demonstration store: its charts draw the very figures the
statistics service gives (exact counts), each table shows them, the filters change them, and
a chart saved as PNG is a real picture."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCharts import QHorizontalStackedBarSeries
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from panelapp.domain.vocabulary import PanelType, RequestType
from panelapp.services import panels
from panelapp.services.demo import DEMO_PANEL_NAME
from panelapp.services.panel_statistics import StatsQuery, panel_statistics
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.ui import palette, panel_data_window
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


@pytest.fixture
def data_window(qtbot, store, store_path, demo, today, monkeypatch):
    """The window opened from the menu on the demonstration store, on the meeting day, with a
    second panel that has met no one yet."""
    with UnitOfWork(store, "ops officer") as uow:
        panels.create_panel(uow, name="High Needs Panel", panel_type=PanelType.HIGH_NEEDS)
    monkeypatch.setattr(
        panel_data_window,
        "utc_now",
        lambda: datetime.combine(today, datetime.min.time().replace(hour=12)),
    )
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    window.panel_data_action.trigger()
    dialog = window.panel_data
    qtbot.waitExposed(dialog)
    return dialog


def _figures(store, query):
    with store.read() as session:
        return {ds.key: ds for ds in panel_statistics(session, query)}


def _bars(panel):
    """Each bar set's name and its values in the order of the table's rows (the chart draws
    the first row at the top, the last category of its axis)."""
    (series,) = panel.view.chart().series()
    return series, {
        bs.label(): [bs.at(i) for i in reversed(range(bs.count()))] for bs in series.barSets()
    }


def _categories(panel) -> list[str]:
    return list(reversed(panel.view.chart().axes()[0].categories()))


def _table(panel):
    t = panel.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_opens_on_the_financial_year_and_draws_the_services_figures(data_window, store):
    assert (data_window.start.value(), data_window.end.value()) == (
        date(2025, 4, 1),
        date(2026, 3, 31),
    )
    figures = _figures(store, StatsQuery(date(2025, 4, 1), date(2026, 3, 31)))
    outcomes = figures["outcomes"]
    assert outcomes.rows, "the demonstration meeting has decisions to chart"
    series, drawn = _bars(data_window.charts["outcomes"])
    assert isinstance(series, QHorizontalStackedBarSeries)
    categories = _categories(data_window.charts["outcomes"])
    assert categories == list(dict.fromkeys(rtype for rtype, _, _ in outcomes.rows))
    expected = {}
    for rtype, outcome, n in outcomes.rows:
        expected.setdefault(outcome, [0.0] * len(categories))[categories.index(rtype)] = n
    assert drawn == expected
    assert _table(data_window.charts["outcomes"]) == [
        [rtype, outcome, str(n)] for rtype, outcome, n in outcomes.rows
    ]
    timeliness = figures["timeliness"]
    _, drawn = _bars(data_window.charts["timeliness"])
    assert drawn == {
        "In time (%)": [float(v or 0) for v in timeliness.column("In time (%)")],
        "In time without excepted (%)": [
            float(v or 0) for v in timeliness.column("In time without excepted (%)")
        ],
    }
    assert [row[1] for row in _table(data_window.charts["timeliness"])] == [
        str(n) for n in timeliness.column("Cases")
    ]
    deferrals = figures["deferrals"]
    _, drawn = _bars(data_window.charts["deferrals"])
    reasons = [(m, n) for m, n in deferrals.rows if m.startswith("Reason: ")]
    assert drawn == {"Deferrals": [float(n) for _, n in reasons]}
    assert _table(data_window.charts["deferrals"]) == [[m, str(v)] for m, v in deferrals.rows]
    funding = figures["funding"]
    _, drawn = _bars(data_window.charts["funding"])
    bands = _categories(data_window.charts["funding"])
    assert funding.rows and sum(len(values) for values in drawn.values()) >= len(funding.rows)
    for _year, rtype, band, placement, _n, pounds in funding.rows:
        assert drawn[f"{rtype}, {placement}"][bands.index(band)] == pounds
    assert len(_table(data_window.charts["funding"])) == len(funding.rows)


def test_the_request_type_and_panel_filters_change_the_figures(data_window, store):
    whole = _figures(store, StatsQuery(date(2025, 4, 1), date(2026, 3, 31)))
    heard = {rtype for rtype, _, _ in whole["outcomes"].rows}
    rtype = next(r for r in RequestType if r.label in heard)
    data_window.request_type.setCurrentIndex(data_window.request_type.findData(rtype.value))
    only = _figures(store, StatsQuery(date(2025, 4, 1), date(2026, 3, 31), request_type=rtype))
    assert only["outcomes"].rows != whole["outcomes"].rows
    assert data_window.data_sets["outcomes"].rows == only["outcomes"].rows
    assert {row[0] for row in _table(data_window.charts["outcomes"])} == {rtype.label}
    assert _categories(data_window.charts["outcomes"]) == [rtype.label]
    data_window.request_type.setCurrentIndex(0)
    assert data_window.data_sets["outcomes"].rows == whole["outcomes"].rows
    other = data_window.panel.findText("High Needs Panel")
    data_window.panel.setCurrentIndex(other)
    assert data_window.query.panel_id == data_window.panel.itemData(other)
    assert data_window.data_sets["outcomes"].rows == ()
    assert data_window.charts["outcomes"].table.rowCount() == 0
    assert "Nothing to chart" in data_window.charts["outcomes"].empty.text()
    data_window.panel.setCurrentIndex(data_window.panel.findText(DEMO_PANEL_NAME))
    assert data_window.data_sets["outcomes"].rows == whole["outcomes"].rows
    assert data_window.charts["outcomes"].empty.text() == ""
    data_window.start.setDate(date(2026, 3, 13))  # after the demonstration meeting
    assert data_window.data_sets["outcomes"].rows == ()
    assert _bars(data_window.charts["outcomes"])[1] == {}


def test_a_to_date_before_the_from_date_says_so_and_keeps_the_figures(data_window):
    before = data_window.data_sets
    data_window.end.setDate(date(2025, 3, 1))
    assert "before the 'From' date" in data_window.banner.text()
    assert data_window.data_sets is before


def test_save_as_png_writes_the_chart_as_a_picture(data_window, tmp_path):
    panel = data_window.charts["outcomes"]
    shown = panel.view.size() * panel.view.devicePixelRatioF()
    written = panel.save_png(tmp_path / "outcomes")
    assert written == tmp_path / "outcomes.png"
    assert written.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(written))
    assert not image.isNull()
    assert (image.width(), image.height()) == (shown.width(), shown.height())
    first_series = palette.chart_colour(0).rgb()
    assert any(  # the bars are drawn, in the first series' colour
        image.pixel(x, y) == first_series
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    )
    assert "Saved the chart" in panel.banner.text()
    panel.copy_chart()
    assert not QApplication.clipboard().image().isNull()


def test_the_financial_year_follows_the_uk_day(qtbot, store, monkeypatch):
    """23:30 UTC on 31 March 2026 is already 1 April in London (summer time)."""
    monkeypatch.setattr(panel_data_window, "utc_now", lambda: datetime(2026, 3, 31, 23, 30))
    window = panel_data_window.PanelDataWindow(AppContext(store, "Joanne Pike"))
    qtbot.addWidget(window)
    assert (window.start.value(), window.end.value()) == (date(2026, 4, 1), date(2027, 3, 31))


def test_typed_labels_show_as_typed_not_as_markup(qtbot):
    """A band or setting is typed by people: markup in it is shown, never obeyed."""
    from panelapp.ui.chart_views import Bars, bar_chart

    chart = bar_chart("Funding", Bars(("<b>B3</b> & up",), (("<i>Mainstream</i>", (5.0,)),)))
    assert list(chart.axes()[0].categories()) == ["&lt;b&gt;B3&lt;/b&gt; &amp; up"]
    assert chart.series()[0].barSets()[0].label() == "&lt;i&gt;Mainstream&lt;/i&gt;"


def test_a_decision_recorded_while_it_is_open_redraws_it_and_locking_closes_it(
    qtbot, data_window, store, demo
):
    from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, Outcome
    from panelapp.services import decisions, meetings
    from panelapp.store.tables import AgendaItem, Case

    row = ("EHC needs assessment request", "Agree to assess")
    before = next(r[2] for r in data_window.data_sets["outcomes"].rows if r[:2] == row)
    with UnitOfWork(store, "ops officer") as uow:
        for member_id in demo.member_ids.values():
            meetings.record_attendance(
                uow, demo.next_meeting_id, member_id, AttendanceStatus.PRESENT
            )
        meetings.start_meeting(uow, demo.next_meeting_id)
        item_id = (
            uow.session.query(AgendaItem.id)
            .join(Case, AgendaItem.case_id == Case.id)
            .filter(
                AgendaItem.meeting_id == demo.next_meeting_id,
                AgendaItem.status != ItemStatus.WITHDRAWN.value,
                Case.request_type == RequestType.ASSESSMENT_REQUEST.value,
            )
            .order_by(AgendaItem.position)
            .first()
            .id
        )
    data_window.ctx.run(
        decisions.record_decision, item_id, outcome=Outcome.AGREE_TO_ASSESS, rationale="r"
    )
    assert [r for r in _table(data_window.charts["outcomes"]) if tuple(r[:2]) == row] == [
        [*row, str(before + 1)]
    ]
    main = data_window.parent()
    main.lock()
    qtbot.waitUntil(lambda: not main.findChildren(panel_data_window.PanelDataWindow))
    assert not main.panel_data_action.isEnabled()


def test_the_chart_in_view_comes_first_and_the_others_once_it_is_on_screen(
    qtbot, store, demo, today, monkeypatch
):
    """Opening the window works out and draws only the chart in view; the other tabs are
    filled once it has been painted, without anyone asking, with the service's figures."""
    monkeypatch.setattr(
        panel_data_window,
        "utc_now",
        lambda: datetime.combine(today, datetime.min.time().replace(hour=12)),
    )
    window = panel_data_window.PanelDataWindow(AppContext(store, "Joanne Pike"))
    qtbot.addWidget(window)
    panels_in_tabs = [window.tabs.widget(i) for i in range(window.tabs.count())]
    assert panels_in_tabs[0].data_set is not None and panels_in_tabs[0].data_set.rows
    assert [p.data_set for p in panels_in_tabs[1:]] == [None, None, None]
    window.show()
    qtbot.waitUntil(lambda: all(p.data_set is not None for p in panels_in_tabs))
    figures = _figures(store, StatsQuery(date(2025, 4, 1), date(2026, 3, 31)))
    for (_, key, _), panel in zip(panel_data_window.CHARTS, panels_in_tabs, strict=True):
        assert panel.data_set == figures[key]
        assert panel.table.rowCount() == len(figures[key].rows)


def test_another_tab_chosen_before_the_rest_is_drawn_is_drawn_at_once(qtbot, store, demo, today):
    window = panel_data_window.PanelDataWindow(AppContext(store, "Joanne Pike"), today=today)
    qtbot.addWidget(window)
    funding = window.tabs.widget(3)
    assert funding.data_set is None
    window.tabs.setCurrentIndex(3)
    assert funding.data_set is not None and funding.data_set.key == "funding"
    assert funding.table.rowCount() == len(funding.data_set.rows) > 0
