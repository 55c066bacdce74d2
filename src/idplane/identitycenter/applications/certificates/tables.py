"""Signing certificates of an application instance: an X.509 certificate with its RSA key.

The private key is stored sealed with the server's master key and is never returned. At most
one certificate of an application instance is ACTIVE: a partial unique index says so, so two
concurrent activations cannot both win. Certificates go with their application instance
(ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

ACTIVE, INACTIVE = "ACTIVE", "INACTIVE"


class ApplicationCertificate(Base):
    __tablename__ = "identity_center_application_certificates"
    __table_args__ = (
        Index(
            "ix_identity_center_application_certificates_app_seq",
            "application_instance_id",
            "seq",
        ),
        Index(
            "uq_identity_center_application_certificates_active",
            "application_instance_id",
            unique=True,
            sqlite_where=text("status = 'ACTIVE'"),
            postgresql_where=text("status = 'ACTIVE'"),
        ),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID
    application_instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_application_instances.id", ondelete="CASCADE")
    )
    algorithm: Mapped[str] = mapped_column(String(32))
    key_size: Mapped[str] = mapped_column(String(8))
    certificate: Mapped[str] = mapped_column(Text)  # PEM
    private_key_sealed: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
