"""The user portal: what the portal page shows and the portal API answers
(`list_accounts`, `list_account_agencies`, `get_agency_credentials`, `logout`), for a
sign-in session reached through its browser cookie or an OIDC access token (`access-token`).

The agency of a permission set in an account is the one provisioning made there
(`identitycenter/permission_sets/agencies.py`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idplane.identitycenter.assignments.grants import Grant, assigned
from idplane.identitycenter.permission_sets.agencies import agency_urn
from idplane.identitystore.users.tables import User
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import token_digest
from idplane.platform.db import Store
from idplane.platform.errors import Invalid, NotFound, Unauthenticated
from idplane.signin import audit
from idplane.signin.sessions.service import SessionView
from idplane.signin.tables import ACTIVE, OidcToken, SigninSession

DEFAULT_LIMIT, MAX_LIMIT = 200, 2000

# (session, grant, session view) -> {"access_key_id", "secret_access_key", "session_token",
# "expiration" (epoch seconds)}; None until the agency session mechanism is wired in.
CredentialIssuer = Callable[[Session, Grant, SessionView], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_marker: str | None


class PortalService:
    def __init__(self, store: Store, issuer: CredentialIssuer | None = None):
        self.store = store
        self.issuer = issuer

    # The page ---------------------------------------------------------------------------------

    def accounts_page(self, view: SessionView) -> list[dict[str, Any]]:
        with self.store.read() as session:
            grants = assigned(session, view.identity_store_id, view.user_id)
        accounts: dict[str, dict[str, Any]] = {}
        for grant in grants:
            account = accounts.setdefault(
                grant.account_id,
                {
                    "id": grant.account_id,
                    "name": grant.account_name,
                    "email": grant.email_address,
                    "grants": [],
                },
            )
            account["grants"].append(grant)
        return list(accounts.values())

    def page_credentials(self, view: SessionView, account_id: str, permission_set_id: str):
        with self.store.transaction() as session:
            grants = assigned(session, view.identity_store_id, view.user_id)
            grant = next(
                (
                    g
                    for g in grants
                    if g.account_id == account_id and g.permission_set_id == permission_set_id
                ),
                None,
            )
            return self._issue(session, grant, view)

    # The API ----------------------------------------------------------------------------------

    def list_accounts(self, access_token: str, limit: int | None, marker: str | None) -> Page:
        with self.store.read() as session:
            view = _by_token(session, access_token)
            grants = assigned(session, view.identity_store_id, view.user_id)
        accounts = {g.account_id: g for g in grants}
        ordered = [accounts[key] for key in sorted(accounts)]
        return _page(ordered, lambda g: g.account_id, limit, marker)

    def list_account_agencies(
        self, access_token: str, account_id: str, limit: int | None, marker: str | None
    ) -> Page:
        with self.store.read() as session:
            view = _by_token(session, access_token)
            grants = assigned(session, view.identity_store_id, view.user_id)
        mine = sorted(
            (g for g in grants if g.account_id == account_id), key=lambda g: g.permission_set_name
        )
        return _page(mine, lambda g: g.permission_set_name, limit, marker)

    def get_agency_credentials(
        self, access_token: str, target_account_id: str, urn: str
    ) -> dict[str, Any]:
        with self.store.transaction() as session:
            view = _by_token(session, access_token)
            grants = assigned(session, view.identity_store_id, view.user_id)
            grant = next(
                (
                    g
                    for g in grants
                    if g.account_id == target_account_id
                    and agency_urn(g.account_id, g.permission_set_name) == urn
                ),
                None,
            )
            return self._issue(session, grant, view)

    def _issue(self, session: Session, grant: Grant | None, view: SessionView) -> dict[str, Any]:
        if grant is None:
            audit.record(
                session,
                "portal:getAgencyCredentials",
                view.identity_store_id,
                user_id=view.user_id,
                succeeded=False,
                credential=view.id,
            )
            raise NotFound("no such agency is assigned to you in that account.", "IIC.404")
        if self.issuer is None:
            raise Invalid("temporary credentials are not available yet.", "IIC.400")
        issued = self.issuer(session, grant, view)
        audit.record(
            session,
            "portal:getAgencyCredentials",
            view.identity_store_id,
            user_id=view.user_id,
            succeeded=True,
            credential=view.id,
            resource=agency_urn(grant.account_id, grant.permission_set_name),
        )
        return {**issued, "account_id": grant.account_id}

    def logout(self, access_token: str) -> None:
        """Ends the sign-in session of the token: every token and cookie of it stops at once."""
        with self.store.transaction() as session:
            view = _by_token(session, access_token)
            audit.record(
                session,
                "portal:logout",
                view.identity_store_id,
                user_id=view.user_id,
                succeeded=True,
                credential=view.id,
            )
            session.execute(delete(SigninSession).where(SigninSession.id == view.id))


def _by_token(session: Session, access_token: str) -> SessionView:
    found = session.execute(
        select(OidcToken, SigninSession, User)
        .join(SigninSession, SigninSession.id == OidcToken.session_id)
        .join(User, User.id == SigninSession.user_id)
        .where(OidcToken.access_digest == token_digest(access_token))
    ).first()
    moment = now()
    if (
        found is None
        or as_utc(found[0].access_expires_at) <= moment
        or as_utc(found[1].expires_at) <= moment
        or found[1].state != ACTIVE
        or not found[2].enabled
    ):
        raise Unauthenticated("The access token is invalid or has expired.")
    signed_in, user = found[1], found[2]
    return SessionView(
        id=signed_in.id,
        identity_store_id=signed_in.identity_store_id,
        user_id=user.id,
        user_name=user.user_name,
        display_name=user.display_name,
        state=signed_in.state,
        csrf_token=signed_in.csrf_token,
        expires_at=as_utc(signed_in.expires_at),
    )


def _page(items: list[Any], key: Callable[[Any], str], limit: int | None, marker: str | None):
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise Invalid(f"limit must be between 1 and {MAX_LIMIT}.", "IIC.400")
    after = _unmark(marker) if marker else None
    rest = [item for item in items if after is None or key(item) > after]
    chosen = rest[:size]
    more = len(rest) > size
    return Page(chosen, _mark(key(chosen[-1])) if more and chosen else None)


def _mark(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def _unmark(marker: str) -> str:
    try:
        return base64.urlsafe_b64decode(marker + "=" * (-len(marker) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise Invalid("marker is invalid.", "IIC.400") from error
