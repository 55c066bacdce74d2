"""Agencies and the roles/policies granted to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class Agency(Base):
    __tablename__ = "iam_agencies"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    # The delegated party: another account, or a cloud service (`op_svc_*`, no account id).
    trust_domain_id: Mapped[str | None] = mapped_column(String(64), index=True)
    trust_domain_name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(255), default="")
    duration: Mapped[str] = mapped_column(String(16), default="FOREVER")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How long an agency session may last, in seconds (STS: 3600 to 43200).
    max_session_duration: Mapped[int] = mapped_column(Integer, default=3600, server_default="3600")
    # Who may assume the agency beyond the trusted account, on which conditions (IAM v5).
    trust_policy: Mapped[dict | None] = mapped_column(JSON)


class AgencyRole(Base):
    __tablename__ = "iam_agency_roles"
    __table_args__ = (UniqueConstraint("agency_id", "role_id", "scope"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[str] = mapped_column(ForeignKey("iam_agencies.id", ondelete="CASCADE"))
    role_id: Mapped[str] = mapped_column(String(64))
    custom_policy_id: Mapped[str | None] = mapped_column(
        ForeignKey("iam_custom_policies.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(64))  # "domain" or a project id
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
