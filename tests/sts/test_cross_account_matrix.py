"""The cross-account matrix through huaweicloudsdksts and huaweicloudsdkiam: A assumes into B
whose agency grants read-only; deletion, expiry, session policies, chaining, external ids."""

from __future__ import annotations

import json

from huaweicloudsdkiam.v3 import model as m
from huaweicloudsdksts.v1 import model as sm

from tests import clients
from tests.iam.conftest import fails
from tests.sts.conftest import (
    agency_urn,
    assume,
    expire_session,
    grant_policy,
    make_agency,
    set_trust_policy,
)


def _list_users(creds, server):
    return clients.iam(server.url, creds).keystone_list_users(m.KeystoneListUsersRequest())


def _create_user(server, creds, owner):
    option = m.KeystoneCreateUserOption(name="intruder", domain_id=owner.account_id)
    return clients.iam(server.url, creds).keystone_create_user(
        m.KeystoneCreateUserRequest(body=m.KeystoneCreateUserRequestBody(user=option))
    )


def _decode(server, creds, encoded) -> dict:
    answer = clients.sts(server.url, creds).decode_authorization_message(
        sm.DecodeAuthorizationMessageRequest(
            body=sm.DecodeAuthorizationMessageReq(encoded_message=encoded)
        )
    )
    return json.loads(answer.decoded_message)


def test_a_write_denied_by_an_agency_statement_decodes_to_that_statement(
    server, account_b, agency, assumer
):
    name = grant_policy(
        server, account_b, agency, [{"Effect": "Deny", "Action": ["iam:users:createUser"]}]
    )
    _answer, creds = assume(server, assumer, account_b, agency)
    error = fails(lambda: _create_user(server, creds, account_b), 403)
    message = _decode(server, account_b, error.encoded_auth_msg)
    assert message["explicit_deny"] is True
    [statement] = message["matched_statements"]
    assert (statement["source"], statement["effect"], statement["action"]) == (
        name,
        "Deny",
        ["iam:users:createUser"],
    )


def test_deleting_the_agency_mid_session_stops_its_credentials(server, account_b, agency, assumer):
    _answer, creds = assume(server, assumer, account_b, agency)
    _list_users(creds, server)
    clients.iam(server.url, account_b).delete_agency(m.DeleteAgencyRequest(agency_id=agency.id))
    fails(lambda: _list_users(creds, server), 401)


def test_an_expired_session_stops(server, account_b, agency, assumer):
    answer, creds = assume(server, assumer, account_b, agency)
    session_id = _session_id(server, answer.credentials.access_key_id)
    expire_session(server, session_id)
    fails(lambda: _list_users(creds, server), 401)


def _session_id(server, access: str) -> str:
    from idplane.iam.tables import TemporaryAccessKey

    with server.core.store.read() as session:
        return session.get(TemporaryAccessKey, access).agency_session_id


def test_a_session_policy_narrows_and_cannot_widen(server, account_b, agency, assumer):
    narrow = json.dumps(
        {"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["iam:agencies:list*"]}]}
    )
    _answer, creds = assume(server, assumer, account_b, agency, policy=narrow)
    clients.iam(server.url, creds).list_agencies(
        m.ListAgenciesRequest(domain_id=account_b.account_id)
    )
    fails(lambda: _list_users(creds, server), 403)
    wide = json.dumps({"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["*"]}]})
    _answer, creds = assume(server, assumer, account_b, agency, policy=wide)
    _list_users(creds, server)
    fails(lambda: _create_user(server, creds, account_b), 403)


def test_a_malformed_session_policy_is_a_400(server, account_b, agency, assumer):
    fails(lambda: assume(server, assumer, account_b, agency, policy="{not json"), 400)


def test_chained_assumption_keeps_the_source_identity_and_is_capped_at_an_hour(
    server, account_a, account_b, agency, assumer
):
    account_c = server.new_account("c")
    onward = make_agency(server, account_c, account_b, max_seconds=43200)
    grant_policy(
        server, account_b, agency, [{"Effect": "Allow", "Action": ["sts:agencies:assume"]}]
    )
    _answer, in_b = assume(server, assumer, account_b, agency, source_identity="alice.a")
    fails(lambda: assume(server, in_b, account_c, onward, duration_seconds=7200), 400)
    answer, in_c = assume(server, in_b, account_c, onward, session_name="hop2")
    assert answer.source_identity == "alice.a"
    users = _list_users(in_c, server).users
    assert account_c.user_id in [u.id for u in users]
    identity = clients.sts(server.url, in_c).get_caller_identity(sm.GetCallerIdentityRequest())
    assert identity.principal_urn == (
        f"sts::{account_c.account_id}:assumed-agency:{onward.name}/hop2"
    )
    fails(
        lambda: assume(
            server, in_b, account_c, onward, session_name="hop3", source_identity="bob1"
        ),
        400,
    )


def test_a_duration_beyond_the_agency_maximum_is_a_400(
    server, account_a, account_b, agency, assumer
):
    fails(lambda: assume(server, assumer, account_b, agency, duration_seconds=7200), 400)
    longer = make_agency(server, account_b, account_a, max_seconds=7200)
    assume(server, assumer, account_b, longer, duration_seconds=7200)


def test_an_agency_requiring_an_external_id_refuses_callers_without_it(
    server, account_a, account_b, agency, assumer
):
    set_trust_policy(
        server,
        agency,
        {
            "Version": "5.0",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["sts:agencies:assume"],
                    "Principal": {"IAM": [account_a.account_id]},
                    "Condition": {"StringEquals": {"sts:ExternalId": ["ext-4711"]}},
                }
            ],
        },
    )
    fails(lambda: assume(server, assumer, account_b, agency), 403)
    fails(lambda: assume(server, assumer, account_b, agency, external_id="ext-0000"), 403)
    _answer, creds = assume(server, assumer, account_b, agency, external_id="ext-4711")
    _list_users(creds, server)


def test_a_trust_policy_that_stops_naming_the_caller_ends_its_sessions(
    server, account_a, account_b, agency, assumer
):
    allow = {"Effect": "Allow", "Action": ["sts:agencies:assume"]}
    set_trust_policy(
        server,
        agency,
        {"Version": "5.0", "Statement": [{**allow, "Principal": {"IAM": [account_a.account_id]}}]},
    )
    _answer, creds = assume(server, assumer, account_b, agency)
    _list_users(creds, server)
    other = "iam::" + "0" * 32 + ":root"
    set_trust_policy(
        server, agency, {"Version": "5.0", "Statement": [{**allow, "Principal": {"IAM": [other]}}]}
    )
    fails(lambda: _list_users(creds, server), 401)


def test_session_tags_reach_conditions_and_transitive_tags_follow_the_chain(
    server, account_b, agency, assumer
):
    grant_policy(
        server,
        account_b,
        agency,
        [
            {
                "Effect": "Deny",
                "Action": ["iam:agencies:list*"],
                "Condition": {"StringNotEquals": {"g:PrincipalTag/team": ["blue"]}},
            }
        ],
    )
    tags = [sm.TagDto(key="team", value="red")]
    _answer, red = assume(server, assumer, account_b, agency, tags=tags)
    listing = m.ListAgenciesRequest(domain_id=account_b.account_id)
    fails(lambda: clients.iam(server.url, red).list_agencies(listing), 403)
    tags = [sm.TagDto(key="team", value="blue")]
    _answer, blue = assume(server, assumer, account_b, agency, tags=tags)
    clients.iam(server.url, blue).list_agencies(listing)
    fails(
        lambda: assume(server, assumer, account_b, agency, tags=tags, transitive_tag_keys=["cc"]),
        400,
    )
    assert agency_urn(account_b, agency).endswith(agency.name)
