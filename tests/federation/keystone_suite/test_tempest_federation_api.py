"""keystone-tempest-plugin's OS-FEDERATION API tests (identity providers, protocols, mapping
rules) run unchanged against idplane, with a fresh account's root user as tempest's admin.

Keystone 30 passes 17 of 17; so must idplane. Tempest's clean-up disables and deletes the
domain each identity provider was given, so these tests also prove that doing so never locks
the account out: the account's password still signs in afterwards.
"""

from __future__ import annotations

from tests.federation.conftest import password_token
from tests.federation.keystone_suite import tempest_run


def test_keystone_tempest_plugin_federation_api_tests_pass_17_of_17(server, account, tmp_path):
    tempest_run.write_conf(
        tmp_path,
        server.url,
        account.user_name,
        account.password,
        account.region,  # the account's default project is named after the region
        account.account_name,
        account.region,
    )
    ran, failed, output = tempest_run.run(tmp_path)
    assert (ran, failed) == (17, 0), output[-6000:]
    assert password_token(server, account.account_name, account.user_name, account.password)
