"""One organization with Identity Center per test module (and per store): tests in a module
share its instance and make their own uniquely named applications, users and groups."""

from __future__ import annotations

import pytest

from tests.identitycenter.applications.support import Org, new_org


@pytest.fixture(scope="module")
def org(server) -> Org:
    return new_org(server)
