"""Creating and listing provisioning tenants: one per identity store, pointing at this
server's SCIM path, switching the store's provisioning type to include SCIM and back."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests import clients
from tests.identitystore.provisioning.support import (
    Recorder,
    create_tenant,
    delete_tenant,
    error_of,
    list_tenants,
    organization_with_store,
    outcome,
    store_client,
)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def setup(server):
    return organization_with_store(server)


def _provisioning_type(server, setup) -> list[str]:
    client = clients.identitycenter(server.url, setup.management)
    associations = client.list_identity_store_association(
        ic.ListIdentityStoreAssociationRequest(instance_id=setup.instance_id)
    ).identity_store_associations
    return associations[0].provisioning_type


def test_creating_a_tenant_answers_201_with_its_scim_endpoint(server, setup):
    recorder = Recorder()
    client = store_client(server, setup.management, recorder)
    before = time.time() * 1000
    created = create_tenant(client, setup.identity_store_id)
    assert created.status_code == 201
    assert UUID.match(created.tenant_id)
    assert created.scim_endpoint == f"{server.url}/{created.tenant_id}/scim/v2/"
    assert before - 1000 <= created.creation_time <= time.time() * 1000 + 1000
    assert set(recorder.last.json()) == {"creation_time", "scim_endpoint", "tenant_id"}
    listed = list_tenants(client, setup.identity_store_id)
    assert [(t.tenant_id, t.scim_endpoint, t.creation_time) for t in listed] == [
        (created.tenant_id, created.scim_endpoint, created.creation_time)
    ]


def test_a_store_without_a_tenant_lists_none(server, setup):
    assert list_tenants(store_client(server, setup.management), setup.identity_store_id) == []


def test_an_identity_store_has_at_most_one_tenant(server, setup):
    client = store_client(server, setup.management)
    first = create_tenant(client, setup.identity_store_id).tenant_id
    error = error_of(lambda: create_tenant(client, setup.identity_store_id))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert "at most one provisioning tenant" in error.error_msg
    assert [t.tenant_id for t in list_tenants(client, setup.identity_store_id)] == [first]


def test_after_deleting_the_tenant_a_new_one_can_be_created(server, setup):
    client = store_client(server, setup.management)
    sid = setup.identity_store_id
    first = create_tenant(client, sid).tenant_id
    delete_tenant(client, sid, first)
    second = create_tenant(client, sid).tenant_id
    assert second != first
    assert [t.tenant_id for t in list_tenants(client, sid)] == [second]


def test_concurrent_creates_make_exactly_one_tenant(server, setup):
    sid = setup.identity_store_id

    def attempt(_):
        return outcome(lambda: create_tenant(store_client(server, setup.management), sid))

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, range(6)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} == {(400, "IIC.400")}
    assert len(list_tenants(store_client(server, setup.management), sid)) == 1


def test_the_tenant_switches_the_stores_provisioning_type_to_include_scim(server, setup):
    client = store_client(server, setup.management)
    sid = setup.identity_store_id
    assert _provisioning_type(server, setup) == ["MANUAL"]
    tenant_id = create_tenant(client, sid).tenant_id
    assert _provisioning_type(server, setup) == ["MANUAL", "SCIM"]
    delete_tenant(client, sid, tenant_id)
    assert _provisioning_type(server, setup) == ["MANUAL"]


def test_a_delegated_administrator_creates_and_lists_tenants(server, setup):
    client = store_client(server, setup.delegate)
    created = create_tenant(client, setup.identity_store_id)
    assert created.status_code == 201
    listed = list_tenants(store_client(server, setup.management), setup.identity_store_id)
    assert [t.tenant_id for t in listed] == [created.tenant_id]


def test_an_unknown_identity_store_is_a_404(server, setup):
    client = store_client(server, setup.management)
    for call in (create_tenant, list_tenants):
        error = error_of(lambda call=call: call(client, "d-0000000000"))
        assert (error.status_code, error.error_code) == (404, "IIC.404")
