"""Audit records of the sign-in flow: every sign-in, failed sign-in, device approval or denial,
credential issue and logout, written in the transaction of the step itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.instances.store_tables import IdentityStore
from idplane.platform.audit import AuditRecord
from idplane.platform.clock import now

CREDENTIAL_KIND = "signin_session"


def record(
    session: Session,
    action: str,
    identity_store_id: str,
    *,
    user_id: str | None,
    succeeded: bool,
    resource: str | None = None,
    credential: str | None = None,
    request_id: str = "",
) -> None:
    """`action` is named like the API's actions (`signin:password`, `portal:getAgencyCredentials`);
    the record belongs to the account that owns the identity store."""
    account_id = session.scalar(
        select(IdentityStore.account_id).where(IdentityStore.id == identity_store_id)
    )
    session.add(
        AuditRecord(
            at=now(),
            request_id=request_id,
            account_id=account_id,
            user_id=user_id,
            credential=credential,
            credential_kind=CREDENTIAL_KIND,
            action=action,
            method="POST",
            resource=(resource or f"identity-stores/{identity_store_id}")[:1024],
            status=200 if succeeded else 401,
            outcome="success" if succeeded else "failure",
        )
    )
