"""Application instances: an application of the catalog, configured for one Identity Center
instance (`app-ins-` + 16 hex).

An application instance belongs to its Identity Center instance (ON DELETE CASCADE, so
deleting Identity Center removes it); its profiles, assignments and signing certificates
reference it the same way, so deleting the application instance removes all of them in one
statement. Names are unique per Identity Center instance. The four SAML configurations are
kept as JSON in the API's own shape (validated on the way in); the template is a snapshot of
the catalog entry it was made from, so a later catalog change never alters an instance.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

CREATED, ENABLED, DISABLED = "CREATED", "ENABLED", "DISABLED"


class ApplicationInstance(Base):
    __tablename__ = "identity_center_application_instances"
    __table_args__ = (
        UniqueConstraint(
            "instance_id", "name", name="uq_identity_center_application_instances_name"
        ),
        Index("ix_identity_center_application_instances_instance_seq", "instance_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(24), unique=True)  # app-ins- + 16 hex
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE")
    )
    # The account that owns the Identity Center instance (the management account).
    account_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    template_id: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[str] = mapped_column(String(64))
    provider_id: Mapped[str] = mapped_column(String(64))
    template: Mapped[dict] = mapped_column(JSON)
    display_name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(String(1024))
    icon: Mapped[str | None] = mapped_column(String(1024))
    status: Mapped[str] = mapped_column(String(16), default=CREATED)
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    end_user_visible: Mapped[bool] = mapped_column(Boolean, default=True)
    assignment_required: Mapped[bool] = mapped_column(Boolean, default=True)
    security_config: Mapped[dict] = mapped_column(JSON)
    service_provider_config: Mapped[dict] = mapped_column(JSON)
    response_config: Mapped[dict] = mapped_column(JSON)
    response_schema_config: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    def urn(self) -> str:
        return f"IdentityCenter::{self.account_id}:application:{self.instance_id}/{self.id}"
