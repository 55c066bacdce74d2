"""Builders for the application tests: an organization with Identity Center (its instance,
identity store and a delegated administrator), the official Identity Center client (which can
keep the raw HTTP responses), users and groups made through the Identity Store client, and
shortcuts for application instances, assignments and profiles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkidentitycenter.v1 import IdentityCenterClient
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as st

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.org_personas import identity_center_with_delegate

CUSTOM_SAML_APP = "app-5a31c0e4d2f87b19"
CUSTOM_SAML_TEMPLATE = "tpl-0c6f2b8e41a9d735"
SLACK_TEMPLATE = "tpl-7e5c14a9b06f2d83"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


@dataclass
class Recorder:
    """Keeps the HTTP responses the SDK received (before it parsed or raised)."""

    responses: list[requests.Response] = field(default_factory=list)

    def __call__(self, **kwargs: Any) -> None:
        self.responses.append(kwargs["response"])

    @property
    def last(self) -> requests.Response:
        return self.responses[-1]


def center(server, creds: AccountCredentials, recorder: Recorder | None = None, **kwargs):
    """The official Identity Center client (GlobalCredentials), optionally recording."""
    builder = (
        IdentityCenterClient.new_builder()
        .with_credentials(clients.global_credentials(creds, **kwargs))
        .with_endpoints([server.url])
        .with_http_config(clients.http_config())
    )
    if recorder is not None:
        builder = builder.with_http_handler(HttpHandler().add_response_handler(recorder))
    return builder.build()


@dataclass
class Org:
    """An organization with Identity Center started, seen from its management account."""

    server: Any
    management: AccountCredentials
    delegate: AccountCredentials
    instance_id: str
    identity_store_id: str

    def client(self, creds: AccountCredentials | None = None, **kwargs):
        return center(self.server, creds or self.management, **kwargs)

    def store_client(self, creds: AccountCredentials | None = None):
        return clients.identitystore(self.server.url, creds or self.management)


def new_org(server) -> Org:
    management, delegate = identity_center_with_delegate(server)
    instance = (
        clients.identitycenter(server.url, management)
        .list_instances(ic.ListInstancesRequest())
        .instances[0]
    )
    return Org(server, management, delegate, instance.instance_id, instance.identity_store_id)


def unique(prefix: str = "app") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_instance(
    org: Org, template_id: str = CUSTOM_SAML_TEMPLATE, name: str | None = None, client=None
):
    client = client or org.client()
    body = ic.CreateApplicationInstanceReqBody(name=name or unique(), template_id=template_id)
    request = ic.CreateApplicationInstanceRequest(instance_id=org.instance_id, body=body)
    return client.create_application_instance(request).application_instance


def get_instance(org: Org, application_instance_id: str, client=None):
    request = ic.GetApplicationInstanceRequest(
        instance_id=org.instance_id, application_instance_id=application_instance_id
    )
    return (client or org.client()).get_application_instance(request).application_instance


def delete_instance(org: Org, application_instance_id: str, client=None):
    request = ic.DeleteApplicationInstanceRequest(
        instance_id=org.instance_id, application_instance_id=application_instance_id
    )
    return (client or org.client()).delete_application_instance(request)


def create_user(org: Org) -> str:
    name = unique("user")
    body = st.CreateUserReqBody(
        user_name=name,
        display_name=f"Display {name}",
        name=st.NameDto(family_name="Doe", given_name="Jane"),
        emails=[st.EmailDto(primary=True, type="work", value=f"{name}@example.com")],
        password_mode="EMAIL",
    )
    request = st.CreateUserRequest(identity_store_id=org.identity_store_id, body=body)
    return org.store_client().create_user(request).user_id


def create_group(org: Org) -> str:
    body = st.CreateGroupReqBody(display_name=unique("group"))
    request = st.CreateGroupRequest(identity_store_id=org.identity_store_id, body=body)
    return org.store_client().create_group(request).group_id


def add_member(org: Org, group_id: str, user_id: str) -> None:
    body = st.CreateGroupMembershipReqBody(
        group_id=group_id, member_id=st.MemberIdDto(user_id=user_id)
    )
    request = st.CreateGroupMembershipRequest(identity_store_id=org.identity_store_id, body=body)
    org.store_client().create_group_membership(request)


def delete_user(org: Org, user_id: str) -> None:
    request = st.DeleteUserRequest(identity_store_id=org.identity_store_id, user_id=user_id)
    org.store_client().delete_user(request)


def delete_group(org: Org, group_id: str) -> None:
    request = st.DeleteGroupRequest(identity_store_id=org.identity_store_id, group_id=group_id)
    org.store_client().delete_group(request)


def assign(
    org: Org, application_instance_id: str, principal_id: str, principal_type="USER", client=None
):
    body = ic.CreateApplicationAssignmentReqBody(
        principal_id=principal_id, principal_type=principal_type
    )
    request = ic.CreateApplicationAssignmentRequest(
        instance_id=org.instance_id, application_instance_id=application_instance_id, body=body
    )
    return (client or org.client()).create_application_assignment(request)


def unassign(
    org: Org, application_instance_id: str, principal_id: str, principal_type="USER", client=None
):
    body = ic.DeleteApplicationAssignmentReqBody(
        principal_id=principal_id, principal_type=principal_type
    )
    request = ic.DeleteApplicationAssignmentRequest(
        instance_id=org.instance_id, application_instance_id=application_instance_id, body=body
    )
    return (client or org.client()).delete_application_assignment(request)


def assignments(org: Org, application_instance_id: str, client=None) -> list[tuple[str, str]]:
    """(principal_type, principal_id) of every assignment of the application, all pages."""
    client = client or org.client()
    found, marker = [], None
    while True:
        request = ic.ListApplicationAssignmentsRequest(
            instance_id=org.instance_id,
            application_instance_id=application_instance_id,
            marker=marker,
        )
        response = client.list_application_assignments(request)
        found += [(a.principal_type, a.principal_id) for a in response.application_assignments]
        marker = response.page_info.next_marker
        if not marker:
            return found


def assignments_for(org: Org, principal_id: str, principal_type: str = "USER", client=None) -> list:
    request = ic.ListApplicationAssignmentsForPrincipalRequest(
        instance_id=org.instance_id, principal_id=principal_id, principal_type=principal_type
    )
    return (
        (client or org.client())
        .list_application_assignments_for_principal(request)
        .application_assignments
    )


def profiles(org: Org, application_instance_id: str, client=None) -> list:
    request = ic.ListProfilesRequest(
        instance_id=org.instance_id, application_instance_id=application_instance_id
    )
    return (client or org.client()).list_profiles(request).application_profiles


def delete_profile(
    org: Org, application_instance_id: str, profile_id: str, client=None, instance_id=None
):
    request = ic.DeleteProfileRequest(
        instance_id=instance_id or org.instance_id,
        application_instance_id=application_instance_id,
        profile_id=profile_id,
    )
    return (client or org.client()).delete_profile(request)


def create_certificate(org, app, client=None):
    request = ic.CreateApplicationInstanceCertificateRequest(
        instance_id=org.instance_id, application_instance_id=app
    )
    return (
        (client or org.client())
        .create_application_instance_certificate(request)
        .application_instance_certificate
    )


def certificates(org, app, **kwargs):
    request = ic.ListApplicationInstanceCertificatesRequest(
        instance_id=org.instance_id, application_instance_id=app, **kwargs
    )
    return org.client().list_application_instance_certificates(request)


def activate(org, app, certificate_id):
    request = ic.UpdateApplicationInstanceActiveCertificateRequest(
        instance_id=org.instance_id, application_instance_id=app, certificate_id=certificate_id
    )
    return (
        org.client()
        .update_application_instance_active_certificate(request)
        .application_instance_certificate
    )


def delete_certificate(org, app, certificate_id, client=None):
    request = ic.DeleteApplicationInstanceCertificateRequest(
        instance_id=org.instance_id, application_instance_id=app, certificate_id=certificate_id
    )
    return (client or org.client()).delete_application_instance_certificate(request)


def statuses(org, app) -> dict[str, str]:
    return {
        c.certificate_id: c.status for c in certificates(org, app).application_instance_certificates
    }


def error_of(call) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    return raised.value


def outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return "ok"


def assert_envelope(response: requests.Response, status: int, code: str) -> dict:
    """The raw body is the Identity Center error envelope, and nothing else."""
    assert response.status_code == status
    body = response.json()
    expected = {"error_code", "error_msg", "request_id"}
    if status == 403:
        expected.add("encoded_authorization_message")
        assert body["encoded_authorization_message"]
    assert set(body) == expected
    assert body["error_code"] == code
    assert body["error_msg"]
    assert body["request_id"] == response.headers["X-Request-Id"]
    return body
