"""assume_agency through the official STS client: A's IAM user assumes B's agency, reads B's
IAM with the returned credentials, is refused writes with a decodable 403, and
get_caller_identity names the session."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from huaweicloudsdkiam.v3 import model as m
from huaweicloudsdksts.v1 import model as sm

from tests import clients
from tests.iam.conftest import fails
from tests.sts.conftest import agency_urn, assume


def _create_user(client, account):
    option = m.KeystoneCreateUserOption(name="intruder", domain_id=account.account_id)
    return client.keystone_create_user(
        m.KeystoneCreateUserRequest(body=m.KeystoneCreateUserRequestBody(user=option))
    )


def test_a_user_of_a_assumes_b_agency_reads_b_and_is_refused_a_decodable_write(
    server, account_a, account_b, agency, assumer
):
    answer, creds = assume(server, assumer, account_b, agency)
    session_urn = f"sts::{account_b.account_id}:assumed-agency:{agency.name}/alice"
    assert answer.assumed_agency.urn == session_urn
    assert answer.assumed_agency.id == f"{agency.id}:alice"
    expires = datetime.fromisoformat(answer.credentials.expiration.replace("Z", "+00:00"))
    assert timedelta(minutes=55) < expires - datetime.now(UTC) <= timedelta(hours=1)

    iam_b = clients.iam(server.url, creds)
    users = iam_b.keystone_list_users(m.KeystoneListUsersRequest()).users
    assert account_b.user_id in [u.id for u in users]
    agencies = iam_b.list_agencies(m.ListAgenciesRequest(domain_id=account_b.account_id))
    assert agency.id in [a.id for a in agencies.agencies]

    error = fails(lambda: _create_user(iam_b, account_b), 403)
    encoded = error.encoded_auth_msg
    message = json.loads(_decode(server, account_b, encoded).decoded_message)
    assert message["allowed"] is False
    assert message["context"]["action"] == "iam:users:createUser"
    assert message["context"]["principal"]["urn"] == session_urn
    assert "no statement allows" in message["reason"]

    identity = clients.sts(server.url, creds).get_caller_identity(sm.GetCallerIdentityRequest())
    assert (identity.account_id, identity.principal_urn, identity.principal_id) == (
        account_b.account_id,
        session_urn,
        f"{agency.id}:alice",
    )


def _decode(server, creds, encoded):
    return clients.sts(server.url, creds).decode_authorization_message(
        sm.DecodeAuthorizationMessageRequest(
            body=sm.DecodeAuthorizationMessageReq(encoded_message=encoded)
        )
    )


def test_a_denial_decodes_only_in_its_account_and_with_the_decode_permission(
    server, account_a, account_b, agency, assumer
):
    _answer, creds = assume(server, assumer, account_b, agency)
    error = fails(lambda: _create_user(clients.iam(server.url, creds), account_b), 403)
    fails(lambda: _decode(server, creds, error.encoded_auth_msg), 403)  # no sts:messages:decode
    fails(lambda: _decode(server, account_a, error.encoded_auth_msg), 403)  # another account
    fails(lambda: _decode(server, account_b, "bm90IGEgbWVzc2FnZQ=="), 400)
    assert json.loads(_decode(server, account_b, error.encoded_auth_msg).decoded_message)


def test_get_caller_identity_names_an_iam_user_and_a_root(server, account_a, assumer):
    user = clients.sts(server.url, assumer).get_caller_identity(sm.GetCallerIdentityRequest())
    assert (user.account_id, user.principal_urn, user.principal_id) == (
        account_a.account_id,
        f"iam::{account_a.account_id}:user:{assumer.user_name}",
        assumer.user_id,
    )
    root = clients.sts(server.url, account_a).get_caller_identity(sm.GetCallerIdentityRequest())
    assert root.principal_urn == f"iam::{account_a.account_id}:root"


def test_a_user_without_the_assume_permission_is_refused(server, account_a, account_b, agency):
    from tests import personas

    reader = personas.iam_user_with_roles(server, account_a, ["IAM ReadOnlyAccess"])
    fails(lambda: assume(server, reader, account_b, agency), 403)


def test_an_agency_that_does_not_trust_the_caller_is_refused(server, account_b, agency):
    stranger = server.new_account("stranger")
    fails(lambda: assume(server, stranger, account_b, agency), 403)


def test_a_malformed_agency_urn_is_a_400(server, account_a):
    body = sm.AssumeAgencyReqBody(agency_urn="iam::x:user:bob", agency_session_name="s1")
    fails(
        lambda: clients.sts(server.url, account_a).assume_agency(sm.AssumeAgencyRequest(body=body)),
        400,
    )
    assert agency_urn  # the helper composes the documented form
