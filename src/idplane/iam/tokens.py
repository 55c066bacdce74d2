"""X-Auth-Token issue, validation and revocation, and temporary AK/SK (security tokens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from idplane.config import Settings
from idplane.iam.groups.tables import Group
from idplane.iam.mfa.service import requires_mfa, verify_user_passcode
from idplane.iam.permissions.source import granted_roles
from idplane.iam.tables import Account, Project, TemporaryAccessKey, Token, User
from idplane.platform import ids
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.clock import as_utc, iso_z, now
from idplane.platform.crypto import SecretBox, token_digest, verify_password
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, NotFound, Unauthenticated

WRONG_PASSWORD = "The username or password is wrong."
WRONG_PASSCODE = "The MFA passcode is wrong, used already, or the user has no MFA device."
MFA_REQUIRED = "Login protection requires a virtual MFA passcode for this user."
CATALOG_SERVICES = [
    ("iam", "identity"),
    ("identitycenter", "identitycenter"),
    ("identitystore", "identitystore"),
    ("organizations", "organizations"),
    ("lakeformation", "lakeformation"),
    ("sts", "sts"),
]


@dataclass(frozen=True)
class PasswordLogin:
    password: str
    user_id: str | None = None
    user_name: str | None = None
    domain_id: str | None = None
    domain_name: str | None = None


@dataclass(frozen=True)
class Totp:
    """The `totp` method of a password+MFA login."""

    user_id: str | None
    passcode: str | None


@dataclass(frozen=True)
class Scope:
    project_id: str | None = None
    project_name: str | None = None
    domain_id: str | None = None
    domain_name: str | None = None


class TokenService:
    def __init__(self, store: Store, box: SecretBox, settings: Settings):
        self.store = store
        self.box = box
        self.settings = settings

    def create_token_by_password(
        self, login: PasswordLogin, scope: Scope | None, catalog: bool, totp: Totp | None = None
    ) -> tuple[str, dict]:
        """A password token, or with `totp` a password+MFA token: the passcode must be a
        current, unused code of the user's bound virtual MFA device. A user whose login
        protection asks for the device gets no password-only token."""
        with self.store.read() as session:
            found = self._find_login(session, login)
        # The argon2 check (~0.1 s of CPU) runs outside any block, so it holds no write lock:
        # holding it made concurrent logins on SQLite queue for seconds, even fail as locked.
        user, account = self._login(found, login)
        with self.store.transaction() as session:
            current = session.get(User, user.seq)  # deleted or disabled while being checked?
            if current is None or not current.enabled:
                raise Unauthenticated("The user or account is disabled.", "IAM.0102")
            user = current
            methods = self._second_factor(session, user, totp)
            project = scoped_project(session, account, scope, "user")
            secret = ids.opaque_token()
            issued = now()
            token = Token(
                id=ids.uuid_str(),
                digest=token_digest(secret),
                account_id=account.id,
                user_id=user.id,
                project_id=project.id if project else None,
                methods=methods,
                issued_at=issued,
                expires_at=issued + timedelta(hours=self.settings.token_hours),
            )
            session.add(token)
            user.last_login_at = issued
            return secret, self.user_body(account, user, project, token, catalog)

    def validate_token(self, caller: Caller, subject: str, catalog: bool) -> dict:
        with self.store.read() as session:
            token, user, account = self._live_token(session, caller, subject)
            project = (
                session.scalar(select(Project).where(Project.id == token.project_id))
                if token.project_id
                else None
            )
            return self.user_body(account, user, project, token, catalog)

    def revoke_token(self, caller: Caller, subject: str) -> None:
        with self.store.transaction() as session:
            token, _user, _account = self._live_token(session, caller, subject)
            token.revoked = True

    def create_temporary_access_key(
        self, caller: Caller, token: str | None, duration_seconds: int | None, policy: dict | None
    ) -> dict:
        duration = 900 if duration_seconds is None else duration_seconds
        if not 900 <= duration <= 86400:
            raise Invalid("duration_seconds must be between 900 and 86400", "IAM.0007")
        if caller.kind == CredentialKind.TEMPORARY:
            raise Forbidden("Temporary credentials cannot create temporary credentials")
        with self.store.transaction() as session:
            user_id = caller.user_id
            if token:
                _stored, user, _account = self._live_token(session, caller, token)
                user_id = user.id
            access, secret, security = ids.access_key(), ids.secret_key(), ids.opaque_token(96)
            expires = now() + timedelta(seconds=duration)
            session.add(
                TemporaryAccessKey(
                    access=access,
                    account_id=caller.account_id,
                    user_id=user_id,
                    secret_sealed=self.box.seal(secret),
                    security_token_digest=token_digest(security),
                    session_policy=policy,
                    created_at=now(),
                    expires_at=expires,
                )
            )
            return {
                "access": access,
                "secret": secret,
                "securitytoken": security,
                "expires_at": iso_z(expires),
            }

    # Internals -----------------------------------------------------------------------------

    def _find_login(
        self, session: Session, login: PasswordLogin
    ) -> Row[tuple[User, Account]] | None:
        stmt = select(User, Account).join(Account, Account.id == User.account_id)
        if login.user_id:
            stmt = stmt.where(User.id == login.user_id)
        elif login.user_name and (login.domain_name or login.domain_id):
            stmt = stmt.where(User.name == login.user_name)
            stmt = (
                stmt.where(Account.name == login.domain_name)
                if login.domain_name
                else stmt.where(Account.id == login.domain_id)
            )
        else:
            raise Invalid(
                "auth.identity.password.user needs an id, or a name and a domain", "IAM.0007"
            )
        return session.execute(stmt).first()

    def _login(
        self, row: Row[tuple[User, Account]] | None, login: PasswordLogin
    ) -> tuple[User, Account]:
        if (
            row is None
            or not row[0].password_hash
            or not verify_password(row[0].password_hash, login.password)
        ):
            raise Unauthenticated(WRONG_PASSWORD, "IAM.0101")
        user, account = row
        if not user.enabled or not account.enabled:
            raise Unauthenticated("The user or account is disabled.", "IAM.0102")
        return user, account

    def _second_factor(self, session: Session, user: User, totp: Totp | None) -> list[str]:
        if totp is None:
            if requires_mfa(session, user.id):
                raise Unauthenticated(MFA_REQUIRED, "IAM.0101")
            return ["password"]
        wrong = Unauthenticated(WRONG_PASSCODE, "IAM.0101")
        if totp.user_id not in (None, user.id):
            raise wrong
        verify_user_passcode(session, self.box, user.id, totp.passcode, wrong)
        return ["password", "totp"]

    def _live_token(
        self, session: Session, caller: Caller, subject: str
    ) -> tuple[Token, User, Account]:
        row = session.execute(
            select(Token, User, Account)
            .join(User, User.id == Token.user_id)
            .join(Account, Account.id == Token.account_id)
            .where(Token.digest == token_digest(subject))
        ).first()
        if (
            row is None
            or row[0].revoked
            or as_utc(row[0].expires_at) <= now()
            or row[2].id != caller.account_id
        ):
            raise NotFound("Could not find token.")
        return row[0], row[1], row[2]

    def user_body(
        self, account: Account, user: User, project: Project | None, token: Token, catalog: bool
    ) -> dict:
        """A user's (or federated user's) token as IAM shows it."""
        body = self.scoped_body(token, account, project, self._roles(user, project), catalog)
        domain = {"id": account.id, "name": account.name}
        body["user"] = {
            "id": user.id,
            "name": user.name,
            "domain": domain,
            "password_expires_at": "",
        }
        if token.federation:
            with self.store.read() as session:
                body["user"].update(federated_user(session, token))
        return body

    def scoped_body(
        self,
        token: Token,
        account: Account,
        project: Project | None,
        roles: list[dict[str, str]],
        catalog: bool,
    ) -> dict:
        """What every token's body shows (user and agency tokens alike): methods, times,
        roles, the project or domain it is scoped to, and the catalog when asked for."""
        domain = {"id": account.id, "name": account.name}
        body: dict = {
            "methods": token.methods,
            "issued_at": iso_z(token.issued_at),
            "expires_at": iso_z(token.expires_at),
            "roles": roles,
        }
        if project is not None:
            body["project"] = {"id": project.id, "name": project.name, "domain": domain}
        else:
            body["domain"] = domain
        if catalog:
            body["catalog"] = self.catalog()
        return body

    def _roles(self, user: User, project: Project | None) -> list[dict]:
        """The roles and policies granted to the user's groups in the token's scope."""
        with self.store.read() as session:
            return granted_roles(session, user.account_id, user.id, project.id if project else None)

    def catalog(self) -> list[dict]:
        url = self.settings.endpoint
        region = self.settings.region
        return [
            {
                "type": kind,
                "id": name,
                "name": name,
                "endpoints": [
                    {
                        "id": name,
                        "interface": "public",
                        "region": region,
                        "region_id": region,
                        "url": url,
                    }
                ],
            }
            for name, kind in CATALOG_SERVICES
        ]


def federated_user(session: Session, token: Token) -> dict:
    """A federated token's user as Keystone shows it: `OS-FEDERATION` (provider, protocol, the
    mapped groups with their names as they are now) and the federated name and domain."""
    record = token.federation or {}
    group_ids = list(record.get("group_ids") or [])
    rows = session.execute(
        select(Group.id, Group.name).where(
            Group.id.in_(group_ids), Group.account_id == token.account_id
        )
    )
    names = {group_id: name for group_id, name in rows}
    view: dict = {
        "OS-FEDERATION": {
            "identity_provider": {"id": token.identity_provider_id},
            "protocol": {"id": record.get("protocol_id")},
            "groups": [{"id": g, "name": names[g]} for g in group_ids if g in names],
        }
    }
    if record.get("user_name"):
        view["name"] = record["user_name"]
    if record.get("domain"):
        view["domain"] = record["domain"]
    return view


def scoped_project(
    session: Session, account: Account, scope: Scope | None, holder: str
) -> Project | None:
    """The project a token request is scoped to (None: the account's domain); `holder` names
    whose account it must be in ("user", "token") in the refusal."""
    if scope is None or not (scope.project_id or scope.project_name):
        if scope and (
            scope.domain_id not in (None, account.id)
            or scope.domain_name not in (None, account.name)
        ):
            raise Unauthenticated(f"The scope's domain is not the {holder}'s account.", "IAM.0103")
        return None
    stmt = select(Project).where(Project.account_id == account.id)
    stmt = (
        stmt.where(Project.id == scope.project_id)
        if scope.project_id
        else stmt.where(Project.name == scope.project_name)
    )
    project = session.scalar(stmt)
    if project is None:
        raise Unauthenticated(f"The scope's project is not in the {holder}'s account.", "IAM.0103")
    return project
