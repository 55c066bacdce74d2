"""The applications part of `identity_center:` in a seed file: application instances made
from the catalog's templates (`template_id`), each with its assignments to Identity Center
users and groups (by `user_name` / `display_name`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.identitycenter.applications.assignments.service import Principal
from idplane.identitycenter.applications.assignments.tables import ApplicationAssignment
from idplane.identitycenter.applications.instances.tables import ApplicationInstance
from idplane.platform.auth.caller import Caller
from idplane.seeding.document import Cursor


def seed_applications(
    applications, caller: Caller, instance_id: str, where: Cursor, principals: dict, located
) -> None:
    for item in where.at("applications").items():
        item.mapping({"name", "template_id", "assignments"}, {"name", "template_id"})
        with located(item):
            made = applications.instances.create_application_instance(
                caller, instance_id, item.text("name"), item.text("template_id")
            )
        for assignment in item.at("assignments").items():
            assignment.mapping({"user", "group"})
            kinds = [k for k in ("user", "group") if assignment.at(k).value is not None]
            if len(kinds) != 1:
                raise assignment.error("an application assignment names one user: or one group:")
            kind = kinds[0]
            principal_id = principals.get((kind.upper(), assignment.text(kind)))
            if principal_id is None:
                raise assignment.at(kind).error(
                    f"no Identity Center {kind} {assignment.text(kind)}"
                )
            with located(assignment):
                applications.assignments.create_application_assignment(
                    caller,
                    instance_id,
                    made.application.id,
                    Principal(kind.upper(), principal_id),
                )


def export_applications(
    session: Session, instance_id: str, user_names: dict, group_names: dict
) -> list[dict[str, Any]]:
    found = []
    stmt = (
        select(ApplicationInstance)
        .where(ApplicationInstance.instance_id == instance_id)
        .order_by(ApplicationInstance.seq)
    )
    for application in session.scalars(stmt):
        assigned = session.scalars(
            select(ApplicationAssignment)
            .where(ApplicationAssignment.application_instance_id == application.id)
            .order_by(ApplicationAssignment.seq)
        )
        entry: dict[str, Any] = {"name": application.name, "template_id": application.template_id}
        assignments = [
            {"user": user_names[a.principal_id]}
            if a.principal_type == "USER"
            else {"group": group_names[a.principal_id]}
            for a in assigned
        ]
        if assignments:
            entry["assignments"] = assignments
        found.append(entry)
    return found
