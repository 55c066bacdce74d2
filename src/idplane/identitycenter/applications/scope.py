"""Where every operation on an application instance starts: the gate's unit of work on the
instance named in the path (management account or delegated administrator, else 403
IIC.1215), then the application instance, which must belong to that instance (404 otherwise,
so another organization's or another instance's applications are never confirmed to exist)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.identitycenter.applications.instances.tables import ApplicationInstance
from idplane.instances.errors import not_found
from idplane.instances.gate import GatedInstance, IdentityCenterGate
from idplane.platform.auth.caller import Caller


@contextmanager
def application_unit(
    gate: IdentityCenterGate,
    caller: Caller,
    action: str,
    instance_id: str,
    application_instance_id: str,
    *,
    write: bool = False,
    lock: bool = False,
) -> Iterator[tuple[Session, GatedInstance, ApplicationInstance]]:
    """`lock`: hold the application instance's row until the transaction ends (PostgreSQL
    `FOR UPDATE`), for changes that count or reorder what hangs off it."""
    with gate.instance_unit(caller, action, instance_id, write=write) as (session, instance):
        yield (
            session,
            instance,
            application_instance(session, instance, application_instance_id, lock),
        )


def application_instance(
    session: Session, instance: GatedInstance, application_instance_id: str, lock: bool = False
) -> ApplicationInstance:
    stmt = select(ApplicationInstance).where(
        ApplicationInstance.id == application_instance_id,
        ApplicationInstance.instance_id == instance.id,
    )
    application = session.scalar(stmt.with_for_update() if lock else stmt)
    if application is None:
        raise not_found("application instance", application_instance_id)
    return application
