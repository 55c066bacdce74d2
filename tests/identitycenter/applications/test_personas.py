"""Who may do what with applications: every account-level persona (management account,
delegated administrator, member, outsider, temporary and expired credentials, IAM user without
policy) and IAM users with the IdentityCenter system roles, against reads and writes of each
family (catalog, instances, certificates, profiles, assignments)."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.applications.support import (
    CUSTOM_SAML_APP,
    Org,
    create_instance,
    create_user,
    outcome,
    profiles,
    unique,
)
from tests.org_personas import Persona, personas
from tests.personas import iam_user_with_policy, iam_user_with_roles

OK = "ok"
NOT_ADMIN = (403, "IIC.1215")
EXPIRED = (401, "APIGW.0301")
POLICY_DENIED = (403, "IIC.1000")
DENY_PROFILE_DELETE = [{"Effect": "Deny", "Action": ["IdentityCenter:application:deleteProfile"]}]


@pytest.fixture(scope="module")
def cast(server):
    cast = personas(server)
    management = cast["management"].creds
    full, read_only = ["IdentityCenter FullAccess"], ["IdentityCenter ReadOnlyAccess"]
    cast["iam_full"] = Persona("iam_full", iam_user_with_roles(server, management, full))
    cast["iam_read_only"] = Persona(
        "iam_read_only", iam_user_with_roles(server, management, read_only)
    )
    cast["iam_full_but_profiles"] = Persona(
        "iam_full_but_profiles", iam_user_with_policy(server, management, DENY_PROFILE_DELETE, full)
    )
    instance = (
        cast["management"]
        .identitycenter(server)
        .list_instances(ic.ListInstancesRequest())
        .instances[0]
    )
    org = Org(
        server, management, cast["delegate"].creds, instance.instance_id, instance.identity_store_id
    )
    cast["org"] = org
    cast["app"] = create_instance(org).application_instance_id
    return cast


def _ids(cast):
    return {"instance_id": cast["org"].instance_id, "application_instance_id": cast["app"]}


def _catalog(client, cast):
    client.list_catalog_applications(ic.ListCatalogApplicationsRequest())
    client.list_application_templates(
        ic.ListApplicationTemplatesRequest(application_id=CUSTOM_SAML_APP)
    )


def _read_instance(client, cast):
    client.get_application_instance(ic.GetApplicationInstanceRequest(**_ids(cast)))
    client.list_applications(ic.ListApplicationsRequest(instance_id=cast["org"].instance_id))


def _create_instance(client, cast):
    create_instance(cast["org"], name=unique(), client=client)


def _update_display(client, cast):
    body = ic.UpdateApplicationInstanceDisplayDataReqBody(description="d", display_name=unique())
    client.update_application_instance_display_data(
        ic.UpdateApplicationInstanceDisplayDataRequest(**_ids(cast), body=body)
    )


def _list_certificates(client, cast):
    client.list_application_instance_certificates(
        ic.ListApplicationInstanceCertificatesRequest(**_ids(cast))
    )


def _list_profiles(client, cast):
    client.list_profiles(ic.ListProfilesRequest(**_ids(cast)))


def _delete_profile(client, cast):
    """On an application of its own, so every persona that may delete has a profile to delete."""
    app = create_instance(cast["org"]).application_instance_id
    profile_id = profiles(cast["org"], app)[0].profile_id
    request = ic.DeleteProfileRequest(
        instance_id=cast["org"].instance_id, application_instance_id=app, profile_id=profile_id
    )
    client.delete_profile(request)


def _assign(client, cast):
    body = ic.CreateApplicationAssignmentReqBody(
        principal_id=create_user(cast["org"]), principal_type="USER"
    )
    client.create_application_assignment(
        ic.CreateApplicationAssignmentRequest(**_ids(cast), body=body)
    )


def _list_assignments(client, cast):
    client.list_application_assignments(ic.ListApplicationAssignmentsRequest(**_ids(cast)))
    client.get_application_assignment_configuration(
        ic.GetApplicationAssignmentConfigurationRequest(**_ids(cast))
    )


def _expect(read=OK, write=OK, **overrides):
    expected = {
        "management": write,
        "temporary": write,
        "delegate": write,
        "member": NOT_ADMIN,
        "outsider": NOT_ADMIN,
        "expired": EXPIRED,
        "iam_user": POLICY_DENIED,
        "iam_full": OK,
        "iam_read_only": read,
        "iam_full_but_profiles": OK,
    }
    expected.update(overrides)
    return expected


WRITE = _expect(read=POLICY_DENIED)
READ = _expect()
MATRIX = {
    "catalog": (_catalog, READ),
    "read_instance": (_read_instance, READ),
    "create_instance": (_create_instance, WRITE),
    "update_display_data": (_update_display, WRITE),
    "list_certificates": (_list_certificates, READ),
    "list_profiles": (_list_profiles, READ),
    "delete_profile": (
        _delete_profile,
        _expect(read=POLICY_DENIED, iam_full_but_profiles=POLICY_DENIED),
    ),
    "create_assignment": (_assign, WRITE),
    "list_assignments": (_list_assignments, READ),
}
CASES = [(op, who) for op, (_call, expected) in MATRIX.items() for who in expected]


@pytest.mark.parametrize(("operation", "persona"), CASES, ids=[f"{o}-{p}" for o, p in CASES])
def test_persona_matrix(server, cast, operation, persona) -> None:
    call, expected = MATRIX[operation]
    client = cast[persona].identitycenter(server)
    assert outcome(lambda: call(client, cast)) == expected[persona]
