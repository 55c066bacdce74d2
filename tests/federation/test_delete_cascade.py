"""What deleting an identity provider takes with it, in one transaction: protocols, OIDC
configuration, SAML metadata, remote ids and the tokens issued through it; mappings stay."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select

from idplane.federation.tables import OidcConfig, Protocol, RemoteId, SamlMetadata
from idplane.iam.tables import Token, User
from idplane.platform import ids
from idplane.platform.clock import now
from idplane.platform.crypto import token_digest
from tests.federation.conftest import http, password_token, remote_id
from tests.federation.saml_samples import idp_metadata
from tests.federation.test_oidc_config import PROGRAM

RULES = [{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "UserName"}]}]


def federated_token(server, account, idp_id: str) -> str:
    """A token as federation would issue it through `idp_id` (the foundation's tokens table
    records the identity provider for exactly this)."""
    secret = ids.opaque_token()
    with server.core.store.transaction() as session:
        root = session.scalars(
            select(User).where(User.account_id == account.account_id, User.is_root.is_(True))
        ).one()
        session.add(
            Token(
                id=ids.uuid_str(),
                digest=token_digest(secret),
                account_id=account.account_id,
                user_id=root.id,
                methods=["mapped"],
                identity_provider_id=idp_id,
                issued_at=now(),
                expires_at=now() + timedelta(hours=1),
            )
        )
    return secret


def token_works(server, token: str) -> bool:
    response = httpx.get(
        f"{server.url}/v3/OS-FEDERATION/domains", headers={"X-Auth-Token": token}, timeout=30
    )
    return response.status_code == 200


def arrange_full_provider(server, client, account) -> None:
    client.put("/v3/OS-FEDERATION/mappings/mapping_ACME", json={"mapping": {"rules": RULES}})
    client.put(
        "/v3/OS-FEDERATION/identity_providers/ACME",
        json={"identity_provider": {"remote_ids": [remote_id("acme")]}},
    )
    for protocol in ("saml", "oidc"):
        client.put(
            f"/v3/OS-FEDERATION/identity_providers/ACME/protocols/{protocol}",
            json={"protocol": {"mapping_id": "mapping_ACME"}},
        )
    client.post(
        "/v3.0/OS-FEDERATION/identity-providers/ACME/openid-connect-config",
        json={"openid_connect_config": PROGRAM},
    ).raise_for_status()
    client.post(
        "/v3-ext/OS-FEDERATION/identity_providers/ACME/protocols/saml/metadata",
        json={"domain_id": account.account_id, "xaccount_type": "", "metadata": idp_metadata()},
    ).raise_for_status()


def rows_of(server, account) -> dict[str, int]:
    with server.core.store.read() as session:
        return {
            table.__name__: session.scalar(
                select(func.count())
                .select_from(table)
                .where(table.account_id == account.account_id)
            )
            for table in (Protocol, OidcConfig, SamlMetadata, RemoteId)
        }


def test_deleting_a_provider_removes_everything_that_hangs_off_it(
    server, account, root_token
) -> None:
    with http(server, root_token) as client:
        arrange_full_provider(server, client, account)
        assert rows_of(server, account) == {
            "Protocol": 2,
            "OidcConfig": 1,
            "SamlMetadata": 1,
            "RemoteId": 1,
        }
        assert client.delete("/v3/OS-FEDERATION/identity_providers/ACME").status_code == 204
        assert rows_of(server, account) == {
            "Protocol": 0,
            "OidcConfig": 0,
            "SamlMetadata": 0,
            "RemoteId": 0,
        }
        assert client.get("/v3/OS-FEDERATION/mappings/mapping_ACME").status_code == 200
        recreated = client.put("/v3/OS-FEDERATION/identity_providers/ACME", json={})
        assert recreated.status_code == 201
        assert (
            client.get("/v3/OS-FEDERATION/identity_providers/ACME/protocols").json()["protocols"]
            == []
        )


def test_deleting_a_provider_revokes_the_tokens_issued_through_it(
    server, account, root_token
) -> None:
    other = server.new_account()
    other_token = password_token(server, other.account_name, other.user_name, other.password)
    with http(server, root_token) as mine, http(server, other_token) as theirs:
        mine.put("/v3/OS-FEDERATION/identity_providers/ACME", json={})
        mine.put("/v3/OS-FEDERATION/identity_providers/OTHER", json={})
        theirs.put("/v3/OS-FEDERATION/identity_providers/ACME", json={})
        through_acme = federated_token(server, account, "ACME")
        through_other = federated_token(server, account, "OTHER")
        their_acme = federated_token(server, other, "ACME")
        assert token_works(server, through_acme)
        assert mine.delete("/v3/OS-FEDERATION/identity_providers/ACME").status_code == 204
    assert not token_works(server, through_acme)
    assert token_works(server, through_other)
    assert token_works(server, their_acme)
    assert token_works(server, root_token)


def test_a_failed_delete_changes_nothing(server, account, root_token) -> None:
    with http(server, root_token) as client:
        arrange_full_provider(server, client, account)
        before = rows_of(server, account)
        assert client.delete("/v3/OS-FEDERATION/identity_providers/acme").status_code == 404
    assert rows_of(server, account) == before
