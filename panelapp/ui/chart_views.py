"""One figure of the panel data drawn as a bar chart (PySide6.QtCharts) beside its table, with
buttons to copy the chart as a picture or save it as a PNG file.

What a chart draws is worked out from a ``DataSet``'s own rows (``Bars``): each bar is one
cell of the table, never a figure worked out again here."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panelapp.services.panel_statistics import DataSet
from panelapp.ui import palette
from panelapp.ui.feedback import Banner

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bars:
    """What a bar chart draws: the categories along its axis and, for each series, its name
    and one value a category (None where the table has no such cell)."""

    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    stacked: bool = False
    axis_title: str = ""


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def column_bars(ds: DataSet) -> Bars:
    """The data set's own chart columns (``DataSet.chart``): a category a row, a series a
    value column; none when it names none."""
    if ds.chart is None:
        return Bars((), ())
    label, values = ds.chart
    categories = tuple(str(row[label]) for row in ds.rows)
    series = tuple(
        (ds.headings[col], tuple(_number(row[col]) for row in ds.rows)) for col in values
    )
    titles = [ds.headings[c] for c in values]
    shares = all(t.endswith("(%)") for t in titles)
    return Bars(categories, series, axis_title="Per cent" if shares else ", ".join(titles))


def pivot_bars(
    ds: DataSet,
    category: Callable[[tuple], str],
    series: Callable[[tuple], str],
    value: int,
    *,
    stacked: bool = True,
) -> Bars:
    """Rows spread out as a grid: each row's ``value`` cell is the bar of its series in its
    category (a row a bar: the data set's rows are unique on those two)."""
    categories: list[str] = []
    names: list[str] = []
    cells: dict[tuple[str, str], float | None] = {}
    for row in ds.rows:
        cat, name = category(row), series(row)
        if cat not in categories:
            categories.append(cat)
        if name not in names:
            names.append(name)
        cells[(cat, name)] = _number(row[value])
    return Bars(
        tuple(categories),
        tuple((n, tuple(cells.get((c, n)) for c in categories)) for n in names),
        stacked=stacked,
        axis_title=ds.headings[value],
    )


def prefixed_bars(ds: DataSet, prefix: str, series_name: str) -> Bars:
    """The rows whose first cell starts with ``prefix`` (the deferral reasons), a bar each."""
    rows = [row for row in ds.rows if str(row[0]).startswith(prefix)]
    return Bars(
        tuple(str(row[0])[len(prefix) :] for row in rows),
        ((series_name, tuple(_number(row[1]) for row in rows)),),
        axis_title=series_name,
    )


def bar_chart(title: str, bars: Bars) -> QChart:
    """Bars lying along the value axis, so that the categories' long names (request types,
    time limits) read in full down the left, the table's first row at the top. QtCharts reads
    markup in its titles, axis labels and legend: every text is escaped (a band or setting is
    typed by people), so it shows as typed."""
    chart = QChart()
    chart.setTitle(_plain(title))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    series = QHorizontalStackedBarSeries() if bars.stacked else QHorizontalBarSeries()
    for index, (name, values) in enumerate(bars.series):
        bar_set = QBarSet(_plain(name))
        bar_set.setColor(palette.chart_colour(index))
        bar_set.setBorderColor(palette.chart_colour(index))
        bar_set.append([0.0 if v is None else v for v in reversed(values)])
        series.append(bar_set)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([_plain(c) for c in reversed(bars.categories)])
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    axis = QValueAxis()
    axis.setTitleText(_plain(bars.axis_title))
    axis.setLabelFormat("%g")
    top = _highest(bars)
    axis.setRange(0, top if top > 0 else 1)
    axis.applyNiceNumbers()
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis)
    chart.legend().setVisible(len(bars.series) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _plain(text: str) -> str:
    return html.escape(text, quote=False)


def _highest(bars: Bars) -> float:
    columns: Iterable[tuple[float | None, ...]] = (
        zip(*(values for _, values in bars.series), strict=True)
        if bars.series and bars.categories
        else ()
    )
    if bars.stacked:
        return max((sum(v or 0 for v in col) for col in columns), default=0)
    return max((v or 0 for col in columns for v in col), default=0)


def cell_text(heading: str, value) -> str:
    """A table cell as shown: counts exactly, pounds with pence, a blank as 'none'."""
    if value == "" or value is None:
        return "none"
    if isinstance(value, float) and "£" in heading:
        return f"{value:,.2f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ChartPanel(QWidget):
    """A data set's chart beside its table, what it means above, Copy and Save below."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.meaning = QLabel()
        self.meaning.setTextFormat(Qt.TextFormat.PlainText)
        self.meaning.setWordWrap(True)
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName(f"{name} chart")
        self.view.setMinimumSize(420, 300)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setAccessibleName(f"{name} table")
        self.empty = QLabel()
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.table)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.copy_button = QPushButton("&Copy the chart")
        self.copy_button.setToolTip("Copy the chart as a picture, to paste into a report")
        self.save_button = QPushButton("Save the chart as &PNG...")
        self.banner = Banner(f"{name} message", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.meaning)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        self.copy_button.clicked.connect(self.copy_chart)
        self.save_button.clicked.connect(lambda: self.save_png())
        self.data_set: DataSet | None = None
        self.bars: Bars | None = None

    def show_data(self, ds: DataSet, bars: Bars) -> None:
        self.data_set, self.bars = ds, bars
        self.meaning.setText(ds.meaning)
        old = self.view.chart()
        self.view.setChart(bar_chart(ds.title, bars))
        if old is not None:
            old.deleteLater()
        self.table.clear()
        self.table.setColumnCount(len(ds.headings))
        self.table.setHorizontalHeaderLabels(list(ds.headings))
        self.table.setRowCount(len(ds.rows))
        for r, row in enumerate(ds.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(cell_text(ds.headings[c], value))
                if isinstance(value, int | float):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        nothing = not bars.categories
        self.empty.setText("Nothing to chart in this period with these filters." if nothing else "")
        self.banner.clear_message()

    def picture(self) -> QPixmap:
        return self.view.grab()

    def copy_chart(self) -> None:
        QApplication.clipboard().setPixmap(self.picture())
        self.banner.show_message("ok", "Copied the chart: paste it into your document.")

    def save_png(self, path: Path | None = None) -> Path | None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save the chart as a picture", f"{self.name}.png", "PNG pictures (*.png)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        if not self.picture().save(str(path), "PNG"):
            self.banner.show_message(
                "error",
                f"The picture could not be saved in {path.parent}. Choose a folder you can "
                "write to and save it again.",
            )
            return None
        logger.info("chart saved as a picture")
        self.banner.show_message("ok", f"Saved the chart as {path}.")
        return path
