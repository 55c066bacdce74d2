"""Application assignments through the official SDK: users and groups of the instance's
identity store assigned to an application, listed per application and per principal (a user's
list includes its groups' assignments), the assignment configuration."""

from __future__ import annotations

import uuid

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.applications.support import (
    Recorder,
    add_member,
    assign,
    assignments,
    assignments_for,
    center,
    create_group,
    create_instance,
    create_user,
    error_of,
    new_org,
    unassign,
)


@pytest.fixture(scope="module")
def other(server):
    return new_org(server)


def test_assigning_a_user_answers_201_with_no_body(org):
    app = create_instance(org)
    user = create_user(org)
    recorder = Recorder()
    assign(
        org, app.application_instance_id, user, client=center(org.server, org.management, recorder)
    )
    assert (recorder.last.status_code, recorder.last.content) == (201, b"")
    [listed] = (
        org.client()
        .list_application_assignments(
            ic.ListApplicationAssignmentsRequest(
                instance_id=org.instance_id, application_instance_id=app.application_instance_id
            )
        )
        .application_assignments
    )
    assert (listed.principal_type, listed.principal_id) == ("USER", user)
    assert listed.application_urn == (
        f"IdentityCenter::{org.management.account_id}:application:"
        f"{org.instance_id}/{app.application_instance_id}"
    )


def test_users_and_groups_are_listed_per_application_and_paged(org):
    app = create_instance(org).application_instance_id
    principals = [("USER", create_user(org)) for _ in range(2)] + [
        ("GROUP", create_group(org)) for _ in range(2)
    ]
    for kind, principal in principals:
        assign(org, app, principal, kind)
    request = ic.ListApplicationAssignmentsRequest(
        instance_id=org.instance_id, application_instance_id=app, limit=3
    )
    first = org.client().list_application_assignments(request)
    assert len(first.application_assignments) == 3 and first.page_info.next_marker
    assert assignments(org, app) == principals


def test_assigning_the_same_principal_twice_is_a_409(org):
    app = create_instance(org).application_instance_id
    user = create_user(org)
    assign(org, app, user)
    error = error_of(lambda: assign(org, app, user))
    assert (error.status_code, error.error_code) == (409, "IIC.1257")
    assert assignments(org, app) == [("USER", user)]


def test_a_principal_that_does_not_exist_is_a_404(org, other):
    app = create_instance(org).application_instance_id
    theirs = create_user(other)
    for principal_id, kind in (
        (str(uuid.uuid4()), "USER"),
        (str(uuid.uuid4()), "GROUP"),
        (theirs, "USER"),
    ):
        error = error_of(lambda p=principal_id, k=kind: assign(org, app, p, k))
        assert (error.status_code, error.error_code) == (404, "IIC.404")
    # A user id given as a group is no group of the store either.
    error = error_of(lambda: assign(org, app, create_user(org), "GROUP"))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    assert assignments(org, app) == []


@pytest.mark.parametrize(
    "principal_type, principal_id", [("ROLE", "x"), ("user", "x"), ("USER", ""), ("USER", "x" * 65)]
)
def test_a_malformed_principal_is_a_400(org, principal_type, principal_id):
    app = create_instance(org).application_instance_id
    error = error_of(lambda: assign(org, app, principal_id, principal_type))
    assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_unassigning_removes_only_that_assignment(org):
    app = create_instance(org).application_instance_id
    user, group = create_user(org), create_group(org)
    assign(org, app, user)
    assign(org, app, group, "GROUP")
    recorder = Recorder()
    unassign(org, app, user, client=center(org.server, org.management, recorder))
    assert (recorder.last.status_code, recorder.last.content) == (200, b"")
    assert assignments(org, app) == [("GROUP", group)]
    error = error_of(lambda: unassign(org, app, user))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_a_users_assignments_include_those_of_its_groups(org):
    direct, via_group, unrelated = (create_instance(org).application_instance_id for _ in range(3))
    user, group, other_user = create_user(org), create_group(org), create_user(org)
    add_member(org, group, user)
    assign(org, direct, user)
    assign(org, via_group, group, "GROUP")
    assign(org, unrelated, other_user)

    found = {
        (a.application_urn.rsplit("/", 1)[1], a.principal_type, a.principal_id)
        for a in assignments_for(org, user)
    }

    assert found == {(direct, "USER", user), (via_group, "GROUP", group)}
    assert [(a.principal_type, a.principal_id) for a in assignments_for(org, group, "GROUP")] == [
        ("GROUP", group)
    ]


def test_listing_for_a_principal_is_paged(org):
    user = create_user(org)
    apps = [create_instance(org).application_instance_id for _ in range(3)]
    for app in apps:
        assign(org, app, user)
    client, seen, marker = org.client(), [], None
    while True:
        request = ic.ListApplicationAssignmentsForPrincipalRequest(
            instance_id=org.instance_id,
            principal_id=user,
            principal_type="USER",
            limit=2,
            marker=marker,
        )
        response = client.list_application_assignments_for_principal(request)
        seen += [a.application_urn.rsplit("/", 1)[1] for a in response.application_assignments]
        marker = response.page_info.next_marker
        if not marker:
            break
    assert seen == apps


def test_listing_for_an_unknown_principal_is_a_404(org):
    error = error_of(lambda: assignments_for(org, str(uuid.uuid4())))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_assignment_is_required_for_every_application(org):
    app = create_instance(org).application_instance_id
    request = ic.GetApplicationAssignmentConfigurationRequest(
        instance_id=org.instance_id, application_instance_id=app
    )
    assert (
        org.client().get_application_assignment_configuration(request).assignment_required is True
    )


def test_the_delegated_administrator_assigns_and_lists(org):
    delegate = org.client(org.delegate)
    app = create_instance(org, client=delegate).application_instance_id
    user = create_user(org)
    assign(org, app, user, client=delegate)
    assert assignments(org, app, client=delegate) == [("USER", user)]
