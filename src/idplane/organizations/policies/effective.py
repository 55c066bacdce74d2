"""The effective tag policy of an entity: the tag policies attached along its path from the
root, merged so that a lower level's keys override a higher level's."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.organizations import tree
from idplane.organizations.tables import Organization, Policy, PolicyAttachment


@dataclass
class EffectivePolicy:
    entity_id: str
    policy_type: str
    content: str
    last_updated_at: datetime | None


def effective_policy(
    session: Session, organization: Organization, entity: tree.Entity, policy_type: str
) -> EffectivePolicy:
    path = tree.ancestry(session, organization, entity)
    rows = session.execute(
        select(PolicyAttachment.entity_id, Policy.content, Policy.updated_at)
        .join(Policy, Policy.id == PolicyAttachment.policy_id)
        .where(
            PolicyAttachment.entity_id.in_(path),
            Policy.type == policy_type,
            Policy.dry_run.is_(False),
        )
        .order_by(PolicyAttachment.seq)
    ).all()
    merged: dict = {}
    updated = None
    for entity_id in path:  # root first, so lower levels override
        for row in rows:
            if row.entity_id == entity_id:
                _merge(merged, json.loads(row.content))
                updated = max(updated, row.updated_at) if updated else row.updated_at
    return EffectivePolicy(entity.id, policy_type, json.dumps(merged), updated)


def _merge(into: dict, document: dict) -> None:
    """Deep merge: nested objects combine, a lower level's value replaces a higher one's."""
    for key, value in document.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
