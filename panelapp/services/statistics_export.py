"""Exporting the panel figures (``panelapp stats``): an Excel workbook, or a folder of CSV
files, whole or not at all and with its audit event (``export_files``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from panelapp.documents.statistics_workbook import write_csv_folder, write_workbook
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.statistics_rules import HELD_BACK, SUPPRESSION_THRESHOLD
from panelapp.services import export_files
from panelapp.services.panel_statistics import StatsQuery, panel_statistics, published
from panelapp.store.engine import Store
from panelapp.store.tables import Panel

logger = logging.getLogger(__name__)

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class ExportedStatistics:
    path: Path
    data_sets: int
    published: bool


def cover_lines(session, query: StatsQuery, *, publish: bool) -> list[tuple[str, str]]:
    """What the cover sheet says about the figures as a whole."""
    if query.panel_id is None:
        panel = "All panels"
    else:
        row = session.get(Panel, query.panel_id)
        if row is None:
            raise PanelappError(
                f"There is no panel {query.panel_id}.", next_steps=(NextStep(Step.LIST_PANELS),)
            )
        panel = row.name
    return [
        ("Panel figures", f"{format_date(query.start)} to {format_date(query.end)}"),
        ("Panels", panel),
        ("Request types", query.request_type.label if query.request_type else "All"),
        (
            "Small numbers",
            f"Marked for publication: counts of 1 to {SUPPRESSION_THRESHOLD - 1} are shown as "
            f"'<{SUPPRESSION_THRESHOLD}' so that no child can be identified; 0 is shown as 0. "
            f"'{HELD_BACK}' marks a figure held back because a count shown as "
            f"'<{SUPPRESSION_THRESHOLD}' could be worked out from it: a total, another part of "
            "that total, or a share or median of those children."
            if publish
            else "Exact counts, for use inside the council only: not for publication. Export "
            "with --publish for figures that can be published.",
        ),
        (
            "How the figures are made",
            "From the panel's own records in panelapp: each request heard at a meeting held in "
            "the period (decided or deferred), with the case's details as recorded. Statutory "
            "time limits are those of the Children and Families Act 2014 and the SEND "
            "Regulations 2014, worked out as panelapp shows them on each case.",
        ),
    ]


def export_statistics(
    store: Store,
    actor: str,
    query: StatsQuery,
    out: Path,
    *,
    fmt: str = "xlsx",
    publish: bool = False,
    overwrite: bool = False,
) -> ExportedStatistics:
    """Write the figures to ``out``: a workbook (``xlsx``) or a folder of CSV files (``csv``).
    ``publish`` suppresses small numbers."""
    if fmt not in FORMATS:
        raise PanelappError("Give --format as xlsx or csv.")
    with store.read() as session:
        sets = panel_statistics(session, query)
        lines = cover_lines(session, query, publish=publish)
    if publish:
        sets = published(sets)
    default = f"Panel figures {query.start.isoformat()} to {query.end.isoformat()}"
    target = export_files.target_path(out, default + (".xlsx" if fmt == "xlsx" else ""))

    def record(uow, digest: str = "") -> None:
        uow.audit(
            "statistics.exported",
            "panel",
            query.panel_id,
            start=query.start.isoformat(),
            end=query.end.isoformat(),
            format=fmt,
            published=publish,
            data_sets=len(sets),
            **({"sha256": digest} if digest else {}),
        )

    if fmt == "xlsx":
        data = write_workbook(sets, cover_lines=lines)
        export_files.publish_file(
            store, actor, target, lambda fh: fh.write(data), record, overwrite=overwrite
        )
    else:
        export_files.publish_folder(
            store,
            actor,
            target,
            lambda folder: write_csv_folder(folder, sets, cover_lines=lines),
            record,
            overwrite=overwrite,
        )
    logger.info("exported %d data sets of panel figures", len(sets))
    return ExportedStatistics(target, len(sets), publish)
