"""Virtual MFA devices and the users' login protection settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class MfaDevice(Base):
    """A user's virtual MFA device: created unbound, bound once two consecutive codes prove
    the user holds the seed. One device per user (the real service's rule)."""

    __tablename__ = "iam_mfa_devices"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    serial_number: Mapped[str] = mapped_column(String(256), unique=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    # Deleting the user deletes its device.
    user_id: Mapped[str] = mapped_column(
        ForeignKey("iam_users.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(64))
    seed_sealed: Mapped[str] = mapped_column(String(512))  # SecretBox, never logged
    bound: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last TOTP time step accepted: a code for it or an earlier step is a replay.
    last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginProtect(Base):
    """A user's login protection: when enabled with `vmfa`, password-only tokens are refused."""

    __tablename__ = "iam_login_protects"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("iam_users.id", ondelete="CASCADE"), unique=True
    )
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    verification_method: Mapped[str] = mapped_column(String(16), default="none")
