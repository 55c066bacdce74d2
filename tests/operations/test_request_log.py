"""`--log-format json`: one JSON line per request, naming the caller and never a secret."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from huaweicloudsdkiam.v3 import model as m

from tests import clients
from tests.iam.test_tokens import issue_token
from tests.operations.conftest import serve


@dataclass
class Endpoint:
    url: str


def _request_lines(log_text: str) -> list[dict]:
    lines = []
    for line in log_text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_json_log_has_one_line_per_request_with_route_and_caller(server, account) -> None:
    with serve(server, "--log-format", "json") as served:
        clients.iam(served.url, account).keystone_list_auth_domains(
            m.KeystoneListAuthDomainsRequest()
        )
        time.sleep(0.3)
        text = served.log.read_text()
    lines = [r for r in _request_lines(text) if r["route"] == "/v3/auth/domains"]
    assert len(lines) == 1
    record = lines[0]
    assert record["status"] == 200 and record["method"] == "GET" and record["service"] == "iam"
    assert record["account_id"] == account.account_id
    assert record["caller_kind"] == "access_key"
    assert record["access_key_id"] == account.access_key
    assert len(record["request_id"]) >= 16 and record["latency_ms"] >= 0
    assert account.secret_key not in text
    assert account.password not in text


def test_json_log_never_holds_a_password_or_token(server, account) -> None:
    with serve(server, "--log-format", "json") as served:
        token = issue_token(Endpoint(served.url), account)
        time.sleep(0.3)
        text = served.log.read_text()
    assert [r["status"] for r in _request_lines(text) if r["route"] == "/v3/auth/tokens"] == [201]
    assert account.password not in text
    assert token not in text
