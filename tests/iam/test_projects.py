"""Projects: SDK discovery by region name, and subprojects `<region>_<suffix>`."""

from __future__ import annotations

import uuid

from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails


def _create(client, account, name: str):
    option = m.KeystoneCreateProjectOption(
        name=name, parent_id=account.project_id, domain_id=account.account_id
    )
    return client.keystone_create_project(
        m.KeystoneCreateProjectRequest(body=m.KeystoneCreateProjectRequestBody(project=option))
    ).project


def test_the_region_name_finds_exactly_one_project_for_any_user(server, account) -> None:
    user = personas.iam_user(server, account)  # no permissions at all: discovery still works
    for client in (clients.iam(server.url, user), clients.iam_basic(server.url, user)):
        found = client.keystone_list_projects(m.KeystoneListProjectsRequest(name="cn-north-4"))
        assert [p.id for p in found.projects] == [account.project_id]


def test_a_subproject_is_created_shown_and_updated(root_iam, account) -> None:
    name = f"cn-north-4_{uuid.uuid4().hex[:6]}"
    made = _create(root_iam, account, name)
    assert (made.parent_id, made.domain_id) == (account.project_id, account.account_id)
    shown = root_iam.keystone_show_project(m.KeystoneShowProjectRequest(project_id=made.id))
    assert shown.project.name == name
    updated = root_iam.keystone_update_project(
        m.KeystoneUpdateProjectRequest(
            project_id=made.id,
            body=m.KeystoneUpdateProjectRequestBody(
                project=m.KeystoneUpdateProjectOption(name=name + "x", description="dev")
            ),
        )
    ).project
    assert (updated.name, updated.description) == (name + "x", "dev")
    children = root_iam.keystone_list_projects(
        m.KeystoneListProjectsRequest(parent_id=account.project_id)
    ).projects
    assert [p.id for p in children] == [made.id]
    found = root_iam.keystone_list_projects(m.KeystoneListProjectsRequest(name="cn-north-4"))
    assert [p.id for p in found.projects] == [account.project_id]


def test_subproject_names_carry_the_region_prefix_and_are_unique(root_iam, account) -> None:
    fails(lambda: _create(root_iam, account, "elsewhere_dev"), 400)
    fails(lambda: _create(root_iam, account, "cn-north-4_"), 400)
    name = f"cn-north-4_{uuid.uuid4().hex[:6]}"
    _create(root_iam, account, name)
    fails(lambda: _create(root_iam, account, name), 409)


def test_the_region_project_cannot_be_renamed(root_iam, account) -> None:
    request = m.KeystoneUpdateProjectRequest(
        project_id=account.project_id,
        body=m.KeystoneUpdateProjectRequestBody(project=m.KeystoneUpdateProjectOption(name="x")),
    )
    fails(lambda: root_iam.keystone_update_project(request), 400)


def test_creating_projects_needs_permission(server, account) -> None:
    user = personas.iam_user_with_roles(server, account, ["Tenant Guest"])
    name = f"cn-north-4_{uuid.uuid4().hex[:6]}"
    fails(lambda: _create(clients.iam(server.url, user), account, name), 403, "IAM.0003")


def test_projects_of_another_account_are_not_found(server, root_iam) -> None:
    other = server.new_account()
    request = m.KeystoneShowProjectRequest(project_id=other.project_id)
    fails(lambda: root_iam.keystone_show_project(request), 404, "IAM.0004")
    listed = root_iam.keystone_list_projects(
        m.KeystoneListProjectsRequest(domain_id=other.account_id)
    )
    assert listed.projects == []
