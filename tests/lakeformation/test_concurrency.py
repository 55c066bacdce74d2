"""Concurrent registrations settle on one agreement row per name and one agency per account,
concurrent access-service decisions on one row per service, by constraints (several server
processes could be serving these requests)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from idplane.lakeformation.tables import AccessServiceGrant
from tests.lakeformation.conftest import ADMIN_TRUST, AGREEMENT, V1, agency_names, token


def test_simultaneous_v1_registrations_all_succeed_with_one_agency(server, account) -> None:
    auth = token(server, account)
    tenants = [V1(server, auth, account.project_id) for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda tenant: tenant.register().status_code, tenants))
    assert statuses == [200] * 6
    assert tenants[0].show().json() == {"agreements": [AGREEMENT], "is_agency": True}
    assert agency_names(server, account) == [ADMIN_TRUST]


def test_simultaneous_deletes_answer_one_204_and_the_rest_404(server, account) -> None:
    auth = token(server, account)
    tenants = [V1(server, auth, account.project_id) for _ in range(4)]
    assert tenants[0].register().status_code == 200
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(lambda tenant: tenant.delete().status_code, tenants))
    assert statuses == [204, 404, 404, 404]
    assert agency_names(server, account) == []


def test_simultaneous_access_service_decisions_keep_one_row_per_service(server, account) -> None:
    auth = token(server, account)
    tenant = V1(server, auth, account.project_id)
    body = {"access_services": [{"name": "DLI", "grant": True}, {"name": "MA", "grant": True}]}

    def decide(_: int) -> int:
        return tenant.call("POST", "/access-service", json=body).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(decide, range(6)))
    assert statuses == [200] * 6
    shown = tenant.call("GET", "/access-service").json()["access_services"]
    assert {s["name"]: s["grant"] for s in shown} == {"DLI": True, "DWS": False, "MA": True}
    with server.core.store.read() as session:
        rows = session.scalars(
            select(AccessServiceGrant.name).where(
                AccessServiceGrant.project_id == account.project_id
            )
        )
        assert sorted(rows) == ["DLI", "MA"]
