"""Grants of roles/policies to groups: on the account (global services), on one project, or
inherited by every project of the account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

DOMAIN = "domain"  # scope values besides a project id
INHERITED = "inherited"


class GroupRole(Base):
    __tablename__ = "iam_group_roles"
    __table_args__ = (UniqueConstraint("group_id", "role_id", "scope"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[str] = mapped_column(ForeignKey("iam_groups.id", ondelete="CASCADE"))
    role_id: Mapped[str] = mapped_column(String(64))
    # Set when the role is a custom policy, so deleting the policy removes its grants.
    custom_policy_id: Mapped[str | None] = mapped_column(
        ForeignKey("iam_custom_policies.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(64))  # DOMAIN, INHERITED or a project id
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
