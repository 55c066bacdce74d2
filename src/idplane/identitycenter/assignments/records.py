"""What an assignment request names (`Grant`) and the status record each creation or deletion
leaves (`identity_center_assignment_operations`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from idplane.identitycenter.assignments.tables import AssignmentOperation
from idplane.identitycenter.permission_sets.provisioning import SUCCEEDED
from idplane.platform import ids
from idplane.platform.clock import now

ACCOUNT = "ACCOUNT"


@dataclass(frozen=True)
class Grant:
    """What an assignment request names (the SDK's create/delete body)."""

    permission_set_id: str
    principal_type: str
    principal_id: str
    target_id: str
    target_type: str = ACCOUNT


def operation_row(instance_id: str, operation: str, grant: Grant, moment) -> dict:
    return {
        "id": ids.uuid_str(),
        "instance_id": instance_id,
        "operation": operation,
        "status": SUCCEEDED,
        "failure_reason": None,
        "permission_set_id": grant.permission_set_id,
        "principal_type": grant.principal_type,
        "principal_id": grant.principal_id,
        "target_id": grant.target_id,
        "target_type": grant.target_type,
        "created_at": moment,
    }


def record(session: Session, instance_id: str, operation: str, grant: Grant):
    """Writes the status record (one Core INSERT, no ORM flush) and answers it, for the
    response."""
    row = operation_row(instance_id, operation, grant, now())
    session.connection().execute(_INSERT, row)
    return AssignmentOperation(**row)


_INSERT = insert(AssignmentOperation.__table__)  # type: ignore[arg-type]
