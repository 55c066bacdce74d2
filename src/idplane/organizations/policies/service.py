"""Policy types on the root, policies (and their dry-run twins), attachments and the
effective tag policy (types.py and effective.py hold what those two need).

Enabling SCPs attaches the built-in FullAccess policy to the root, every unit and every
account, as the real service does, so enabling changes nothing until an administrator narrows
it; every entity keeps at least one SCP while the type is enabled. Disabling a type detaches
all its policies. Only the management account writes; delegated administrators read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.organizations import membership, tree
from idplane.organizations.policies import grammar
from idplane.organizations.policies.effective import EffectivePolicy, effective_policy
from idplane.organizations.policies.types import (
    RootView,
    attach_full_access_everywhere,
    check_type,
    managed_root,
    root_view,
    type_not_enabled,
)
from idplane.organizations.service import POLICY_DENIED, alnum_id
from idplane.organizations.tables import (
    Organization,
    Policy,
    PolicyAttachment,
    PolicyTypeStatus,
)
from idplane.organizations.tags import rules
from idplane.organizations.tags.records import RESOURCE_TYPES, Tagged, put_tags
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound, QuotaExceeded
from idplane.platform.paging import Page, PageRequest, keyset_page

MAX_POLICIES = 1000
MAX_ATTACHED = {tree.SCP: 5, tree.TAG_POLICY: 10}
_NAME = re.compile(r"^[\w.\- ]{1,64}$")


@dataclass
class PolicyView:
    policy: Policy
    organization: Organization


@dataclass
class NewPolicy:
    name: str
    description: str
    content: str
    type: str
    tags: list[dict] | None = None


class PolicyService:
    def __init__(self, store: Store, authorizer: Authorizer, dry_run: bool = False):
        self.store = store
        self.authorizer = authorizer
        self.dry_run = dry_run  # the dry-run family works on its own policies
        self.noun = "dryRunPolicies" if dry_run else "policies"

    def _authorize(self, caller: Caller, verb: str) -> None:
        action = f"organizations:{self.noun}:{verb}"
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    # Policy types ---------------------------------------------------------------------------

    def enable_policy_type(self, caller: Caller, root_id: str, policy_type: str) -> RootView:
        self._authorize(caller, "enablePolicyType")
        check_type(policy_type)
        try:
            with self.store.transaction() as session:
                organization, root = managed_root(session, caller, root_id)
                if tree.policy_type_enabled(session, root.id, policy_type):
                    raise Conflict(
                        f"The policy type {policy_type} is already enabled.", "Organizations.1404"
                    )
                session.add(
                    PolicyTypeStatus(root_id=root.id, policy_type=policy_type, status="enabled")
                )
                if policy_type == tree.SCP:
                    attach_full_access_everywhere(session, organization, root)
                session.flush()
                return root_view(session, organization, root)
        except IntegrityError:
            raise Conflict("Concurrent modification.") from None

    def disable_policy_type(self, caller: Caller, root_id: str, policy_type: str) -> RootView:
        self._authorize(caller, "disablePolicyType")
        check_type(policy_type)
        with self.store.transaction() as session:
            organization, root = managed_root(session, caller, root_id)
            if not tree.policy_type_enabled(session, root.id, policy_type):
                raise type_not_enabled(policy_type)
            of_type = select(Policy.id).where(Policy.type == policy_type, Policy.dry_run.is_(False))
            session.execute(
                delete(PolicyAttachment).where(
                    PolicyAttachment.organization_id == organization.id,
                    PolicyAttachment.policy_id.in_(of_type),
                )
            )
            session.execute(
                delete(PolicyTypeStatus).where(
                    PolicyTypeStatus.root_id == root.id,
                    PolicyTypeStatus.policy_type == policy_type,
                )
            )
            return root_view(session, organization, root)

    # Policies -------------------------------------------------------------------------------

    def create_policy(self, caller: Caller, new: NewPolicy) -> PolicyView:
        self._authorize(caller, "create")
        _check_fields(new.name, new.description)
        check_type(new.type)
        grammar.check_document(new.content, new.type)
        wanted = rules.check_tags(new.tags or [])
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                self._check_quota(session, organization, new.type)
                policy = Policy(
                    id=alnum_id("p-"),
                    organization_id=organization.id,
                    type=new.type,
                    dry_run=self.dry_run,
                    is_builtin=False,
                    name=new.name,
                    description=new.description,
                    content=new.content,
                    updated_at=now(),
                )
                session.add(policy)
                session.flush()
                resource = Tagged(policy.id, RESOURCE_TYPES["policy"], policy.name)
                put_tags(session, organization.id, resource, wanted)
                return PolicyView(policy, organization)
        except IntegrityError:
            raise _name_taken(new.name) from None

    def show_policy(self, caller: Caller, policy_id: str) -> PolicyView:
        self._authorize(caller, "get")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            return PolicyView(self._policy(session, organization, policy_id), organization)

    def update_policy(
        self,
        caller: Caller,
        policy_id: str,
        name: str | None,
        description: str | None,
        content: str | None,
    ) -> PolicyView:
        self._authorize(caller, "update")
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                policy = self._own_policy(session, organization, policy_id)
                _check_fields(
                    name or policy.name, policy.description if description is None else description
                )
                if content is not None:
                    grammar.check_document(content, policy.type)
                    policy.content = content
                policy.name = name or policy.name
                if description is not None:
                    policy.description = description
                policy.updated_at = now()
                session.flush()
                return PolicyView(policy, organization)
        except IntegrityError:
            raise _name_taken(name or "") from None

    def delete_policy(self, caller: Caller, policy_id: str) -> None:
        self._authorize(caller, "delete")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            policy = self._own_policy(session, organization, policy_id)
            attached = session.scalar(
                select(PolicyAttachment.seq).where(PolicyAttachment.policy_id == policy.id)
            )
            if attached is not None:
                raise Invalid(
                    f"The policy {policy_id} is attached to entities; detach it first.",
                    "Organizations.1407",
                )
            tree.forget_entity(session, policy.id)
            session.delete(policy)

    def list_policies(
        self, caller: Caller, attached_entity_id: str | None, request: PageRequest
    ) -> Page:
        self._authorize(caller, "list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = select(Policy).where(
                Policy.dry_run.is_(self.dry_run),
                or_(Policy.organization_id == organization.id, Policy.is_builtin.is_(True)),
            )
            if attached_entity_id is not None:
                tree.require_entity(session, organization, attached_entity_id)
                stmt = stmt.join(PolicyAttachment, PolicyAttachment.policy_id == Policy.id).where(
                    PolicyAttachment.entity_id == attached_entity_id,
                    PolicyAttachment.organization_id == organization.id,
                )
            page = keyset_page(session, stmt, Policy.seq, request)
            page.rows = [PolicyView(policy, organization) for policy in page.rows]
            return page

    # Attachments ----------------------------------------------------------------------------

    def attach_policy(self, caller: Caller, policy_id: str, entity_id: str) -> None:
        self._authorize(caller, "attach")
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                policy = self._policy(session, organization, policy_id)
                entity = tree.require_entity(session, organization, entity_id, lock=True)
                root = tree.root_of(session, organization)
                if not self.dry_run and not tree.policy_type_enabled(session, root.id, policy.type):
                    raise type_not_enabled(policy.type)
                if _attachment(session, policy.id, entity.id) is not None:
                    raise _duplicate(policy_id, entity_id)
                if (
                    _attached_count(session, entity.id, policy.type, self.dry_run)
                    >= (MAX_ATTACHED[policy.type])
                ):
                    raise QuotaExceeded(
                        f"An entity can have at most {MAX_ATTACHED[policy.type]} policies "
                        f"of type {policy.type} attached.",
                        "Organizations.1410",
                    )
                session.add(
                    PolicyAttachment(
                        organization_id=organization.id,
                        policy_id=policy.id,
                        entity_id=entity.id,
                        entity_type=entity.type,
                    )
                )
                session.flush()
        except IntegrityError:
            raise _duplicate(policy_id, entity_id) from None

    def detach_policy(self, caller: Caller, policy_id: str, entity_id: str) -> None:
        self._authorize(caller, "detach")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            policy = self._policy(session, organization, policy_id)
            entity = tree.require_entity(session, organization, entity_id, lock=True)
            attachment = _attachment(session, policy.id, entity.id)
            if attachment is None:
                raise NotFound(
                    f"The policy {policy_id} is not attached to {entity_id}.", "Organizations.1406"
                )
            last = policy.type == tree.SCP and not self.dry_run
            if last and _attached_count(session, entity.id, tree.SCP, False) <= 1:
                raise Invalid(
                    "An entity must keep at least one service control policy attached.",
                    "Organizations.1411",
                )
            session.delete(attachment)

    def list_entities_for_policy(
        self, caller: Caller, policy_id: str, request: PageRequest
    ) -> Page:
        self._authorize(caller, "listAttachedEntities")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            policy = self._policy(session, organization, policy_id)
            stmt = select(PolicyAttachment).where(
                PolicyAttachment.policy_id == policy.id,
                PolicyAttachment.organization_id == organization.id,
            )
            page = keyset_page(session, stmt, PolicyAttachment.seq, request)
            page.rows = [
                tree.require_entity(session, organization, row.entity_id) for row in page.rows
            ]
            return page

    def show_effective_policies(
        self, caller: Caller, entity_id: str, policy_type: str
    ) -> EffectivePolicy:
        """The tag policy in force for an account: the attached tag policies along its path
        from the root, merged (a lower level's keys override a higher level's)."""
        self._authorize(caller, "listEffective")
        if policy_type != tree.TAG_POLICY:
            raise Invalid("Effective policies are available for tag_policy only.")
        with self.store.read() as session:
            organization = membership.member_organization(session, caller.account_id)
            if caller.account_id not in (organization.management_account_id, entity_id):
                organization = membership.administered_organization(session, caller.account_id)
            entity = tree.require_entity(session, organization, entity_id)
            root = tree.root_of(session, organization)
            if not tree.policy_type_enabled(session, root.id, policy_type):
                raise type_not_enabled(policy_type)
            return effective_policy(session, organization, entity, policy_type)

    # Internals ------------------------------------------------------------------------------

    def _policy(self, session: Session, organization: Organization, policy_id: str) -> Policy:
        policy = session.scalar(
            select(Policy).where(
                Policy.id == policy_id,
                Policy.dry_run.is_(self.dry_run),
                or_(Policy.organization_id == organization.id, Policy.is_builtin.is_(True)),
            )
        )
        if policy is None:
            raise NotFound(f"The policy {policy_id} does not exist.", "Organizations.1401")
        return policy

    def _own_policy(self, session: Session, organization: Organization, policy_id: str) -> Policy:
        policy = self._policy(session, organization, policy_id)
        if policy.is_builtin:
            raise Invalid(
                f"The built-in policy {policy.name} cannot be changed or deleted.",
                "Organizations.1408",
            )
        return policy

    def _check_quota(self, session: Session, organization: Organization, policy_type: str) -> None:
        count = session.scalar(
            select(func.count(Policy.seq)).where(
                Policy.organization_id == organization.id,
                Policy.type == policy_type,
                Policy.dry_run.is_(self.dry_run),
            )
        )
        if (count or 0) >= MAX_POLICIES:
            raise QuotaExceeded(
                f"An organization has at most {MAX_POLICIES} policies of type {policy_type}.",
                "Organizations.1412",
            )


def _attachment(session: Session, policy_id: str, entity_id: str) -> PolicyAttachment | None:
    return session.scalar(
        select(PolicyAttachment).where(
            PolicyAttachment.policy_id == policy_id, PolicyAttachment.entity_id == entity_id
        )
    )


def _attached_count(session: Session, entity_id: str, policy_type: str, dry_run: bool) -> int:
    stmt = (
        select(func.count(PolicyAttachment.seq))
        .join(Policy, Policy.id == PolicyAttachment.policy_id)
        .where(
            PolicyAttachment.entity_id == entity_id,
            Policy.type == policy_type,
            Policy.dry_run.is_(dry_run),
        )
    )
    return session.scalar(stmt) or 0


def _check_fields(name: str, description: str) -> None:
    if not _NAME.match(name or "") or name != name.strip():
        raise Invalid("name must be 1-64 letters, digits, spaces, '_', '-' or '.'")
    if len(description or "") > 512:
        raise Invalid("description must be at most 512 characters")


def _duplicate(policy_id: str, entity_id: str) -> Conflict:
    return Conflict(
        f"The policy {policy_id} is already attached to {entity_id}.", "Organizations.1405"
    )


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A policy named {name} already exists.", "Organizations.1402")
