"""One organization with Identity Center per test module (and per store): tests in a module
share its identity store and make their own uniquely named users and groups."""

from __future__ import annotations

import pytest

from tests.identitystore.builders import Directory, new_directory


@pytest.fixture(scope="module")
def directory(server) -> Directory:
    return new_directory(server)
