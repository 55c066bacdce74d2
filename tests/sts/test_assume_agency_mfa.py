"""assume_agency with MFA through the official STS client: the serial number and token code of
the caller's bound virtual MFA device open a session with MFA (a trust policy can require
`g:MFAPresent`); a wrong or replayed code is denied, an unknown serial number is 400."""

from __future__ import annotations

import pytest

from tests import clients
from tests.iam.conftest import fails
from tests.iam.mfa import bound_device, code
from tests.sts.conftest import assume, set_trust_policy


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
