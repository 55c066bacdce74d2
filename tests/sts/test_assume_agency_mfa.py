"""assume_agency with MFA through the official STS client: the serial number and token code of
the caller's bound virtual MFA device open a session with MFA (a trust policy can require
`g:MFAPresent`); a wrong or replayed code is denied, an unknown serial number is 400. An
agency token switched to from a token got with MFA has MFA too."""

from __future__ import annotations

import pytest
from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails
from tests.iam.mfa import bound_device, code, mfa_login, password_login
from tests.sts.conftest import assume, grant_policy, make_agency, set_trust_policy


@pytest.fixture
def device(server, assumer):
    """(serial number, seed) of a device bound to the assumer."""
    return bound_device(clients.iam(server.url, assumer), assumer.user_id)


def _require_mfa(server, account_a, account_b, agency) -> None:
    statement = {
        "Effect": "Allow",
        "Action": ["sts:agencies:assume"],
        "Principal": {"IAM": [account_a.account_id]},
        "Condition": {"Bool": {"g:MFAPresent": ["true"]}},
    }
    set_trust_policy(server, account_b, agency, {"Version": "5.0", "Statement": [statement]})


def test_a_trust_policy_requiring_mfa_admits_a_caller_with_the_right_code(
    server, account_a, account_b, agency, assumer, device
):
    serial, seed = device
    _require_mfa(server, account_a, account_b, agency)
    fails(lambda: assume(server, assumer, account_b, agency), 403)
    answer, _creds = assume(
        server, assumer, account_b, agency, serial_number=serial, token_code=code(seed)
    )
    assert answer.credentials.access_key_id


def test_a_wrong_or_replayed_code_is_denied(server, account_b, agency, assumer, device):
    serial, seed = device
    fails(
        lambda: assume(
            server, assumer, account_b, agency, serial_number=serial, token_code="000000"
        ),
        403,
    )
    passcode = code(seed)
    assume(server, assumer, account_b, agency, serial_number=serial, token_code=passcode)
    fails(
        lambda: assume(
            server, assumer, account_b, agency, serial_number=serial, token_code=passcode
        ),
        403,
    )


def test_a_serial_number_that_is_not_the_callers_bound_device_is_400(
    server, account_a, account_b, agency, assumer
):
    serial = f"iam:{account_a.account_id}:mfa/nothing-here"
    fails(
        lambda: assume(
            server, assumer, account_b, agency, serial_number=serial, token_code="123456"
        ),
        400,
    )


def test_a_serial_number_without_a_code_is_400(server, account_b, agency, assumer, device):
    serial, _seed = device
    fails(lambda: assume(server, assumer, account_b, agency, serial_number=serial), 400)


def test_an_agency_token_switched_to_from_an_mfa_token_has_mfa(server, account_a, account_b):
    operator = personas.iam_user_with_policy(
        server, account_a, [{"Action": ["iam:tokens:assume"], "Effect": "Allow"}]
    )
    _serial, seed = bound_device(clients.iam(server.url, operator), operator.user_id)
    agency = make_agency(server, account_b, account_a, roles=())
    condition = {"Bool": {"g:MFAPresent": ["true"]}}
    grant_policy(
        server,
        account_b,
        agency,
        [{"Action": ["iam:users:listUsers"], "Effect": "Allow", "Condition": condition}],
    )

    def list_users_as_agency(token: str):
        identity = m.AgencyTokenIdentity(
            methods=["assume_role"],
            assume_role=m.AgencyTokenAssumerole(
                domain_name=account_b.account_name, agency_name=agency.name
            ),
        )
        scope = m.AgencyTokenScope(domain=m.AgencyTokenScopeDomain(id=account_b.account_id))
        body = m.KeystoneCreateAgencyTokenRequestBody(
            auth=m.AgencyTokenAuth(identity=identity, scope=scope)
        )
        switched = clients.iam_with_token(server.url, token).keystone_create_agency_token(
            m.KeystoneCreateAgencyTokenRequest(body=body)
        )
        as_agency = clients.iam_with_token(server.url, switched.x_subject_token)
        return as_agency.keystone_list_users(m.KeystoneListUsersRequest())

    plain = password_login(server, operator).x_subject_token
    fails(lambda: list_users_as_agency(plain), 403)
    strong = mfa_login(server, operator, code(seed)).x_subject_token
    assert list_users_as_agency(strong).users
