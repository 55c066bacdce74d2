"""Tables of an identity store's external identity source: the SAML identity provider users
sign in with instead of the built-in directory, its certificates, and the store's own
service-provider signing certificates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class ExternalIdp(Base):
    """One external SAML identity provider per identity store."""

    __tablename__ = "store_ext_idps"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE"), unique=True
    )
    entity_id: Mapped[str] = mapped_column(String(1024))
    login_url: Mapped[str] = mapped_column(String(1024))
    want_request_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ExternalIdpCertificate(Base):
    __tablename__ = "store_ext_idp_certs"
    __table_args__ = (Index("ix_store_ext_idp_certs_idp", "idp_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    idp_id: Mapped[str] = mapped_column(ForeignKey("store_ext_idps.id", ondelete="CASCADE"))
    pem: Mapped[str] = mapped_column(Text)
    certificate_use: Mapped[str] = mapped_column(String(32), default="SIGNING")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SpCertificate(Base):
    """A signing certificate of the identity store as a SAML service provider; its private key
    is sealed with the master key. One is ACTIVE (in the SP metadata) at a time."""

    __tablename__ = "store_sp_certs"
    __table_args__ = (Index("ix_store_sp_certs_store", "identity_store_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    pem: Mapped[str] = mapped_column(Text)
    key_sealed: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
