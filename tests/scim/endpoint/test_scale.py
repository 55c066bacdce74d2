"""A store larger than the in-memory candidate bound (10,000): indexed filters stay index
probes (checked with the database's own EXPLAIN of the statements a list runs), filters on
JSON attributes alone are refused with tooMany instead of loading the store, and deep pages
are served by the database."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from idplane.scim.endpoint.query import CANDIDATES, ListRequest, list_resources
from idplane.scim.endpoint.users import UserKind
from idplane.scim.schemas import Catalog
from tests.identitystore.seeding import seed_users
from tests.scim.endpoint.support import new_scim, scim_error

SEEDED = CANDIDATES + 50


@pytest.fixture(scope="module")
def big(server):
    scim = new_scim(server)
    names = seed_users(server.core.store, scim.identity_store_id, SEEDED, prefix="big")
    if server.core.store.engine.dialect.name == "postgresql":
        with server.core.store.transaction() as session:
            session.execute(text("ANALYZE identity_store_users"))
    return scim, names


@contextmanager
def _statements(engine):
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plans(server, big, expression: str) -> list[str]:
    """The query plans of every statement listing users with this filter runs."""
    scim, _ = big
    store = server.core.store
    kind = UserKind(Catalog.load().resource("User"))
    with _statements(store.engine) as seen, store.read() as session:
        list_resources(
            session, kind, scim.identity_store_id, ListRequest(filter=expression), "", 50
        )
    explain = "EXPLAIN QUERY PLAN " if store.engine.dialect.name == "sqlite" else "EXPLAIN "
    plans = []
    with store.engine.connect() as conn:
        for statement, parameters in seen:
            rows = conn.exec_driver_sql(explain + statement, parameters).all()
            plans.append("\n".join(str(row[-1]) for row in rows))
    return plans


def _user_name(server, big, index: int) -> str:
    _, ids = big
    return f"big-{index}-{ids[index][:8]}"


def test_user_name_eq_is_a_probe_of_the_unique_index(server, big):
    plans = _plans(server, big, f'userName eq "{_user_name(server, big, 7).upper()}"')
    users = [p for p in plans if "identity_store_users" in p]
    assert users, plans
    for plan in users:
        # PostgreSQL names the constraint's index; SQLite an autoindex on its columns.
        assert "uq_identity_store_users_store_name" in plan or "user_name_key=?" in plan, plan
        assert "SCAN identity_store_users" not in plan and "Seq Scan" not in plan, plan


def test_external_id_eq_is_a_probe_too(server, big):
    for plan in _plans(server, big, 'externalId eq "ext-1"'):
        assert "Seq Scan on identity_store_users" not in plan, plan
        assert "SCAN identity_store_users" not in plan, plan


def test_user_name_eq_finds_one_user_among_many(server, big):
    scim, ids = big
    with scim.http() as http:
        name = _user_name(server, big, 9_999)
        body = http.get("/Users", params={"filter": f'userName eq "{name}"'}).json()
        assert body["totalResults"] == 1 and body["Resources"][0]["id"] == ids[9_999]
        both = f'userName eq "{name}" and emails[type eq "work"].value ew "example.com"'
        assert http.get("/Users", params={"filter": both}).json()["totalResults"] == 1


def test_a_filter_only_memory_can_answer_is_too_many_over_a_large_store(big):
    scim, _ = big
    with scim.http() as http:
        response = http.get("/Users", params={"filter": 'emails[type eq "work"]'})
        scim_error(response, 400, "tooMany")
        scim_error(http.get("/Users", params={"sortBy": "emails.value"}), 400, "tooMany")


def test_deep_pages_come_from_the_database(big):
    scim, ids = big
    with scim.http() as http:
        body = http.get("/Users", params={"startIndex": SEEDED - 9, "count": 50}).json()
    assert body["totalResults"] == SEEDED and body["itemsPerPage"] == 10
    assert [r["id"] for r in body["Resources"]] == ids[-10:]
