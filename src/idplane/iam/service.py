"""Accounts and their root users: bootstrap, operator-side account creation, SDK discovery."""

from __future__ import annotations

import secrets
import string
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.config import Settings
from idplane.iam.groups.service import create_default_group_in
from idplane.iam.tables import AccessKey, Account, Project, User
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.crypto import SecretBox, hash_password
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound


@dataclass
class AccountCredentials:
    """What the CLI prints: enough for an SDK client to sign requests as the root user."""

    account_id: str
    account_name: str
    user_id: str
    user_name: str
    password: str | None
    access_key: str
    secret_key: str
    project_id: str
    region: str
    endpoint: str

    def as_dict(self) -> dict:
        return asdict(self)


def generate_password() -> str:
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(16))
    return f"Ip{core}#9"


class AccountService:
    def __init__(self, store: Store, box: SecretBox, settings: Settings):
        self.store = store
        self.box = box
        self.settings = settings

    # Operator side (CLI) -------------------------------------------------------------------

    def bootstrap(
        self,
        account_name: str,
        password: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        account_id: str | None = None,
    ) -> AccountCredentials:
        """Idempotent: creates the account on first call (with `account_id` if given; seed
        files give one); later calls return it, applying any password or AK/SK given (a new
        password replaces the old one)."""
        if (access_key is None) != (secret_key is None):
            raise Invalid("--access-key and --secret-key go together")
        with self.store.transaction() as session:
            account = session.scalar(select(Account).where(Account.name == account_name))
            if account is None:
                password = password or generate_password()
                return self._create_account(
                    session, account_name, password, access_key, secret_key, account_id
                )
            root = self._root_user(session, account.id)
            if password is not None:
                root.password_hash = hash_password(password)
                root.password_changed_at = now()
            key = self._ensure_key(session, account, root, access_key, secret_key)
            return self._credentials(session, account, root, password, key)

    def create_account(self, name: str) -> AccountCredentials:
        """A new standalone account with its root user, a password and an AK/SK pair."""
        try:
            with self.store.transaction() as session:
                return self._create_account(session, name, generate_password(), None, None)
        except IntegrityError:
            raise Conflict(f"an account named {name} already exists") from None

    def create_root_credentials(self, account_name: str) -> AccountCredentials:
        """A new AK/SK for the root user of an existing account."""
        with self.store.transaction() as session:
            account = session.scalar(select(Account).where(Account.name == account_name))
            if account is None:
                raise NotFound(f"no account named {account_name}")
            root = self._root_user(session, account.id)
            key = self._new_key(session, account, root, ids.access_key(), ids.secret_key())
            return self._credentials(session, account, root, None, key)

    def account_exists(self, name: str) -> bool:
        with self.store.read() as session:
            return session.scalar(select(Account.seq).where(Account.name == name)) is not None

    def is_empty(self) -> bool:
        with self.store.read() as session:
            return session.scalar(select(Account.seq).limit(1)) is None

    def create_account_in(
        self, session: Session, name: str, account_id: str | None = None
    ) -> tuple[Account, User]:
        """Creates an account, its root user, its regional project and its default group
        `admin` inside a caller's transaction (Organizations creates member accounts this
        way). No credentials."""
        moment = now()
        account = Account(id=account_id or ids.hex32(), name=name, created_at=moment)
        root = User(
            id=ids.hex32(), account_id=account.id, name=name, is_root=True, created_at=moment
        )
        project = Project(
            id=ids.hex32(), account_id=account.id, name=self.settings.region, created_at=moment
        )
        session.add(account)
        session.flush()
        session.add_all([root, project])
        session.flush()
        create_default_group_in(session, account.id, root.id)
        return account, root

    # Internals -----------------------------------------------------------------------------

    def _create_account(
        self,
        session: Session,
        name: str,
        password: str,
        access_key: str | None,
        secret_key: str | None,
        account_id: str | None = None,
    ) -> AccountCredentials:
        account, root = self.create_account_in(session, name, account_id)
        root.password_hash = hash_password(password)
        root.password_changed_at = now()
        key = self._new_key(
            session, account, root, access_key or ids.access_key(), secret_key or ids.secret_key()
        )
        return self._credentials(session, account, root, password, key)

    def _root_user(self, session: Session, account_id: str) -> User:
        return session.scalars(
            select(User).where(User.account_id == account_id, User.is_root.is_(True))
        ).one()

    def _ensure_key(
        self,
        session: Session,
        account: Account,
        root: User,
        access_key: str | None,
        secret_key: str | None,
    ) -> tuple[str, str]:
        if access_key is not None and secret_key is not None:
            existing = session.get(AccessKey, access_key)
            if existing is None:
                return self._new_key(session, account, root, access_key, secret_key)
            if existing.user_id != root.id:
                raise Conflict("that access key belongs to another user")
            existing.secret_sealed = self.box.seal(secret_key)
            existing.status = "active"
            return access_key, secret_key
        key = session.scalars(
            select(AccessKey)
            .where(AccessKey.user_id == root.id, AccessKey.status == "active")
            .order_by(AccessKey.created_at)
        ).first()
        if key is None:
            return self._new_key(session, account, root, ids.access_key(), ids.secret_key())
        return key.access, self.box.open(key.secret_sealed)

    def _new_key(
        self, session: Session, account: Account, user: User, access_key: str, secret_key: str
    ) -> tuple[str, str]:
        session.add(
            AccessKey(
                access=access_key,
                account_id=account.id,
                user_id=user.id,
                secret_sealed=self.box.seal(secret_key),
                status="active",
                created_at=now(),
            )
        )
        session.flush()
        return access_key, secret_key

    def _credentials(
        self,
        session: Session,
        account: Account,
        root: User,
        password: str | None,
        key: tuple[str, str],
    ) -> AccountCredentials:
        project = self._region_project(session, account)
        return AccountCredentials(
            account_id=account.id,
            account_name=account.name,
            user_id=root.id,
            user_name=root.name,
            password=password,
            access_key=key[0],
            secret_key=key[1],
            project_id=project.id,
            region=self.settings.region,
            endpoint=self.settings.endpoint,
        )

    def _region_project(self, session: Session, account: Account) -> Project:
        """The account's project in the server's region, made when the region is new to it
        (a store bootstrapped in another region, then served in this one)."""
        region = self.settings.region
        found = session.scalars(
            select(Project).where(Project.account_id == account.id, Project.name == region)
        ).first()
        if found is None:
            found = Project(id=ids.hex32(), account_id=account.id, name=region, created_at=now())
            session.add(found)
            session.flush()
        return found

    # SDK discovery -------------------------------------------------------------------------

    def list_auth_domains(self, caller: Caller) -> list[Account]:
        with self.store.read() as session:
            account = session.scalar(select(Account).where(Account.id == caller.account_id))
            return [account] if account else []

    def list_projects(self, caller: Caller, name: str | None = None) -> list[Project]:
        with self.store.read() as session:
            stmt = select(Project).where(Project.account_id == caller.account_id)
            if name is not None:
                stmt = stmt.where(Project.name == name)
            return list(session.scalars(stmt.order_by(Project.seq)))
