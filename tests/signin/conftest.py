"""One organization with Identity Center per test module (and per store)."""

from __future__ import annotations

import pytest

from tests.signin.support import Portal, new_portal


@pytest.fixture(scope="module")
def portal(server) -> Portal:
    return new_portal(server)
