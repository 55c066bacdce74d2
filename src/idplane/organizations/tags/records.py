"""Tag rows of organization resources, written by every service that creates a taggable
resource with tags (accounts, units, policies) and by the tag APIs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.organizations import tree
from idplane.organizations.tables import ResourceTag
from idplane.organizations.tags import rules

RESOURCE_TYPES = {
    tree.ROOT: "organizations:roots",
    tree.UNIT: "organizations:ous",
    tree.ACCOUNT: "organizations:accounts",
    "policy": "organizations:policies",
}


@dataclass
class Tagged:
    resource_id: str
    resource_type: str
    name: str


def put_tags(
    session: Session, organization_id: str, resource: Tagged, tags: dict[str, str]
) -> None:
    """Adds or overwrites tags, within the per-resource limit."""
    existing = {
        row.key: row
        for row in session.scalars(
            select(ResourceTag).where(ResourceTag.resource_id == resource.resource_id)
        )
    }
    rules.check_count(len(set(existing) | set(tags)))
    for key, value in tags.items():
        if key in existing:
            existing[key].value = value
        else:
            session.add(
                ResourceTag(
                    organization_id=organization_id,
                    resource_id=resource.resource_id,
                    resource_type=resource.resource_type,
                    key=key,
                    value=value,
                )
            )
    session.flush()
