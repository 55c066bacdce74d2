"""What travels on the wire: media types, status codes, `Location`, `ETag` with `If-Match` and
`If-None-Match`, RFC 7644 error bodies, uniqueness, limits, and that no password comes back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from idplane.identitystore.users.tables import User
from tests.scim.endpoint.support import (
    create_group,
    create_user,
    group_body,
    patch,
    scim_error,
    unique,
    user_body,
)

SCIM_JSON = "application/scim+json"


def test_responses_are_scim_json_for_json_or_scim_json_requests(http):
    for media in (SCIM_JSON, "application/json", f"{SCIM_JSON}; charset=utf-8"):
        response = http.post(
            "/Users", content=json.dumps(user_body()), headers={"Content-Type": media}
        )
        assert response.status_code == 201, response.text
        assert response.headers["content-type"].startswith(SCIM_JSON)
    assert http.get("/Users").headers["content-type"].startswith(SCIM_JSON)


def test_another_media_type_is_415(http):
    response = http.post("/Users", content=b"userName=x", headers={"Content-Type": "text/plain"})
    scim_error(response, 415)


@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe", b'["a list"]', b"null"])
def test_a_body_that_is_not_a_json_object_is_invalid_syntax(http, content):
    response = http.post("/Users", content=content, headers={"Content-Type": SCIM_JSON})
    scim_error(response, 400, "invalidSyntax")


def test_creation_answers_201_with_location_and_etag(http):
    response = http.post("/Users", json=user_body())
    body = response.json()
    assert response.status_code == 201
    assert response.headers["location"] == body["meta"]["location"]
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{body['id']}")
    assert response.headers["etag"] == body["meta"]["version"] == 'W/"1"'
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["created"] == body["meta"]["lastModified"]
    assert body["meta"]["created"].endswith("Z")


def test_if_none_match_answers_304_while_the_version_is_current(http):
    user = create_user(http)
    path, etag = f"/Users/{user['id']}", user["meta"]["version"]
    cached = http.get(path, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.headers["etag"] == etag and not cached.content
    assert http.get(path, headers={"If-None-Match": 'W/"999"'}).status_code == 200


def test_if_match_guards_put_patch_and_delete(http):
    user = create_user(http)
    path, first = f"/Users/{user['id']}", user["meta"]["version"]
    renamed = patch({"op": "replace", "path": "displayName", "value": "v2"})
    second = http.patch(path, json=renamed, headers={"If-Match": first})
    assert second.status_code == 200 and second.headers["etag"] != first
    stale = {"If-Match": first}
    scim_error(http.patch(path, json=renamed, headers=stale), 412)
    scim_error(http.put(path, json=user_body(user["userName"]), headers=stale), 412)
    scim_error(http.delete(path, headers=stale), 412)
    assert http.get(path).json()["displayName"] == "v2"
    current = second.headers["etag"].removeprefix("W/")  # weak comparison
    assert http.delete(path, headers={"If-Match": f'"0", {current}'}).status_code == 204


def test_if_match_star_matches_any_version(http):
    group = create_group(http)
    response = http.put(
        f"/Groups/{group['id']}", json=group_body("renamed-" + unique()), headers={"If-Match": "*"}
    )
    assert response.status_code == 200 and response.headers["etag"] == 'W/"2"'


def test_put_replaces_every_attribute_and_keeps_active(http):
    user = create_user(http, title="Guide", active=False, externalId=unique("x"))
    body = user_body(user["userName"], nickName="Babs")
    del body["active"]
    replaced = http.put(f"/Users/{user['id']}", json=body).json()
    assert "title" not in replaced and "externalId" not in replaced
    assert replaced["nickName"] == "Babs" and replaced["active"] is False


def test_delete_answers_204_then_404(http):
    user = create_user(http)
    response = http.delete(f"/Users/{user['id']}")
    assert response.status_code == 204 and not response.content
    scim_error(http.get(f"/Users/{user['id']}"), 404)
    scim_error(http.delete(f"/Users/{user['id']}"), 404)


@pytest.mark.parametrize("resource_id", ["00000000-0000-4000-8000-000000000000", "nope"])
def test_unknown_ids_are_404(http, resource_id):
    for path in (f"/Users/{resource_id}", f"/Groups/{resource_id}"):
        scim_error(http.get(path), 404)
        scim_error(http.patch(path, json=patch({"op": "remove", "path": "title"})), 404)


def test_duplicates_are_409_uniqueness(http):
    user = create_user(http, externalId=unique("ext"))
    scim_error(http.post("/Users", json=user_body(user["userName"].upper())), 409, "uniqueness")
    again = user_body(externalId=user["externalId"])
    scim_error(http.post("/Users", json=again), 409, "uniqueness")
    group = create_group(http)
    duplicate = group_body(group["displayName"].swapcase())
    scim_error(http.post("/Groups", json=duplicate), 409, "uniqueness")


@pytest.mark.parametrize(
    ("overrides", "scim_type"),
    [
        ({"userName": "x" * 129}, "invalidValue"),
        ({"userName": "x"}, "invalidValue"),
        ({"title": "t" * 1025}, "invalidValue"),
        ({"externalId": "e" * 257}, "invalidValue"),
        ({"nickName": "a\x00b"}, "invalidValue"),
        ({"emails": []}, "invalidValue"),
        ({"shoeSize": 9}, "invalidValue"),
        ({"active": "perhaps"}, "invalidValue"),
        ({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]}, "invalidSyntax"),
    ],
)
def test_bodies_the_directory_cannot_hold_are_400(http, overrides, scim_type):
    scim_error(http.post("/Users", json=user_body(**overrides)), 400, scim_type)


def test_no_password_is_stored_or_returned(server, http):
    body = user_body(password="S3cret!pass", groups=[])
    response = http.post("/Users", json=body)
    assert response.status_code == 201 and "S3cret" not in response.text
    assert "password" not in http.get(f"/Users/{response.json()['id']}").text
    with server.core.store.read() as session:
        user = session.scalar(select(User).where(User.id == response.json()["id"]))
    assert user.password_hash is None and user.password_mode is None


def test_discovery_documents_are_served_and_refuse_writes(http):
    schemas = http.get("/Schemas").json()
    assert schemas["totalResults"] == len(schemas["Resources"]) == 3
    user_type = http.get("/ResourceTypes/User").json()
    assert user_type["endpoint"] == "/Users" and user_type["meta"]["location"].endswith("/User")
    scim_error(http.get("/Schemas/urn:nope"), 404)
    for path in ("/Schemas", "/ResourceTypes", "/ServiceProviderConfig"):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            scim_error(http.request(method, path, json={}), 405)


def test_an_unknown_path_is_a_scim_404(http):
    scim_error(http.get("/Nothing"), 404)
    scim_error(http.get("/Users/a/b"), 404)


def test_searching_across_resource_types_is_501(http):
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}
    scim_error(http.post("/.search", json=body), 501)
