"""Keystone domains: each account is one, and its federated users' domains (made for identity
providers created without `domain_id`, see federation/domains.py) are others of the account.
A caller sees and changes only its own account's domains.

- list: the caller's account and its federated domains (if they pass `name`/`enabled`);
- show/update/delete of another account's domain: 403, whether or not it exists (no probing);
- update of the account's own domain: `description` only. The name is the account's login name
  and its root user's name, so it cannot change (400); disabling it is refused (403): no call
  made with an account's own credentials may lock the account out of its own API (only the
  operator disables and enables accounts, `idplane accounts enable --name NAME`);
- update of a federated domain: `description`, `enabled` (disabling revokes the tokens of its
  federated users, as Keystone does);
- delete: Keystone refuses an enabled domain (403); a disabled federated domain is deleted
  with its identity providers. Deleting a whole account is an operator action.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from idplane.federation import domains as federated
from idplane.iam.tables import Account
from idplane.iam.users import rules
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, NotFound

ACTION = "iam:domains:{}"


class DomainService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def keystone_list_domains(self, caller: Caller, name: str | None, enabled: bool | None) -> list:
        self._authorize(caller, "listDomains", caller.account_id)
        stmt = select(Account).where(Account.id == caller.account_id)
        if name is not None:
            stmt = stmt.where(Account.name == name)
        if enabled is not None:
            stmt = stmt.where(Account.enabled.is_(enabled))
        with self.store.read() as session:
            found: list = list(session.scalars(stmt))
            return found + federated.list_domains(session, caller.account_id, name, enabled)

    def keystone_show_domain(self, caller: Caller, domain_id: str):
        self._authorize(caller, "getDomain", caller.account_id)
        with self.store.read() as session:
            return self._domain(session, caller, domain_id)

    def keystone_show_security_compliance(self, caller: Caller, domain_id: str) -> dict[str, str]:
        """The account's password strength policy: any user of the account may read it (no
        policy needed, as documented); another account's is 403."""
        if domain_id != caller.account_id:
            raise Forbidden("You are not authorized to perform the requested action.")
        return {
            "password_regex": rules.PASSWORD_REGEX,
            "password_regex_description": rules.PASSWORD_REGEX_DESCRIPTION,
        }

    def keystone_show_security_compliance_by_option(
        self, caller: Caller, domain_id: str, option: str
    ) -> dict[str, str]:
        policy = self.keystone_show_security_compliance(caller, domain_id)
        if option not in policy:
            raise Invalid(f"option must be one of {', '.join(policy)}.")
        return {option: policy[option]}

    def keystone_update_domain(self, caller: Caller, domain_id: str, changes: dict[str, Any]):
        self._authorize(caller, "updateDomain", caller.account_id)
        if changes.get("options"):
            raise Invalid("Domain options are not supported.", "IAM.0007")
        with self.store.transaction() as session:
            domain = self._domain(session, caller, domain_id)
            if changes.get("name") not in (None, domain.name):
                raise Invalid("The name of a domain cannot be changed.", "IAM.0007")
            if "description" in changes:
                domain.description = changes["description"] or ""
            if changes.get("enabled") is False and domain.enabled:
                if isinstance(domain, Account):
                    raise Forbidden(
                        "An account cannot disable its own domain: that would lock it out of "
                        "its own API. Disable the domains of its identity providers instead.",
                    )
                federated.disable(session, domain)
            elif changes.get("enabled") is True:
                domain.enabled = True
            return domain

    def keystone_delete_domain(self, caller: Caller, domain_id: str) -> None:
        self._authorize(caller, "deleteDomain", caller.account_id)
        with self.store.transaction() as session:
            domain = self._domain(session, caller, domain_id)
            if isinstance(domain, Account):
                if domain.enabled:
                    raise Forbidden(
                        "Cannot delete a domain that is enabled, please disable it first."
                    )
                raise Forbidden("Deleting an account is an operator action.")
            federated.delete(session, domain)

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

    def _domain(self, session, caller: Caller, domain_id: str):
        """The account itself or one of its federated domains; anything else is 403."""
        if domain_id == caller.account_id:
            return session.scalars(select(Account).where(Account.id == caller.account_id)).one()
        found = federated.find_domain(session, caller.account_id, domain_id)
        if found is None:
            raise Forbidden("You are not authorized to perform the requested action.")
        return found

    def _authorize(self, caller: Caller, verb: str, account_id: str) -> None:
        self.authorizer.authorize(caller, ACTION.format(verb), account_id=account_id)
