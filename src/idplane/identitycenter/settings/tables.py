"""The settings of an instance: one row, made on the first write, gone with the instance.

A missing row (or column) means the documented default; `access_control_attributes` null means
no access-control attribute configuration exists.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class InstanceSettings(Base):
    __tablename__ = "identity_center_instance_settings"

    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE"), primary_key=True
    )
    # [{"key": ..., "value": {"source": [...]}}], or null when not configured.
    access_control_attributes: Mapped[list | None] = mapped_column(JSON)
    sso_configuration: Mapped[dict | None] = mapped_column(JSON)
    mfa_user_permission: Mapped[str | None] = mapped_column(String(16))
    disaster_recovery_choice: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
