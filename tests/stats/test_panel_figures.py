"""The panel's figures, checked against numbers worked out by hand from the store built in
conftest.py (the table in ``figures_store``'s docstring)."""

from __future__ import annotations

from datetime import date

from panelapp.domain.vocabulary import RequestType
from panelapp.services.panel_statistics import StatsQuery, panel_statistics, published

WHOLE = StatsQuery(date(2026, 3, 1), date(2026, 4, 30))


def _sets(store, query=WHOLE, publish=False):
    with store.read() as session:
        sets = panel_statistics(session, query)
    return {ds.key: ds for ds in (published(sets) if publish else sets)}


def test_outcomes_by_request_type(store, figures_store):
    sets = _sets(store)
    assert set(sets["outcomes"].rows) == {
        ("EHC needs assessment request", "Agree to assess", 2),
        ("EHC needs assessment request", "Decline to assess", 1),
        ("EHC needs assessment request", "Deferred", 1),
        ("Decision after assessment", "Issue an EHC plan", 1),
        ("High Needs top-up funding (element 3)", "Agree band and amount", 2),
    }
    assert sets["age_band"].row("Under 5") == ("Under 5", 2, 1, 1)  # C twice
    assert sets["age_band"].row("5 to 10") == ("5 to 10", 3, 3, 0)  # A, D, E
    assert sets["age_band"].row("11 to 15") == ("11 to 15", 2, 2, 0)  # B, F
    assert sets["vulnerability"].row("Looked after") == ("Looked after", 2, 2, 0)
    assert sets["vulnerability"].row("Free school meals") == ("Free school meals", 1, 1, 0)
    assert sets["placement_type"].row("Resourced provision / SEN unit")[1] == 2


def test_timeliness_with_and_without_excepted_cases(store, figures_store):
    timeliness = _sets(store)["timeliness"]
    # A in time (39 days), B late but excepted (61), C late (101): median 61
    assert timeliness.row("Decision whether to assess") == (
        "Decision whether to assess", 3, 1, 33.3, 1, 2, 1, 50.0, 61,
    )  # fmt: skip
    assert timeliness.row("Decision whether to issue an EHC plan")[1:3] == (1, 1)
    assert timeliness.row("Final EHC plan issued (20 weeks)") == (
        "Final EHC plan issued (20 weeks)", 1, 1, 100.0, 0, 1, 1, 100.0, 130,
    )  # fmt: skip


def test_deferrals_and_funding(store, figures_store):
    sets = _sets(store)
    deferrals = dict(sets["deferrals"].rows)
    assert deferrals["Hearings"] == 7 and deferrals["Deferrals"] == 1
    assert deferrals["Deferral rate (%)"] == 14.3  # 1 of 7
    assert deferrals["Cases heard"] == 6 and deferrals["Cases deferred 1 time"] == 1
    assert deferrals["Days added (total)"] == 20  # 12 March to 1 April
    label = "High Needs top-up funding (element 3)"
    rp = "Resourced provision / SEN unit"
    assert sets["funding"].rows == (
        ("2025-26", label, "B3", rp, 1, 12000.0),
        ("2026-27", label, "B3", rp, 1, 5000.0),
    )
    assert sets["funding_by_month"].rows == (
        ("2026-03", 12000.0, 12000.0),
        ("2026-04", 5000.0, 17000.0),
    )
    assert sets["attendance"].rows == (
        ("Chair", 2, 0, 0),
        ("Educational psychologist", 2, 0, 0),
    )


def test_a_narrower_period_and_request_type_filter_the_figures(store, figures_store):
    march = _sets(store, StatsQuery(date(2026, 3, 1), date(2026, 3, 31)))
    assert dict(march["deferrals"].rows)["Hearings"] == 5
    assert march["timeliness"].row("Decision whether to assess")[1:3] == (2, 1)  # A, B
    top_ups = _sets(
        store, StatsQuery(date(2026, 3, 1), date(2026, 4, 30), request_type=RequestType.TOP_UP)
    )
    assert [r[2] for r in top_ups["outcomes"].rows] == [2]
    assert top_ups["timeliness"].rows == ()


def test_published_figures_show_small_counts_as_under_five(store, figures_store):
    exact, public = _sets(store), _sets(store, publish=True)
    assert exact["age_band"].row("5 to 10")[1] == 3
    assert public["age_band"].row("5 to 10") == ("5 to 10", "<5", "<5", 0)  # 0 stays 0
    row = public["timeliness"].row("Decision whether to assess")
    # 3 cases: the share in time and the median of 3 cases' days would narrow them down
    assert row[1] == "<5" and row[3] == "[c]" and row[8] == "[c]"
    assert exact["timeliness"].row("Decision whether to assess")[8] == 61
    deferrals = dict(public["deferrals"].rows)
    assert deferrals["Hearings"] == 7 and deferrals["Deferrals"] == "<5"
    # one deferral: its rate, total and median days would each give it away
    assert deferrals["Deferral rate (%)"] == "[c]"
    assert deferrals["Days added (total)"] == deferrals["Days added (median a deferral)"] == "[c]"
    assert dict(exact["deferrals"].rows)["Days added (total)"] == 20
    assert public["funding"].rows[0][4:] == ("<5", 12000.0)
