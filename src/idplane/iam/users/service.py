"""IAM users of an account: create, read, change, delete, passwords, and what they belong to.

Deleting a user removes its access keys, tokens, temporary credentials and group memberships
(database cascades). Disabling a user, changing or resetting its password revokes its tokens;
its keys stop working at once because every request re-reads the user (iam/directory.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.groups.tables import Group, GroupMember
from idplane.iam.permissions.tables import DOMAIN, INHERITED, GroupRole
from idplane.iam.roles.catalog import RoleCatalog
from idplane.iam.tables import Project, Token, User
from idplane.iam.users import rules
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.crypto import hash_password, verify_password
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, NotFound

# Fields a create or update may carry, as the User table names them.
USER_FIELDS = [
    "name",
    "password",
    "enabled",
    "description",
    "email",
    "areacode",
    "phone",
    "access_mode",
    "pwd_status",
    "xuser_type",
    "xuser_id",
]


@dataclass(frozen=True)
class UserFilter:
    domain_id: str | None = None
    name: str | None = None
    enabled: bool | None = None


class UserService:
    def __init__(self, store: Store, authorizer: Authorizer, catalog: RoleCatalog):
        self.store = store
        self.authorizer = authorizer
        self.catalog = catalog

    def create_user(self, caller: Caller, fields: dict[str, Any]) -> User:
        domain_id = fields.pop("domain_id", None) or caller.account_id
        self.authorizer.authorize(caller, "iam:users:createUser", account_id=domain_id)
        if "name" not in fields:
            raise Invalid("Mandatory parameters are not specified: user.name.", "IAM.1100")
        rules.check_fields(fields, None)
        moment = now()
        user = User(
            id=ids.hex32(),
            account_id=caller.account_id,
            created_at=moment,
            is_root=False,
            enabled=True,
            description="",
            access_mode="default",
            pwd_status=False,
        )
        _apply(user, fields, moment)
        with self.store.transaction() as session:
            _check_unique(session, user)
            session.add(user)
            _flush(session)
            return user

    def show_user(self, caller: Caller, user_id: str) -> User:
        with self.store.read() as session:
            if user_id != caller.user_id:
                self._authorize_on(session, caller, "iam:users:getUser", user_id)
            return user_in(session, caller.account_id, user_id)

    def _authorize_on(self, session: Session, caller: Caller, action: str, user_id: str) -> None:
        """Authorizes on the user's URN (policies may name users in `Resource`). A user that
        does not exist has no URN: only a grant on every user then reaches the 404."""
        name = session.scalar(
            select(User.name).where(User.id == user_id, User.account_id == caller.account_id)
        )
        resource = f"iam::{caller.account_id}:user:{name}" if name is not None else None
        self.authorizer.authorize(caller, action, account_id=caller.account_id, resource=resource)

    def list_users(self, caller: Caller, query: UserFilter) -> list[User]:
        account_id = query.domain_id or caller.account_id
        self.authorizer.authorize(caller, "iam:users:listUsers", account_id=account_id)
        with self.store.read() as session:
            stmt = select(User).where(User.account_id == caller.account_id)
            if query.name is not None:
                stmt = stmt.where(User.name == query.name)
            if query.enabled is not None:
                stmt = stmt.where(User.enabled.is_(query.enabled))
            return list(session.scalars(stmt.order_by(User.seq)))

    def update_user(self, caller: Caller, user_id: str, fields: dict[str, Any]) -> User:
        domain_id = fields.pop("domain_id", None) or caller.account_id
        self.authorizer.authorize(caller, "iam:users:updateUser", account_id=domain_id)
        hashed = _hash_of(fields.get("password"))  # before the write: argon2 holds no lock
        with self.store.transaction() as session:
            user = user_in(session, caller.account_id, user_id)
            self._guard_root(caller, user, fields)
            rules.check_fields(fields, user.name)
            _apply(user, fields, now(), hashed)
            _check_unique(session, user)
            if fields.get("password") is not None or fields.get("enabled") is False:
                revoke_tokens(session, user.id)
            _flush(session)
            return user

    def update_user_information(
        self, caller: Caller, user_id: str, email: str | None, mobile: str | None
    ) -> None:
        """The user's own contact details (an administrator may change them too)."""
        if user_id != caller.user_id:
            self.authorizer.authorize(caller, "iam:users:updateUser", account_id=caller.account_id)
        fields: dict[str, Any] = {}
        if email is not None:
            fields["email"] = email
        if mobile is not None:
            fields["areacode"], fields["phone"] = rules.split_mobile(mobile)
        rules.check_fields(fields, None)
        with self.store.transaction() as session:
            user = user_in(session, caller.account_id, user_id)
            _apply(user, fields, now())
            _check_unique(session, user)
            _flush(session)

    def delete_user(self, caller: Caller, user_id: str) -> None:
        with self.store.transaction() as session:
            self._authorize_on(session, caller, "iam:users:deleteUser", user_id)
            user = user_in(session, caller.account_id, user_id)
            if user.is_root:
                raise Invalid("The account administrator cannot be deleted.", "IAM.1107")
            session.delete(user)

    def update_user_password(
        self, caller: Caller, user_id: str, original: str, password: str
    ) -> None:
        """Self-service only: a user changes its own password, proving the old one."""
        if user_id != caller.user_id:
            raise Forbidden("An IAM user can change only its own password.")
        with self.store.read() as session:
            stored = user_in(session, caller.account_id, user_id).password_hash
        # argon2 outside any block, so it holds no write lock.
        if not stored or not verify_password(stored, original):
            raise Invalid("Incorrect password: the original password is wrong.", "IAM.1103")
        if original == password:
            raise Invalid("The new password must be different from the old password.", "IAM.1108")
        hashed = _hash_of(password)
        with self.store.transaction() as session:
            user = user_in(session, caller.account_id, user_id)
            if user.password_hash != stored:  # changed while this one was being checked
                raise Invalid("Incorrect password: the original password is wrong.", "IAM.1103")
            rules.check_password(password, user.name)
            _apply(user, {"password": password}, now(), hashed)
            revoke_tokens(session, user.id)

    def list_groups_for_user(self, caller: Caller, user_id: str) -> list[Group]:
        if user_id != caller.user_id:
            self.authorizer.authorize(
                caller, "iam:users:listGroupsForUser", account_id=caller.account_id
            )
        with self.store.read() as session:
            user_in(session, caller.account_id, user_id)
            stmt = (
                select(Group)
                .join(GroupMember, GroupMember.group_id == Group.id)
                .where(GroupMember.user_id == user_id)
                .order_by(Group.seq)
            )
            return list(session.scalars(stmt))

    def list_projects_for_user(self, caller: Caller, user_id: str) -> list[Project]:
        """Projects the user may work in: all of them for the root user or a user holding an
        inherited grant or a role for every project (AA) on the account; else those granted."""
        if user_id != caller.user_id:
            self.authorizer.authorize(
                caller, "iam:projects:listProjectsForUser", account_id=caller.account_id
            )
        with self.store.read() as session:
            user = user_in(session, caller.account_id, user_id)
            projects = select(Project).where(Project.account_id == caller.account_id)
            grants = session.execute(
                select(GroupRole.scope, GroupRole.role_id)
                .join(GroupMember, GroupMember.group_id == GroupRole.group_id)
                .where(GroupMember.user_id == user.id)
            ).all()
            if not (user.is_root or any(self._every_project(s, r) for s, r in grants)):
                granted = {scope for scope, _ in grants if scope not in (DOMAIN, INHERITED)}
                projects = projects.where(Project.id.in_(granted))
            return list(session.scalars(projects.order_by(Project.seq)))

    def _every_project(self, scope: str, role_id: str) -> bool:
        role = self.catalog.get(role_id)
        return scope == INHERITED or (scope == DOMAIN and role is not None and role.type == "AA")

    @staticmethod
    def _guard_root(caller: Caller, user: User, fields: dict[str, Any]) -> None:
        if not user.is_root:
            return
        if not (caller.is_root and caller.user_id == user.id):
            raise Forbidden("Only the account itself can change the account administrator.")
        if "name" in fields and fields["name"] != user.name:
            raise Invalid("The account administrator cannot be renamed.", "IAM.1101")
        if fields.get("enabled") is False:
            raise Invalid("The account administrator cannot be disabled.", "IAM.0007")


def user_in(session: Session, account_id: str, user_id: str) -> User:
    """The account's user, or 404 (also for users of other accounts)."""
    user = session.scalar(select(User).where(User.id == user_id, User.account_id == account_id))
    if user is None:
        raise NotFound(f"Could not find user: {user_id}.")
    return user


def revoke_tokens(session: Session, user_id: str) -> None:
    session.execute(update(Token).where(Token.user_id == user_id).values(revoked=True))


def _hash_of(password: str | None) -> str | None:
    return hash_password(password) if password is not None else None


def _apply(user: User, fields: dict[str, Any], moment: datetime, hashed: str | None = None) -> None:
    """`hashed`: the password's hash, made before the transaction (argon2 holds no lock)."""
    for key, value in fields.items():
        if key == "password":
            if value is not None:
                user.password_hash = hashed or hash_password(value)
                user.password_changed_at = moment
        elif key == "description":
            user.description = value or ""
        elif key in ("enabled", "pwd_status", "access_mode", "name"):
            if value is not None:  # these cannot be unset
                setattr(user, key, value)
        elif key in USER_FIELDS:
            setattr(user, key, value)
    user.updated_at = moment


def _check_unique(session: Session, user: User) -> None:
    """Clear errors for the usual case; the unique indexes still decide under races. The real
    service answers these (IAM.1109-1113) with 400, not 409."""
    others = select(User.id).where(User.account_id == user.account_id, User.id != user.id)
    checks = [
        (User.name == user.name, "The username already exists.", "IAM.1109"),
        (User.email == user.email, "The email address has already been used.", "IAM.1110"),
        (
            (User.areacode == user.areacode) & (User.phone == user.phone),
            "The mobile number has already been used.",
            "IAM.1111",
        ),
        (
            (User.xuser_type == user.xuser_type) & (User.xuser_id == user.xuser_id),
            "The values of xuser_id and xuser_type already exist.",
            "IAM.1113",
        ),
    ]
    values = [user.name, user.email, user.phone, user.xuser_id]
    with session.no_autoflush:
        for (condition, message, code), value in zip(checks, values, strict=True):
            if value is not None and session.scalar(others.where(condition).limit(1)):
                raise Invalid(message, code)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as error:
        text = str(error.orig).lower()
        for key, message, code in (
            ("email", "The email address has already been used.", "IAM.1110"),
            ("phone", "The mobile number has already been used.", "IAM.1111"),
            ("xuser", "The values of xuser_id and xuser_type already exist.", "IAM.1113"),
        ):
            if key in text:
                raise Invalid(message, code) from None
        raise Invalid("The username already exists.", "IAM.1109") from None
