"""Keystone domains are accounts here: a caller sees and changes only its own account.

- list: the caller's account (if it passes the `name`/`enabled` filters);
- show/update/delete of another domain: 403, whether or not it exists (no probing);
- update: `description`, `enabled`; the name is the account's login name and its root user's
  name, so it cannot change (400). Disabling revokes every token of the account, as Keystone
  does, and from then on no credential of the account works: only the operator can enable it
  again (`idplane accounts enable --name NAME`);
- delete: Keystone refuses an enabled domain (403). A disabled account cannot call the API at
  all, and deleting a whole account (its users, keys, and every service's objects) is an
  operator action, so this API never deletes an account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from idplane.iam.operator import disable_account_in
from idplane.iam.tables import Account
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, NotFound

ACTION = "iam:domains:{}"


class DomainService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def keystone_list_domains(
        self, caller: Caller, name: str | None, enabled: bool | None
    ) -> list[Account]:
        self._authorize(caller, "listDomains", caller.account_id)
        stmt = select(Account).where(Account.id == caller.account_id)
        if name is not None:
            stmt = stmt.where(Account.name == name)
        if enabled is not None:
            stmt = stmt.where(Account.enabled.is_(enabled))
        with self.store.read() as session:
            return list(session.scalars(stmt))

    def keystone_show_domain(self, caller: Caller, domain_id: str) -> Account:
        self._authorize(caller, "getDomain", domain_id)
        with self.store.read() as session:
            return self._own(session, caller)

    def keystone_update_domain(
        self, caller: Caller, domain_id: str, changes: dict[str, Any]
    ) -> Account:
        self._authorize(caller, "updateDomain", domain_id)
        if changes.get("options"):
            raise Invalid("Domain options are not supported.", "IAM.0007")
        with self.store.transaction() as session:
            account = self._own(session, caller)
            if changes.get("name") not in (None, account.name):
                raise Invalid("The name of an account cannot be changed.", "IAM.0007")
            if "description" in changes:
                account.description = changes["description"] or ""
            if changes.get("enabled") is False and account.enabled:
                disable_account_in(session, account)
            return account

    def keystone_delete_domain(self, caller: Caller, domain_id: str) -> None:
        self._authorize(caller, "deleteDomain", domain_id)
        with self.store.read() as session:
            account = self._own(session, caller)
        if account.enabled:
            raise Forbidden("Cannot delete a domain that is enabled, please disable it first.")
        raise Forbidden("Deleting an account is an operator action.")

    # Operator side (CLI) -------------------------------------------------------------------

    def enable_account(self, name: str) -> Account:
        """What `idplane accounts enable` does: the way back for an account that disabled
        itself through PATCH /v3/domains (its old tokens stay revoked)."""
        with self.store.transaction() as session:
            account = session.scalar(select(Account).where(Account.name == name))
            if account is None:
                raise NotFound(f"no account named {name}")
            account.enabled = True
            return account

    def _own(self, session, caller: Caller) -> Account:
        return session.scalars(select(Account).where(Account.id == caller.account_id)).one()

    def _authorize(self, caller: Caller, verb: str, account_id: str) -> None:
        self.authorizer.authorize(caller, ACTION.format(verb), account_id=account_id)
