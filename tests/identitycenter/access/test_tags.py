"""Tags on permission sets through the official SDK (`/v1/instances/{resource_type}/
{resource_id}/tags`, resource type `identitycenter:permissionset`)."""

from __future__ import annotations

from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.access.support import create_permission_set, failure
from tests.identitystore.provisioning.support import another_store

TYPE = "identitycenter:permissionset"


def _create(client, ps_id, tags, resource_type=TYPE):
    body = ic.TagResourceReqBody(tags=[ic.TagDto(key=k, value=v) for k, v in tags.items()])
    return client.create_tag_resource(
        ic.CreateTagResourceRequest(resource_type=resource_type, resource_id=ps_id, body=body)
    )


def _delete(client, ps_id, tags: dict):
    body = ic.DeleteTagResourceReqBody(
        tags=[ic.DeleteTagDto(key=k, value=v) for k, v in tags.items()]
    )
    return client.delete_tag_resource(
        ic.DeleteTagResourceRequest(resource_type=TYPE, resource_id=ps_id, body=body)
    )


def _tags(client, ps_id, **kw) -> dict:
    found, marker = {}, None
    while True:
        page = client.list_tag_resources(
            ic.ListTagResourcesRequest(resource_type=TYPE, resource_id=ps_id, marker=marker, **kw)
        )
        found.update({tag.key: tag.value for tag in page.tags})
        marker = page.page_info.next_marker
        if not marker:
            return found


def test_tags_given_at_creation_are_listed(server, org) -> None:
    client = org.ic()
    tags = [ic.TagDto(key="team", value="db"), ic.TagDto(key="env", value="prod")]
    ps = create_permission_set(client, org.instance_id, tags=tags)
    assert _tags(client, ps.permission_set_id) == {"team": "db", "env": "prod"}


def test_tags_are_added_overwritten_deleted_and_paged(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    _create(client, ps, {"a": "1", "b": "2", "c": "3"})
    _create(client, ps, {"a": "one", "d": ""})
    assert _tags(client, ps, limit=2) == {"a": "one", "b": "2", "c": "3", "d": ""}
    _delete(client, ps, {"a": None, "b": "not-its-value", "zzz": None})
    assert _tags(client, ps) == {"b": "2", "c": "3", "d": ""}
    _delete(client, ps, {"b": "2"})
    assert _tags(client, ps) == {"c": "3", "d": ""}


def test_a_permission_set_holds_at_most_20_tags(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    _create(client, ps, {f"k{n}": "v" for n in range(19)})
    assert failure(lambda: _create(client, ps, {"x": "1", "y": "2"})) == (400, "IIC.400")
    _create(client, ps, {"x": "1", "k0": "changed"})  # 20 with an overwrite
    assert len(_tags(client, ps)) == 20


def test_bad_tag_requests_are_refused(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    assert failure(lambda: _create(client, ps, {"a": "1"}, "identitycenter:instance")) == (
        400,
        "IIC.400",
    )
    assert failure(lambda: _create(client, ps, {"k" * 129: "1"})) == (400, "IIC.400")
    assert failure(lambda: _create(client, "ps-0000000000000000", {"a": "1"})) == (404, "IIC.1205")
    other, _store = another_store(server)
    foreign = create_permission_set(
        org.ic(other),
        org.ic(other).list_instances(ic.ListInstancesRequest()).instances[0].instance_id,
    ).permission_set_id
    assert failure(lambda: _tags(client, foreign)) == (404, "IIC.1205")
    assert failure(lambda: _tags(org.ic(org.accounts[0]), ps)) == (403, "IIC.1215")
