"""show_agency_credential (`GET /v1/agency/credential`): temporary AK/SK of the account's
table-service agency (TABLE_SERVICE_TRUST), opened by LakeFormation in the agency that trusts
it. They sign with the agency's permissions, stop working when the agency is deleted, and
their issue is audited."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from huaweicloudsdklakeformation.v1 import model as m
from huaweicloudsdksts.v1 import model as sm
from sqlalchemy import select

from idplane.platform.audit import AuditRecord
from tests import clients, personas
from tests.lakeformation.conftest import assert_error, fails, token
from tests.sts.conftest import session_credentials

TABLE_SERVICE_TRUST = "lakeformation_table_service_trust"


def _create(lake, agency_type: str = "TABLE_SERVICE_TRUST") -> None:
    lake.create_agency(m.CreateAgencyRequest(body=m.AgencyRequestBody(agency_type=agency_type)))


def _credential(lake, **query) -> m.ShowAgencyCredentialResponse:
    return lake.show_agency_credential(m.ShowAgencyCredentialRequest(**query))


def _signing_as(account, answer):
    return session_credentials(account, answer.access, answer.secret, answer.security_token)


def _parse(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def test_the_credentials_are_a_session_of_the_table_service_agency(server, account, lake):
    _create(lake)
    answer = _credential(lake)  # agency_type defaults to TABLE_SERVICE_TRUST
    assert (answer.agency_type, answer.agency_name) == ("TABLE_SERVICE_TRUST", TABLE_SERVICE_TRUST)
    assert answer.access and answer.secret and answer.security_token
    issued, expires = _parse(answer.issued_at), _parse(answer.expires_at)
    assert expires - issued == timedelta(hours=1)
    assert abs(datetime.now(UTC) - issued) < timedelta(minutes=1)
    creds = _signing_as(account, answer)
    identity = clients.sts(server.url, creds).get_caller_identity(sm.GetCallerIdentityRequest())
    assert identity.account_id == account.account_id
    assert identity.principal_urn == (
        f"sts::{account.account_id}:assumed-agency:{TABLE_SERVICE_TRUST}/LakeFormation"
    )


def test_the_credentials_act_with_the_agency_permissions(server, account, lake):
    _create(lake)
    creds = _signing_as(account, _credential(lake, agency_type="TABLE_SERVICE_TRUST"))
    # Tenant Administrator (the agency's role) allows LakeFormation's own calls.
    shown = clients.lakeformation(server.url, creds).show_agreement(m.ShowAgreementRequest())
    assert shown.agreements == []


def test_deleting_the_agency_revokes_the_credentials_at_once(server, account, lake):
    _create(lake)
    creds = _signing_as(account, _credential(lake))
    sts = clients.sts(server.url, creds)
    sts.get_caller_identity(sm.GetCallerIdentityRequest())
    body = m.AgencyRequestBody(agency_type="TABLE_SERVICE_TRUST")
    lake.delete_agency(m.DeleteAgencyRequest(body=body))
    fails(lambda: sts.get_caller_identity(sm.GetCallerIdentityRequest()), 401)
    signed_lake = clients.lakeformation(server.url, creds)
    fails(lambda: signed_lake.show_agreement(m.ShowAgreementRequest()), 401, "APIG.1002")


def test_without_the_agency_the_answer_is_404(server, account, lake):
    _create(lake, "JOB_TRUST")  # another agency does not count
    fails(lambda: _credential(lake), 404, "common.01000001")


@pytest.mark.parametrize("agency_type", ["JOB_TRUST", "ADMIN_TRUST", "NOPE", ""])
def test_only_the_table_service_agency_serves_credentials(server, account, lake, agency_type):
    _create(lake, "JOB_TRUST")
    fails(lambda: _credential(lake, agency_type=agency_type), 400, "common.01000001")


def test_a_token_works_too_and_errors_are_in_the_envelope(server, account, lake):
    url = f"{server.url}/v1/agency/credential"
    headers = {"X-Auth-Token": token(server, account)}
    assert_error(httpx.get(url, headers=headers), 404, "common.01000001")
    _create(lake)
    answer = httpx.get(url, headers=headers, params={"agency_type": "TABLE_SERVICE_TRUST"})
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {
        "agency_type",
        "agency_name",
        "security_token",
        "expires_at",
        "issued_at",
        "access",
        "secret",
    }


def test_read_only_users_get_no_credentials(server, account, lake):
    _create(lake)
    user = personas.iam_user_with_roles(server, account, ["LakeFormation ReadOnlyAccess"])
    error = fails(lambda: _credential(clients.lakeformation(server.url, user)), 403, "403")
    assert "lakeformation:agencyCredential:create" in error.error_msg
    full = personas.iam_user_with_roles(server, account, ["LakeFormation FullAccess"])
    assert _credential(clients.lakeformation(server.url, full)).access


def test_issuing_credentials_is_audited_though_it_is_a_get(server, account, lake):
    _create(lake)
    answer = _credential(lake)
    denied = personas.iam_user(server, account)
    fails(lambda: _credential(clients.lakeformation(server.url, denied)), 403)
    records = _records(server, account.account_id, want=2)
    assert [(r.method, r.status, r.credential) for r in records] == [
        ("GET", 200, account.access_key),
        ("GET", 403, denied.access_key),
    ]
    assert all(r.action == "show_agency_credential" for r in records)
    assert answer.access not in {r.credential for r in records}


def _records(server, account_id: str, want: int) -> list[AuditRecord]:
    deadline = time.monotonic() + 10
    while True:
        with server.core.store.read() as session:
            rows = list(
                session.scalars(
                    select(AuditRecord)
                    .where(
                        AuditRecord.account_id == account_id,
                        AuditRecord.resource == "/v1/agency/credential",
                    )
                    .order_by(AuditRecord.seq)
                )
            )
        if len(rows) >= want or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)
