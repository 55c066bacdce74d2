"""Tagging the root, units, accounts and policies, and the resource-instance tag queries.

Tags live in one table keyed by resource id; the resource type of the tag API's paths
(`organizations:ous`, ...) is checked against the resource's own kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from idplane.iam.tables import Account
from idplane.organizations import membership, tree
from idplane.organizations.service import POLICY_DENIED
from idplane.organizations.tables import (
    Member,
    Organization,
    OrganizationalUnit,
    Policy,
    ResourceTag,
)
from idplane.organizations.tags import rules
from idplane.organizations.tags.records import RESOURCE_TYPES, Tagged, put_tags
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.db import Store
from idplane.platform.errors import Invalid, NotFound
from idplane.platform.paging import Page, PageRequest, keyset_page


@dataclass
class InstanceQuery:
    without_any_tag: bool = False
    tags: list[dict] | None = None  # [{key, values}]
    matches: list[dict] | None = None  # [{key, value}]


def find_tagged(session: Session, organization: Organization, resource_id: str) -> Tagged:
    if resource_id.startswith("p-"):
        policy = session.scalar(
            select(Policy).where(
                Policy.id == resource_id, Policy.organization_id == organization.id
            )
        )
        if policy is not None:
            return Tagged(policy.id, RESOURCE_TYPES["policy"], policy.name)
    else:
        entity = tree.find_entity(session, organization, resource_id)
        if entity is not None:
            return Tagged(entity.id, RESOURCE_TYPES[entity.type], entity.name)
    raise NotFound(f"The resource {resource_id} does not exist.", "Organizations.1602")


class TagService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    def tag_resource(
        self, caller: Caller, resource_id: str, tags: list[dict], resource_type: str | None = None
    ) -> None:
        self._authorize(caller, "organizations:resources:tag")
        wanted = rules.check_tags(tags)
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            resource = _typed(find_tagged(session, organization, resource_id), resource_type)
            put_tags(session, organization.id, resource, wanted)

    def untag_resource(
        self, caller: Caller, resource_id: str, keys: list[str], resource_type: str | None = None
    ) -> None:
        self._authorize(caller, "organizations:resources:untag")
        for key in keys:
            rules.check_key(key)
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            _typed(find_tagged(session, organization, resource_id), resource_type)
            session.execute(
                delete(ResourceTag).where(
                    ResourceTag.resource_id == resource_id, ResourceTag.key.in_(keys)
                )
            )

    def list_tags_for_resource(
        self,
        caller: Caller,
        resource_id: str,
        request: PageRequest,
        resource_type: str | None = None,
    ) -> Page:
        self._authorize(caller, "organizations:resources:listTags")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            _typed(find_tagged(session, organization, resource_id), resource_type)
            stmt = select(ResourceTag).where(ResourceTag.resource_id == resource_id)
            return keyset_page(session, stmt, ResourceTag.seq, request)

    def list_resource_tags(self, caller: Caller, resource_type: str) -> dict[str, list[str]]:
        """Every key used on resources of the type, with its values."""
        self._authorize(caller, "organizations:resources:listTags")
        _check_type(resource_type)
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            rows = session.execute(
                select(ResourceTag.key, ResourceTag.value)
                .where(
                    ResourceTag.organization_id == organization.id,
                    ResourceTag.resource_type == resource_type,
                )
                .distinct()
                .order_by(ResourceTag.key, ResourceTag.value)
            )
            keys: dict[str, list[str]] = {}
            for key, value in rows:
                keys.setdefault(key, []).append(value)
            return keys

    def list_resource_instances(
        self,
        caller: Caller,
        resource_type: str,
        query: InstanceQuery,
        limit: int | None,
        offset: int | None,
    ) -> tuple[list[tuple[Tagged, dict[str, str]]], int]:
        self._authorize(caller, "organizations:resources:list")
        _check_type(resource_type)
        limit, offset = _window(limit, offset)
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            found = _matching(session, organization, resource_type, query)
            return found[offset : offset + limit], len(found)

    def show_resource_instances_count(
        self, caller: Caller, resource_type: str, query: InstanceQuery
    ) -> int:
        self._authorize(caller, "organizations:resources:list")
        _check_type(resource_type)
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            return len(_matching(session, organization, resource_type, query))


def _matching(
    session: Session, organization: Organization, resource_type: str, query: InstanceQuery
) -> list[tuple[Tagged, dict[str, str]]]:
    """Resources of the type whose tags carry every asked key (with one of its values, when
    values are given) and whose name contains each `matches` value."""
    for tag in query.tags or []:
        rules.check_key(tag["key"])
    tags: dict[str, dict[str, str]] = {}
    for row in session.scalars(
        select(ResourceTag).where(
            ResourceTag.organization_id == organization.id,
            ResourceTag.resource_type == resource_type,
        )
    ):
        tags.setdefault(row.resource_id, {})[row.key] = row.value
    out = []
    for resource in _resources(session, organization, resource_type):
        own = tags.get(resource.resource_id, {})
        if query.without_any_tag and own:
            continue
        if not all(_has(own, tag) for tag in query.tags or []):
            continue
        if not all(m["value"] in resource.name for m in query.matches or []):
            continue
        out.append((resource, own))
    return out


def _has(own: dict[str, str], tag: dict) -> bool:
    values = tag.get("values") or []
    return tag["key"] in own and (not values or own[tag["key"]] in values)


def _resources(session: Session, organization: Organization, resource_type: str) -> list[Tagged]:
    if resource_type == "organizations:roots":
        root = tree.root_of(session, organization)
        return [Tagged(root.id, resource_type, root.name)]
    if resource_type == "organizations:ous":
        stmt = select(OrganizationalUnit.id, OrganizationalUnit.name).where(
            OrganizationalUnit.organization_id == organization.id
        )
        stmt = stmt.order_by(OrganizationalUnit.seq)
    elif resource_type == "organizations:accounts":
        stmt = (
            select(Member.account_id, Account.name)
            .join(Account, Account.id == Member.account_id)
            .where(Member.organization_id == organization.id)
            .order_by(Member.seq)
        )
    else:
        stmt = (
            select(Policy.id, Policy.name)
            .where(Policy.organization_id == organization.id)
            .order_by(Policy.seq)
        )
    return [Tagged(row[0], resource_type, row[1]) for row in session.execute(stmt)]


def _typed(resource: Tagged, resource_type: str | None) -> Tagged:
    if resource_type is not None:
        _check_type(resource_type)
        if resource.resource_type != resource_type:
            raise NotFound(
                f"The resource {resource.resource_id} is not of type {resource_type}.",
                "Organizations.1602",
            )
    return resource


def _check_type(resource_type: str) -> None:
    if resource_type not in RESOURCE_TYPES.values():
        raise Invalid(
            f"resource_type must be one of {', '.join(RESOURCE_TYPES.values())}",
        )


def _window(limit: int | None, offset: int | None) -> tuple[int, int]:
    limit = 1000 if limit is None else limit
    offset = 0 if offset is None else offset
    if not 1 <= limit <= 1000 or offset < 0:
        raise Invalid("limit must be 1-1000 and offset at least 0")
    return limit, offset


def tag_count(session: Session, resource_id: str) -> int:
    stmt = select(func.count(ResourceTag.seq)).where(ResourceTag.resource_id == resource_id)
    return session.scalar(stmt) or 0
