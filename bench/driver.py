"""Runs one workload: setup once, then the measured phase in several client processes, each
with its own keep-alive connection, splitting the n operations between them.

ops_per_s = n / (last client's end - first client's start), setup excluded; p50/p99 are over
every operation's latency from all clients. Client processes are spawned, not forked, so they
share no database connection or socket with the setup step.
"""

from __future__ import annotations

import math
import multiprocessing
import time
import traceback
from dataclasses import dataclass, field
from queue import Empty
from typing import Any

from bench import registry
from bench.setup import Setup, SetupError
from bench.signer import Client, Credentials

START_TIMEOUT_S = 120
ERROR_SAMPLES = 3


@dataclass
class ClientResult:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    started: float = math.inf  # time.monotonic(): one system-wide clock on every process
    ended: float = -math.inf

    def failed(self, error: str) -> None:
        self.errors += 1
        if len(self.samples) < ERROR_SAMPLES:
            self.samples.append(error)


def run(
    name: str,
    url: str,
    credentials: Credentials,
    n: int,
    clients: int,
    scale: int | None = None,
    database_url: str | None = None,
) -> dict[str, Any]:
    """Runs workload `name` and returns its result line (as a dict)."""
    workload = registry.get(name)
    scale = workload.scale if scale is None else scale
    if workload.max_clients is not None and clients > workload.max_clients:
        raise SetupError(f"{name} runs with at most {workload.max_clients} client(s)")
    setup = Setup(Client(url, credentials), credentials, scale, n, clients, database_url)
    try:
        began = time.monotonic()
        state = workload.setup(setup)
        setup_s = time.monotonic() - began
        results = _measure(name, url, credentials, state, n, clients)
        store_size = workload.store_size(setup) if setup.has_store else None
    finally:
        setup.close()
    line = _summary(name, n, clients, scale, store_size, results)
    line["setup_s"] = round(setup_s, 3)
    return line


def _measure(
    name: str, url: str, credentials: Credentials, state: dict, n: int, clients: int
) -> list[ClientResult]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(clients)
    queue = context.Queue()
    bounds = [(n * k // clients, n * (k + 1) // clients) for k in range(clients)]
    processes = [
        context.Process(
            target=_client_process,
            args=(name, url, credentials, state, first, last, barrier, queue),
            daemon=True,
        )
        for first, last in bounds
    ]
    for process in processes:
        process.start()
    # Read the results before joining: a process cannot exit while its queued data is unread.
    results: list[ClientResult] = []
    while len(results) < clients:
        try:
            results.append(queue.get(timeout=1))
        except Empty:
            crashed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if crashed:
                raise RuntimeError(f"a client process died (exit code {crashed[0]})") from None
    for process in processes:
        process.join()
    return results


def _client_process(
    name: str,
    url: str,
    credentials: Credentials,
    state: dict,
    first: int,
    last: int,
    barrier: Any,
    queue: Any,
) -> None:
    result = ClientResult()
    try:
        operation = registry.get(name).operation
        client = Client(url, credentials)
        barrier.wait(START_TIMEOUT_S)  # all clients start together, once imported
        client.connect()
        result.started = time.monotonic()
        latencies = result.latencies_ms
        for i in range(first, last):
            began = time.perf_counter()
            try:
                operation(client, state, i)
            except Exception as error:
                result.failed(f"{type(error).__name__}: {error}")
            latencies.append((time.perf_counter() - began) * 1000)
        result.ended = time.monotonic()
        client.close()
    except Exception:
        barrier.abort()  # the other clients stop waiting for this one
        # A client that cannot run counts every operation it did not run as failed.
        result.errors += (last - first) - len(result.latencies_ms)
        result.samples.append(traceback.format_exc(limit=3))
    queue.put(result)


def _summary(
    name: str, n: int, clients: int, scale: int, store_size: int | None, results: list
) -> dict[str, Any]:
    latencies = sorted(x for r in results for x in r.latencies_ms)
    wall = max(r.ended for r in results) - min(r.started for r in results)
    errors = sum(r.errors for r in results)
    line: dict[str, Any] = {
        "workload": name,
        "n": n,
        "clients": clients,
        "ops_per_s": round(n / wall, 1) if wall > 0 and math.isfinite(wall) else None,
        "p50_ms": _percentile(latencies, 50),
        "p99_ms": _percentile(latencies, 99),
        "store_size": store_size,
        "errors": errors,
        "scale": scale,
        "wall_s": round(wall, 3) if math.isfinite(wall) else None,
    }
    if errors:
        line["error_samples"] = [s for r in results for s in r.samples][:ERROR_SAMPLES]
    return line


def _percentile(sorted_values: list[float], percent: int) -> float | None:
    """Nearest-rank percentile."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return round(sorted_values[rank - 1], 2)
