"""IAM v3's ways into an agency: keystone_create_agency_token (assume_role),
create_temporary_access_key_by_agency, and keystone_create_scoped_token (token method)."""

from __future__ import annotations

import pytest
from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails


@pytest.fixture
def operator(server, account_a):
    """An IAM user of A allowed to switch into agencies (iam:tokens:assume)."""
    return personas.iam_user_with_policy(
        server, account_a, [{"Action": ["iam:tokens:assume"], "Effect": "Allow"}]
    )


def _agency_token(server, creds, owner, agency, project=False):
    scope = (
        m.AgencyTokenScope(project=m.AgencyTokenScopeProject(id=owner.project_id))
        if project
        else m.AgencyTokenScope(domain=m.AgencyTokenScopeDomain(id=owner.account_id))
    )
    identity = m.AgencyTokenIdentity(
        methods=["assume_role"],
        assume_role=m.AgencyTokenAssumerole(
            domain_name=owner.account_name, agency_name=agency.name
        ),
    )
    body = m.KeystoneCreateAgencyTokenRequestBody(
        auth=m.AgencyTokenAuth(identity=identity, scope=scope)
    )
    return clients.iam(server.url, creds).keystone_create_agency_token(
        m.KeystoneCreateAgencyTokenRequest(body=body)
    )


def _create_user(client, owner):
    option = m.KeystoneCreateUserOption(name="intruder", domain_id=owner.account_id)
    return client.keystone_create_user(
        m.KeystoneCreateUserRequest(body=m.KeystoneCreateUserRequestBody(user=option))
    )


def test_an_agency_token_acts_in_the_agency_account_with_its_grants(
    server, account_b, agency, operator
):
    answer = _agency_token(server, operator, account_b, agency)
    token = answer.token
    assert token.methods == ["assume_role"]
    assert (token.user.id, token.user.name) == (
        agency.id,
        f"{account_b.account_name}/{agency.name}",
    )
    assert token.assumed_by.user.id == operator.user_id
    assert "IAM ReadOnlyAccess" in [r.name for r in token.roles] or token.roles
    as_agency = clients.iam_with_token(server.url, answer.x_subject_token)
    users = as_agency.keystone_list_users(m.KeystoneListUsersRequest()).users
    assert account_b.user_id in [u.id for u in users]
    fails(lambda: _create_user(as_agency, account_b), 403)


def test_an_agency_token_needs_the_assume_permission(server, account_a, account_b, agency):
    reader = personas.iam_user_with_roles(server, account_a, ["IAM ReadOnlyAccess"])
    fails(lambda: _agency_token(server, reader, account_b, agency), 403)


def test_temporary_access_keys_by_agency_sign_in_the_agency_account(
    server, account_b, agency, operator
):
    identity = m.AgencyAuthIdentity(
        methods=["assume_role"],
        assume_role=m.IdentityAssumerole(
            agency_name=agency.name,
            domain_id=account_b.account_id,
            duration_seconds=900,
            session_user=m.AssumeroleSessionuser(name="ops-session"),
        ),
    )
    made = (
        clients.iam(server.url, operator)
        .create_temporary_access_key_by_agency(
            m.CreateTemporaryAccessKeyByAgencyRequest(
                body=m.CreateTemporaryAccessKeyByAgencyRequestBody(
                    auth=m.AgencyAuth(identity=identity)
                )
            )
        )
        .credential
    )
    creds = personas.PersonaCredentials(
        **{
            **account_b.as_dict(),
            "access_key": made.access,
            "secret_key": made.secret,
            "security_token": made.securitytoken,
        }
    )
    client = clients.iam(server.url, creds)
    agencies = client.list_agencies(m.ListAgenciesRequest(domain_id=account_b.account_id))
    assert agency.id in [a.id for a in agencies.agencies]
    fails(lambda: _create_user(client, account_b), 403)


def test_a_scoped_token_from_an_agency_token_keeps_the_session(server, account_b, agency, operator):
    first = _agency_token(server, operator, account_b, agency).x_subject_token
    identity = m.ScopedTokenIdentity(methods=["token"], token=m.ScopedToken(id=first))
    scope = m.TokenSocpeOption(project=m.ScopeProjectOption(id=account_b.project_id))
    answer = clients.iam_with_token(server.url, first).keystone_create_scoped_token(
        m.KeystoneCreateScopedTokenRequest(
            body=m.KeystoneCreateScopedTokenRequestBody(
                auth=m.ScopedTokenAuth(identity=identity, scope=scope)
            )
        )
    )
    assert answer.token.project.id == account_b.project_id
    assert answer.token.user.id == agency.id
    scoped = clients.iam_with_token(server.url, answer.x_subject_token)
    scoped.keystone_list_users(m.KeystoneListUsersRequest())
    fails(lambda: _create_user(scoped, account_b), 403)


def test_a_scoped_token_from_a_user_token(server, account_a):
    login = m.PwdPasswordUser(
        name=account_a.user_name,
        password=account_a.password,
        domain=m.PwdPasswordUserDomain(name=account_a.account_name),
    )
    body = m.KeystoneCreateUserTokenByPasswordRequestBody(
        auth=m.PwdAuth(
            identity=m.PwdIdentity(methods=["password"], password=m.PwdPassword(user=login))
        )
    )
    first = (
        clients.iam(server.url, account_a)
        .keystone_create_user_token_by_password(
            m.KeystoneCreateUserTokenByPasswordRequest(body=body)
        )
        .x_subject_token
    )
    identity = m.ScopedTokenIdentity(methods=["token"], token=m.ScopedToken(id=first))
    scope = m.TokenSocpeOption(project=m.ScopeProjectOption(id=account_a.project_id))
    answer = clients.iam_with_token(server.url, first).keystone_create_scoped_token(
        m.KeystoneCreateScopedTokenRequest(
            body=m.KeystoneCreateScopedTokenRequestBody(
                auth=m.ScopedTokenAuth(identity=identity, scope=scope)
            )
        )
    )
    assert (answer.token.user.id, answer.token.project.id) == (
        account_a.user_id,
        account_a.project_id,
    )
    assert answer.token.methods == ["token"]


def test_a_scoped_token_from_an_unknown_token_is_refused(server, account_a):
    identity = m.ScopedTokenIdentity(methods=["token"], token=m.ScopedToken(id="not-a-token"))
    scope = m.TokenSocpeOption(project=m.ScopeProjectOption(id=account_a.project_id))
    fails(
        lambda: clients.iam(server.url, account_a).keystone_create_scoped_token(
            m.KeystoneCreateScopedTokenRequest(
                body=m.KeystoneCreateScopedTokenRequestBody(
                    auth=m.ScopedTokenAuth(identity=identity, scope=scope)
                )
            )
        ),
        401,
    )
