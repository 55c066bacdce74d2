"""Tags on the root, units, accounts and policies, and the resource-instance queries."""

from __future__ import annotations

import pytest
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_organization
from tests.organizations.tree_support import create_policy, create_unit, error, root_id, scp


def _tags(client, resource_id: str) -> dict[str, str]:
    request = org.ListTagsForResourceRequest(resource_id=resource_id)
    return {t.key: t.value for t in client.list_tags_for_resource(request).tags}


def _tag(client, resource_id: str, **tags: str) -> None:
    body = org.TagResourceReqBody(tags=[org.TagDto(key=k, value=v) for k, v in tags.items()])
    client.tag_resource(org.TagResourceRequest(resource_id=resource_id, body=body))


@pytest.fixture
def setup(server, account):
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    return client, root_id(client)


def test_the_root_units_accounts_and_policies_take_tags(setup, account) -> None:
    client, root = setup
    unit = create_unit(client, root, tags=[org.TagDto(key="team", value="a")])
    policy = create_policy(client, scp([{"Effect": "Deny", "Action": ["iam:users:delete*"]}]))
    for resource in (root, unit, account.account_id, policy):
        _tag(client, resource, env="prod")
    assert _tags(client, unit) == {"team": "a", "env": "prod"}
    assert _tags(client, policy) == {"env": "prod"}
    body = org.UntagResourceReqBody(tag_keys=["env"])
    client.untag_resource(org.UntagResourceRequest(resource_id=unit, body=body))
    assert _tags(client, unit) == {"team": "a"}


def test_tagging_again_overwrites_a_value(setup) -> None:
    client, root = setup
    _tag(client, root, env="dev")
    _tag(client, root, env="prod")
    assert _tags(client, root) == {"env": "prod"}


@pytest.mark.parametrize(
    "key,value",
    [
        ("", "v"),
        ("_sys_key", "v"),
        ("k" * 129, "v"),
        ("bad*key", "v"),
        ("k", "v" * 256),
        (" lead", "v"),
    ],
    ids=["empty-key", "sys-prefix", "long-key", "bad-char", "long-value", "leading-space"],
)
def test_tags_break_no_documented_rule(setup, key: str, value: str) -> None:
    client, root = setup
    raised = error(lambda: _tag(client, root, **{key: value}))
    assert raised.status_code == 400


def test_a_resource_holds_at_most_twenty_tags(setup) -> None:
    client, root = setup
    _tag(client, root, **{f"k{n}": "v" for n in range(20)})
    raised = error(lambda: _tag(client, root, extra="v"))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1601")


def test_the_tms_style_family_reads_and_writes_the_same_tags(setup) -> None:
    client, root = setup
    unit = create_unit(client, root, name="payments")
    create_unit(client, root, name="untagged")
    body = org.TagResourceReqBody(tags=[org.TagDto(key="cost", value="42")])
    client.create_tag_resource(
        org.CreateTagResourceRequest(resource_type="organizations:ous", resource_id=unit, body=body)
    )
    listed = client.list_tag_resources(
        org.ListTagResourcesRequest(resource_type="organizations:ous", resource_id=unit)
    ).tags
    assert [(t.key, t.value) for t in listed] == [("cost", "42")]
    keys = client.list_resource_tags(org.ListResourceTagsRequest(resource_type="organizations:ous"))
    assert [(t.key, t.values) for t in keys.tags] == [("cost", ["42"])]
    query = org.ResourceInstanceReqBody(tags=[org.TagsDTO(key="cost", values=["42"])])
    found = client.list_resource_instances(
        org.ListResourceInstancesRequest(resource_type="organizations:ous", body=query)
    )
    assert ([r.resource_id for r in found.resources], found.total_count) == ([unit], 1)
    bare = org.ResourceInstanceReqBody(without_any_tag=True)
    count = client.show_resource_instances_count(
        org.ShowResourceInstancesCountRequest(resource_type="organizations:ous", body=bare)
    )
    assert count.total_count == 1
    client.delete_tag_resource(
        org.DeleteTagResourceRequest(resource_type="organizations:ous", resource_id=unit, body=body)
    )
    assert _tags(client, unit) == {}


def test_a_resource_of_another_type_or_organization_is_not_found(setup, server) -> None:
    client, root = setup
    raised = error(
        lambda: client.list_tag_resources(
            org.ListTagResourcesRequest(resource_type="organizations:ous", resource_id=root)
        )
    )
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1602")
    other = server.new_account("other")
    create_organization(server, other)
    raised = error(lambda: _tags(clients.organizations(server.url, other), root))
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1602")
