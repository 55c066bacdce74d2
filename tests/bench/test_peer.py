"""`python -m bench.peer` (idplane beside moto_server and the signed floor) runs end to end.

Tiny n, no timing assertions: this proves the harness starts every server, drives each system
through its own client, measures each server's CPU, and prints a complete table, not how fast
anything is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.peer import Server, _free_port, _wait_for
from bench.peer_ops import SYSTEMS, WORKLOADS
from bench.signer import Client, Credentials

ROOT = Path(__file__).resolve().parents[2]
STORES = [s for s in os.environ.get("IDPLANE_TEST_STORES", "sqlite,postgresql").split(",") if s]
NUMBERS = ["ops/s", "p50 ms", "p99 ms", "server CPU ms/op", "RSS MB"]
TINY = ["--n", "4", "--rounds", "2", "--clients", "1,2"]
RATIOS = ["ops/s ÷ moto", "CPU ÷ moto", "CPU ÷ floor"]


def _table(stdout: str) -> list[dict[str, str]]:
    lines = [line for line in stdout.splitlines() if line.startswith("|")]
    titles = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [
        dict(zip(titles, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]


@pytest.mark.parametrize("store", STORES)
def test_the_peer_bench_prints_every_workload_for_every_system_with_numbers(
    store: str, tmp_path: Path
) -> None:
    pytest.importorskip("moto.server", reason="moto[server] is not installed (the test extra)")
    out = tmp_path / "rows.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.peer", *TINY, "--store", store, "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-5000:]
    rows = _table(done.stdout)
    expected = {(c, w, s) for c in ("1", "2") for w in WORKLOADS for s in SYSTEMS}
    assert {(r["clients"], r["workload"], r["system"]) for r in rows} == expected
    for row in rows:
        for column in NUMBERS:
            assert float(row[column]) > 0, (row, column)
        assert row["errors"] == "0", row
        if row["system"].startswith("idplane"):
            for column in RATIOS:
                assert float(row[column]) > 0, (row, column)
    written = json.loads(out.read_text())
    assert f"store={store}" in written["header"]
    assert {r["n"] for r in written["rows"]} == {4}
    assert all(r["stat_cpu_ms_per_op"] >= 0 for r in written["rows"])  # /proc/<pid>/stat


def test_the_floor_answers_a_signed_request_and_refuses_a_bad_or_missing_signature(
    tmp_path: Path,
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "floor.log"
    with open(log, "w") as out:
        floor = subprocess.Popen(
            [sys.executable, "-m", "bench.floor", "--port", str(port), "--ak", "FLOORAK"],
            cwd=ROOT,
            env={**os.environ, "IDPLANE_FLOOR_SK": "floor-secret"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(Server("floor", url, floor, log), "/", (401,))
        good = Client(url, Credentials("FLOORAK", "floor-secret"))
        answer = good.call("POST", "/v1/things", query={"a": "b c"}, json_body={"x": 1, "y": 2})
        assert answer.json() == {"path": "v1/things", "fields": 2}
        good.call("GET", "/v1/things/1", expect=200)
        wrong = Client(url, Credentials("FLOORAK", "not-the-secret"))
        wrong.call("POST", "/v1/things", json_body={"x": 1}, expect=401)
        good.call("GET", "/v1/things/1", signed=False, expect=401)
        Client(url, Credentials("OTHERAK", "floor-secret")).call("GET", "/v1/x", expect=401)
    finally:
        floor.terminate()
        floor.wait(timeout=15)
