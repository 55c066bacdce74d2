"""IAM tables: the accounts everything else belongs to, their users, projects and credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class Account(Base):
    """A Huawei account (Keystone domain)."""

    __tablename__ = "accounts"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(String(255), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class User(Base):
    """An IAM user; `is_root` marks the account's own (root) user, named like the account."""

    __tablename__ = "iam_users"
    __table_args__ = (
        UniqueConstraint("account_id", "name"),
        # Huawei IAM keeps e-mail, mobile number and external identity unique per account.
        Index("uq_iam_users_email", "account_id", "email", unique=True),
        Index("uq_iam_users_phone", "account_id", "areacode", "phone", unique=True),
        Index("uq_iam_users_xuser", "account_id", "xuser_type", "xuser_id", unique=True),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_root: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    areacode: Mapped[str | None] = mapped_column(String(8))
    xuser_id: Mapped[str | None] = mapped_column(String(128))
    xuser_type: Mapped[str | None] = mapped_column(String(64))
    pwd_status: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    access_mode: Mapped[str] = mapped_column(String(16), default="default")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Project(Base):
    """A project; every account has one per region, named after the region, and may add
    subprojects named `<region>_<suffix>` whose parent is the region's project."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(255), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # None for a region's project (its parent is the account); the region project for others.
    parent_id: Mapped[str | None] = mapped_column(String(64))


class AccessKey(Base):
    """A permanent AK/SK pair; the secret is sealed with the master key, never stored plain."""

    __tablename__ = "access_keys"

    access: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("iam_users.id", ondelete="CASCADE"), index=True)
    secret_sealed: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="active")
    description: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TemporaryAccessKey(Base):
    """A temporary AK/SK from OS-CREDENTIAL/securitytokens; valid only with its security token."""

    __tablename__ = "temporary_access_keys"

    access: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    # None for an agency session's key: the session names its principal.
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("iam_users.id", ondelete="CASCADE"), index=True
    )
    secret_sealed: Mapped[str] = mapped_column(String(255))
    security_token_digest: Mapped[str] = mapped_column(String(64))
    session_policy: Mapped[dict | None] = mapped_column(JSON)
    agency_id: Mapped[str | None] = mapped_column(String(64))
    agency_session_id: Mapped[str | None] = mapped_column(
        ForeignKey("sts_agency_sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Token(Base):
    """An X-Auth-Token; only its SHA-256 digest is kept."""

    __tablename__ = "tokens"
    __table_args__ = (Index("ix_tokens_user_expiry", "user_id", "expires_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("iam_users.id", ondelete="CASCADE"))
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    methods: Mapped[list] = mapped_column(JSON)
    # Set for tokens issued through federation, so deleting the IdP can revoke them.
    identity_provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # What a federated token shows of its sign-in, as issued: the protocol, the mapped groups
    # (ids), the federated user's display name and domain (see TokenService._body).
    federation: Mapped[dict | None] = mapped_column(JSON)
    # Set for agency tokens (assume_role): the token acts in the session, not as its user.
    agency_session_id: Mapped[str | None] = mapped_column(
        ForeignKey("sts_agency_sessions.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
