"""Malformed bodies and ids get a 4xx in the IAM envelope, never a 500 or a partial write."""

from __future__ import annotations

import httpx
import pytest

from tests.iam.test_tokens import issue_token

BODIES = [
    "{",
    "[]",
    '"text"',
    "{}",
    '{"user": null, "group": null, "credential": null, "role": null, "agency": null}',
    '{"user": {"name": 5, "password": []}}',
    '{"group": {"name": ""}}',
    '{"credential": {"user_id": {"a": 1}, "status": 7}}',
    '{"role": {"display_name": "x", "type": "AX", "description": "d", "policy": []}}',
    '{"role": {"display_name": "x", "type": "AX", "description": "d",'
    ' "policy": {"Version": "1.1", "Statement": ["Allow"]}}}',
    '{"role": {"display_name": "x", "type": "AX", "description": "d",'
    ' "policy": {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": "iam:*:*"}]}}}',
    '{"agency": {"name": "a b", "domain_id": 1, "duration": {"x": 1}}}',
    '{"agency": {"name": "ok", "trust_domain_name": "op_svc_x", "duration": -3}}',
    '{"project": {"name": "cn-north-4_x", "parent_id": "nope"}}',
    '{"user": {"password": "x", "original_password": "y"}}',
    '{"user": {"email": "x", "mobile": "12"}}',
]
WRITES = [
    ("POST", "/v3/users"),
    ("PATCH", "/v3/users/{user}"),
    ("POST", "/v3/users/{user}/password"),
    ("POST", "/v3.0/OS-USER/users"),
    ("PUT", "/v3.0/OS-USER/users/{user}"),
    ("PUT", "/v3.0/OS-USER/users/{user}/info"),
    ("POST", "/v3/groups"),
    ("PATCH", "/v3/groups/{user}"),
    ("POST", "/v3.0/OS-CREDENTIAL/credentials"),
    ("PUT", "/v3.0/OS-CREDENTIAL/credentials/{key}"),
    ("POST", "/v3.0/OS-ROLE/roles"),
    ("PATCH", "/v3.0/OS-ROLE/roles/{user}"),
    ("POST", "/v3.0/OS-AGENCY/agencies"),
    ("PUT", "/v3.0/OS-AGENCY/agencies/{user}"),
    ("POST", "/v3/projects"),
    ("PATCH", "/v3/projects/{project}"),
]


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_malformed_bodies_get_a_4xx_in_the_iam_envelope(server, account, method, path) -> None:
    token = issue_token(server, account)
    url = server.url + path.format(
        user=account.user_id, key=account.access_key, project=account.project_id
    )
    with httpx.Client(headers={"X-Auth-Token": token, "Content-Type": "application/json"}) as http:
        for body in BODIES:
            answer = http.request(method, url, content=body)
            assert answer.status_code < 500, (body, answer.text)
            if answer.status_code >= 400:
                assert answer.json()["error_code"].startswith(("IAM.", "APIGW.")), answer.text


def test_unknown_ids_are_404_in_every_family(server, account) -> None:
    token = issue_token(server, account)
    missing = "f" * 32
    paths = [
        f"/v3/users/{missing}",
        f"/v3.0/OS-USER/users/{missing}",
        f"/v3/groups/{missing}",
        f"/v3/groups/{missing}/users",
        f"/v3.0/OS-CREDENTIAL/credentials/{'X' * 20}",
        f"/v3/roles/{missing}",
        f"/v3.0/OS-ROLE/roles/{missing}",
        f"/v3.0/OS-AGENCY/agencies/{missing}",
        f"/v3/projects/{missing}",
        f"/v3/domains/{account.account_id}/groups/{missing}/roles",
        f"/v3/projects/{missing}/groups/{missing}/roles",
    ]
    for path in paths:
        answer = httpx.get(server.url + path, headers={"X-Auth-Token": token})
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["error_code"] == "IAM.0004", (path, answer.text)
