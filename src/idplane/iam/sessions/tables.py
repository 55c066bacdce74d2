"""An agency session and what it carries; its temporary AK/SK and agency tokens reference it
(`temporary_access_keys.agency_session_id`, `tokens.agency_session_id`), so deleting the agency
deletes its sessions and with them every credential issued for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class AgencySession(Base):
    __tablename__ = "sts_agency_sessions"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[str] = mapped_column(
        ForeignKey("iam_agencies.id", ondelete="CASCADE"), index=True
    )
    agency_name: Mapped[str] = mapped_column(String(64))
    session_name: Mapped[str] = mapped_column(String(128))
    # The party the agency's trust must keep naming for the session to stay usable: the
    # assuming principal's account id, or a cloud service name (`op_svc_*`).
    trusted_party: Mapped[str] = mapped_column(String(64))
    source_kind: Mapped[str] = mapped_column(String(32))
    source_account_id: Mapped[str] = mapped_column(String(64))
    source_principal_id: Mapped[str] = mapped_column(String(256))
    source_principal_urn: Mapped[str] = mapped_column(String(1024))
    parent_session_id: Mapped[str | None] = mapped_column(String(64))
    # The direct assumer (the parent session's URN when chained), matched by trust policies.
    assumed_by_urn: Mapped[str] = mapped_column(String(1024))
    source_identity: Mapped[str | None] = mapped_column(String(64))
    tags: Mapped[dict] = mapped_column(JSON, default=dict)
    transitive_tag_keys: Mapped[list] = mapped_column(JSON, default=list)
    session_policy: Mapped[dict | None] = mapped_column(JSON)
    mfa: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
