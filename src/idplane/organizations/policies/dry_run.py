"""The dry-run configuration of a policy type on the root: whether dry-run policies are
evaluated (and where their findings would be written). Dry-run policies are never enforced;
their results bucket is recorded but nothing is written to it here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.organizations import membership, tree
from idplane.organizations.service import POLICY_DENIED
from idplane.organizations.tables import DryRunConfig
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Invalid, NotFound

STATUSES = ("enabled", "disabled")


class DryRunConfigService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    def show(self, caller: Caller, root_id: str, policy_type: str) -> DryRunConfig:
        self._authorize(caller, "organizations:dryRunConfig:get")
        _check_type(policy_type)
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            root = _root(session, organization, root_id)
            found = _config(session, root.id, policy_type)
            if found is None:
                moment = root.created_at
                return DryRunConfig(
                    root_id=root.id,
                    policy_type=policy_type,
                    status="disabled",
                    created_at=moment,
                    updated_at=moment,
                )
            return found

    def update(self, caller: Caller, fields: dict) -> DryRunConfig:
        self._authorize(caller, "organizations:dryRunConfig:update")
        _check_type(fields["policy_type"])
        status = fields.get("status") or "enabled"
        if status not in STATUSES:
            raise Invalid("status must be enabled or disabled")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            root = _root(session, organization, fields["root_id"])
            config = _config(session, root.id, fields["policy_type"])
            moment = now()
            if config is None:
                config = DryRunConfig(
                    root_id=root.id, policy_type=fields["policy_type"], created_at=moment
                )
                session.add(config)
            config.status = status
            for name in ("bucket_name", "region_id", "bucket_prefix", "agency_name"):
                if fields.get(name) is not None:
                    setattr(config, name, fields[name])
            config.updated_at = moment
            session.flush()
            return config


def _config(session: Session, root_id: str, policy_type: str) -> DryRunConfig | None:
    return session.scalar(
        select(DryRunConfig).where(
            DryRunConfig.root_id == root_id, DryRunConfig.policy_type == policy_type
        )
    )


def _root(session: Session, organization, root_id: str):
    root = tree.root_of(session, organization)
    if root.id != root_id:
        raise NotFound(f"The root {root_id} does not exist.", "Organizations.1201")
    return root


def _check_type(policy_type: str) -> None:
    if policy_type not in tree.POLICY_TYPES:
        raise Invalid(f"policy_type must be one of {', '.join(tree.POLICY_TYPES)}")
