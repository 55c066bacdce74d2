"""One organization with Identity Center per test module (and per store): tests in a module
share it and make their own uniquely named permission sets, users and groups."""

from __future__ import annotations

import pytest

from tests.identitycenter.access.support import Org, new_org


@pytest.fixture(scope="module")
def org(server) -> Org:
    return new_org(server)
