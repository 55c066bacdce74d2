"""An agency's policies restricted by Resource and Condition, judged for its sessions:
resource URNs of users and agencies, and the session's source identity and tags."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails
from tests.sts.conftest import assume, grant_policy, make_agency


def test_a_grant_on_one_user_urn_reaches_that_user_only(server, account_a, account_b, assumer):
    agency = make_agency(server, account_b, account_a, roles=())
    other = personas.iam_user(server, account_b)
    urn = f"iam::{account_b.account_id}:user:{other.user_name}"
    grant_policy(
        server,
        account_b,
        agency,
        [{"Effect": "Allow", "Action": ["iam:users:getUser"], "Resource": [urn]}],
    )
    _answer, creds = assume(server, assumer, account_b, agency)
    client = clients.iam(server.url, creds)
    shown = client.keystone_show_user(m.KeystoneShowUserRequest(user_id=other.user_id)).user
    assert shown.name == other.user_name
    fails(
        lambda: client.keystone_show_user(m.KeystoneShowUserRequest(user_id=account_b.user_id)), 403
    )
    fails(lambda: client.keystone_show_user(m.KeystoneShowUserRequest(user_id="0" * 32)), 403)


def test_a_deny_on_an_agency_urn_protects_that_agency(server, account_a, account_b, assumer):
    agency = make_agency(server, account_b, account_a, roles=("IAM ReadOnlyAccess",))
    guarded = make_agency(server, account_b, account_a, roles=())
    urn = f"iam::{account_b.account_id}:agency:{guarded.name}"
    grant_policy(
        server,
        account_b,
        agency,
        [{"Effect": "Deny", "Action": ["iam:agencies:getAgency"], "Resource": [urn]}],
    )
    _answer, creds = assume(server, assumer, account_b, agency)
    client = clients.iam(server.url, creds)
    client.show_agency(m.ShowAgencyRequest(agency_id=agency.id))
    fails(lambda: client.show_agency(m.ShowAgencyRequest(agency_id=guarded.id)), 403)


def test_a_grant_conditioned_on_the_source_identity(server, account_a, account_b, assumer):
    agency = make_agency(server, account_b, account_a, roles=())
    grant_policy(
        server,
        account_b,
        agency,
        [
            {
                "Effect": "Allow",
                "Action": ["iam:agencies:listAgencies"],
                "Condition": {"StringEquals": {"g:SourceIdentity": ["alice.a"]}},
            }
        ],
    )
    listing = m.ListAgenciesRequest(domain_id=account_b.account_id)
    _answer, alice = assume(server, assumer, account_b, agency, source_identity="alice.a")
    clients.iam(server.url, alice).list_agencies(listing)
    _answer, anonymous = assume(server, assumer, account_b, agency, session_name="anon")
    fails(lambda: clients.iam(server.url, anonymous).list_agencies(listing), 403)


def test_a_grant_conditioned_on_the_principal_account(server, account_a, account_b, assumer):
    agency = make_agency(server, account_b, account_a, roles=())
    grant_policy(
        server,
        account_b,
        agency,
        [
            {
                "Effect": "Allow",
                "Action": ["iam:agencies:listAgencies"],
                "Condition": {"StringEquals": {"g:PrincipalAccount": [account_a.account_id]}},
            }
        ],
    )
    _answer, creds = assume(server, assumer, account_b, agency)
    listing = m.ListAgenciesRequest(domain_id=account_b.account_id)
    fails(lambda: clients.iam(server.url, creds).list_agencies(listing), 403)  # the session is B's
