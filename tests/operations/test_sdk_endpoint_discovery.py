"""What the README tells SDK users: `HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>` points
`with_region(XRegion.value_of(region))` at idplane, and `HUAWEICLOUD_SDK_IAM_ENDPOINT` is where
credentials without an account or project id discover them."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import IamClient
from huaweicloudsdkiam.v3 import model as m
from huaweicloudsdkiam.v3.region.iam_region import IamRegion

from tests import clients


def test_the_region_variable_points_an_sdk_client_at_idplane(server, account, monkeypatch) -> None:
    # A region id of its own, so the SDK's process-wide region cache holds nothing for it yet.
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION_IAM_IDPLANE_TEST_1", server.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", server.url)
    credentials = clients.global_credentials(account)
    credentials.domain_id = None  # discovered through HUAWEICLOUD_SDK_IAM_ENDPOINT
    client = (
        IamClient.new_builder()
        .with_credentials(credentials)
        .with_region(IamRegion.value_of("idplane-test-1"))
        .with_http_config(clients.http_config())
        .build()
    )
    domains = client.keystone_list_auth_domains(m.KeystoneListAuthDomainsRequest()).domains
    assert [d.id for d in domains] == [account.account_id]
