"""On the team store, every record the minutes rest on is as its last audit event recorded,
whatever a person typed into it, and a change made on the server behind panelapp's back is
named by ``check``: a property over generated actions (a covered table), through the real
services and the real PostgreSQL server."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panelapp.services.decisions import add_action
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.integrity import check_store
from panelapp.store.lifecycle import open_team_store

#: what a person can type: any character but NUL (which PostgreSQL text cannot hold) and lone
#: surrogates (which no keyboard or file gives)
typed = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=300,
).filter(str.strip)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    description=typed,
    owner=typed,
    due=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)
def test_typed_actions_check_clean_and_a_change_on_the_server_is_named(
    postgres_server, team_database, demo_team_store, description, owner, due
):
    url, meeting_id = demo_team_store
    store = open_team_store(url)
    try:
        with UnitOfWork(store, owner) as uow:
            action_id = add_action(
                uow, meeting_id, description=description, owner=owner, due_date=due
            )
        clean = check_store(store)
        with postgres_server.connect(team_database) as conn:
            conn.execute(
                "UPDATE actions SET description = description || ' (edited)' WHERE id = %s",
                [action_id],
            )
            tampered = check_store(store)
            conn.execute(
                "UPDATE actions SET description = left(description, -9) WHERE id = %s",
                [action_id],
            )
        restored = check_store(store)
    finally:
        store.close()

    assert clean.ok, clean.problems
    assert not tampered.ok
    assert any("action" in problem and str(action_id) in problem for problem in tampered.problems)
    assert restored.ok, restored.problems
