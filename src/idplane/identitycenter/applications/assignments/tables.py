"""Application assignments: a user or group of the instance's identity store, assigned to an
application instance through one of its profiles.

A principal is assigned to an application instance at most once (unique). The assignment goes
with its profile and its application instance (ON DELETE CASCADE on both), and with its
principal through the identity store's deletion hook. `instance_id` is kept so the lists per
principal stay on an index: `(principal_id, seq)` for a principal's assignments,
`(application_instance_id, seq)` for an application's, `(profile_id)` for the cascade.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class ApplicationAssignment(Base):
    __tablename__ = "identity_center_application_assignments"
    __table_args__ = (
        UniqueConstraint(
            "application_instance_id",
            "principal_type",
            "principal_id",
            name="uq_identity_center_application_assignments_principal",
        ),
        Index(
            "ix_identity_center_application_assignments_app_seq", "application_instance_id", "seq"
        ),
        Index("ix_identity_center_application_assignments_principal_seq", "principal_id", "seq"),
        Index("ix_identity_center_application_assignments_profile", "profile_id"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE")
    )
    application_instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_application_instances.id", ondelete="CASCADE")
    )
    profile_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_application_profiles.id", ondelete="CASCADE")
    )
    principal_type: Mapped[str] = mapped_column(String(8))  # USER | GROUP
    principal_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
