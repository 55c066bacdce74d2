"""scim2-tester drives the protocol core (through a throwaway in-memory WSGI adapter).

It publishes discovery from our data files, creates, reads (with attributes and
excludedAttributes), replaces and deletes users and groups, and PATCHes every attribute with
add, replace and remove, including the enterprise extension as a whole and attribute by attribute.
"""

import pytest
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import check_server
from scim2_tester.utils import Status

from idplane.scim.schemas import Catalog

from .memory_server import MemoryScim

BASE = "http://localhost/0123456789abcdef/scim/v2"


@pytest.fixture(scope="module")
def results():
    client = WSGISCIMClient(MemoryScim(Catalog.load(), BASE), base_url=BASE)
    return check_server(client)


def test_scim2_tester_finds_no_error(results):
    failures = [
        f"{r.title} {r.resource_type or ''}: {r.reason}"
        for r in results
        if r.status in (Status.ERROR, Status.CRITICAL, Status.DEVIATION)
    ]
    assert failures == []


def test_scim2_tester_skips_only_the_server_wide_search(results):
    skipped = {r.title for r in results if r.status == Status.SKIPPED}
    assert skipped <= {"search_with_attributes"}


@pytest.mark.parametrize(
    "check", ["check_add_attribute", "check_replace_attribute", "check_remove_attribute"]
)
def test_every_patch_check_ran_for_users_and_groups(results, check):
    ran = {r.resource_type for r in results if r.title == check and r.status == Status.SUCCESS}
    assert ran == {"User", "Group"}
