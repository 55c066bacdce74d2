"""Organizations tables: an organization, its root, its member accounts, account-creation
requests, trusted services and delegated administrators.

Invariants live in the database so several server processes agree without locks: an account
belongs to at most one organization (unique `org_accounts.account_id`), an account manages at
most one organization, and a delegated administrator is always a member of the organization
for a service that organization trusts (two composite foreign keys, which also make removing a
member or disabling a trusted service drop the delegations that depended on it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class Organization(Base):
    __tablename__ = "organizations"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    management_account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Root(Base):
    """The top of the organization's OU tree; exactly one per organization."""

    __tablename__ = "org_roots"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Member(Base):
    """An account's membership of an organization (the management account is a member too)."""

    __tablename__ = "org_accounts"
    __table_args__ = (
        UniqueConstraint("organization_id", "account_id", name="uq_org_accounts_org_account"),
        Index("ix_org_accounts_org_seq", "organization_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    join_method: Mapped[str] = mapped_column(String(16))  # "invited" or "created"
    status: Mapped[str] = mapped_column(String(32), default="active")
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    email: Mapped[str | None] = mapped_column(String(255))
    mobile_phone: Mapped[str | None] = mapped_column(String(32))
    intl_number_prefix: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(String(255))
    tags: Mapped[list | None] = mapped_column(JSON)
    # The unit the account sits in; NULL for directly under the root.
    parent_id: Mapped[str | None] = mapped_column(String(64))


class CreateAccountRequest(Base):
    """One CreateAccount call and how it ended (the async contract's status object)."""

    __tablename__ = "org_create_account_statuses"
    __table_args__ = (Index("ix_org_create_account_statuses_org_seq", "organization_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    # Kept as plain text: the status outlives the account's membership.
    account_id: Mapped[str | None] = mapped_column(String(64))
    account_name: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(32))
    failure_reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TrustedService(Base):
    __tablename__ = "org_trusted_services"
    __table_args__ = (
        UniqueConstraint(
            "organization_id", "service_principal", name="uq_org_trusted_services_principal"
        ),
        Index("ix_org_trusted_services_org_seq", "organization_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    service_principal: Mapped[str] = mapped_column(String(100))
    enabled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DelegatedAdministrator(Base):
    """A member account registered as delegated administrator for one trusted service."""

    __tablename__ = "org_delegated_admins"
    __table_args__ = (
        UniqueConstraint(
            "organization_id",
            "service_principal",
            "account_id",
            name="uq_org_delegated_admins_registration",
        ),
        ForeignKeyConstraint(
            ["organization_id", "account_id"],
            ["org_accounts.organization_id", "org_accounts.account_id"],
            ondelete="CASCADE",
            name="fk_org_delegated_admins_member",
        ),
        ForeignKeyConstraint(
            ["organization_id", "service_principal"],
            ["org_trusted_services.organization_id", "org_trusted_services.service_principal"],
            ondelete="CASCADE",
            name="fk_org_delegated_admins_trusted_service",
        ),
        Index("ix_org_delegated_admins_org_seq", "organization_id", "seq"),
        Index("ix_org_delegated_admins_account_seq", "account_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(String(64))
    service_principal: Mapped[str] = mapped_column(String(100))
    delegation_enabled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# The organization's tree, its policies, tags and invitations -----------------------------------


class OrganizationalUnit(Base):
    """An OU. `path` lists the ids from the root's first level down to this unit ("ou-a/ou-b"),
    so the guardrail check reads a member's whole ancestry from one row; units never move."""

    __tablename__ = "org_units"
    __table_args__ = (
        UniqueConstraint("organization_id", "parent_id", "name", name="uq_org_units_sibling_name"),
        Index("ix_org_units_org_seq", "organization_id", "seq"),
        Index("ix_org_units_parent_seq", "parent_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    parent_id: Mapped[str] = mapped_column(String(64))  # the root's id or another unit's
    name: Mapped[str] = mapped_column(String(64))
    depth: Mapped[int] = mapped_column(Integer)  # 1 directly under the root
    path: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Policy(Base):
    """A service control or tag policy (`dry_run` for the dry-run family). The built-in
    FullAccess SCP is one shared row with no organization."""

    __tablename__ = "org_policies"
    __table_args__ = (
        UniqueConstraint("organization_id", "dry_run", "name", name="uq_org_policies_name"),
        Index("ix_org_policies_org_seq", "organization_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    type: Mapped[str] = mapped_column(String(32))
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(512), default="")
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PolicyAttachment(Base):
    """A policy attached to the root, a unit or an account (entity ids are unique across the
    three kinds). Deleting a policy drops its attachments; deleting an entity drops them
    explicitly (`tree.forget_entity`), as one column cannot reference three tables."""

    __tablename__ = "org_policy_attachments"
    __table_args__ = (
        UniqueConstraint("policy_id", "entity_id", name="uq_org_policy_attachments_pair"),
        Index("ix_org_policy_attachments_entity", "entity_id"),
        Index("ix_org_policy_attachments_policy_seq", "policy_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    policy_id: Mapped[str] = mapped_column(ForeignKey("org_policies.id", ondelete="CASCADE"))
    entity_id: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))  # root, organizational_unit, account


class PolicyTypeStatus(Base):
    """A policy type enabled on a root."""

    __tablename__ = "org_policy_types"
    __table_args__ = (UniqueConstraint("root_id", "policy_type", name="uq_org_policy_types_pair"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    root_id: Mapped[str] = mapped_column(ForeignKey("org_roots.id", ondelete="CASCADE"))
    policy_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))


class DryRunConfig(Base):
    __tablename__ = "org_dry_run_configs"
    __table_args__ = (
        UniqueConstraint("root_id", "policy_type", name="uq_org_dry_run_configs_pair"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    root_id: Mapped[str] = mapped_column(ForeignKey("org_roots.id", ondelete="CASCADE"))
    policy_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    bucket_name: Mapped[str | None] = mapped_column(String(64))
    region_id: Mapped[str | None] = mapped_column(String(64))
    bucket_prefix: Mapped[str | None] = mapped_column(String(256))
    agency_name: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResourceTag(Base):
    """A tag on the root, a unit, an account or a policy of an organization."""

    __tablename__ = "org_tags"
    __table_args__ = (
        UniqueConstraint("resource_id", "key", name="uq_org_tags_resource_key"),
        Index("ix_org_tags_org_type", "organization_id", "resource_type"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    resource_id: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))  # organizations:ous, ...
    key: Mapped[str] = mapped_column(String(128))
    value: Mapped[str] = mapped_column(String(255))


class Handshake(Base):
    """An invitation from an organization to an existing account."""

    __tablename__ = "org_handshakes"
    __table_args__ = (
        Index("ix_org_handshakes_org_seq", "organization_id", "seq"),
        Index("ix_org_handshakes_target_seq", "target_account_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    target_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))  # account or name, as invited
    target_entity: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(String(1024))
    tags: Mapped[list | None] = mapped_column(JSON)  # put on the account when it joins
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CloseAccountStatus(Base):
    __tablename__ = "org_close_account_statuses"
    __table_args__ = (Index("ix_org_close_account_statuses_org_seq", "organization_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(32))
    failure_reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
