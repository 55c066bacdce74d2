"""The exact bytes of a user on the wire: describing it, listing it and a batch query write
the same JSON object (key order, nulls left out), whatever the service reads it with."""

from __future__ import annotations

import json

from idplane.identitystore.users.tables import UserExternalId
from tests.hardening.raw import call
from tests.identitystore.builders import unique

BODY = {
    "display_name": "Jane Q. Doe",
    "name": {
        "family_name": "Doe",
        "given_name": "Jane",
        "middle_name": "Q",
        "honorific_prefix": "Dr.",
    },
    "emails": [{"value": "PLACEHOLDER", "type": "work", "primary": True}],
    "addresses": [{"street_address": "1 Main St", "locality": "Town", "primary": True}],
    "phone_numbers": [{"value": "+1 555 0100", "type": "work"}],
    "nickname": "jq",
    "title": "Engineer",
    "locale": "en-US",
    "enterprise": {"department": "R&D", "manager": {"value": "boss-1"}},
    "password_mode": "EMAIL",
}


def _user(server, directory) -> tuple[str, str]:
    """A user with most attributes set and one external id: (its name, its id)."""
    name = unique("wire")
    body = {"user_name": name, **BODY, "emails": [{**BODY["emails"][0], "value": f"{name}@x.org"}]}
    path = f"/v1/identity-stores/{directory.identity_store_id}/users"
    made = call(server, directory.management, "POST", path, body=body)
    assert made.status_code == 200, made.text
    user_id = made.json()["user_id"]
    with server.core.store.transaction() as session:
        session.add(
            UserExternalId(
                identity_store_id=directory.identity_store_id,
                user_id=user_id,
                issuer="scim",
                external_id="ext-1",
            )
        )
    return name, user_id


def _expected(directory, name: str, user_id: str, stamps: dict) -> str:
    user = {
        "user_id": user_id,
        "identity_store_id": directory.identity_store_id,
        "user_name": name,
        "display_name": "Jane Q. Doe",
        "name": {
            "family_name": "Doe",
            "given_name": "Jane",
            "middle_name": "Q",
            "honorific_prefix": "Dr.",
        },
        "emails": [
            {
                "value": f"{name}@x.org",
                "type": "work",
                "primary": True,
                "verification_status": "NOT_VERIFIED",
            }
        ],
        "addresses": [{"street_address": "1 Main St", "locality": "Town", "primary": True}],
        "phone_numbers": [{"value": "+1 555 0100", "type": "work"}],
        "external_id": "ext-1",
        "external_ids": [{"id": "ext-1", "issuer": "scim"}],
        "nickname": "jq",
        "title": "Engineer",
        "locale": "en-US",
        "enterprise": {"department": "R&D", "manager": {"value": "boss-1"}},
        "enabled": True,
        "email_verified": False,
        **stamps,
    }
    return json.dumps(user, separators=(",", ":"), ensure_ascii=False)


def _object_of(text: str, key: str) -> str:
    """The raw text of the single user object inside a `{"<key>":[...],...}` answer."""
    prefix = f'{{"{key}":['
    assert text.startswith(prefix), text
    end = text.index("]", text.index('"updated_by"'))
    return text[len(prefix) : end]


def test_describe_list_and_batch_write_one_user_as_the_same_bytes(server, directory):
    name, user_id = _user(server, directory)
    base = f"/v1/identity-stores/{directory.identity_store_id}/users"
    described = call(server, directory.management, "GET", f"{base}/{user_id}")
    assert described.status_code == 200, described.text
    got = described.json()
    stamps = {k: got[k] for k in ("created_at", "created_by", "updated_at", "updated_by")}
    expected = _expected(directory, name, user_id, stamps)
    assert described.text == expected

    listed = call(server, directory.management, "GET", base, query={"user_name": name})
    assert listed.status_code == 200, listed.text
    assert _object_of(listed.text, "users") == expected

    batch = call(
        server, directory.management, "POST", f"{base}/batch-query", body={"user_ids": [user_id]}
    )
    assert batch.status_code == 200, batch.text
    assert batch.text == f'{{"users":[{expected}]}}'
