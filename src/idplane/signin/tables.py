"""Sign-in state: OIDC clients, device authorizations, sign-in sessions, the tokens issued for
them and the failed-attempt counters behind lockout.

Every secret (client secret, device code, session cookie, access and refresh token) is stored
only as its SHA-256 digest. A sign-in session belongs to an identity-store user (ON DELETE
CASCADE): deleting the user, or the session (`batch_delete_sessions`, logout), takes its tokens
with it in the same statement, so a deleted session signs the user out at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

PENDING, APPROVED, DENIED, CONSUMED = "PENDING", "APPROVED", "DENIED", "CONSUMED"
# Sign-in session states: signed in, or half-way (password accepted, a step still due).
ACTIVE, NEEDS_MFA, NEEDS_NEW_PASSWORD = "ACTIVE", "NEEDS_MFA", "NEEDS_NEW_PASSWORD"


class OidcClient(Base):
    __tablename__ = "signin_oidc_clients"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_digest: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(1024))
    grant_types: Mapped[list] = mapped_column(JSON)
    scopes: Mapped[list] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    secret_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SigninSession(Base):
    __tablename__ = "signin_sessions"
    __table_args__ = (Index("ix_signin_sessions_user_seq", "user_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # session_id of list_sessions
    cookie_digest: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("identity_store_users.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeviceAuthorization(Base):
    __tablename__ = "signin_device_authorizations"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_code: Mapped[str] = mapped_column(String(16), unique=True)  # normalized: no dash
    client_id: Mapped[str] = mapped_column(
        ForeignKey("signin_oidc_clients.id", ondelete="CASCADE"), index=True
    )
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))
    # The session that approved (or denied) it; the tokens belong to that session.
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("signin_sessions.id", ondelete="CASCADE")
    )
    interval: Mapped[int] = mapped_column(Integer)
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OidcToken(Base):
    """An access token and its refresh token, issued to a client for one sign-in session."""

    __tablename__ = "signin_oidc_tokens"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    access_digest: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_digest: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(
        ForeignKey("signin_oidc_clients.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[str] = mapped_column(
        ForeignKey("signin_sessions.id", ondelete="CASCADE"), index=True
    )
    access_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FailedSignins(Base):
    """Consecutive failed password checks of a user; `locked_until` set once too many."""

    __tablename__ = "signin_failures"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("identity_store_users.id", ondelete="CASCADE"), primary_key=True
    )
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MfaDevice(Base):
    """A user's TOTP device. Registration starts unconfirmed (`register_mfa_device_for_user`
    answers a URL); the user confirms it with a first code, and only confirmed devices count.
    The secret must be recoverable to check codes, so it is sealed with the master key."""

    __tablename__ = "signin_mfa_devices"
    __table_args__ = (Index("ix_signin_mfa_devices_user_seq", "user_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("identity_store_users.id", ondelete="CASCADE"))
    registration_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    device_name: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(128))
    mfa_type: Mapped[str] = mapped_column(String(16))  # TOTP
    secret_sealed: Mapped[str] = mapped_column(String(255))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EmailLink(Base):
    """A link mailed to a user: set a password (`reset_pwd_mode` EMAIL) or verify the e-mail
    address (`verify_email`). Stored as a digest; works once, until `expires_at`."""

    __tablename__ = "signin_email_links"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))  # SET_PASSWORD or VERIFY_EMAIL
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("identity_store_users.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
