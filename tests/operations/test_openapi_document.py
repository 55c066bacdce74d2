"""`/openapi.json` tells the truth: errors in each path's envelope (no 422), the security
schemes each operation accepts, empty bodies declared empty, SCIM's media type; and what the
server answers to bad requests is what the document declares for that operation."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.scim.endpoint.support import new_scim


@pytest.fixture(scope="module")
def document(server) -> dict:
    return httpx.get(f"{server.url}/openapi.json", timeout=60).json()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_no_operation_declares_fastapis_422(document) -> None:
    assert [p for p, _m, op in _operations(document) if "422" in op["responses"]] == []


def test_security_schemes_name_signing_tokens_and_scim_bearers(document) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["AkSk"]["name"] == "Authorization"
    assert schemes["XAuthToken"]["name"] == "X-Auth-Token"
    assert schemes["ScimBearer"]["scheme"] == "bearer"
    users = document["paths"]["/v3/users/{user_id}"]["get"]
    assert {"AkSk": []} in users["security"] and {"XAuthToken": []} in users["security"]
    assert document["paths"]["/health"]["get"].get("security") is None


def test_empty_answers_are_declared_without_a_body(document) -> None:
    delete = document["paths"]["/v2/agreement"]["delete"]["responses"]["204"]
    assert "content" not in delete
    created = document["paths"]["/v2/agreement"]["post"]["responses"]["200"]
    assert "content" not in created


def test_scim_operations_speak_scim_json(document) -> None:
    users = next(
        op for p, m, op in _operations(document) if p.endswith("/scim/v2/Users") and m == "post"
    )
    assert all(
        "application/json" not in response.get("content", {})
        for response in users["responses"].values()
    )
    assert "application/scim+json" in users["responses"]["401"]["content"]
    assert users["security"] == [{"ScimBearer": []}]


def _declared(document: dict, path: str, method: str, status: int) -> dict:
    response = document["paths"][path][method]["responses"].get(str(status))
    assert response is not None, f"{method.upper()} {path} answered an undeclared {status}"
    content = response["content"]
    schema = next(iter(content.values()))["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    return document["components"]["schemas"][name]


def _conforms(body: dict, schema: dict) -> bool:
    properties = schema.get("properties", {})
    return set(body) <= set(properties) and all(
        _conforms(value, properties[key])
        for key, value in body.items()
        if isinstance(value, dict) and properties[key].get("type") == "object"
    )


def test_error_answers_match_what_the_document_declares(server, document) -> None:
    missing = uuid.uuid4().hex
    cases = [
        ("get", f"/v3/users/{missing}", "/v3/users/{user_id}", {}),
        ("get", f"/v3/users/{missing}", "/v3/users/{user_id}", {"X-Auth-Token": "not-a-token"}),
        ("get", "/v1/instances", "/v1/instances", {}),
        ("get", "/v1/organizations", "/v1/organizations", {}),
    ]
    for method, url, template, headers in cases:
        answer = httpx.request(method, f"{server.url}{url}", headers=headers)
        assert answer.status_code >= 400
        assert _conforms(answer.json(), _declared(document, template, method, answer.status_code))


def test_scim_errors_match_the_declared_scim_schema(server, document) -> None:
    scim = new_scim(server)
    answer = httpx.get(f"{scim.base}/Users/{uuid.uuid4()}", headers={"Authorization": scim.bearer})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/scim+json")
    template = next(p for p in document["paths"] if p.endswith("/scim/v2/Users/{user_id}"))
    assert _conforms(answer.json(), _declared(document, template, "get", 404))
