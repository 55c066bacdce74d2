"""Builders for the Identity Store tests: an organization with Identity Center started (its
identity store and a delegated administrator), SDK clients for it, and users/groups made
through the SDK with unique names."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.org_personas import identity_center_with_delegate


@dataclass
class Directory:
    """An organization with Identity Center started, seen from its management account."""

    server: Any
    management: AccountCredentials
    delegate: AccountCredentials
    identity_store_id: str
    instance_id: str

    def client(self, creds: AccountCredentials | None = None, **kwargs: Any):
        return clients.identitystore(self.server.url, creds or self.management, **kwargs)


def new_directory(server) -> Directory:
    management, delegate = identity_center_with_delegate(server)
    instance = (
        clients.identitycenter(server.url, management)
        .list_instances(ic.ListInstancesRequest())
        .instances[0]
    )
    return Directory(server, management, delegate, instance.identity_store_id, instance.instance_id)


def unique(prefix: str = "u") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def user_body(user_name: str | None = None, **overrides: Any) -> ids.CreateUserReqBody:
    name = user_name or unique("user")
    fields: dict[str, Any] = {
        "user_name": name,
        "display_name": f"Display {name}",
        "name": ids.NameDto(family_name="Doe", given_name="Jane"),
        "emails": [ids.EmailDto(primary=True, type="work", value=f"{name}@example.com")],
        "password_mode": "EMAIL",
    }
    fields.update(overrides)
    return ids.CreateUserReqBody(**fields)


def create_user(directory: Directory, client=None, **overrides: Any) -> str:
    client = client or directory.client()
    request = ids.CreateUserRequest(
        identity_store_id=directory.identity_store_id, body=user_body(**overrides)
    )
    return client.create_user(request).user_id


def create_group(directory: Directory, client=None, display_name: str | None = None, **kw) -> str:
    client = client or directory.client()
    body = ids.CreateGroupReqBody(display_name=display_name or unique("group"), **kw)
    request = ids.CreateGroupRequest(identity_store_id=directory.identity_store_id, body=body)
    return client.create_group(request).group_id


def add_member(directory: Directory, group_id: str, user_id: str, client=None) -> str:
    client = client or directory.client()
    body = ids.CreateGroupMembershipReqBody(
        group_id=group_id, member_id=ids.MemberIdDto(user_id=user_id)
    )
    request = ids.CreateGroupMembershipRequest(
        identity_store_id=directory.identity_store_id, body=body
    )
    return client.create_group_membership(request).membership_id


def describe_user(directory: Directory, user_id: str, client=None):
    client = client or directory.client()
    return client.describe_user(
        ids.DescribeUserRequest(identity_store_id=directory.identity_store_id, user_id=user_id)
    )


def update_user(directory: Directory, user_id: str, *operations: tuple[str, str | None]):
    body = ids.UpdateUserReqBody(
        operations=[
            ids.AttributeOperationDto(attribute_path=path, attribute_value=value)
            for path, value in operations
        ]
    )
    request = ids.UpdateUserRequest(
        identity_store_id=directory.identity_store_id, user_id=user_id, body=body
    )
    return directory.client().update_user(request)


def failure(call: Callable[[], Any]) -> tuple[int, str]:
    """(status, error_code) of a call that must fail."""
    try:
        call()
    except ClientRequestException as error:
        return error.status_code, error.error_code
    raise AssertionError("the call succeeded")


def failure_message(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientRequestException as error:
        return error.error_msg
    raise AssertionError("the call succeeded")


def plain(model: Any) -> Any:
    """An SDK model as plain data. (`to_dict()` masks the fields the SDK marks sensitive, which
    would make two different names compare equal.)"""
    if isinstance(model, list):
        return [plain(item) for item in model]
    if hasattr(model, "openapi_types"):
        return {
            key: plain(getattr(model, key))
            for key in model.openapi_types
            if getattr(model, key) is not None
        }
    return model
