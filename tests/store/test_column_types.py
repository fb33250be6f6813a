"""Time and code columns: stored exactly as before, read back as aware UTC moments and as the
domain's members (so record digests, which read the stored values, do not move)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import DateTime, String, select, text

from panelapp.domain.vocabulary import NamingMode, PanelType
from panelapp.store.tables import Panel, ReasonRow

MOMENTS = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.timezones()
)


def _stored_as_before(session, moment: datetime) -> str:
    """The text a plain naive-UTC DateTime column (the type before) wrote for ``moment``."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    return DateTime().dialect_impl(session.bind.dialect).bind_processor(session.bind.dialect)(naive)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=MOMENTS)
def test_a_moment_in_any_zone_is_stored_as_before_and_read_back_as_the_same_instant_in_utc(
    store, moment
):
    with store.write() as session:
        row = ReasonRow(
            entity="case", entity_id=1, action="test", text="", recorded_at=moment, recorded_by="t"
        )
        session.add(row)
        session.commit()
        row_id = row.id
    with store.read() as session:
        raw = session.execute(
            text("SELECT recorded_at FROM reasons WHERE id = :id"), {"id": row_id}
        ).scalar_one()
        assert raw == _stored_as_before(session, moment)
        read = session.scalar(select(ReasonRow.recorded_at).where(ReasonRow.id == row_id))
    assert read.tzinfo is UTC
    # (not ``read == moment``: Python never finds a moment in a zone's clock change equal to
    # one in another zone, PEP 495)
    assert read == moment.astimezone(UTC)


def test_a_naive_moment_is_taken_as_utc_as_the_store_always_meant(store):
    naive = datetime(2026, 3, 29, 0, 30, 15, 250)  # the night the clocks go forward
    with store.write() as session:
        session.add(
            ReasonRow(
                entity="case", entity_id=2, action="t", text="", recorded_at=naive, recorded_by="t"
            )
        )
        session.commit()
    with store.read() as session:
        raw = session.execute(
            text("SELECT recorded_at FROM reasons WHERE entity_id = 2")
        ).scalar_one()
        read = session.scalar(select(ReasonRow.recorded_at).where(ReasonRow.entity_id == 2))
        later = session.scalar(
            select(ReasonRow.id).where(
                ReasonRow.recorded_at > naive.replace(tzinfo=UTC) - timedelta(1)
            )
        )
    assert raw == "2026-03-29 00:30:15.000250"
    assert read == naive.replace(tzinfo=UTC)
    assert later is not None, "an aware moment compares with stored ones in a query"


def test_codes_are_stored_as_the_same_text_and_read_back_as_members(store):
    with store.write() as session:
        session.add_all(
            [
                Panel(name="a", panel_type=PanelType.HIGH_NEEDS, naming_mode=NamingMode.FULL,
                      created_at=datetime.now(UTC)),
                Panel(name="b", panel_type="high_needs", naming_mode="reference",
                      created_at=datetime.now(UTC)),
            ]
        )  # fmt: skip
        session.commit()
    with store.read() as session:
        raw = session.execute(
            text(
                "SELECT panel_type, naming_mode FROM panels WHERE name IN ('a', 'b') ORDER BY name"
            )
        ).all()
        read = session.execute(
            select(Panel.panel_type, Panel.naming_mode)
            .where(Panel.name.in_(["a", "b"]))
            .order_by(Panel.name)
        ).all()
        column = Panel.__table__.c.panel_type.type
    assert [tuple(r) for r in raw] == [("high_needs", "full"), ("high_needs", "reference")]
    assert [tuple(r) for r in read] == [
        (PanelType.HIGH_NEEDS, NamingMode.FULL),
        (PanelType.HIGH_NEEDS, NamingMode.REFERENCE),
    ]
    assert all(type(value) is not str for r in read for value in r)
    assert isinstance(column, String) and column.length == 32


def test_a_string_that_is_no_code_is_refused_and_nothing_is_written(store):
    with store.write() as session:
        session.add(Panel(name="c", panel_type="High Needs", created_at=datetime.now(UTC)))
        try:
            session.commit()
        except Exception as exc:  # noqa: BLE001 - the driver wraps the refusal
            assert "High Needs" in str(exc)
            session.rollback()
        else:
            raise AssertionError("a panel type that is not a code was stored")
    with store.read() as session:
        assert session.scalar(select(Panel.id).where(Panel.name == "c")) is None
