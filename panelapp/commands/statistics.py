"""The panel figures and the inspection pack from the command line: ``panelapp stats`` and
``panelapp inspection-pack``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from panelapp.commands import numbers
from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import RequestType


def day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as 2026-04-01 (year-month-day)"
        ) from None


def _query(args):
    from panelapp.services.panel_statistics import StatsQuery

    if args.to < args.from_:
        raise PanelappError("--to is before --from. Give the period's first day, then its last.")
    rtype = RequestType(args.request_type) if getattr(args, "request_type", None) else None
    return StatsQuery(args.from_, args.to, getattr(args, "panel", None), rtype)


def cmd_stats(args) -> int:
    from panelapp.services.statistics_export import export_statistics

    with opened_store(args) as store:
        result = export_statistics(
            store,
            args.actor,
            _query(args),
            args.out,
            fmt=args.format,
            publish=args.publish,
            overwrite=args.overwrite,
        )
    kind = "for publication (small numbers shown as <5)" if result.published else "exact counts"
    print(f"Wrote {result.data_sets} data sets, {kind}, to {result.path}")
    return EXIT_OK


def _period(p) -> None:
    p.add_argument(
        "--from",
        dest="from_",
        type=day,
        required=True,
        metavar="DATE",
        help="the period's first day (2026-04-01)",
    )
    p.add_argument("--to", type=day, required=True, metavar="DATE",
                   help="the period's last day (2026-03-31)")  # fmt: skip


def register(sub) -> None:
    p = sub.add_parser(
        "stats",
        help="the panel figures for a period, as an Excel workbook or CSV files",
        description=(
            "Requests and decisions by type, outcome, need, age, setting, placement and the "
            "child's circumstances; deferrals; timeliness against the statutory time limits "
            "(with and without excepted cases); High Needs funding committed; attendance, "
            "late papers and declarations. --publish shows counts under 5 as <5."
        ),
    )
    _period(p)
    p.add_argument("--panel", type=numbers.record_number, help="one panel's number (default: all)")
    p.add_argument("--request-type", choices=[r.value for r in RequestType],
                   help="one request type (default: all)")  # fmt: skip
    p.add_argument("--publish", action="store_true",
                   help="for publication: counts of 1 to 4 shown as <5")  # fmt: skip
    p.add_argument("--format", choices=("csv", "xlsx"), default="xlsx",
                   help="xlsx: one workbook; csv: a folder with one file a data set")  # fmt: skip
    p.add_argument("--out", type=Path, required=True, metavar="PATH",
                   help="the workbook file or CSV folder to write (or a folder to put it in)")  # fmt: skip
    p.add_argument("--overwrite", action="store_true", help="replace a file already there")
    p.set_defaults(func=cmd_stats)
    register_pack(sub)


def cmd_inspection_pack(args) -> int:
    from panelapp.services.inspection_pack import export_inspection_pack

    query = _query(args)
    with opened_store(args) as store:
        pack = export_inspection_pack(
            store, args.actor, query.start, query.end, args.out, panel_id=args.panel,
            overwrite=args.overwrite,
        )  # fmt: skip
    versions = f"{pack.minutes_versions} signed minutes version" + (
        "" if pack.minutes_versions == 1 else "s"
    )
    print(f"Wrote the inspection pack ({len(pack.files)} files, {versions}) to {pack.folder}")
    return EXIT_OK


def register_pack(sub) -> None:
    p = sub.add_parser(
        "inspection-pack",
        help="terms of reference, signed minutes, figures and an index, in one new folder",
    )
    _period(p)
    p.add_argument("--panel", type=numbers.record_number, help="one panel's number (default: all)")
    p.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="the new folder")
    p.add_argument("--overwrite", action="store_true", help="replace a folder already there")
    p.set_defaults(func=cmd_inspection_pack)
