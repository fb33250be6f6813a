"""The Panel data window: the panel's figures (``services.panel_statistics``, the same the
``panelapp stats`` command writes) for a period, one panel or all, one request type or all,
as charts beside their tables, with exact counts (it is inside the application).

The figures are worked out on the GUI thread, as the filters change: one pass over rows loaded
in a handful of queries (about 20 ms on the demonstration store). The chart in view is worked
out and drawn first; the other figures and charts just after it has been painted (or at once
when asked for: ``data_sets``, ``charts``, another tab chosen). The window
follows the store: a change made elsewhere while it is open redraws it."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.statistics_rules import financial_year_bounds
from panelapp.domain.uk_time import uk_day
from panelapp.domain.vocabulary import RequestType
from panelapp.services.clock import utc_now
from panelapp.services.panel_statistics import DataSet, StatsQuery, panel_statistics
from panelapp.services.panels import all_panel_settings
from panelapp.ui.chart_views import Bars, ChartPanel, column_bars, pivot_bars, prefixed_bars
from panelapp.ui.context import AppContext
from panelapp.ui.date_field import DateField
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text
from panelapp.ui.store_events import StoreChanged

logger = logging.getLogger(__name__)


def _outcomes(ds: DataSet) -> Bars:
    return pivot_bars(ds, lambda row: row[0], lambda row: row[1], 2)


def _timeliness(ds: DataSet) -> Bars:
    return column_bars(ds)


def _deferrals(ds: DataSet) -> Bars:
    return prefixed_bars(ds, "Reason: ", "Deferrals")


def _funding(ds: DataSet) -> Bars:
    years = {row[0] for row in ds.rows}

    def band(row: tuple) -> str:
        return f"{row[2]} ({row[0]})" if len(years) > 1 else str(row[2])

    return pivot_bars(ds, band, lambda row: f"{row[1]}, {row[3]}", 5)


#: tab name, the data set it draws and how
CHARTS = (
    ("Outcomes", "outcomes", _outcomes),
    ("Timeliness", "timeliness", _timeliness),
    ("Deferrals", "deferrals", _deferrals),
    ("Funding", "funding", _funding),
)


class PanelDataWindow(QDialog):
    def __init__(self, ctx: AppContext, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Panel data")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1200, 760)
        start, end = financial_year_bounds(today or uk_day(utc_now()))
        self.start = DateField(start)
        self.start.setAccessibleName("From")
        self.end = DateField(end)
        self.end.setAccessibleName("To")
        self.panel = QComboBox()
        self.panel.setAccessibleName("Panel")
        self.panel.addItem("All panels", None)
        for settings in ctx.read(all_panel_settings):
            self.panel.addItem(settings.name, settings.panel_id)
        self.request_type = QComboBox()
        self.request_type.setAccessibleName("Request type")
        self.request_type.addItem("All request types", None)
        for rtype in RequestType:
            self.request_type.addItem(rtype.label, rtype.value)
        filters = QHBoxLayout()
        for label, widget in (
            ("From", self.start),
            ("To", self.end),
            ("Panel", self.panel),
            ("Request type", self.request_type),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addStretch(1)
        self.banner = Banner("Panel data message", self)
        self.tabs = QTabWidget()
        self._charts: dict[str, ChartPanel] = {}
        for name, key, _ in CHARTS:
            self._charts[key] = ChartPanel(name)
            self.tabs.addTab(self._charts[key], name)
            self._charts[key].view.viewport().installEventFilter(self)  # where it paints
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self._data_sets: dict[str, DataSet] = {}
        #: the query whose other figures are still to be worked out and drawn
        self._pending: StatsQuery | None = None
        self.query: StatsQuery | None = None
        self.tabs.currentChanged.connect(self.finish)
        self.start.dateChanged.connect(self.recompute)
        self.end.dateChanged.connect(self.recompute)
        self.panel.currentIndexChanged.connect(self.recompute)
        self.request_type.currentIndexChanged.connect(self.recompute)
        ctx.changed.connect(self._store_changed)
        self.recompute()

    def chosen_query(self) -> StatsQuery | None:
        """The filters as a query, or None (with the reason shown) while they cannot be used."""
        start, end = self.start.value(), self.end.value()
        if start is None or end is None:
            self.banner.show_message("error", "Type both dates as dd/mm/yyyy to see the figures.")
            return None
        if end < start:
            self.banner.show_message(
                "error",
                "The 'To' date is before the 'From' date. Give the first day, then the last.",
            )
            return None
        rtype = self.request_type.currentData()
        return StatsQuery(
            start, end, self.panel.currentData(), RequestType(rtype) if rtype else None
        )

    @property
    def data_sets(self) -> dict[str, DataSet]:
        """Every figure of the period, by key."""
        self.finish()
        return self._data_sets

    @property
    def charts(self) -> dict[str, ChartPanel]:
        """Every chart panel, by the key of the figure it draws, all of them drawn."""
        self.finish()
        return self._charts

    def recompute(self, *_) -> None:
        """The figures for the filters: the chart in view now, the others just after."""
        query = self.chosen_query()
        if query is None or self.ctx.store is None:
            return
        shown = CHARTS[max(self.tabs.currentIndex(), 0)][1]
        try:
            first = self.ctx.read(panel_statistics, query, (shown,))
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.clear_message()
        self.query = query
        self._data_sets = {ds.key: ds for ds in first}
        self._draw(shown)
        self._pending = query  # the rest once that chart is on screen (``eventFilter``)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if self._pending is not None and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self.finish)  # after this paint
        return False

    def finish(self, *_) -> None:
        """Work out and draw the figures not drawn yet, if any."""
        query, self._pending = self._pending, None
        if query is None or query != self.query or self.ctx.store is None:
            return
        try:
            sets = self.ctx.read(panel_statistics, query)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        drawn = self._data_sets  # kept as drawn
        self._data_sets = {ds.key: drawn.get(ds.key, ds) for ds in sets}
        for _name, key, _bars in CHARTS:
            if key not in drawn:
                self._draw(key)

    def _draw(self, key: str) -> None:
        bars = next(how for _name, k, how in CHARTS if k == key)
        self._charts[key].show_data(self._data_sets[key], bars(self._data_sets[key]))

    def _store_changed(self, event) -> None:
        if self.isVisible() and not StoreChanged.coerce(event).quiet:
            self.recompute()
