"""Published figures never give a suppressed count away: over generated tables, no cell shown
as "<5" or "[c]" can be worked out again from the cells that are shown, neither exactly (by
adding and subtracting along the table's totals) nor narrowed to one value (a total less the
shown parts, with what "<5" and "[c]" tell a reader); and no share or median of a suppressed
count is shown."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from fractions import Fraction
from itertools import product
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from panelapp.domain.statistics_rules import HELD_BACK, SUPPRESSION_THRESHOLD
from panelapp.domain.vocabulary import ItemStatus
from panelapp.services import panel_statistics
from panelapp.services.panel_statistics import DataSet, published

T = SUPPRESSION_THRESHOLD
SMALL = f"<{T}"

counts = st.one_of(st.integers(0, T - 1), st.integers(0, 25))


@st.composite
def grids(draw) -> DataSet:
    """A table of counts with a row total, a share, and a totals row (column totals)."""
    k = draw(st.integers(2, 3))
    inner = draw(st.lists(st.lists(counts, min_size=k, max_size=k), min_size=1, max_size=4))
    rows = [[*r] for r in inner]
    rows.append([sum(col) for col in zip(*inner, strict=True)])
    table = tuple(
        (f"Row {i}" if i < len(inner) else "Total", sum(r), *r, round(100 * r[0] / sum(r), 1) if sum(r) else "")
        for i, r in enumerate(rows)
    )  # fmt: skip
    last = len(table) - 1
    sums = [((r, 1), tuple((r, c) for c in range(2, k + 2))) for r in range(len(table))]
    sums += [((last, c), tuple((r, c) for r in range(last))) for c in range(1, k + 2)]
    derived = tuple(((r, k + 2), ((r, 1), (r, 2))) for r in range(len(table)))
    return DataSet(
        "grid", "Generated", "Generated", ("Label", "All", *(f"P{c}" for c in range(k)), "%"),
        table, frozenset(range(1, k + 2)), sums=tuple(sums), derived=derived,
    )  # fmt: skip


@st.composite
def grouped(draw) -> DataSet:
    """The requests-by-group table the statistics service makes, from generated hearings."""
    hearings = draw(
        st.lists(
            st.tuples(st.sampled_from("ABCD"), st.booleans()).map(
                lambda t: SimpleNamespace(
                    group=t[0], status=ItemStatus.DECIDED if t[1] else ItemStatus.DEFERRED
                )
            ),
            max_size=40,
        )
    )
    return panel_statistics._by("g", "Groups", "Generated", "Group", hearings, lambda h: h.group)


@st.composite
def deferral_summaries(draw) -> DataSet:
    """The deferrals table the statistics service makes (a column of measures whose parts add
    up to other rows, with a rate and median days), from generated hearings."""
    day = date(2026, 3, 12)
    hearings = [
        SimpleNamespace(
            case=SimpleNamespace(id=case),
            meeting_date=day,
            deferral=None
            if days is None
            else SimpleNamespace(
                return_date=day + timedelta(days=days),
                inquorate_reasons=["x"] if inquorate else [],
                timescale_risk=risk,
            ),
        )
        for case, days, inquorate, risk in draw(
            st.lists(
                st.tuples(
                    st.integers(1, 8),
                    st.one_of(st.none(), st.integers(1, 60)),
                    st.booleans(),
                    st.booleans(),
                ),
                max_size=30,
            )
        )
    ]
    table, _ = panel_statistics._deferrals(hearings)
    return table


def _hidden(original: DataSet, public: DataSet) -> set[tuple[int, int]]:
    return {
        (r, c)
        for r, row in enumerate(public.rows)
        for c, value in enumerate(row)
        if value in (SMALL, HELD_BACK)
    }


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [list(r) for r in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for col in range(columns):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(len(matrix)):
            if i != rank and matrix[i][col] != 0:
                factor = matrix[i][col] / matrix[rank][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def _exactly_recoverable(sums, hidden: set) -> list:
    """Hidden cells the sums determine (the cell's unit vector is in the equations' span)."""
    unknowns = sorted(hidden)
    where = {cell: i for i, cell in enumerate(unknowns)}
    equations = []
    for total, parts in sums:
        row = [Fraction(0)] * len(unknowns)
        for cell, sign in ((total, 1), *((p, -1) for p in parts)):
            if cell in where:
                row[where[cell]] += sign
        if any(row):
            equations.append(row)
    if not equations:
        return []
    base = _rank(equations)
    found = []
    for cell in unknowns:
        unit = [Fraction(int(i == where[cell])) for i in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            found.append(cell)
    return found


def _narrowed_to_one(public: DataSet, sums, hidden: set) -> list:
    """Hidden parts of a shown total that only one value fits, knowing "<5" is 1 to 4 and a
    "[c]" count is 0 or at least 5 (the cells it can be chosen from are shown otherwise)."""
    found = []
    for total, parts in sums:
        if total in hidden:
            continue
        weights = Counter(parts)  # a part listed n times counts n times
        rest = _value(public, total) - sum(
            w * _value(public, p) for p, w in weights.items() if p not in hidden
        )
        unknown = [p for p in weights if p in hidden]
        if not unknown:
            continue
        domains = [
            range(1, T) if _value(public, p) == SMALL else [0, *range(T, rest + 1)] for p in unknown
        ]
        fits = [set() for _ in unknown]
        for values in product(*domains):
            if sum(weights[p] * v for p, v in zip(unknown, values, strict=True)) == rest:
                for seen, v in zip(fits, values, strict=True):
                    seen.add(v)
        found += [p for p, seen in zip(unknown, fits, strict=True) if len(seen) < 2]
    return found


def _value(ds: DataSet, cell):
    return ds.rows[cell[0]][cell[1]]


def _check(original: DataSet, sums=None) -> None:
    """``sums``: the table's totals as the test knows them (by default, as the table says)."""
    sums = original.sums if sums is None else sums
    (public,) = published([original])
    hidden = _hidden(original, public)
    for r, row in enumerate(original.rows):
        for c, value in enumerate(row):
            if (r, c) not in hidden:
                assert public.rows[r][c] == value  # shown figures are the true ones
            counted = c in original.count_columns and row[0] not in original.not_counts
            if counted and isinstance(value, int) and 0 < value < T:
                assert public.rows[r][c] == SMALL
    assert _exactly_recoverable(sums, hidden) == []
    assert _narrowed_to_one(public, sums, hidden) == []
    for cell, sources in original.derived:
        if any(s in hidden for s in sources):
            assert cell in hidden  # no share or median of a suppressed count


@settings(max_examples=150)
@given(grids())
def test_no_suppressed_count_is_recoverable_from_a_tables_totals(ds):
    _check(ds)


@settings(max_examples=100)
@given(grouped())
def test_requests_by_group_never_give_a_small_count_away(ds):
    _check(ds)


@settings(max_examples=100)
@given(deferral_summaries())
def test_the_deferrals_table_never_gives_a_small_count_away(ds):
    # What a reader of the table can add up, worked out here from its measures' names.
    at = {row[0]: (i, 1) for i, row in enumerate(ds.rows)}
    times = {
        int(label.split()[2]): cell
        for label, cell in at.items()
        if label.startswith("Cases deferred ") and label.split()[2].isdigit()
    }
    reasons = tuple(cell for label, cell in at.items() if label.startswith("Reason: "))
    sums = (
        (at["Deferrals"], reasons),
        (at["Deferrals"], tuple(cell for n, cell in times.items() for _ in range(n))),
        (at["Cases deferred at least once"], tuple(times.values())),
    )
    _check(ds, sums)


def test_a_total_with_one_small_part_is_held_back():
    ds = panel_statistics._by(
        "g", "Groups", "Generated", "Group",
        [SimpleNamespace(group="A", status=ItemStatus.DECIDED)] * 5
        + [SimpleNamespace(group="A", status=ItemStatus.DEFERRED)],
        lambda h: h.group,
    )  # fmt: skip
    (public,) = published([ds])
    # 6 heard, 5 decided: shown, the 6 would give away the 1 deferral
    assert public.rows == (("A", HELD_BACK, 5, SMALL),)
