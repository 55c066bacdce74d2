"""The audit trail records every sign-in, failed sign-in, device approval, token issue,
credential issue and logout of the sign-in flow, under the identity store's account."""

from __future__ import annotations

from huaweicloudsdkidentitycenterportalapi.v1 import model as pm
from sqlalchemy import select

from idplane.platform.audit import AuditRecord
from tests.signin.forms import Visitor
from tests.signin.support import actions_of, portal_client, signed_in_token


def test_sign_in_failure_approval_token_and_logout_are_audited(portal):
    user_id, name, password = portal.user_with_password()
    Visitor(portal.server.url).sign_in(portal.store_id, name, "Wrong-Passw0rd!")
    token = signed_in_token(portal, name, password)
    portal_client(portal.server).logout(pm.LogoutRequest(access_token=token.access_token))
    recorded = actions_of(portal, user_id)
    for expected in [
        ("signin:password", "failure"),
        ("signin:password", "success"),
        ("oidc:approveDevice", "success"),
        ("oidc:createToken", "success"),
        ("portal:logout", "success"),
    ]:
        assert expected in recorded
    with portal.server.core.store.read() as session:
        accounts = set(
            session.scalars(select(AuditRecord.account_id).where(AuditRecord.user_id == user_id))
        )
    assert accounts == {portal.directory.management.account_id}
