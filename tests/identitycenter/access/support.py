"""Builders for the Identity Center access tests: an organization with Identity Center started
(management account, delegated administrator, two more member accounts), SDK clients that can
keep the raw HTTP response, and shortcuts for permission sets, principals and assignments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkidentitycenter.v1 import IdentityCenterClient
from huaweicloudsdkidentitycenter.v1 import model as ic

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.identitystore import builders
from tests.identitystore.provisioning.support import Recorder
from tests.org_personas import create_member, identity_center_with_delegate

__all__ = ["Recorder"]


@dataclass
class Org:
    """An organization with Identity Center started, seen from its management account."""

    server: Any
    management: AccountCredentials
    delegate: AccountCredentials
    accounts: list[AccountCredentials]  # two plain member accounts: assignment targets
    instance_id: str
    identity_store_id: str

    def ic(self, creds: AccountCredentials | None = None, recorder: Recorder | None = None):
        return ic_client(self.server, creds or self.management, recorder)

    @property
    def directory(self) -> builders.Directory:
        return builders.Directory(
            self.server, self.management, self.delegate, self.identity_store_id, self.instance_id
        )

    def user(self) -> str:
        return builders.create_user(self.directory)

    def group(self) -> str:
        return builders.create_group(self.directory)


def ic_client(server, creds: AccountCredentials, recorder: Recorder | None = None, **kw):
    """The official Identity Center client (GlobalCredentials), optionally recording."""
    builder = (
        IdentityCenterClient.new_builder()
        .with_credentials(clients.global_credentials(creds, **kw))
        .with_endpoints([server.url])
        .with_http_config(clients.http_config())
    )
    if recorder is not None:
        builder = builder.with_http_handler(HttpHandler().add_response_handler(recorder))
    return builder.build()


def new_org(server) -> Org:
    management, delegate = identity_center_with_delegate(server)
    accounts = [create_member(server, management, "target") for _ in range(2)]
    instance = clients.identitycenter(server.url, management).list_instances(
        ic.ListInstancesRequest()
    )
    first = instance.instances[0]
    return Org(server, management, delegate, accounts, first.instance_id, first.identity_store_id)


def unique(prefix: str = "ps") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def create_permission_set(client, instance_id: str, name: str | None = None, **fields):
    body = ic.CreatePermissionSetReqBody(name=name or unique(), **fields)
    request = ic.CreatePermissionSetRequest(instance_id=instance_id, body=body)
    return client.create_permission_set(request).permission_set


def assignment_body(ps_id: str, principal_type: str, principal_id: str, account_id: str):
    return {
        "permission_set_id": ps_id,
        "principal_type": principal_type,
        "principal_id": principal_id,
        "target_id": account_id,
        "target_type": "ACCOUNT",
    }


def assign(client, instance_id: str, ps_id, principal_type, principal_id, account_id):
    body = ic.CreateAccountAssignmentReqBody(
        **assignment_body(ps_id, principal_type, principal_id, account_id)
    )
    request = ic.CreateAccountAssignmentRequest(instance_id=instance_id, body=body)
    return client.create_account_assignment(request).account_assignment_creation_status


def unassign(client, instance_id: str, ps_id, principal_type, principal_id, account_id):
    body = ic.DeleteAccountAssignmentReqBody(
        **assignment_body(ps_id, principal_type, principal_id, account_id)
    )
    request = ic.DeleteAccountAssignmentRequest(instance_id=instance_id, body=body)
    return client.delete_account_assignment(request).account_assignment_deletion_status


def for_principal(client, instance_id: str, principal_type: str, principal_id: str, **kw):
    request = ic.ListAccountAssignmentsForPrincipalRequest(
        instance_id=instance_id, principal_type=principal_type, principal_id=principal_id, **kw
    )
    return client.list_account_assignments_for_principal(request)


def all_for_principal(client, instance_id: str, principal_type: str, principal_id: str):
    """Every assignment of the principal, following the pages."""
    found, marker = [], None
    while True:
        page = for_principal(client, instance_id, principal_type, principal_id, marker=marker)
        found.extend(page.account_assignments or [])
        marker = page.page_info.next_marker
        if not marker:
            return found


def for_account(client, instance_id: str, account_id: str, **kw):
    request = ic.ListAccountAssignmentsRequest(instance_id=instance_id, account_id=account_id, **kw)
    return client.list_account_assignments(request)


def disassociate(client, instance_id: str, body: dict):
    request = ic.DisassociateProfileRequest(
        instance_id=instance_id, body=ic.DisassociateProfileReqBody(**body)
    )
    return client.disassociate_profile(request)


def deletion_statuses(client, instance_id: str, **kw) -> list:
    found, marker = [], None
    while True:
        page = client.list_account_assignment_deletion_status(
            ic.ListAccountAssignmentDeletionStatusRequest(
                instance_id=instance_id, marker=marker, **kw
            )
        )
        found.extend(page.account_assignments_deletion_status or [])
        marker = page.page_info.next_marker
        if not marker:
            return found


def failure(call) -> tuple[int, str]:
    """(status, error_code) of a call that must fail."""
    try:
        call()
    except ClientRequestException as error:
        return error.status_code, error.error_code
    raise AssertionError("the call succeeded")


def outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return "ok"


def assert_envelope(response, status: int, code: str) -> dict:
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
