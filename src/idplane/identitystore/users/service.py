"""Users of an identity store, one function per SDK method.

`create_user` with `password_mode` OTP generates a one-time password, returns it once and
keeps only its argon2 hash (the user must change it at first sign-in); EMAIL mode returns no
password: the hooks in `email_user_created` run after the commit (the sign-in side mails
the user a set-password link). A user name is unique per identity store regardless of case
(409 IIC.1257). Deleting goes through `DirectoryService.delete_principal`, so memberships and
whatever later features hook in go with the user, in the same transaction.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitystore.directory.attributes import AlternateIdentifier, Operation
from idplane.identitystore.directory.service import USER, DirectoryService, actor
from idplane.identitystore.users.attributes import (
    NAME_COLUMNS,
    USER_ATTRIBUTES,
    NewUser,
    dump,
    name_key,
)
from idplane.identitystore.users.tables import User, UserExternalId
from idplane.instances.errors import duplicate, invalid, not_found
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.crypto import hash_password
from idplane.platform.db import is_unique_violation
from idplane.platform.paging import Page, PageRequest, keyset_statement, prepared_page

USER_NAME_PATHS = ("user_name", "userName")
OTP_LENGTH = 20
# The identity store's password policy may ask for longer passwords than OTP_LENGTH:
# (session, identity_store_id) -> its minimum length.
MinimumLength = Callable[[Session, str], int]


class UserRow(NamedTuple):
    """What a user's wire view reads, named as User's attributes. Reads load these columns
    (`_VIEW_COLUMNS`) into this, not User objects: a page of 50 costs a third less."""

    seq: int
    id: str
    identity_store_id: str
    user_name: str
    display_name: str
    given_name: str
    family_name: str
    middle_name: str | None
    formatted_name: str | None
    honorific_prefix: str | None
    honorific_suffix: str | None
    emails: list
    addresses: list | None
    phone_numbers: list | None
    nickname: str | None
    title: str | None
    user_type: str | None
    locale: str | None
    timezone: str | None
    preferred_language: str | None
    profile_url: str | None
    enterprise: dict | None
    enabled: bool
    email_verified: bool
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


@dataclass
class UserView:
    user: UserRow
    external_ids: list[tuple[str, str]] = field(default_factory=list)  # (issuer, id)


@dataclass(frozen=True)
class CreatedUser:
    identity_store_id: str
    user_id: str
    password: str | None  # the one-time password, shown only in this response


def one_time_password(length: int = OTP_LENGTH) -> str:
    """Random, with every character class any password policy can ask for."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "!@#$%^&*-_=+")
    chars = [secrets.choice(group) for group in classes]
    alphabet = "".join(classes)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


class StoreUserService:
    def __init__(self, directory: DirectoryService, minimum_length: MinimumLength | None = None):
        self.directory = directory
        self.gate = directory.gate
        self.minimum_length = minimum_length
        # Called after a user with password_mode EMAIL is committed (the sign-in side mails
        # the set-password link): (identity_store_id, user_id).
        self.email_user_created: list[Callable[[str, str], None]] = []

    def create_user(self, caller: Caller, identity_store_id: str, new: NewUser) -> CreatedUser:
        action = "IdentityCenter:user:create"
        password = password_hash = None
        if new.password_mode == "OTP":
            # argon2 is slow: hash outside the write transaction (it must not hold the lock),
            # and only for a caller the gate lets through.
            with self.gate.store_unit(caller, action, identity_store_id) as (session, scope):
                length = self._otp_length(session, scope.id)
            password = one_time_password(length)
            password_hash = hash_password(password)
        try:
            with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
                session,
                scope,
            ):
                self.directory.reserve(session, scope.id, USER)
                user = _new_user(scope.id, new, actor(caller), password_hash)
                session.connection().execute(_INSERT_USER, user)  # Core: no ORM flush
        except IntegrityError as error:
            raise _user_name_taken(new.user_name, error) from None
        if new.password_mode == "EMAIL":
            for hook in self.email_user_created:
                hook(scope.id, user["id"])
        return CreatedUser(scope.id, user["id"], password)

    def describe_user(self, caller: Caller, identity_store_id: str, user_id: str) -> UserView:
        with self.gate.store_unit(caller, "IdentityCenter:user:get", identity_store_id) as (
            session,
            scope,
        ):
            # By id alone, as `by_id` does; another store's user is as unknown as a missing one.
            user = session.connection().execute(_VIEW_OF, {"user_id": user_id}).first()
            if user is None or user.identity_store_id != scope.id:
                raise not_found("user", user_id)
            return _views(session, [user])[0]

    def describe_users(
        self, caller: Caller, identity_store_id: str, user_ids: list[str]
    ) -> list[UserView]:
        """The users among `user_ids` that exist in the store, in the order asked (unknown
        ids are left out, as a batch query does)."""
        with self.gate.store_unit(caller, "IdentityCenter:user:batchGet", identity_store_id) as (
            session,
            scope,
        ):
            rows = session.connection().execute(select(*_VIEW_COLUMNS).where(User.id.in_(user_ids)))
            found = {row.id: row for row in rows if row.identity_store_id == scope.id}
            return _views(session, [found[i] for i in dict.fromkeys(user_ids) if i in found])

    def get_user_id(
        self, caller: Caller, identity_store_id: str, identifier: AlternateIdentifier
    ) -> str:
        with self.gate.store_unit(caller, "IdentityCenter:user:getUserId", identity_store_id) as (
            session,
            scope,
        ):
            user_id = _lookup(session, scope.id, identifier)
            if user_id is None:
                raise not_found("user", "matching the alternate identifier")
            return user_id

    def list_users(
        self,
        caller: Caller,
        identity_store_id: str,
        paging: PageRequest,
        user_name: str | None = None,
    ) -> Page:
        with self.gate.store_unit(caller, "IdentityCenter:user:list", identity_store_id) as (
            session,
            scope,
        ):
            if user_name:  # exact, case-insensitive: one probe of the unique index
                values = {"store_id": scope.id, "name_key": name_key(user_name)}
                page = prepared_page(session, _PAGE_NAMED, values, paging)
            else:
                page = prepared_page(session, _PAGE, {"store_id": scope.id}, paging)
            page.rows = _views(session, page.rows)
            return page

    def update_user(
        self, caller: Caller, identity_store_id: str, user_id: str, operations: list[Operation]
    ) -> None:
        try:
            with self._writing(caller, "update", identity_store_id, user_id) as (session, user):
                USER_ATTRIBUTES.apply(user, operations)
                _touch(user, caller)
                session.flush()
        except IntegrityError as error:
            raise _user_name_taken(None, error) from None

    def delete_user(self, caller: Caller, identity_store_id: str, user_id: str) -> None:
        with self.gate.store_unit(
            caller, "IdentityCenter:user:delete", identity_store_id, write=True
        ) as (session, scope):
            self.directory.delete_principal(session, scope.id, USER, user_id)

    def enable_user(self, caller: Caller, identity_store_id: str, user_id: str) -> None:
        self._set_enabled(caller, identity_store_id, user_id, True)

    def disable_user(self, caller: Caller, identity_store_id: str, user_id: str) -> None:
        self._set_enabled(caller, identity_store_id, user_id, False)

    def _set_enabled(self, caller: Caller, identity_store_id: str, user_id: str, on: bool) -> None:
        verb = "enable" if on else "disable"
        with self._writing(caller, verb, identity_store_id, user_id) as (_session, user):
            if user.enabled != on:
                user.enabled = on
                _touch(user, caller)

    def _otp_length(self, session: Session, identity_store_id: str) -> int:
        if self.minimum_length is None:
            return OTP_LENGTH
        return max(OTP_LENGTH, self.minimum_length(session, identity_store_id))

    @contextmanager
    def _writing(
        self, caller: Caller, verb: str, identity_store_id: str, user_id: str
    ) -> Iterator[tuple[Session, User]]:
        """The gate's write unit on the store, with the user's row locked."""
        action = f"IdentityCenter:user:{verb}"
        with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
            session,
            scope,
        ):
            yield session, self.directory.user(session, scope.id, user_id, lock=True)


def _new_user(
    identity_store_id: str, new: NewUser, who: str, password_hash: str | None
) -> dict[str, Any]:
    """The new user's row, for `_INSERT_USER`."""
    moment = now()
    return dict(
        id=ids.uuid_str(),
        identity_store_id=identity_store_id,
        user_name=new.user_name,
        user_name_key=name_key(new.user_name),
        display_name=new.display_name,
        emails=dump(new.emails),
        addresses=dump(new.addresses),
        phone_numbers=dump(new.phone_numbers),
        enterprise=dump(new.enterprise),
        nickname=new.nickname,
        title=new.title,
        user_type=new.user_type,
        locale=new.locale,
        timezone=new.timezone,
        preferred_language=new.preferred_language,
        profile_url=new.profile_url,
        enabled=True,
        email_verified=False,
        password_mode=new.password_mode,
        password_hash=password_hash,
        password_change_required=password_hash is not None,
        version=1,
        created_at=moment,
        created_by=who,
        updated_at=moment,
        updated_by=who,
        **{column: getattr(new.name, field) for field, column in NAME_COLUMNS.items()},
    )


def _touch(user: User, caller: Caller) -> None:
    user.version = (user.version or 0) + 1
    user.updated_at = now()
    user.updated_by = actor(caller)


def _user_name_taken(user_name: str | None, error: IntegrityError) -> Exception:
    if is_unique_violation(error):
        named = f" {user_name}" if user_name else ""
        return duplicate(f"the user name{named} is already used in the identity store")
    return error


def _lookup(session: Session, identity_store_id: str, identifier: AlternateIdentifier):
    if identifier.external_id is not None:
        external = identifier.external_id
        return session.scalar(
            select(UserExternalId.user_id).where(
                UserExternalId.identity_store_id == identity_store_id,
                UserExternalId.issuer == external.issuer,
                UserExternalId.external_id == external.id,
            )
        )
    unique = identifier.unique_attribute
    assert unique is not None  # AlternateIdentifier guarantees one of the two
    if unique.attribute_path not in USER_NAME_PATHS:
        raise invalid(
            f"unique_attribute.attribute_path must be one of {', '.join(USER_NAME_PATHS)}"
        )
    return session.scalar(
        select(User.id).where(
            User.identity_store_id == identity_store_id,
            User.user_name_key == name_key(unique.attribute_value),
        )
    )


_VIEW_COLUMNS = tuple(getattr(User, name) for name in UserRow._fields)  # in UserRow's order
# Built once: every read of users runs them (building a select cost more than running it).
_INSERT_USER = insert(User.__table__)  # type: ignore[arg-type]
_VIEW_OF = select(*_VIEW_COLUMNS).where(User.id == bindparam("user_id"))
_IN_STORE = select(*_VIEW_COLUMNS).where(User.identity_store_id == bindparam("store_id"))
_PAGE = keyset_statement(_IN_STORE, User.seq)
_PAGE_NAMED = keyset_statement(
    _IN_STORE.where(User.user_name_key == bindparam("name_key")), User.seq
)
_EXTERNAL_ID_COLUMNS = (UserExternalId.user_id, UserExternalId.issuer, UserExternalId.external_id)
_EXTERNAL_IDS = (
    select(*_EXTERNAL_ID_COLUMNS)
    .where(UserExternalId.user_id.in_(bindparam("user_ids", expanding=True)))
    .order_by(UserExternalId.seq)
)
_EXTERNAL_IDS_OF_ONE = (
    select(*_EXTERNAL_ID_COLUMNS)
    .where(UserExternalId.user_id == bindparam("user_id"))
    .order_by(UserExternalId.seq)
)


def _views(session: Session, rows: Iterable[Row[Any]]) -> list[UserView]:
    """Users (rows of `_VIEW_COLUMNS`) with their external ids: one query for them all."""
    views = {user.id: UserView(user) for user in map(UserRow._make, rows)}
    if not views:
        return []
    if len(views) == 1:  # describe_user: no IN list to render
        found = session.connection().execute(_EXTERNAL_IDS_OF_ONE, {"user_id": next(iter(views))})
    else:
        found = session.connection().execute(_EXTERNAL_IDS, {"user_ids": list(views)})
    for external in found:
        views[external.user_id].external_ids.append((external.issuer, external.external_id))
    return list(views.values())
