"""The account's password strength policy (KeystoneShowSecurityCompliance and ...ByOption):
any user of the account reads it without a policy; another account's is refused."""

from __future__ import annotations

import re

from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails


def test_a_user_without_policies_reads_the_accounts_password_policy(server, account) -> None:
    user = personas.iam_user(server, account)
    policy = (
        clients.iam(server.url, user)
        .keystone_show_security_compliance(
            m.KeystoneShowSecurityComplianceRequest(domain_id=account.account_id)
        )
        .config.security_compliance
    )
    assert "between 6 and 32" in policy.password_regex_description
    pattern = re.compile(policy.password_regex)
    assert pattern.match("Strong-Passw0rd")
    assert not pattern.match("abcdefgh")  # one kind of character
    assert not pattern.match("Ab1!")  # too short


def test_one_option_of_the_policy_is_read_alone(server, account) -> None:
    client = clients.iam(server.url, account)
    for option in ("password_regex", "password_regex_description"):
        found = client.keystone_show_security_compliance_by_option(
            m.KeystoneShowSecurityComplianceByOptionRequest(
                domain_id=account.account_id, option=option
            )
        ).config
        assert getattr(found, option)
        other = {"password_regex", "password_regex_description"} - {option}
        assert getattr(found, other.pop()) is None


def test_another_accounts_policy_and_unknown_options_are_refused(server, account) -> None:
    other = server.new_account()
    client = clients.iam(server.url, account)
    fails(
        lambda: client.keystone_show_security_compliance(
            m.KeystoneShowSecurityComplianceRequest(domain_id=other.account_id)
        ),
        403,
        "IAM.0003",
    )
    fails(
        lambda: client.keystone_show_security_compliance_by_option(
            m.KeystoneShowSecurityComplianceByOptionRequest(
                domain_id=account.account_id, option="password_history"
            )
        ),
        400,
        "IAM.0011",
    )
