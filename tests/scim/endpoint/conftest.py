"""One organization with a provisioning tenant per test module (and per store); tests make
their own uniquely named users and groups."""

from __future__ import annotations

import pytest

from tests.scim.endpoint.support import Scim, new_scim


@pytest.fixture(scope="module")
def scim(server) -> Scim:
    return new_scim(server)


@pytest.fixture
def http(scim: Scim):
    with scim.http() as client:
        yield client
