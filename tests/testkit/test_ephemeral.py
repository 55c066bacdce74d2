"""`idplane serve --ephemeral`: a throw-away store that goes with the process, and no testing
routes unless the server was started with `--enable-test-reset`."""

from __future__ import annotations

import httpx

from tests.testkit.serving import serve


def test_an_ephemeral_store_is_removed_when_the_server_stops(tmp_path) -> None:
    with serve(tmp_path, "--ephemeral") as served:
        store_dir = served.ephemeral_dir()
        assert (store_dir / "idplane.db").exists()
        assert "access_key" in served.log.read_text()  # the bootstrapped account
    assert served.process.returncode is not None
    assert not store_dir.exists()


def test_a_server_not_started_for_testing_has_no_reset_route(server) -> None:
    answer = httpx.post(f"{server.url}/idplane/testing/reset")
    assert answer.status_code == 404
    assert httpx.post(f"{server.url}/idplane/testing/accounts").status_code == 404
    assert httpx.get(f"{server.url}/v3").status_code == 200  # and the store is untouched
