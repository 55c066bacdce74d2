"""The custom password policy of an identity store: one row per store, made on its first
update (until then the defaults in `password_policy.service` apply); goes with the store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class PasswordPolicy(Base):
    __tablename__ = "identity_store_password_policies"

    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE"), primary_key=True
    )
    minimum_password_length: Mapped[int] = mapped_column(Integer)
    require_lowercase_characters: Mapped[bool] = mapped_column(Boolean)
    require_numbers: Mapped[bool] = mapped_column(Boolean)
    require_symbols: Mapped[bool] = mapped_column(Boolean)
    require_uppercase_characters: Mapped[bool] = mapped_column(Boolean)
    max_password_age: Mapped[int] = mapped_column(Integer)  # days; 0: passwords never expire
    password_reuse_prevention: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
