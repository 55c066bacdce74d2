"""IAM v3's ways into an agency session: an agency token (`POST /v3/auth/tokens`, method
`assume_role`), agency temporary AK/SK (`POST /v3.0/OS-CREDENTIAL/securitytokens`, method
`assume_role`), and a token rescoped from an existing one (method `token`).

The assumer needs `iam:tokens:assume` on the agency (roots need nothing), its account must be
the agency's trusted account, and the session lasts as the agency allows (iam/sessions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.iam.agencies.tables import Agency
from idplane.iam.permissions.source import agency_granted_roles, granted_roles
from idplane.iam.sessions.service import (
    AgencySessions,
    SessionSpec,
    SourcePrincipal,
    live_session_in,
    open_session_in,
)
from idplane.iam.sessions.tables import AgencySession
from idplane.iam.tables import Account, Project, Token, User
from idplane.iam.tokens import Scope, TokenService, federated_user, scoped_project
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import as_utc, iso_z, now
from idplane.platform.crypto import token_digest
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, NotFound, Unauthenticated

ASSUME = "iam:tokens:assume"
TOKEN_GONE = "The token is invalid or has expired."


@dataclass(frozen=True)
class AgencyTarget:
    agency_name: str
    domain_id: str | None = None
    domain_name: str | None = None


class AgencyTokens:
    def __init__(
        self,
        store: Store,
        authorizer: Authorizer,
        sessions: AgencySessions,
        tokens: TokenService,
    ):
        self.store = store
        self.authorizer = authorizer
        self.sessions = sessions
        self.tokens = tokens

    def create_agency_token(
        self, caller: Caller, target: AgencyTarget, scope: Scope | None, catalog: bool
    ) -> tuple[str, dict]:
        with self.store.transaction() as session:
            agency, account = self._assumable(session, caller, target)
            project = scoped_project(session, account, scope, "token")
            spec = SessionSpec(
                session_name=caller.user_name or caller.account_name,
                duration_seconds=agency.max_session_duration,
                mfa=caller.mfa_present,
            )
            row = open_session_in(session, agency, SourcePrincipal.of_caller(caller), spec)
            secret = ids.opaque_token()
            token = Token(
                id=ids.uuid_str(),
                digest=token_digest(secret),
                account_id=account.id,
                user_id=caller.user_id,
                project_id=project.id if project else None,
                methods=["assume_role"],
                issued_at=row.issued_at,
                expires_at=row.expires_at,
                agency_session_id=row.id,
            )
            session.add(token)
            body = self._agency_body(session, token, row, account, project, caller, catalog)
            return secret, body

    def create_temporary_access_key_by_agency(
        self,
        caller: Caller,
        target: AgencyTarget,
        duration_seconds: int | None,
        session_user: str | None,
        policy: dict | None,
    ) -> dict:
        seconds = 900 if duration_seconds is None else duration_seconds
        if not 900 <= seconds <= 86400:
            raise Invalid("duration_seconds must be between 900 and 86400", "IAM.0007")
        with self.store.transaction() as session:
            agency, _account = self._assumable(session, caller, target)
            spec = SessionSpec(
                session_name=session_user or caller.user_name or caller.account_name,
                duration_seconds=seconds,
                policy=policy,
                mfa=caller.mfa_present,
            )
            row = open_session_in(session, agency, SourcePrincipal.of_caller(caller), spec)
            issued = self.sessions.issue_credentials_in(session, row)
            return {
                "access": issued.access,
                "secret": issued.secret,
                "securitytoken": issued.security_token,
                "expires_at": iso_z(issued.expires_at),
            }

    def create_temporary_access_key_in_session(
        self, caller: Caller, duration_seconds: int | None, policy: dict | None
    ) -> dict:
        """create_temporary_access_key_by_token called with an agency token: temporary AK/SK
        of the same agency session, ending with it at the latest."""
        seconds = 900 if duration_seconds is None else duration_seconds
        if not 900 <= seconds <= 86400:
            raise Invalid("duration_seconds must be between 900 and 86400", "IAM.0007")
        if policy is not None:
            raise Invalid("An agency session's credentials cannot take another policy.", "IAM.0007")
        session_id = caller.session.id if caller.session else ""
        with self.store.transaction() as session:
            live = live_session_in(session, session_id)
            if live is None:
                raise Unauthenticated(TOKEN_GONE, "IAM.0101")
            until = now() + timedelta(seconds=seconds)
            issued = self.sessions.issue_credentials_in(session, live[0], until)
            return {
                "access": issued.access,
                "secret": issued.secret,
                "securitytoken": issued.security_token,
                "expires_at": iso_z(issued.expires_at),
            }

    def create_scoped_token(
        self, subject: str, scope: Scope | None, catalog: bool
    ) -> tuple[str, dict]:
        """A new token for the same principal (user, or agency session) in another scope,
        expiring when the presented token does."""
        with self.store.transaction() as session:
            stored = session.scalar(select(Token).where(Token.digest == token_digest(subject)))
            if stored is None or stored.revoked or as_utc(stored.expires_at) <= now():
                raise Unauthenticated(TOKEN_GONE, "IAM.0101")
            user = session.scalar(select(User).where(User.id == stored.user_id))
            live = (
                live_session_in(session, stored.agency_session_id)
                if stored.agency_session_id
                else None
            )
            if user is None or not user.enabled or (stored.agency_session_id and live is None):
                raise Unauthenticated(TOKEN_GONE, "IAM.0101")
            account = session.scalar(select(Account).where(Account.id == stored.account_id))
            if account is None or not account.enabled:
                raise Unauthenticated(TOKEN_GONE, "IAM.0101")
            project = scoped_project(session, account, scope, "token")
            secret = ids.opaque_token()
            token = Token(
                id=ids.uuid_str(),
                digest=token_digest(secret),
                account_id=account.id,
                user_id=user.id,
                project_id=project.id if project else None,
                methods=["token"],
                identity_provider_id=stored.identity_provider_id,
                federation=stored.federation,
                issued_at=now(),
                expires_at=stored.expires_at,
                agency_session_id=stored.agency_session_id,
            )
            session.add(token)
            if live is not None:
                roles = agency_granted_roles(
                    session, account.id, live[0].agency_id, token.project_id
                )
                name, user_id = _agency_user(live[0], account)
            else:
                roles = granted_roles(session, account.id, user.id, token.project_id)
                name, user_id = user.name, user.id
            body = self.tokens.scoped_body(token, account, project, roles, catalog)
            body["user"] = {
                "id": user_id,
                "name": name,
                "domain": {"id": account.id, "name": account.name},
                "password_expires_at": "",
            }
            if token.federation and live is None:
                body["user"].update(federated_user(session, token))
            return secret, body

    # Internals -----------------------------------------------------------------------------

    def _assumable(
        self, session: Session, caller: Caller, target: AgencyTarget
    ) -> tuple[Agency, Account]:
        if caller.session is not None:
            raise Forbidden("An agency session cannot assume an agency through IAM v3.")
        stmt = select(Account)
        if target.domain_id:
            stmt = stmt.where(Account.id == target.domain_id)
        elif target.domain_name:
            stmt = stmt.where(Account.name == target.domain_name)
        else:
            raise Invalid("assume_role needs domain_id or domain_name.", "IAM.0007")
        account = session.scalar(stmt)
        if account is None or not account.enabled:
            raise NotFound("Could not find the agency's domain.")
        urn = f"iam::{account.id}:agency:{target.agency_name}"
        self.authorizer.authorize(caller, ASSUME, code="IAM.0003", resource=urn)
        agency = session.scalar(
            select(Agency).where(Agency.account_id == account.id, Agency.name == target.agency_name)
        )
        if agency is None:
            raise NotFound(f"Could not find agency {target.agency_name}.")
        return agency, account

    def _agency_body(
        self,
        session: Session,
        token: Token,
        row: AgencySession,
        account: Account,
        project: Project | None,
        caller: Caller,
        catalog: bool,
    ) -> dict:
        roles = agency_granted_roles(session, account.id, row.agency_id, token.project_id)
        body = self.tokens.scoped_body(token, account, project, roles, catalog)
        name, agency_id = _agency_user(row, account)
        body["user"] = {
            "id": agency_id,
            "name": name,
            "domain": {"id": account.id, "name": account.name},
        }
        body["assumed_by"] = {
            "user": {
                "id": caller.user_id,
                "name": caller.user_name,
                "domain": {"id": caller.account_id, "name": caller.account_name},
                "password_expires_at": "",
            }
        }
        return body


def _agency_user(row: AgencySession, account: Account) -> tuple[str, str]:
    """An agency token's `user`: named `<account>/<agency>`, identified by the agency."""
    return f"{account.name}/{row.agency_name}", row.agency_id
