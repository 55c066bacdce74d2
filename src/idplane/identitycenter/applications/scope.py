"""Where every operation on an application instance starts, inside its own transaction: the
Identity Center gate (management account or delegated administrator, else 403 IIC.1215), then
the application instance, which must belong to the instance named in the path (404 otherwise,
so another organization's or another instance's applications are never confirmed to exist)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.identitycenter.applications.instances.tables import ApplicationInstance
from idplane.instances.gate import IdentityCenterGate
from idplane.instances.tables import Instance
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import NotFound


def not_found(kind: str, identifier: str) -> NotFound:
    return NotFound(f"Not Found: {kind} {identifier}.", "IIC.404")


def application_instance(
    session: Session,
    gate: IdentityCenterGate,
    caller: Caller,
    action: str,
    instance_id: str,
    application_instance_id: str,
    *,
    lock: bool = False,
) -> tuple[Instance, ApplicationInstance]:
    """`lock`: hold the application instance's row until the transaction ends (PostgreSQL
    `FOR UPDATE`), for changes that count or reorder what hangs off it."""
    instance = gate.instance(session, caller, action, instance_id)
    stmt = select(ApplicationInstance).where(
        ApplicationInstance.id == application_instance_id,
        ApplicationInstance.instance_id == instance.id,
    )
    application = session.scalar(stmt.with_for_update() if lock else stmt)
    if application is None:
        raise not_found("application instance", application_instance_id)
    return instance, application
