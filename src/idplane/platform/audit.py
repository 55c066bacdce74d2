"""The audit trail: who did what, when, with which credential, and how it ended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.auth.caller import AssumedSession
from idplane.platform.clock import now
from idplane.platform.db import Base, Store
from idplane.platform.request_context import AuditEvent


class AuditRecord(Base):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    request_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    user_id: Mapped[str | None] = mapped_column(String(64))
    credential: Mapped[str | None] = mapped_column(String(128))
    credential_kind: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str | None] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(8))
    resource: Mapped[str] = mapped_column(String(1024))
    status: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    # Calls made in an agency session: the agency, the session, and who is behind it.
    agency: Mapped[str | None] = mapped_column(String(256))
    session_name: Mapped[str | None] = mapped_column(String(128))
    source_identity: Mapped[str | None] = mapped_column(String(64))
    original_principal: Mapped[str | None] = mapped_column(String(1024))


_SESSION_FIELDS = ("agency", "session_name", "source_identity", "original_principal")
_INSERT = insert(Base.metadata.tables[AuditRecord.__tablename__])


class AuditTrail:
    def __init__(self, store: Store):
        self.store = store

    def record(self, event: AuditEvent) -> None:
        caller = event.caller
        assumed = caller.session if caller else None
        row = {
            "at": now(),
            "request_id": event.request_id,
            "account_id": caller.account_id if caller else None,
            "user_id": caller.user_id if caller else None,
            "credential": caller.credential_id if caller else None,
            "credential_kind": str(caller.kind) if caller else None,
            "action": event.action,
            "method": event.method,
            "resource": event.path[:1024],
            "status": event.status,
            "outcome": "success" if event.status < 400 else "failure",
            **(_session_fields(assumed) if assumed else dict.fromkeys(_SESSION_FIELDS)),
        }
        # One Core INSERT on the connection (a cached statement, every column bound), after
        # whatever the ORM still holds (usually nothing), as an autoflush would have sent it.
        # The request commits right after it, or rolls back whole if it fails: no SAVEPOINT.
        with self.store.transaction(last=True) as session:
            session.flush()
            session.connection().execute(_INSERT, row)

    def tail(self, limit: int = 20) -> list[AuditRecord]:
        with self.store.read() as session:
            stmt = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit)
            return list(reversed(list(session.scalars(stmt))))


def _session_fields(assumed: AssumedSession) -> dict[str, str | None]:
    return {
        "agency": f"iam::{assumed.account_id}:agency:{assumed.agency_name}",
        "session_name": assumed.session_name,
        "source_identity": assumed.source_identity,
        "original_principal": assumed.source_principal_urn,
    }
