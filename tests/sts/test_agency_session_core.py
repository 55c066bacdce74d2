"""The agency-session mechanism as other services call it (no HTTP): a session opened for a
principal of A in B's agency signs IAM requests in B with the agency's grants only, narrowed
by its session policy, and stops working when the agency goes, its trust changes or it expires."""

from __future__ import annotations

import pytest
from huaweicloudsdkiam.v3 import model as m

from idplane.iam.sessions.service import SessionSpec, SourcePrincipal
from idplane.platform.auth.caller import SourceKind
from idplane.platform.errors import Forbidden, Invalid
from tests import clients
from tests.iam.conftest import fails
from tests.sts.conftest import expire_session, session_credentials


def _source(account_a, kind=SourceKind.IDENTITY_STORE_USER):
    return SourcePrincipal(
        kind=kind,
        account_id=account_a.account_id,
        principal_id="9f0c1d2e-portal-user",
        principal_urn=f"identitystore::{account_a.account_id}:user:alice",
        trusted_party=account_a.account_id,
    )


def _open(server, account_a, account_b, agency, **spec):
    issued = server.core.sessions.open_agency_session(
        account_b.account_id,
        agency.name,
        _source(account_a),
        SessionSpec(**{"session_name": "alice", **spec}),
    )
    creds = session_credentials(account_b, issued.access, issued.secret, issued.security_token)
    return issued, clients.iam(server.url, creds)


def test_a_session_reads_in_the_agency_account_and_is_refused_writes(
    server, account_a, account_b, agency
):
    issued, client = _open(server, account_a, account_b, agency)
    assert issued.session.urn == (f"sts::{account_b.account_id}:assumed-agency:{agency.name}/alice")
    users = client.keystone_list_users(m.KeystoneListUsersRequest()).users
    assert account_b.user_id in [u.id for u in users]
    option = m.KeystoneCreateUserOption(name="intruder", domain_id=account_b.account_id)
    fails(
        lambda: client.keystone_create_user(
            m.KeystoneCreateUserRequest(body=m.KeystoneCreateUserRequestBody(user=option))
        ),
        403,
    )


def test_a_session_policy_narrows_the_agency_grants(server, account_a, account_b, agency):
    policy = {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["iam:agencies:*"]}]}
    _issued, client = _open(server, account_a, account_b, agency, policy=policy)
    client.list_agencies(m.ListAgenciesRequest(domain_id=account_b.account_id))
    fails(lambda: client.keystone_list_users(m.KeystoneListUsersRequest()), 403)


def test_deleting_the_agency_ends_its_sessions_at_once(server, account_a, account_b, agency):
    _issued, client = _open(server, account_a, account_b, agency)
    client.keystone_list_users(m.KeystoneListUsersRequest())
    clients.iam(server.url, account_b).delete_agency(m.DeleteAgencyRequest(agency_id=agency.id))
    fails(lambda: client.keystone_list_users(m.KeystoneListUsersRequest()), 401)


def test_changing_the_agency_trust_ends_its_sessions_at_once(server, account_a, account_b, agency):
    _issued, client = _open(server, account_a, account_b, agency)
    other = server.new_account("other")
    clients.iam(server.url, account_b).update_agency(
        m.UpdateAgencyRequest(
            agency_id=agency.id,
            body=m.UpdateAgencyRequestBody(
                agency=m.UpdateAgencyOption(trust_domain_id=other.account_id)
            ),
        )
    )
    fails(lambda: client.keystone_list_users(m.KeystoneListUsersRequest()), 401)


def test_an_expired_session_no_longer_signs(server, account_a, account_b, agency):
    issued, client = _open(server, account_a, account_b, agency)
    expire_session(server, issued.session.id)
    fails(lambda: client.keystone_list_users(m.KeystoneListUsersRequest()), 401)


def test_only_a_trusted_account_opens_a_session(server, account_a, account_b, agency):
    stranger = server.new_account("stranger")
    with pytest.raises(Forbidden):
        server.core.sessions.open_agency_session(
            account_b.account_id, agency.name, _source(stranger), SessionSpec("bob")
        )


def test_a_duration_beyond_the_agency_maximum_is_refused(server, account_a, account_b, agency):
    with pytest.raises(Invalid):
        server.core.sessions.open_agency_session(
            account_b.account_id,
            agency.name,
            _source(account_a),
            SessionSpec("alice", duration_seconds=7200),
        )
