"""Permission sets and what hangs off them.

Everything references `identity_center_permission_sets.id` with ON DELETE CASCADE and the
permission set references its instance the same way, so deleting the instance (or the
permission set) leaves nothing behind. `version` counts changes of what the permission set
grants; a provisioning records which version an account holds, which is how
`provisioning_status` tells LATEST_PERMISSION_SET_PROVISIONED from ..._NOT_PROVISIONED.

A provisioning's `account_id` references the organization membership
(`org_accounts.account_id`, unique) with ON DELETE CASCADE: an account that leaves the
organization keeps no provisioning (account assignments do the same).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

POLICY = "POLICY"  # a system-defined identity policy (attach-managed-policy)
ROLE = "ROLE"  # a system-defined role or policy of IAM (attach-managed-role)


class PermissionSet(Base):
    __tablename__ = "identity_center_permission_sets"
    __table_args__ = (
        UniqueConstraint("instance_id", "name", name="uq_identity_center_permission_sets_name"),
        Index("ix_identity_center_permission_sets_instance_seq", "instance_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(19), unique=True)  # ps- + 16 hex
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE")
    )
    # The instance's owner, for the URN (kept so listing needs no join).
    account_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(String(700))
    relay_state: Mapped[str | None] = mapped_column(String(240))
    session_duration: Mapped[str] = mapped_column(String(100))
    custom_policy: Mapped[str | None] = mapped_column(Text)
    custom_role: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def urn(self) -> str:
        return f"IdentityCenter::{self.account_id}:permissionSet:{self.id}"


class AttachedPolicy(Base):
    """A system policy (`kind` POLICY) or system role (`kind` ROLE) attached to a permission set."""

    __tablename__ = "identity_center_permission_set_policies"
    __table_args__ = (
        UniqueConstraint(
            "permission_set_id", "kind", "policy_id", name="uq_identity_center_ps_policies_ref"
        ),
        Index("ix_identity_center_ps_policies_kind_seq", "permission_set_id", "kind", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    permission_set_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_permission_sets.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(8))
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_name: Mapped[str] = mapped_column(String(128))
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PermissionSetTag(Base):
    __tablename__ = "identity_center_permission_set_tags"
    __table_args__ = (
        UniqueConstraint("permission_set_id", "key", name="uq_identity_center_ps_tags_key"),
        Index("ix_identity_center_ps_tags_ps_seq", "permission_set_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    permission_set_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_permission_sets.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(128))
    value: Mapped[str] = mapped_column(String(255))


class Provisioning(Base):
    """The permission set is deployed to the account, as of `provisioned_version`."""

    __tablename__ = "identity_center_provisionings"
    __table_args__ = (
        UniqueConstraint(
            "permission_set_id", "account_id", name="uq_identity_center_provisionings_pair"
        ),
        Index("ix_identity_center_provisionings_ps_seq", "permission_set_id", "seq"),
        Index("ix_identity_center_provisionings_account_seq", "account_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE"), index=True
    )
    permission_set_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_permission_sets.id", ondelete="CASCADE")
    )
    account_id: Mapped[str] = mapped_column(
        ForeignKey("org_accounts.account_id", ondelete="CASCADE")
    )
    provisioned_version: Mapped[int] = mapped_column(Integer)
    provisioned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProvisioningStatus(Base):
    """One `provision` request and how it ended (the asynchronous contract's status object).
    Ids are kept as plain text: the status outlives the permission set and the account."""

    __tablename__ = "identity_center_provisioning_statuses"
    __table_args__ = (
        Index("ix_identity_center_provisioning_statuses_seq", "instance_id", "seq"),
        Index("ix_identity_center_provisioning_statuses_state", "instance_id", "status", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # request_id, a UUID
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE")
    )
    permission_set_id: Mapped[str] = mapped_column(String(19))
    account_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
