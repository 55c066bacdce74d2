"""Builders for organization trees, policies and invitations through the official SDK."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import model as org

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.org_personas import create_member, create_organization, unique_name

SCP = "service_control_policy"


def error(call) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    return raised.value


def root_id(client) -> str:
    return client.list_roots(org.ListRootsRequest()).roots[0].id


def create_unit(client, parent_id: str, name: str | None = None, tags=None) -> str:
    body = org.CreateOrganizationalUnitReqBody(
        name=name or unique_name("ou"), parent_id=parent_id, tags=tags
    )
    request = org.CreateOrganizationalUnitRequest(body=body)
    return client.create_organizational_unit(request).organizational_unit.id


def move(client, account_id: str, source: str, destination: str) -> None:
    body = org.MoveAccountReqBody(source_parent_id=source, destination_parent_id=destination)
    client.move_account(org.MoveAccountRequest(account_id=account_id, body=body))


@dataclass
class Tree:
    """root -> top -> middle -> bottom, `inside` in bottom, `outside` under the root."""

    management: AccountCredentials
    client: object
    root: str
    top: str
    middle: str
    bottom: str
    inside: AccountCredentials
    outside: AccountCredentials


def three_level_tree(server) -> Tree:
    management = server.new_account("mgmt")
    create_organization(server, management)
    client = clients.organizations(server.url, management)
    root = root_id(client)
    top = create_unit(client, root)
    middle = create_unit(client, top)
    bottom = create_unit(client, middle)
    inside = create_member(server, management, "inside")
    outside = create_member(server, management, "outside")
    move(client, inside.account_id, root, bottom)
    return Tree(management, client, root, top, middle, bottom, inside, outside)


def enable_scps(client, root: str) -> org.RootDto:
    body = org.PolicyTypeReqBody(policy_type=SCP, root_id=root)
    return client.enable_policy_type(org.EnablePolicyTypeRequest(body=body)).root


def scp(statements: list[dict]) -> str:
    return json.dumps({"Version": "5.0", "Statement": statements})


def create_policy(client, content: str, name: str | None = None, type_: str = SCP) -> str:
    body = org.CreatePolicyReqBody(
        content=content, description="test policy", name=name or unique_name("scp"), type=type_
    )
    return client.create_policy(org.CreatePolicyRequest(body=body)).policy.policy_summary.id


def attach(client, policy_id: str, entity_id: str) -> None:
    body = org.PolicyTachReqBody(entity_id=entity_id)
    client.attach_policy(org.AttachPolicyRequest(policy_id=policy_id, body=body))


def detach(client, policy_id: str, entity_id: str) -> None:
    body = org.PolicyTachReqBody(entity_id=entity_id)
    client.detach_policy(org.DetachPolicyRequest(policy_id=policy_id, body=body))
