"""Importing a case list exported from a case-management system (CSV or XLSX).

All or nothing: every row is checked first, every problem is reported with its row and column
(as the spreadsheet numbers them), and the cases are added in one transaction only when all
rows are valid. Messages never repeat a cell's value, which could be a child's name or date of
birth; they say what the column should hold.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from panelapp.documents.case_list_reader import (
    MAX_ROWS,
    Formula,
    column_letter,
    too_many_rows,
)
from panelapp.documents.reading_process import (
    ReadingFailed,
    ReadingLimit,
    ReadingProcess,
    limit_message,
)
from panelapp.domain.case_facts import PLACEMENT_ALIASES, PlacementType, Vulnerability
from panelapp.domain.errors import PanelappError
from panelapp.domain.text_safety import unsafe_character
from panelapp.domain.vocabulary import PrimaryNeed, RequestType
from panelapp.services import meetings
from panelapp.services.cases import CaseDetails, add_case
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store
from panelapp.store.tables import Case

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ERRORS_SHOWN = 25
OLDEST_AGE = 25  # the SEND system covers 0 to 25


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    required: bool
    aliases: tuple[str, ...]
    meaning: str


#: The columns of a case list, in the order the README documents them.
COLUMNS: tuple[Column, ...] = (
    Column("reference", "reference", True,
           ("ref", "council reference", "case reference", "child reference", "la reference"),
           "the council's reference for the child"),
    Column("first_name", "first name", True,
           ("forename", "forenames", "given name", "given names", "first names"),
           "the child's first name"),
    Column("last_name", "last name", True, ("surname", "family name"), "the child's last name"),
    Column("date_of_birth", "date of birth", True, ("dob", "birth date"), "a date"),
    Column("setting", "setting", False,
           ("school", "current setting", "education setting", "school or setting"),
           "the school, college or early years setting"),
    Column("year_group", "year group", False,
           ("year", "nc year", "ncy", "national curriculum year"),
           "a year group such as Reception, Year 6 or 6"),
    Column("primary_need", "primary need", True,
           ("primary sen need", "primary type of need", "sen2 primary need", "need"),
           "an SEN2 code such as SLCN, ASD or SEMH"),
    Column("request_type", "request type", True, ("type of request", "request"),
           "a request type such as 'EHC needs assessment request' or 'top_up'"),
    Column("request_received", "request received date", True,
           ("request received", "date received", "received", "date of request",
            "request date", "date request received"),
           "a date"),
    Column("case_officer", "case officer", False,
           ("sen case officer", "officer", "caseworker", "case worker"),
           "the case officer's name"),
    Column("secondary_need", "secondary need", False, ("secondary sen need",),
           "an SEN2 code, or blank"),
    Column("review_meeting_date", "review meeting date", False,
           ("annual review meeting date", "annual review date", "review date"),
           "a date, or blank"),
    Column("transfer_year", "transfer year", False, ("phase transfer year",),
           "a year such as 2027, or blank"),
    Column("post16_transfer", "post-16 transfer", False, ("post 16", "post16"),
           "yes or no, or blank"),
    Column("transfer_date", "transfer date", False,
           ("post-16 transfer date", "date of transfer", "move date"),
           "the date of a post-16 to post-16 move at another time of year, or blank"),
    Column("looked_after", "looked after", False,
           ("lac", "cla", "child looked after", "looked after child", "in care"),
           "yes or no, or blank"),
    Column("child_in_need", "child in need", False, ("cin",), "yes or no, or blank"),
    Column("child_protection_plan", "child protection plan", False,
           ("cp", "cpp", "on a child protection plan", "child protection"),
           "yes or no, or blank"),
    Column("care_leaver", "care leaver", False, ("former looked after",),
           "yes or no, or blank"),
    Column("electively_home_educated", "electively home educated", False,
           ("ehe", "elective home education", "home educated"), "yes or no, or blank"),
    Column("known_to_youth_justice", "known to youth justice", False,
           ("youth justice", "yot", "youth offending"), "yes or no, or blank"),
    Column("free_school_meals", "free school meals", False, ("fsm", "eligible for fsm"),
           "yes or no, or blank"),
    Column("placement_type", "placement type", False,
           ("type of placement", "setting type", "type of setting", "provision type"),
           "a placement type such as mainstream, maintained special or EOTAS, or blank"),
    Column("final_plan_issued", "final plan issued", False,
           ("final plan issued date", "date final plan issued", "final ehcp issued",
            "plan issued date", "ehcp issued"),
           "the date the final EHC plan was issued, or blank"),
)  # fmt: skip

#: the columns that are vulnerability flags (their keys are the flags' codes)
FLAG_KEYS = frozenset(v.value for v in Vulnerability)

REQUEST_TYPE_ALIASES = {
    "ehcna": RequestType.ASSESSMENT_REQUEST,
    "ehcneedsassessment": RequestType.ASSESSMENT_REQUEST,
    "needsassessment": RequestType.ASSESSMENT_REQUEST,
    "assessmentrequest": RequestType.ASSESSMENT_REQUEST,
    "requestforassessment": RequestType.ASSESSMENT_REQUEST,
    "postassessment": RequestType.POST_ASSESSMENT,
    "decisiontoissue": RequestType.POST_ASSESSMENT,
    "annualreview": RequestType.ANNUAL_REVIEW,
    "phasetransfer": RequestType.PHASE_TRANSFER,
    "changeofplacement": RequestType.PLACEMENT,
    "topup": RequestType.TOP_UP,
    "highneedstopup": RequestType.TOP_UP,
    "element3": RequestType.TOP_UP,
    "hnf": RequestType.TOP_UP,
    "directpayment": RequestType.PERSONAL_BUDGET,
    "personalbudget": RequestType.PERSONAL_BUDGET,
    "transport": RequestType.TRAVEL_ASSISTANCE,
    "travel": RequestType.TRAVEL_ASSISTANCE,
    "eotas": RequestType.ALTERNATIVE_PROVISION,
    "interimtuition": RequestType.ALTERNATIVE_PROVISION,
    "alternativeprovision": RequestType.ALTERNATIVE_PROVISION,
    "careplan": RequestType.CARE_PACKAGE,
    "carepackage": RequestType.CARE_PACKAGE,
}
NEED_ALIASES = {"autism": PrimaryNeed.ASD, "asc": PrimaryNeed.ASD}


class CaseListInvalid(PanelappError):
    """The case list cannot be imported; ``problems`` lists each row and column."""

    def __init__(self, problems: Sequence[str], summary: str) -> None:
        shown = list(problems[:MAX_ERRORS_SHOWN])
        more = len(problems) - len(shown)
        lines = [summary, *(f"  - {p}" for p in shown)]
        if more:
            lines.append(f"  - and {more} more problem(s) of the same kinds")
        lines.append("Nothing was imported. Correct the file and import it again.")
        super().__init__("\n".join(lines))
        self.problems = list(problems)


@dataclass(frozen=True)
class CaseListImport:
    case_ids: tuple[int, ...]
    item_ids: tuple[int, ...]
    ignored_columns: tuple[str, ...]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


_LOOKUP = {_norm(name): col for col in COLUMNS for name in (col.key, col.heading, *col.aliases)}


# -- reading the file ----------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    """The whole file, size-checked, read once."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise PanelappError(f"Cannot read {path}. Check the path and try again.") from None
    if size == 0:
        raise PanelappError(f"{path.name} is empty. Export the case list again.")
    if size > MAX_FILE_BYTES:
        raise PanelappError(
            f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, far more than a "
            "case list. Check you chose the right file."
        )
    try:
        data = path.read_bytes()
    except OSError:
        raise PanelappError(
            f"Cannot read {path.name}; it may be open in another program. Close it and try again."
        ) from None
    return data


def read_rows(data: bytes, name: str) -> list[tuple[int, list]]:
    """The rows of the file, read in the reading process (limits on memory and time)."""
    with ReadingProcess() as reader:
        try:
            return reader.run("case_list", data, name=name)
        except ReadingLimit as limit:
            what = "Excel workbook" if data.startswith(b"PK") else "case list"
            raise PanelappError(f"{name} {limit_message(limit.why, what)}") from None
        except ReadingFailed:
            raise PanelappError(
                f"{name} could not be read (it may be damaged). Open it in Excel, save it as "
                ".xlsx or CSV, and import it again."
            ) from None


# -- finding the header --------------------------------------------------------------------


def _recognised(cells: list) -> dict[int, Column]:
    """Which column of a row holds what, for the cells that are known headings."""
    return {
        i: _LOOKUP[_norm(c)]
        for i, c in enumerate(cells)
        if isinstance(c, str) and _norm(c) in _LOOKUP
    }


def _header(rows: list[tuple[int, list]], name: str) -> tuple[int, dict[int, Column], list[str]]:
    """The header row (within the first ten rows: exports may start with a title), which column
    holds what, and the headings that were not recognised."""
    for index, (_, cells) in enumerate(rows[:10]):
        found = _recognised(cells)
        if len(found) >= 3:
            _check_columns(found, name)
            _check_headings(cells, rows[index][0], name)
            ignored = [
                str(c).strip()
                for i, c in enumerate(cells)
                if c and not isinstance(c, Formula) and i not in found
            ]
            return index, found, ignored
    raise CaseListInvalid(
        [],
        f"{name} has no header row naming the columns (for example 'reference', "
        "'first name', 'date of birth'). See the case-list columns in the README.",
    )


def _check_headings(cells: list, number: int, name: str) -> None:
    """Headings are shown back to the officer, so they are held to the same rule as cells."""
    problems = [
        f"row {number}, column {_letter(i)}: {_UNSAFE.format(code=code)}"
        for i, c in enumerate(cells)
        if isinstance(c, str) and (code := unsafe_character(c))
    ]
    if problems:
        raise CaseListInvalid(problems, f"{name} has {len(problems)} problem(s):")


_UNSAFE = (
    "holds a hidden control or text-direction character ({code}), which can disguise what "
    "is shown; retype the cell"
)


def _check_columns(found: dict[int, Column], name: str) -> None:
    seen: dict[str, int] = {}
    for i, col in sorted(found.items()):
        if col.key in seen:
            raise CaseListInvalid(
                [],
                f"{name} has two columns for {col.heading} (columns {_letter(seen[col.key])} "
                f"and {_letter(i)}). Remove one.",
            )
        seen[col.key] = i
    missing = [c for c in COLUMNS if c.required and c.key not in seen]
    if missing:
        problems = [
            f"no column for {c.heading} (a heading such as '{c.heading}' or '{c.aliases[0]}')"
            for c in missing
        ]
        raise CaseListInvalid(problems, f"{name} lacks required columns:")


_letter = column_letter


# -- the values ----------------------------------------------------------------------------


class _Bad(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return " ".join(str(value).split())


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", text):
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _Bad("is not a date; write it as 14/03/2019 (day/month/year) or 2019-03-14")


def parse_need(value) -> PrimaryNeed:
    key = _norm(_text(value))
    for need in PrimaryNeed:
        if key in (_norm(need.value), _norm(need.label)):
            return need
    if key in NEED_ALIASES:
        return NEED_ALIASES[key]
    codes = ", ".join(n.value for n in PrimaryNeed)
    raise _Bad(f"is not an SEN2 need; use one of {codes}")


def parse_request_type(value) -> RequestType:
    key = _norm(_text(value))
    for rtype in RequestType:
        if key in (_norm(rtype.value), _norm(rtype.label)):
            return rtype
    if key in REQUEST_TYPE_ALIASES:
        return REQUEST_TYPE_ALIASES[key]
    raise _Bad(
        "is not a request type panelapp knows; use one of: "
        + "; ".join(f"{r.value} ({r.label})" for r in RequestType)
    )


def parse_year_group(value) -> str:
    text = _text(value)
    if re.fullmatch(r"\d{1,2}", text):
        return f"Year {int(text)}" if int(text) else "Reception"  # NC year 0 is Reception
    if _norm(text) in ("r", "rec", "reception"):
        return "Reception"
    if len(text) > 16:
        raise _Bad("is too long for a year group; use for example Reception, Year 6 or Post-16")
    return text


def parse_flag(value) -> bool:
    key = _norm(_text(value))
    if key in ("", "no", "n", "false", "0"):
        return False
    if key in ("yes", "y", "true", "1"):
        return True
    raise _Bad("should be yes or no")


def parse_year(value) -> int:
    text = _text(value)
    if re.fullmatch(r"20\d\d", text):
        return int(text)
    raise _Bad("is not a year; write it as four digits, such as 2027")


def parse_placement_type(value) -> PlacementType:
    key = _norm(_text(value))
    for placement in PlacementType:
        if key in (_norm(placement.value), _norm(placement.label)):
            return placement
    if key in PLACEMENT_ALIASES:
        return PLACEMENT_ALIASES[key]
    raise _Bad(
        "is not a placement type panelapp knows; use one of: "
        + "; ".join(f"{p.value} ({p.label})" for p in PlacementType)
    )


def _limited(limit: int) -> Callable:
    def parse(value) -> str:
        text = _text(value)
        if len(text) > limit:
            raise _Bad(f"is longer than {limit} characters")
        return text

    return parse


_PARSERS: dict[str, Callable] = {
    "reference": _limited(64),
    "first_name": _limited(100),
    "last_name": _limited(100),
    "date_of_birth": parse_date,
    "setting": _limited(200),
    "year_group": parse_year_group,
    "primary_need": parse_need,
    "secondary_need": parse_need,
    "request_type": parse_request_type,
    "request_received": parse_date,
    "case_officer": _limited(200),
    "review_meeting_date": parse_date,
    "transfer_year": parse_year,
    "post16_transfer": parse_flag,
    "transfer_date": parse_date,
    **{key: parse_flag for key in FLAG_KEYS},
    "placement_type": parse_placement_type,
    "final_plan_issued": parse_date,
}


def _details(values: dict) -> CaseDetails:
    """The case's details from a row's parsed values (flag columns become one set)."""
    flags = frozenset(Vulnerability(k) for k in FLAG_KEYS if values.get(k))
    rest = {k: v for k, v in values.items() if k not in FLAG_KEYS}
    return CaseDetails(**rest, vulnerabilities=flags)


def _row_problems(values: dict, today: date) -> list[tuple[str, str]]:
    """Checks across columns: (column key, problem)."""
    problems = []
    dob, received = values.get("date_of_birth"), values.get("request_received")
    if dob and dob > today:
        problems.append(("date_of_birth", "is in the future"))
    if received and received > today:
        problems.append(("request_received", "is in the future"))
    issued = values.get("final_plan_issued")
    if issued and issued > today:
        problems.append(("final_plan_issued", "is in the future"))
    elif issued and received and issued < received:
        problems.append(("final_plan_issued", "is before the request received date"))
    if dob and received:
        if dob > received:
            problems.append(("date_of_birth", "is after the request received date"))
        elif (received - dob).days > (OLDEST_AGE + 1) * 366:
            problems.append(
                (
                    "date_of_birth",
                    f"makes the young person older than {OLDEST_AGE} at the "
                    "request; the SEND system covers ages 0 to 25. Check the date of birth",
                )
            )
    return problems


def validate(
    rows: list[tuple[int, list]], name: str, *, today: date | None = None
) -> tuple[list[tuple[int, CaseDetails]], list[str]]:
    """Every row checked; returns (row number, details) for each case and the ignored headings,
    or raises CaseListInvalid naming each bad row and column."""
    today = today or date.today()
    header_index, columns, ignored = _header(rows, name)
    problems: list[str] = []
    cases: list[tuple[int, CaseDetails]] = []
    keys_seen: dict[tuple, int] = {}
    for number, cells in rows[header_index + 1 :]:
        if not any(isinstance(c, Formula) or _text(c) for c in cells):
            continue
        values: dict = {}
        for index, cell in enumerate(cells):
            code = unsafe_character(cell) if isinstance(cell, str) else None
            if code and index not in columns:
                problems.append(
                    f"row {number}, column {_letter(index)}: {_UNSAFE.format(code=code)}"
                )
        for index, column in columns.items():
            raw = cells[index] if index < len(cells) else None
            label = f"row {number}, column {_letter(index)} ({column.heading})"
            if isinstance(raw, Formula):
                problems.append(
                    f"{label}: is a formula; a case list must hold the values themselves (copy "
                    "the column and paste it as values, or export the list again)"
                )
                continue
            if isinstance(raw, str) and (code := unsafe_character(raw)):
                problems.append(f"{label}: {_UNSAFE.format(code=code)}")
                continue
            if not _text(raw) and not isinstance(raw, date):
                if column.required:
                    problems.append(f"{label}: is blank; give {column.meaning}")
                continue
            try:
                values[column.key] = _PARSERS[column.key](raw)
            except _Bad as bad:
                problems.append(f"{label}: {bad}")
        for key, problem in _row_problems(values, today):
            index = next(i for i, c in columns.items() if c.key == key)
            problems.append(f"row {number}, column {_letter(index)} ({_heading(key)}): {problem}")
        if len(cases) >= MAX_ROWS:
            raise PanelappError(too_many_rows(name))
        if all(c.key in values for c in COLUMNS if c.required):
            same = (
                values["reference"].lower(),
                values["request_type"],
                values["request_received"],
            )
            if same in keys_seen:
                problems.append(
                    f"row {number}: repeats row {keys_seen[same]} (same reference, request type "
                    "and received date); remove one of them"
                )
                continue
            keys_seen[same] = number
            cases.append((number, _details(values)))
    if problems:
        raise CaseListInvalid(problems, f"{name} has {len(problems)} problem(s):")
    if not cases:
        raise CaseListInvalid([], f"{name} has a header row but no cases under it.")
    return cases, ignored


def _heading(key: str) -> str:
    return next(c.heading for c in COLUMNS if c.key == key)


# -- importing -----------------------------------------------------------------------------


def _already_stored(uow: UnitOfWork, cases: Iterable[tuple[int, CaseDetails]]) -> list[str]:
    problems = []
    for number, details in cases:
        existing = uow.session.scalar(
            select(Case.id).where(
                Case.reference == details.reference.strip(),
                Case.request_type == RequestType(details.request_type),
                Case.request_received == details.request_received,
            )
        )
        if existing is not None:
            problems.append(
                f"row {number}: this request (same reference, request type and received date) "
                f"is already in the store as case {existing}; remove the row"
            )
    return problems


def import_case_list(
    store: Store,
    actor: str,
    path: Path,
    *,
    meeting_id: int | None = None,
    minutes: int = 15,
    today: date | None = None,
) -> CaseListImport:
    """Add every case of the file, or none; optionally put each on a meeting's agenda in the
    file's order, presented by its case officer."""
    path = Path(path)
    data = read_file(path)
    cases, ignored = validate(read_rows(data, path.name), path.name, today=today)
    digest = hashlib.sha256(data).hexdigest()
    with UnitOfWork(store, actor) as uow:
        duplicates = _already_stored(uow, cases)
        if duplicates:
            raise CaseListInvalid(duplicates, f"{path.name} has {len(duplicates)} problem(s):")
        case_ids, item_ids = [], []
        for _, details in cases:
            case_id = add_case(uow, details)
            case_ids.append(case_id)
            if meeting_id is not None:
                item_ids.append(
                    meetings.put_on_agenda(
                        uow,
                        meeting_id,
                        case_id,
                        minutes=minutes,
                        presenting_officer=details.case_officer,
                    )
                )
        uow.audit(
            "cases.imported",
            "meeting" if meeting_id is not None else "case",
            meeting_id,
            cases=len(case_ids),
            put_on_agenda=len(item_ids),
            file_sha256=digest,
        )
    logger.info("imported a case list of %d cases", len(case_ids))
    return CaseListImport(tuple(case_ids), tuple(item_ids), tuple(ignored))
