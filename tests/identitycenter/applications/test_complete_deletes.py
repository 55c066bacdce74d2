"""Deletes are complete: an application instance takes its profiles, assignments and
certificates with it; a user or group takes its application assignments with it (the identity
store's deletion hook, in the same transaction); deleting Identity Center takes everything."""

from __future__ import annotations

from huaweicloudsdkidentitycenter.v1 import model as ic
from sqlalchemy import func, select

from idplane.identitycenter.applications.tables import (
    ApplicationAssignment,
    ApplicationCertificate,
    ApplicationInstance,
    ApplicationProfile,
)
from tests.identitycenter.applications.support import (
    assign,
    assignments,
    create_group,
    create_instance,
    create_user,
    delete_group,
    delete_instance,
    delete_user,
    new_org,
)


def _rows(server, model, **where) -> int:
    with server.core.store.read() as session:
        stmt = select(func.count()).select_from(model)
        for column, value in where.items():
            stmt = stmt.where(getattr(model, column) == value)
        return session.scalar(stmt)


def test_deleting_an_application_instance_removes_its_profiles_assignments_and_certificates(org):
    app = create_instance(org).application_instance_id
    assign(org, app, create_user(org))
    assign(org, app, create_group(org), "GROUP")
    org.client().create_application_instance_certificate(
        ic.CreateApplicationInstanceCertificateRequest(
            instance_id=org.instance_id, application_instance_id=app
        )
    )
    server = org.server
    counts = [
        _rows(server, m, application_instance_id=app)
        for m in (ApplicationProfile, ApplicationAssignment, ApplicationCertificate)
    ]
    assert counts == [1, 2, 2]

    delete_instance(org, app)

    for model in (ApplicationProfile, ApplicationAssignment, ApplicationCertificate):
        assert _rows(server, model, application_instance_id=app) == 0
    assert _rows(server, ApplicationInstance, id=app) == 0


def test_deleting_a_user_removes_its_assignments_and_nothing_else(org):
    first, second = (
        create_instance(org).application_instance_id,
        create_instance(org).application_instance_id,
    )
    user, other, group = create_user(org), create_user(org), create_group(org)
    for app in (first, second):
        assign(org, app, user)
    assign(org, first, other)
    assign(org, first, group, "GROUP")

    delete_user(org, user)

    assert assignments(org, first) == [("USER", other), ("GROUP", group)]
    assert assignments(org, second) == []
    assert _rows(org.server, ApplicationAssignment, principal_id=user) == 0
    assert _rows(org.server, ApplicationProfile, application_instance_id=second) == 1


def test_deleting_a_group_removes_its_assignments(org):
    app = create_instance(org).application_instance_id
    group, user = create_group(org), create_user(org)
    assign(org, app, group, "GROUP")
    assign(org, app, user)

    delete_group(org, group)

    assert assignments(org, app) == [("USER", user)]
    assert _rows(org.server, ApplicationAssignment, principal_id=group) == 0


def test_deleting_identity_center_removes_every_application(server):
    fresh = new_org(server)
    app = create_instance(fresh).application_instance_id
    assign(fresh, app, create_user(fresh))

    fresh.client().delete_identity_center(ic.DeleteIdentityCenterRequest())

    for model, column in (
        (ApplicationInstance, "id"),
        (ApplicationProfile, "application_instance_id"),
        (ApplicationAssignment, "application_instance_id"),
        (ApplicationCertificate, "application_instance_id"),
    ):
        assert _rows(server, model, **{column: app}) == 0
