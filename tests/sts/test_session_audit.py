"""The audit trail of calls made with agency-session credentials names the agency, the
session, the source identity and the original principal (reads included)."""

from __future__ import annotations

import time

from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import select

from idplane.platform.audit import AuditRecord
from tests import clients
from tests.sts.conftest import assume


def _records_of(server, access_key: str) -> list[AuditRecord]:
    deadline = time.monotonic() + 10
    while True:
        with server.core.store.read() as session:
            rows = list(
                session.scalars(select(AuditRecord).where(AuditRecord.credential == access_key))
            )
        if rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def test_a_read_in_a_session_is_audited_with_the_agency_session_and_original_principal(
    server, account_a, account_b, agency, assumer
):
    _answer, creds = assume(server, assumer, account_b, agency, source_identity="alice.a")
    clients.iam(server.url, creds).keystone_list_users(m.KeystoneListUsersRequest())
    [record] = _records_of(server, creds.access_key)
    assert (record.method, record.status, record.account_id) == ("GET", 200, account_b.account_id)
    assert record.agency == f"iam::{account_b.account_id}:agency:{agency.name}"
    assert record.session_name == "alice"
    assert record.source_identity == "alice.a"
    assert record.original_principal == (f"iam::{account_a.account_id}:user:{assumer.user_name}")
