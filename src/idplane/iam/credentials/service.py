"""Permanent access keys of IAM users. A user holds at most two; the secret is sealed with
the master key and shown only in the answer to its creation. An administrator manages any
user's keys; every user may manage its own (the real service's self-service rule).

Deactivating or deleting a key stops its requests at once: every request re-reads the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from idplane.iam.tables import AccessKey, User
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store
from idplane.platform.errors import Invalid, NotFound, QuotaExceeded

MAX_KEYS_PER_USER = 2
STATUSES = ("active", "inactive")


@dataclass(frozen=True)
class NewKey:
    key: AccessKey
    secret: str


class CredentialService:
    def __init__(self, store: Store, box: SecretBox, authorizer: Authorizer):
        self.store = store
        self.box = box
        self.authorizer = authorizer

    def _authorize(self, caller: Caller, verb: str, owner_id: str) -> None:
        if owner_id != caller.user_id:
            self.authorizer.authorize(
                caller, f"iam:credentials:{verb}", account_id=caller.account_id
            )

    def create_permanent_access_key(
        self, caller: Caller, user_id: str, description: str | None
    ) -> NewKey:
        self._authorize(caller, "createCredential", user_id)
        _check_description(description)
        with self.store.transaction() as session:
            # Locking the owner makes concurrent creations count each other.
            owner = session.scalar(
                select(User)
                .where(User.id == user_id, User.account_id == caller.account_id)
                .with_for_update()
            )
            if owner is None:
                raise NotFound(f"Could not find user: {user_id}.")
            held = (
                session.scalar(
                    select(func.count()).select_from(AccessKey).where(AccessKey.user_id == user_id)
                )
                or 0
            )
            if held >= MAX_KEYS_PER_USER:
                raise QuotaExceeded(
                    f"A user can have at most {MAX_KEYS_PER_USER} access keys.", "IAM.0007"
                )
            secret = ids.secret_key()
            key = AccessKey(
                access=ids.access_key(),
                account_id=caller.account_id,
                user_id=user_id,
                secret_sealed=self.box.seal(secret),
                status="active",
                description=description or "",
                created_at=now(),
            )
            session.add(key)
            session.flush()
            return NewKey(key, secret)

    def list_permanent_access_keys(self, caller: Caller, user_id: str | None) -> list[AccessKey]:
        """Without `user_id`, the caller's own keys."""
        owner_id = user_id or caller.user_id or ""
        self._authorize(caller, "listCredentials", owner_id)
        with self.store.read() as session:
            stmt = select(AccessKey).where(
                AccessKey.user_id == owner_id, AccessKey.account_id == caller.account_id
            )
            return list(session.scalars(stmt.order_by(AccessKey.created_at)))

    def show_permanent_access_key(self, caller: Caller, access: str) -> AccessKey:
        with self.store.read() as session:
            key = self._key(session, caller, access, "getCredential")
            return key

    def update_permanent_access_key(
        self, caller: Caller, access: str, status: str | None, description: str | None
    ) -> AccessKey:
        if status is not None and status not in STATUSES:
            raise Invalid("status must be active or inactive.", "IAM.0007")
        _check_description(description)
        with self.store.transaction() as session:
            key = self._key(session, caller, access, "updateCredential")
            if status is not None:
                key.status = status
            if description is not None:
                key.description = description
            return key

    def delete_permanent_access_key(self, caller: Caller, access: str) -> None:
        with self.store.transaction() as session:
            session.delete(self._key(session, caller, access, "deleteCredential"))

    def _key(self, session: Session, caller: Caller, access: str, verb: str) -> AccessKey:
        """The key if it is the caller's own or the caller may manage keys; 404 when it is
        another account's, so its existence is never revealed."""
        key = session.scalar(
            select(AccessKey).where(
                AccessKey.access == access, AccessKey.account_id == caller.account_id
            )
        )
        self._authorize(caller, verb, key.user_id if key else "")
        if key is None:
            raise NotFound(f"Could not find credential: {access}.")
        return key


def _check_description(description: str | None) -> None:
    if description is not None and len(description) > 255:
        raise Invalid("The description must have at most 255 characters.", "IAM.0007")
