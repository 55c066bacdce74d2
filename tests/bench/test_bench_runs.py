"""Every registered workload runs end to end through `python -m bench` against a real server.

Tiny n, no timing assertions: this proves the harness works (signing, client processes, setup
at scale straight into the store, the JSON line), not how fast anything is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.registry import all_workloads
from idplane.platform.db import migrate

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"workload", "n", "clients", "ops_per_s", "p50_ms", "p99_ms", "store_size", "errors"}


def run_bench(server, creds: dict, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "creds.json"
    path.write_text(json.dumps(creds))
    command = [sys.executable, "-m", "bench", "--url", server.url, "--credentials-json", str(path)]
    # Workloads that seal keys into the store must use the server's master key.
    env = {**os.environ, "IDPLANE_DATA_DIR": str(server.data_dir)}
    return subprocess.run(
        [*command, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("name", sorted(all_workloads()))
def test_each_workload_runs_with_two_clients_and_prints_one_clean_line(
    server, account, tmp_path, name
) -> None:
    clients = min(2, all_workloads()[name].max_clients or 2)
    done = run_bench(
        server,
        account.as_dict(),
        tmp_path,
        *("--workload", name, "--n", "20", "--clients", str(clients), "--scale", "30"),
        *("--database-url", server.database_url),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [line] = done.stdout.splitlines()
    result = json.loads(line)
    assert set(result) >= FIELDS
    assert (result["workload"], result["n"], result["clients"]) == (name, 20, clients)
    assert result["errors"] == 0
    assert result["ops_per_s"] > 0
    assert 0 < result["p50_ms"] <= result["p99_ms"]
    if all_workloads()[name].scale:  # it seeds the store up to --scale rows before measuring
        assert result["store_size"] >= 30


def test_without_a_store_setup_at_scale_is_refused_and_scale_zero_runs_and_rss_is_read(
    server, account, tmp_path
) -> None:
    refused = run_bench(
        server, account.as_dict(), tmp_path, "--workload", "iam.auth_domains", "--n", "4"
    )
    assert refused.returncode == 1
    assert "--database-url" in json.loads(refused.stdout)["error_samples"][0]
    done = run_bench(
        server,
        account.as_dict(),
        tmp_path,
        *("--workload", "iam.auth_domains,iam.token_validate", "--n", "4", "--scale", "0"),
        *("--server-pid", str(server.process.pid)),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["workload"] for r in results] == ["iam.auth_domains", "iam.token_validate"]
    assert all(r["store_size"] is None and r["errors"] == 0 for r in results)
    assert all(r["server_rss_mb"] > 0 for r in results)


def test_failed_operations_are_counted_and_make_the_exit_status_nonzero(
    server, account, tmp_path
) -> None:
    creds = {**account.as_dict(), "secret_key": "x" * 40}
    done = run_bench(
        server,
        creds,
        tmp_path,
        *("--workload", "iam.auth_domains", "--n", "6", "--clients", "2", "--scale", "0"),
    )
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["errors"] == 6
    assert "401" in result["error_samples"][0]


def test_a_store_that_is_not_the_servers_is_refused(server, account, tmp_path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    migrate(other)
    done = run_bench(
        server,
        account.as_dict(),
        tmp_path,
        *("--workload", "iam.auth_domains", "--n", "2", "--database-url", other),
    )
    assert done.returncode == 1
    assert "is not in the store" in done.stdout
