"""Several `idplane serve` processes on one PostgreSQL store: no process keeps state of its own,
and concurrent writers through different processes are kept correct by the database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from tests import clients
from tests.conftest import _free_port, _wait_until_serving
from tests.identitystore.builders import new_directory, unique, user_body


@pytest.fixture
def second_server(server):
    """Another server process over the same store (same data directory, so same master key)."""
    if not server.database_url.startswith("postgresql"):
        pytest.skip("scale-out means several processes on one PostgreSQL store")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "IDPLANE_DATA_DIR": str(server.data_dir),
        "IDPLANE_DATABASE_URL": server.database_url,
        "IDPLANE_PUBLIC_URL": url,
    }
    log = server.data_dir / f"serve-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "idplane", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_user_made_through_one_process_is_seen_by_the_other(server, second_server) -> None:
    directory = new_directory(server)
    body = user_body()
    created = directory.client().create_user(
        ids.CreateUserRequest(identity_store_id=directory.identity_store_id, body=body)
    )
    other = clients.identitystore(second_server, directory.management)
    shown = other.describe_user(
        ids.DescribeUserRequest(
            identity_store_id=directory.identity_store_id, user_id=created.user_id
        )
    )
    assert shown.user_name == body.user_name


def test_racing_creates_of_one_user_name_through_two_processes_make_exactly_one(
    server, second_server
) -> None:
    directory = new_directory(server)
    name = unique("race")
    endpoints = [server.url, second_server] * 6

    def create(endpoint: str) -> str:
        client = clients.identitystore(endpoint, directory.management)
        request = ids.CreateUserRequest(
            identity_store_id=directory.identity_store_id, body=user_body(user_name=name)
        )
        try:
            client.create_user(request)
            return "created"
        except ClientRequestException as error:
            return f"{error.status_code}"

    with ThreadPoolExecutor(max_workers=len(endpoints)) as pool:
        outcomes = Counter(pool.map(create, endpoints))
    assert outcomes["created"] == 1
    assert set(outcomes) <= {"created", "409", "400"}
    listed = directory.client().list_users(
        ids.ListUsersRequest(identity_store_id=directory.identity_store_id, user_name=name)
    )
    assert [u.user_name for u in listed.users] == [name]
