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
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
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
