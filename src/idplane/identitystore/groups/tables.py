"""Groups of an identity store and the identifiers external identity providers gave them.

`display_name` is unique per identity store regardless of case. Display names run to 1,024
characters, longer than a PostgreSQL B-tree entry may be, so the database enforces uniqueness
on `name_key` (SHA-256 of the case-folded name) and the `display_name` list filter, a
case-insensitive prefix match, runs on `name_prefix` (the case-folded name's first 255
characters, compared byte-wise: collation "C" on PostgreSQL, SQLite's default BINARY), so
both are index lookups whatever the size of the store.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

PREFIX = 255
_PREFIX_TYPE = String(PREFIX).with_variant(postgresql.VARCHAR(PREFIX, collation="C"), "postgresql")


class Group(Base):
    __tablename__ = "identity_store_groups"
    __table_args__ = (
        UniqueConstraint(
            "identity_store_id", "name_key", name="uq_identity_store_groups_store_key"
        ),
        Index("ix_identity_store_groups_store_seq", "identity_store_id", "seq"),
        Index("ix_identity_store_groups_store_prefix", "identity_store_id", "name_prefix"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    display_name: Mapped[str] = mapped_column(String(1024))
    name_key: Mapped[str] = mapped_column(String(64))
    name_prefix: Mapped[str] = mapped_column(_PREFIX_TYPE)
    description: Mapped[str | None] = mapped_column(String(1024))
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by every change (ETag)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(64))


class GroupExternalId(Base):
    """An identifier an external identity provider issued for a group (SCIM `externalId`)."""

    __tablename__ = "identity_store_group_external_ids"
    __table_args__ = (
        UniqueConstraint(
            "identity_store_id",
            "issuer",
            "external_id",
            name="uq_identity_store_group_external_ids_store_issuer_id",
        ),
        Index("ix_identity_store_group_external_ids_group_seq", "group_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    group_id: Mapped[str] = mapped_column(
        ForeignKey("identity_store_groups.id", ondelete="CASCADE")
    )
    issuer: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(256))
