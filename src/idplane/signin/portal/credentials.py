"""Temporary credentials for a portal user in an assigned account: a session in the agency
provisioning made for the permission set there, opened by Identity Center on the user's
behalf, lasting the permission set's session duration. The key works only while that agency
exists, so deprovisioning (the last assignment removed, disassociate-profile, the permission
set deleted) ends it at once."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.iam.agencies.service import find_agency_in
from idplane.iam.sessions.service import (
    AgencySessions,
    SessionSpec,
    SourcePrincipal,
    open_session_in,
)
from idplane.identitycenter.assignments.grants import Grant
from idplane.identitycenter.permission_sets.agencies import TRUSTED_SERVICE, agency_name
from idplane.instances.store_tables import IdentityStore
from idplane.platform.auth.caller import SourceKind
from idplane.platform.errors import NotFound
from idplane.signin.portal.service import CredentialIssuer
from idplane.signin.sessions.service import SessionView


def agency_credentials(sessions: AgencySessions) -> CredentialIssuer:
    def issue(session: Session, grant: Grant, view: SessionView) -> dict[str, Any]:
        agency = find_agency_in(session, grant.account_id, agency_name(grant.permission_set_name))
        if agency is None:
            raise NotFound("the permission set is not provisioned to that account.", "IIC.404")
        owner = session.scalar(
            select(IdentityStore.account_id).where(IdentityStore.id == view.identity_store_id)
        )
        source = SourcePrincipal(
            kind=SourceKind.IDENTITY_STORE_USER,
            account_id=owner or "",
            principal_id=view.user_id,
            principal_urn=f"IdentityCenter::{view.identity_store_id}:user:{view.user_id}",
            trusted_party=TRUSTED_SERVICE,
        )
        spec = SessionSpec(
            session_name=_session_name(view.user_name),
            duration_seconds=agency.max_session_duration,
        )
        issued = sessions.issue_credentials_in(
            session, open_session_in(session, agency, source, spec)
        )
        return {
            "access_key_id": issued.access,
            "secret_access_key": issued.secret,
            "session_token": issued.security_token,
            "expiration": int(issued.expires_at.timestamp()),  # epoch seconds, as documented
        }

    return issue


def _session_name(user_name: str) -> str:
    """STS session names allow letters, digits and `+=,.@-_`; 2 to 64 characters."""
    cleaned = re.sub(r"[^\w+=,.@-]", "_", user_name, flags=re.ASCII)[:64]
    return cleaned if len(cleaned) >= 2 else f"{cleaned}__"
