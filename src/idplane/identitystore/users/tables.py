"""Users of an identity store and the identifiers external identity providers gave them.

Every SCIM User attribute has a home here, so the SCIM endpoint can share these rows with the
Identity Store API: scalar attributes are columns, multi-valued and nested ones (emails,
addresses, phone numbers, the enterprise extension) are JSON in the API's snake_case shape.
`enabled` is SCIM's `active`; `version` and `updated_at` make ETags and `meta.lastModified`.

`user_name` is unique per identity store regardless of case (SCIM says userName is not
case-exact): the database enforces it on `user_name_key`, the case-folded name, so several
server processes can never create two users of the same name.
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

TEXT = 1024  # the documented maximum of every free-text attribute


class User(Base):
    __tablename__ = "identity_store_users"
    __table_args__ = (
        UniqueConstraint(
            "identity_store_id", "user_name_key", name="uq_identity_store_users_store_name"
        ),
        Index("ix_identity_store_users_store_seq", "identity_store_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    user_name: Mapped[str] = mapped_column(String(128))
    # Case-folded user_name; folding can lengthen a string (ß -> ss), hence the room.
    user_name_key: Mapped[str] = mapped_column(String(512))
    display_name: Mapped[str] = mapped_column(String(TEXT))
    # name.*
    given_name: Mapped[str] = mapped_column(String(TEXT))
    family_name: Mapped[str] = mapped_column(String(TEXT))
    middle_name: Mapped[str | None] = mapped_column(String(TEXT))
    formatted_name: Mapped[str | None] = mapped_column(String(TEXT))
    honorific_prefix: Mapped[str | None] = mapped_column(String(TEXT))
    honorific_suffix: Mapped[str | None] = mapped_column(String(TEXT))
    nickname: Mapped[str | None] = mapped_column(String(TEXT))
    title: Mapped[str | None] = mapped_column(String(TEXT))
    user_type: Mapped[str | None] = mapped_column(String(TEXT))
    locale: Mapped[str | None] = mapped_column(String(TEXT))
    timezone: Mapped[str | None] = mapped_column(String(TEXT))
    preferred_language: Mapped[str | None] = mapped_column(String(TEXT))
    profile_url: Mapped[str | None] = mapped_column(String(TEXT))
    # [{"value", "type", "primary"}]: exactly one, as the API documents.
    emails: Mapped[list] = mapped_column(JSON)
    # [{"formatted", "street_address", "locality", "region", "postal_code", "country",
    #   "type", "primary"}] and [{"value", "type", "primary"}]: at most one each.
    addresses: Mapped[list | None] = mapped_column(JSON)
    phone_numbers: Mapped[list | None] = mapped_column(JSON)
    # The enterprise extension: {"cost_center", "department", "division", "employee_number",
    # "organization", "manager": {"value"}}.
    enterprise: Mapped[dict | None] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    password_mode: Mapped[str | None] = mapped_column(String(16))  # OTP or EMAIL
    # argon2 hash of the one-time password (OTP mode); the password itself is never stored.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_change_required: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by every change (ETag)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(64))


class UserExternalId(Base):
    """An identifier an external identity provider (SCIM client, SAML IdP) issued for a user;
    unique per identity store and issuer, so `get_user_id` by external id is one index probe."""

    __tablename__ = "identity_store_user_external_ids"
    __table_args__ = (
        UniqueConstraint(
            "identity_store_id",
            "issuer",
            "external_id",
            name="uq_identity_store_user_external_ids_store_issuer_id",
        ),
        Index("ix_identity_store_user_external_ids_user_seq", "user_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("identity_store_users.id", ondelete="CASCADE"))
    issuer: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(256))
