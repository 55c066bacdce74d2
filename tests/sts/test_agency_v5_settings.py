"""IAM v5 settings of an agency that STS honours: maximum session duration and trust policy."""

from __future__ import annotations

from huaweicloudsdkiam.v5 import model as v5

from tests import clients
from tests.iam.conftest import fails


def test_a_maximum_session_duration_outside_3600_to_43200_is_a_400(server, account_b, agency):
    client = clients.iam_v5(server.url, account_b)
    for seconds in (3599, 43201):
        fails(
            lambda s=seconds: client.update_agency_v5(
                v5.UpdateAgencyV5Request(
                    agency_id=agency.id, body=v5.UpdateAgencyReqBody(max_session_duration=s)
                )
            ),
            400,
        )


def test_a_trust_policy_that_is_not_one_is_a_400(server, account_b, agency):
    client = clients.iam_v5(server.url, account_b)
    for text in ("{not json", '{"Statement": []}', '{"Statement": [{"Effect": "Allow"}]}'):
        fails(
            lambda t=text: client.update_trust_policy_v5(
                v5.UpdateTrustPolicyV5Request(
                    agency_id=agency.id, body=v5.UpdateTrustPolicyReqBody(trust_policy=t)
                )
            ),
            400,
        )


def test_another_account_cannot_set_the_trust_policy(server, account_a, agency):
    policy = '{"Statement": [{"Effect": "Allow", "Principal": {"IAM": ["*"]}}]}'
    fails(
        lambda: clients.iam_v5(server.url, account_a).update_trust_policy_v5(
            v5.UpdateTrustPolicyV5Request(
                agency_id=agency.id, body=v5.UpdateTrustPolicyReqBody(trust_policy=policy)
            )
        ),
        404,
    )
