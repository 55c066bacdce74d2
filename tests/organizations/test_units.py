"""Organizational units, account moves and the entity listing through the official SDK."""

from __future__ import annotations

import re

from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_organization, organization_with_member, unique_name
from tests.organizations.tree_support import (
    create_unit,
    error,
    move,
    root_id,
    three_level_tree,
)


def _entities(client, **query) -> list[tuple[str, str]]:
    response = client.list_entities(org.ListEntitiesRequest(**query))
    return [(entity.id, entity.type) for entity in response.entities]


def _delete(unit_id: str) -> org.DeleteOrganizationalUnitRequest:
    return org.DeleteOrganizationalUnitRequest(organizational_unit_id=unit_id)


def test_a_unit_is_created_shown_renamed_and_listed_under_its_parent(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    root = root_id(client)
    name = unique_name("ou")
    unit_id = create_unit(client, root, name)
    assert re.fullmatch(r"ou-[a-z0-9]{32}", unit_id)
    shown = client.show_organizational_unit(
        org.ShowOrganizationalUnitRequest(organizational_unit_id=unit_id)
    ).organizational_unit
    assert (shown.name, shown.urn.endswith(f"/{unit_id}")) == (name, True)
    body = org.UpdateOrganizationalUnitReqBody(name="renamed")
    client.update_organizational_unit(
        org.UpdateOrganizationalUnitRequest(organizational_unit_id=unit_id, body=body)
    )
    listed = client.list_organizational_units(
        org.ListOrganizationalUnitsRequest(parent_id=root)
    ).organizational_units
    assert [(u.id, u.name) for u in listed] == [(unit_id, "renamed")]


def test_a_three_level_tree_lists_parents_and_children(server) -> None:
    tree = three_level_tree(server)
    client = tree.client
    assert _entities(client, parent_id=tree.root) == [
        (tree.top, "organizational_unit"),
        (tree.management.account_id, "account"),
        (tree.outside.account_id, "account"),
    ]
    assert _entities(client, parent_id=tree.bottom) == [(tree.inside.account_id, "account")]
    assert _entities(client, child_id=tree.inside.account_id) == [
        (tree.bottom, "organizational_unit")
    ]
    assert _entities(client, child_id=tree.top) == [(tree.root, "root")]
    in_bottom = client.list_accounts(org.ListAccountsRequest(parent_id=tree.bottom)).accounts
    assert [a.id for a in in_bottom] == [tree.inside.account_id]


def test_entities_are_listed_in_pages(server) -> None:
    tree = three_level_tree(server)
    seen, marker = [], None
    while True:
        page = tree.client.list_entities(org.ListEntitiesRequest(limit=2, marker=marker))
        seen += [entity.id for entity in page.entities]
        marker = page.page_info.next_marker
        if not marker:
            break
    assert len(seen) == len(set(seen)) == 7  # root, three units, three accounts


def test_units_nest_five_levels_below_the_root_and_no_deeper(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    parent = root_id(client)
    for _ in range(5):
        parent = create_unit(client, parent)
    raised = error(lambda: create_unit(client, parent))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1204")


def test_a_unit_is_deleted_only_when_empty(server) -> None:
    tree = three_level_tree(server)
    raised = error(lambda: tree.client.delete_organizational_unit(_delete(tree.middle)))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1203")
    raised = error(lambda: tree.client.delete_organizational_unit(_delete(tree.bottom)))
    assert raised.error_code == "Organizations.1203"  # holds an account
    move(tree.client, tree.inside.account_id, tree.bottom, tree.root)
    tree.client.delete_organizational_unit(_delete(tree.bottom))
    raised = error(
        lambda: tree.client.show_organizational_unit(
            org.ShowOrganizationalUnitRequest(organizational_unit_id=tree.bottom)
        )
    )
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1202")


def test_moving_an_account_checks_its_source_and_destination(server) -> None:
    tree = three_level_tree(server)
    account = tree.outside.account_id
    raised = error(lambda: move(tree.client, account, tree.top, tree.middle))
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1205")
    raised = error(lambda: move(tree.client, account, tree.root, "ou-" + "0" * 32))
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1201")
    move(tree.client, account, tree.root, tree.middle)
    assert _entities(tree.client, child_id=account) == [(tree.middle, "organizational_unit")]


def test_sibling_units_cannot_share_a_name(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    root = root_id(client)
    create_unit(client, root, "team")
    raised = error(lambda: create_unit(client, root, "team"))
    assert (raised.status_code, raised.error_code) == (409, "Organizations.1208")
    raised = error(lambda: create_unit(client, root, " bad name"))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1000")


def test_only_the_management_account_shapes_the_tree(server) -> None:
    management, member = organization_with_member(server)
    root = root_id(clients.organizations(server.url, management))
    raised = error(lambda: create_unit(clients.organizations(server.url, member), root))
    assert (raised.status_code, raised.error_code) == (401, "Organizations.1001")
