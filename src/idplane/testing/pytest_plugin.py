"""idplane's pytest plugin (entry point `pytest11`, loaded once idplane is installed).

Fixtures:
- `idplane_server` (session): a real server on a free port in a background thread, over a fresh
  throw-away store; `.url`, `.region`, `.reset()`, `.create_account()`, `.core`.
- `idplane_reset` (function): empties the store before the test; the two fixtures below use it,
  so every test that takes them starts from nothing and sees no other test's data.
- `idplane_account` (function): an account's root credentials (`access_key`, `secret_key`,
  `account_id`, `project_id`, `region`, `endpoint`, and with huaweicloudsdkcore installed
  `global_credentials()`, `basic_credentials()` and `client(ClientClass)`).
- `idplane_world` (function): `idplane_account` as the management account of an organization
  with one member account, Identity Center started, and its identity store
  (`identity_store_id`, `instance_id`, `organization_id`, `root_id`, `member`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported lazily: the plugin loads in every pytest run of its environment
    from idplane.testing.accounts import IdplaneAccount
    from idplane.testing.harness import IdplaneServer
    from idplane.testing.world import IdplaneWorld


@pytest.fixture(scope="session")
def idplane_server() -> Iterator[IdplaneServer]:
    from idplane.testing.harness import IdplaneServer

    with IdplaneServer() as server:
        yield server


@pytest.fixture
def idplane_reset(idplane_server: IdplaneServer) -> IdplaneServer:
    idplane_server.reset()
    return idplane_server


@pytest.fixture
def idplane_account(idplane_reset: IdplaneServer) -> IdplaneAccount:
    return idplane_reset.create_account("idplane-tester")


@pytest.fixture
def idplane_world(idplane_reset: IdplaneServer, idplane_account: IdplaneAccount) -> IdplaneWorld:
    from idplane.testing.world import build_world

    return build_world(idplane_reset.core, idplane_account)
