"""scim2-tester against the live endpoint: discovery, create/read/replace/delete of users and
groups (with `attributes`/`excludedAttributes`), PATCH add/replace/remove of every attribute
including the enterprise extension, and a random URL's 404; nothing may be ERROR or CRITICAL.

scim2-client 0.13 ships its network engine for `httpx2`, which is not installed; the engine is
a few lines over the client's `request`, so this module gives it the same few lines over httpx.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from scim2_client import BaseSyncSCIMClient
from scim2_client.errors import RequestNetworkException
from scim2_tester import check_server
from scim2_tester.utils import Status

from tests.scim.endpoint.support import Scim


class HttpxSCIMClient(BaseSyncSCIMClient):
    """scim2-client's sync engine over an `httpx.Client` (base URL and bearer token on it)."""

    def __init__(self, client: httpx.Client, **kwargs: Any):
        super().__init__(**kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        base = self.client.base_url
        url = self.client.build_request("GET", endpoint).url
        return url.host == base.host and url.raw_path.startswith(base.raw_path)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.RequestError as error:
            raise RequestNetworkException() from error


@pytest.fixture(scope="module")
def results(scim: Scim):
    with scim.http() as http:
        return check_server(HttpxSCIMClient(http))


def _summary(results, *statuses) -> list[str]:
    return [
        f"{r.status.name} {r.title} {r.resource_type or ''}: {r.reason}"
        for r in results
        if r.status in statuses
    ]


def test_scim2_tester_reports_no_error_or_critical(results):
    assert _summary(results, Status.ERROR, Status.CRITICAL) == []


def test_scim2_tester_reports_no_deviation_from_the_rfc(results):
    assert _summary(results, Status.DEVIATION) == []


def test_scim2_tester_skips_only_the_search_across_resource_types(results):
    skipped = {r.title for r in results if r.status == Status.SKIPPED}
    assert skipped <= {"search_with_attributes"}


@pytest.mark.parametrize(
    "check", ["check_add_attribute", "check_replace_attribute", "check_remove_attribute"]
)
def test_every_patch_check_ran_for_users_and_groups(results, check):
    ran = {r.resource_type for r in results if r.title == check and r.status == Status.SUCCESS}
    assert ran == {"User", "Group"}


def test_the_crud_checks_ran_for_users_and_groups(results):
    titles = {(r.title, r.resource_type) for r in results if r.status == Status.SUCCESS}
    for check in ("object_creation", "object_query", "object_replacement", "object_deletion"):
        assert {(check, "User"), (check, "Group")} <= titles, check
