"""Custom policies of an account (system roles live in `data/system_roles.json`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class CustomPolicy(Base):
    __tablename__ = "iam_custom_policies"
    __table_args__ = (UniqueConstraint("account_id", "display_name"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128), unique=True)  # custom_<account>_<n>
    display_name: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(2))  # AX (global services) or XA (projects)
    description: Mapped[str] = mapped_column(Text, default="")
    description_cn: Mapped[str | None] = mapped_column(Text)
    policy: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
