"""Profiles: how an application instance is associated with its users and groups.

Every application assignment is made through a profile (`profile_id`, ON DELETE CASCADE), so
deleting a profile ends the association of the application instance with every user or group
assigned through it, in one statement. Names are unique per application instance, so the
`Default` profile exists at most once even when two requests create it at the same moment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

DEFAULT = "Default"
ENABLED = "ENABLED"


class ApplicationProfile(Base):
    __tablename__ = "identity_center_application_profiles"
    __table_args__ = (
        UniqueConstraint(
            "application_instance_id", "name", name="uq_identity_center_application_profiles_name"
        ),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(18), unique=True)  # p- + 16 hex
    application_instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_application_instances.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(64), default=DEFAULT)
    status: Mapped[str] = mapped_column(String(16), default=ENABLED)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
