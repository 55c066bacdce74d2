"""Applies a seed file: accounts, then the organization and its members, then each account's
IAM users, groups, policies, mappings and identity providers, then Identity Center (started
in the organization, as the real service requires) with its users, groups, memberships,
permission sets, assignments and applications.
Objects refer to one another by name; ids are generated, except account ids, which may be
given (with access keys, secret keys and passwords)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import select

from idplane.iam.permissions.service import Target
from idplane.iam.roles.catalog import system_roles
from idplane.iam.roles.service import PolicySpec
from idplane.iam.service import AccountCredentials
from idplane.iam.tables import Account, User
from idplane.identitycenter.assignments.records import Grant
from idplane.identitycenter.permission_sets.schemas import CreatePermissionSetBody
from idplane.identitystore.groups.attributes import NewGroup
from idplane.identitystore.users.attributes import NewUser
from idplane.instances.store_tables import IdentityStore
from idplane.organizations.service import NewAccount
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.errors import ApiError
from idplane.seeding.applications import seed_applications
from idplane.seeding.document import Cursor, Located, SeedError, plain
from idplane.seeding.federation import seed_federation
from idplane.seeding.services import SeedServices

TOP = {"accounts", "organization", "iam", "identity_center"}
CREDENTIALS = {"password", "access_key", "secret_key"}


@dataclass
class Seeded:
    """What a seed file made: account names to ids, and the Identity Center it started."""

    accounts: dict[str, str] = field(default_factory=dict)
    credentials: dict[str, AccountCredentials] = field(default_factory=dict)  # shown once
    instance_id: str | None = None
    identity_store_id: str | None = None


class Seeder:
    def __init__(self, services: SeedServices, document: Located, name: str):
        self.services = services
        self.root = Cursor(name, document)
        self.seeded = Seeded()
        self.management: str | None = None

    def apply(self) -> Seeded:
        self.root.mapping(TOP)
        for item in self.root.at("accounts").items():
            self._account(item)
        if self.root.at("organization").value is not None:
            self._organization(self.root.at("organization"))
        for item in self.root.at("iam").items():
            self._iam(item)
        if self.root.at("identity_center").value is not None:
            self._identity_center(self.root.at("identity_center"))
        return self.seeded

    # Accounts and the organization ----------------------------------------------------------

    def _account(self, item: Cursor) -> None:
        item.mapping({"name", "id", *CREDENTIALS}, {"name"})
        name = item.required_text("name")
        if self._find_account(name) is not None:
            raise item.at("name").error(f"an account named {name} already exists")
        account_id = item.text("id")
        if account_id is not None:
            if len(account_id) != 32 or any(c not in "0123456789abcdef" for c in account_id):
                raise item.at("id").error("an account id is 32 lower-case hex digits")
            if self._find_account_id(account_id):
                raise item.at("id").error(f"an account with id {account_id} already exists")
        self._credentials(item, name, account_id)

    def _credentials(self, item: Cursor, name: str, account_id: str | None = None) -> None:
        access, secret = item.text("access_key"), item.text("secret_key")
        with _located(item):
            creds = self.services.core.accounts.bootstrap(
                name, item.text("password"), access, secret, account_id
            )
        self.seeded.accounts[name] = creds.account_id
        self.seeded.credentials[name] = creds

    def _organization(self, where: Cursor) -> None:
        where.mapping({"management", "members"}, {"management"})
        self.management = where.text("management")
        caller = self._caller(where.at("management"), self.management)
        with _located(where.at("management")):
            self.services.organizations.create_organization(caller)
        for member in where.at("members").items():
            member.mapping({"name", "email", "description", *CREDENTIALS}, {"name"})
            name = member.required_text("name")
            new = NewAccount(name=name, email=member.text("email"))
            new.description = member.text("description")
            with _located(member):
                self.services.organizations.create_account(caller, new)
            if any(member.at(key).value is not None for key in CREDENTIALS):
                self._credentials(member, name)
            self.seeded.accounts[name] = self._require(member, name)

    # IAM -------------------------------------------------------------------------------------

    def _iam(self, item: Cursor) -> None:
        known = {"account", "users", "groups", "policies", "mappings", "identity_providers"}
        item.mapping(known, {"account"})
        caller = self._caller(item.at("account"), item.text("account"))
        iam = self.services.core.iam
        policies: dict[str, str] = {}
        for policy in item.at("policies").items():
            policy.mapping({"name", "description", "policy"}, {"name", "policy"})
            spec = PolicySpec(
                display_name=policy.required_text("name"),
                type="AX",
                description=policy.text("description") or "",
                description_cn=None,
                policy=plain(policy.at("policy").value),
            )
            with _located(policy):
                policies[spec.display_name] = iam.roles.create_custom_policy(caller, spec).id
        groups: dict[str, str] = {}
        for group in item.at("groups").items():
            group.mapping({"name", "description", "policies"}, {"name"})
            with _located(group):
                made = iam.groups.create_group(
                    caller, group.required_text("name"), group.text("description"), None
                )
            groups[made.name] = made.id
            for where, policy_name in group.names("policies"):
                role_id = policies.get(policy_name) or _system_role(where, policy_name)
                with _located(where):
                    iam.grants.grant_to_group(
                        caller, made.id, role_id, Target.domain(caller.account_id)
                    )
        for user in item.at("users").items():
            user.mapping({"name", "description", "email", "password", "groups"}, {"name"})
            fields = {
                key: user.text(key)
                for key in ("name", "description", "email", "password")
                if user.text(key) is not None
            }
            with _located(user):
                made_user = iam.users.create_user(caller, fields)
            for where, group_name in user.names("groups"):
                if group_name not in groups:
                    raise where.error(f"no group {group_name} in this account's groups")
                with _located(where):
                    iam.groups.add_user_to_group(caller, groups[group_name], made_user.id)
        seed_federation(self.services.federation, caller, item, _located)

    # Identity Center -----------------------------------------------------------------------

    def _identity_center(self, where: Cursor) -> None:
        where.mapping({"users", "groups", "permission_sets", "assignments", "applications"})
        if self.management is None:
            raise where.error("Identity Center needs an organization: add organization: first")
        caller = self._caller(where, self.management)
        with _located(where):
            instance = self.services.identity_center.start_identity_center(caller)
        with self.services.core.store.read() as session:
            store_id = session.scalar(
                select(IdentityStore.id).where(IdentityStore.instance_id == instance.id)
            )
        assert store_id is not None  # starting Identity Center creates its identity store
        self.seeded.instance_id, self.seeded.identity_store_id = instance.id, store_id
        directory = self.services.directory
        users: dict[str, str] = {}
        for user in where.at("users").items():
            new = _model(user, NewUser, _user_fields(user))
            with _located(user):
                users[new.user_name] = directory.users.create_user(caller, store_id, new).user_id
        principals = {("USER", name): user_id for name, user_id in users.items()}
        for group in where.at("groups").items():
            group.mapping({"display_name", "description", "members"}, {"display_name"})
            fields = {k: group.text(k) for k in ("display_name", "description")}
            new = _model(group, NewGroup, {k: v for k, v in fields.items() if v is not None})
            with _located(group):
                made = directory.groups.create_group(caller, store_id, new)
            principals[("GROUP", new.display_name)] = made.id
            for member, user_name in group.names("members"):
                if user_name not in users:
                    raise member.error(f"no Identity Center user {user_name}")
                with _located(member):
                    directory.memberships.create_group_membership(
                        caller, store_id, made.id, users[user_name]
                    )
        sets = self._permission_sets(where, caller, instance.id)
        for item in where.at("assignments").items():
            self._assignment(item, caller, instance.id, sets, principals)
        seed_applications(
            self.services.applications, caller, instance.id, where, principals, _located
        )

    def _permission_sets(self, where: Cursor, caller: Caller, instance_id: str) -> dict:
        built = self.services.permission_sets
        sets: dict[str, str] = {}
        for item in where.at("permission_sets").items():
            item.mapping(
                {"name", "description", "session_duration", "relay_state", "custom_policy"},
                {"name"},
            )
            fields = {
                k: item.text(k)
                for k in ("name", "description", "session_duration", "relay_state")
                if item.text(k) is not None
            }
            body = _model(item, CreatePermissionSetBody, fields)
            with _located(item):
                made = built.permission_sets.create_permission_set(caller, instance_id, body)
            sets[body.name] = made.id
            policy = item.at("custom_policy")
            if policy.value is not None:
                document = json.dumps(plain(policy.value))
                with _located(policy):
                    built.policies.put_custom_policy_to_permission_set(
                        caller, instance_id, made.id, document
                    )
        return sets

    def _assignment(self, item, caller, instance_id, sets, principals) -> None:
        item.mapping({"permission_set", "account", "user", "group"}, {"permission_set", "account"})
        set_name, account = item.text("permission_set"), item.text("account")
        if set_name not in sets:
            raise item.at("permission_set").error(f"no permission set {set_name}")
        account_id = self.seeded.accounts.get(account) or self._require(item.at("account"), account)
        kinds = [k for k in ("user", "group") if item.at(k).value is not None]
        if len(kinds) != 1:
            raise item.error("an assignment names one user: or one group:")
        kind = kinds[0]
        principal = principals.get((kind.upper(), item.text(kind)))
        if principal is None:
            raise item.at(kind).error(f"no Identity Center {kind} {item.text(kind)}")
        grant = Grant(sets[set_name], kind.upper(), principal, account_id)
        with _located(item):
            self.services.assignments.create_account_assignment(caller, instance_id, grant)

    # Lookups -----------------------------------------------------------------------------------

    def _find_account(self, name: str) -> Account | None:
        with self.services.core.store.read() as session:
            return session.scalar(select(Account).where(Account.name == name))

    def _find_account_id(self, account_id: str) -> Account | None:
        with self.services.core.store.read() as session:
            return session.scalar(select(Account).where(Account.id == account_id))

    def _require(self, where: Cursor, name: str | None) -> str:
        account = self._find_account(name) if name else None
        if account is None:
            raise where.error(f"no account named {name}")
        return account.id

    def _caller(self, where: Cursor, name: str | None) -> Caller:
        account_id = self._require(where, name)
        with self.services.core.store.read() as session:
            root = session.scalar(select(User).where(User.account_id == account_id, User.is_root))
        assert name is not None and root is not None  # _require found the account; it has a root
        return Caller(
            account_id=account_id,
            account_name=name,
            user_id=root.id,
            user_name=root.name,
            is_root=True,
            kind=CredentialKind.ACCESS_KEY,
            credential_id="seed",
        )


class _located:
    """Turns a service's error into a SeedError at the item that caused it."""

    def __init__(self, where: Cursor):
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _tb) -> None:
        if isinstance(error, ApiError):
            raise self.where.error(error.message) from None
        return None


def _model(item: Cursor, model, fields: dict):
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problem = error.errors()[0]
        field_name = str(problem["loc"][0]) if problem["loc"] else ""
        where = item.at(field_name) if field_name in item.value else item
        raise where.error(problem["msg"]) from None


def _user_fields(user: Cursor) -> dict:
    user.mapping(
        {"user_name", "display_name", "given_name", "family_name", "email", "password_mode"},
        {"user_name"},
    )
    name = user.text("user_name")
    return {
        "user_name": name,
        "display_name": user.text("display_name", name),
        "name": {
            "given_name": user.text("given_name", name),
            "family_name": user.text("family_name", name),
        },
        "emails": [
            {"value": user.text("email", f"{name}@example.com"), "primary": True, "type": "work"}
        ],
        "password_mode": user.text("password_mode", "OTP"),
    }


def _system_role(where: Cursor, name: str) -> str:
    try:
        return system_roles().named(name).id
    except KeyError:
        raise where.error(f"no custom policy or system role named {name}") from None


def seed(core, text: str, name: str) -> Seeded:
    """Applies the seed file `text` (named `name` in errors) in one transaction."""
    from idplane.seeding.document import load

    document = load(text, name)
    with core.store.transaction() as session:
        return Seeder(SeedServices.build(core, session), document, name).apply()


__all__ = ["SeedError", "Seeded", "seed"]
