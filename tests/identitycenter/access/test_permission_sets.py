"""Permission sets through the official SDK: create, describe, list (paged, filtered), update,
delete, the summary, and the rules around them (unique names, deleting an assigned one)."""

from __future__ import annotations

import re

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.access.support import (
    Recorder,
    assert_envelope,
    assign,
    create_permission_set,
    failure,
    new_org,
    unassign,
    unique,
)


def _describe(client, instance_id, ps_id):
    request = ic.DescribePermissionSetRequest(instance_id=instance_id, permission_set_id=ps_id)
    return client.describe_permission_set(request).permission_set


def _list(client, instance_id, **kw):
    return client.list_permission_sets(ic.ListPermissionSetsRequest(instance_id=instance_id, **kw))


def _delete(client, instance_id, ps_id):
    request = ic.DeletePermissionSetRequest(instance_id=instance_id, permission_set_id=ps_id)
    return client.delete_permission_set(request)


def test_a_created_permission_set_is_described_as_created(server, org) -> None:
    client = org.ic()
    name = unique()
    created = create_permission_set(
        client,
        org.instance_id,
        name,
        description="Database administrators",
        relay_state="https://console.example.com/rds",
        session_duration="PT4H",
    )
    assert re.fullmatch(r"ps-[0-9a-f]{16}", created.permission_set_id)
    assert created.permission_urn.endswith(f":permissionSet:{created.permission_set_id}")
    assert created.created_date > 1_600_000_000_000
    described = _describe(client, org.instance_id, created.permission_set_id)
    assert described.to_dict() == created.to_dict()
    assert (described.name, described.description, described.session_duration) == (
        name,
        "Database administrators",
        "PT4H",
    )
    assert described.relay_state == "https://console.example.com/rds"


def test_the_session_duration_defaults_to_one_hour(server, org) -> None:
    created = create_permission_set(org.ic(), org.instance_id)
    assert created.session_duration == "PT1H"
    assert created.description is None and created.relay_state is None


def test_names_are_unique_per_instance(server, org) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    name = unique()
    create_permission_set(client, org.instance_id, name)
    assert failure(lambda: create_permission_set(client, org.instance_id, name)) == (
        409,
        "IIC.1206",
    )
    assert_envelope(recorder.last, 409, "IIC.1206")
    assert _list(client, org.instance_id, name=name).page_info.current_count == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"name": "x" * 33},
        {"name": "has space"},
        {"session_duration": "PT30M"},
        {"session_duration": "PT13H"},
        {"session_duration": "1 hour"},
        {"description": "d" * 701},
        {"relay_state": "r" * 241},
    ],
)
def test_bad_fields_are_a_400(server, org, fields) -> None:
    body = {"name": unique(), **fields}
    call = lambda: org.ic().create_permission_set(  # noqa: E731
        ic.CreatePermissionSetRequest(
            instance_id=org.instance_id, body=ic.CreatePermissionSetReqBody(**body)
        )
    )
    assert failure(call) == (400, "IIC.400")


def test_permission_sets_are_listed_in_pages(server) -> None:
    org = new_org(server)
    client = org.ic()
    made = [create_permission_set(client, org.instance_id).permission_set_id for _ in range(5)]
    seen, marker = [], None
    while True:
        page = _list(client, org.instance_id, limit=2, marker=marker)
        assert page.page_info.current_count == len(page.permission_sets) <= 2
        seen.extend(ps.permission_set_id for ps in page.permission_sets)
        marker = page.page_info.next_marker
        if not marker:
            break
    assert seen == made
    assert failure(lambda: _list(client, org.instance_id, limit=0)) == (400, "IIC.400")
    assert failure(lambda: _list(client, org.instance_id, marker="nope")) == (400, "IIC.400")


def test_the_list_filters_by_id_urn_and_name(server, org) -> None:
    client = org.ic()
    first = create_permission_set(client, org.instance_id)
    create_permission_set(client, org.instance_id)
    for query in (
        {"permission_set_id": first.permission_set_id},
        {"permission_urn": first.permission_urn},
        {"name": first.name},
    ):
        found = _list(client, org.instance_id, **query).permission_sets
        assert [ps.permission_set_id for ps in found] == [first.permission_set_id]
    assert _list(client, org.instance_id, name=unique()).permission_sets == []


def test_an_update_changes_only_what_it_carries(server, org) -> None:
    client = org.ic()
    created = create_permission_set(client, org.instance_id, description="old", relay_state="r")
    body = ic.UpdatePermissionSetReqBody(session_duration="PT8H")
    client.update_permission_set(
        ic.UpdatePermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=created.permission_set_id, body=body
        )
    )
    described = _describe(client, org.instance_id, created.permission_set_id)
    assert (described.description, described.relay_state, described.session_duration) == (
        "old",
        "r",
        "PT8H",
    )
    body = ic.UpdatePermissionSetReqBody(description="")
    client.update_permission_set(
        ic.UpdatePermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=created.permission_set_id, body=body
        )
    )
    assert _describe(client, org.instance_id, created.permission_set_id).description is None


def test_an_unknown_permission_set_is_a_404(server, org) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    missing = "ps-0000000000000000"
    assert failure(lambda: _describe(client, org.instance_id, missing)) == (404, "IIC.1205")
    assert_envelope(recorder.last, 404, "IIC.1205")
    assert failure(lambda: _delete(client, org.instance_id, missing)) == (404, "IIC.1205")


def test_deleting_an_assigned_permission_set_is_refused_until_unassigned(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id)
    user, account = org.user(), org.accounts[0].account_id
    assign(client, org.instance_id, ps.permission_set_id, "USER", user, account)
    assert failure(lambda: _delete(client, org.instance_id, ps.permission_set_id)) == (
        409,
        "IIC.1007",
    )
    unassign(client, org.instance_id, ps.permission_set_id, "USER", user, account)
    assert _delete(client, org.instance_id, ps.permission_set_id).status_code == 200
    assert failure(lambda: _describe(client, org.instance_id, ps.permission_set_id)) == (
        404,
        "IIC.1205",
    )


def test_the_summary_counts_permission_sets_and_gives_the_quotas(server) -> None:
    org = new_org(server)
    client = org.ic()
    for _ in range(3):
        create_permission_set(client, org.instance_id)
    summary = client.get_permission_set_summary(
        ic.GetPermissionSetSummaryRequest(instance_id=org.instance_id)
    )
    assert (summary.permission_sets, summary.permission_sets_quota) == (3, 2000)
    assert (summary.permission_policy_count_quota, summary.permission_policy_quota) == (20, 10)


def test_bad_requests_and_misses_are_worded_as_the_code_table_words_them(server, org) -> None:
    """Huawei's code table: IIC.400 "Bad Request: {0}.", IIC.404 "Not Found: {0}." — also for
    what the request parser refuses before a service sees it."""
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    client = org.ic()
    calls = {
        "IIC.400": [
            lambda: _list(client, org.instance_id, limit=0),
            lambda: _list(client, org.instance_id, marker="nope"),
        ],
        "IIC.404": [
            lambda: client.list_identity_store_association(
                ic.ListIdentityStoreAssociationRequest(instance_id="ins-" + "0" * 16)
            )
        ],
    }
    prefix = {"IIC.400": "Bad Request: ", "IIC.404": "Not Found: "}
    for code, failing in calls.items():
        for call in failing:
            with pytest.raises(ClientRequestException) as raised:
                call()
            assert raised.value.error_code == code
            message = raised.value.error_msg
            assert message.startswith(prefix[code]) and message.endswith(".")
            assert not message.endswith(".."), message
            assert message.count(prefix[code]) == 1, message
