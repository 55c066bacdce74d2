"""`/metrics`: Prometheus counters per route template, status and service."""

from __future__ import annotations

import re

import httpx
import pytest
from huaweicloudsdkiam.v3 import model as m

from tests import clients
from tests.operations.conftest import serve


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}", 1)[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_by_route_template_status_and_service(server, account) -> None:
    route = dict(route="/v3/auth/domains", method="GET", status="200", service="iam")
    before = _sample(httpx.get(f"{server.url}/metrics").text, "idplane_requests_total", **route)
    iam = clients.iam(server.url, account)
    for _ in range(3):
        iam.keystone_list_auth_domains(m.KeystoneListAuthDomainsRequest())
    text = httpx.get(f"{server.url}/metrics").text
    assert _sample(text, "idplane_requests_total", **route) == before + 3
    assert "idplane_request_duration_seconds_bucket" in text
    assert "idplane_db_pool_checked_out" in text


def test_metrics_count_issued_tokens_and_refused_sign_ins(server, account) -> None:
    def counts() -> tuple[float, float]:
        text = httpx.get(f"{server.url}/metrics").text
        issued = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("idplane_credentials_issued_total{")
        )
        refused = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("idplane_signin_failures_total{")
        )
        return issued, refused

    issued, refused = counts()
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": account.user_name,
                        "password": account.password,
                        "domain": {"name": account.account_name},
                    }
                },
            },
            "scope": {"domain": {"name": account.account_name}},
        }
    }
    assert httpx.post(f"{server.url}/v3/auth/tokens", json=body).status_code == 201
    body["auth"]["identity"]["password"]["user"]["password"] = "wrong-Passw0rd"
    assert httpx.post(f"{server.url}/v3/auth/tokens", json=body).status_code == 401
    assert counts() == (issued + 1, refused + 1)


def test_unrouted_paths_share_one_series(server) -> None:
    for path in ("/nothing/a", "/nothing/b"):
        httpx.get(f"{server.url}{path}")
    text = httpx.get(f"{server.url}/metrics").text
    assert "/nothing/a" not in text
    assert _sample(text, "idplane_requests_total", route="unrouted", status="404") >= 2


def test_metrics_sum_every_worker_of_a_multi_worker_server(server) -> None:
    if not server.database_url.startswith("postgresql"):
        pytest.skip("several workers need the PostgreSQL store")
    with serve(server, "--workers", "2") as served:
        for _ in range(20):
            httpx.get(f"{served.url}/v3")
        text = httpx.get(f"{served.url}/metrics").text
    served_v3 = _sample(text, "idplane_requests_total", route="/v3", status="200")
    assert served_v3 >= 20  # the serve fixture's own readiness probes also ask /v3
