"""Account assignments and the status records of their creation and deletion.

An assignment is unique per (account, permission set, principal) (an account belongs to one
organization, so to one instance). It goes away with its instance and its permission set (ON
DELETE CASCADE), with its account's membership of the organization (`account_id` references
`org_accounts.account_id`), and with its principal (the identity store's deletion hook, since
users and groups live in two tables a foreign key cannot name).

Indexes: `(instance_id, principal_type, principal_id, seq)` serves a principal's assignments
(list for principal, disassociate-profile, deleting a principal) at the cost of that
principal's assignments, never of the store; `(account_id, permission_set_id, seq)` and
`(account_id, seq)` serve an account's assignments and the membership cascade.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

CREATE = "CREATE"
DELETE = "DELETE"


class AccountAssignment(Base):
    __tablename__ = "identity_center_account_assignments"
    __table_args__ = (
        UniqueConstraint(
            "account_id",
            "permission_set_id",
            "principal_type",
            "principal_id",
            name="uq_identity_center_account_assignments_grant",
        ),
        Index(
            "ix_identity_center_account_assignments_principal",
            "instance_id",
            "principal_type",
            "principal_id",
            "seq",
        ),
        Index(
            "ix_identity_center_account_assignments_account_ps",
            "account_id",
            "permission_set_id",
            "seq",
        ),
        Index("ix_identity_center_account_assignments_account", "account_id", "seq"),
        Index("ix_identity_center_account_assignments_ps", "permission_set_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE")
    )
    account_id: Mapped[str] = mapped_column(
        ForeignKey("org_accounts.account_id", ondelete="CASCADE")
    )
    permission_set_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_permission_sets.id", ondelete="CASCADE")
    )
    principal_type: Mapped[str] = mapped_column(String(8))  # USER or GROUP
    principal_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AssignmentOperation(Base):
    """One creation or deletion of an assignment (the asynchronous contract's status object).
    Ids are plain text: the record outlives the assignment, its permission set and principal."""

    __tablename__ = "identity_center_assignment_operations"
    __table_args__ = (
        Index("ix_identity_center_assignment_operations_seq", "instance_id", "operation", "seq"),
        Index(
            "ix_identity_center_assignment_operations_state",
            "instance_id",
            "operation",
            "status",
            "seq",
        ),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # request_id, a UUID
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE")
    )
    operation: Mapped[str] = mapped_column(String(8))  # CREATE or DELETE
    status: Mapped[str] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(String(1024))
    permission_set_id: Mapped[str] = mapped_column(String(19))
    principal_type: Mapped[str] = mapped_column(String(8))
    principal_id: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
