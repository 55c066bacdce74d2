"""python -m bench.peer: idplane beside moto and a signed floor, in one interleaved run.

    python -m bench.peer --n 300 --clients 1,8            # SQLite; --store postgresql for PG

Starts every server itself on free ports: `idplane serve` on a fresh store (a new SQLite data
directory, or a new PostgreSQL database dropped afterwards), `moto_server` (PyPI
`moto[server]`), and bench/floor.py (a bare FastAPI route that checks the HMAC signature).
Then, for each client count (a "phase") and each workload of bench/peer_ops.py, it runs the
n operations on every system in rounds: each round runs n/rounds operations on each system in
turn, the order reversed every other round, so that a change of machine load touches every
system alike. Each system's share of a round is split between the phase's client processes,
which start together.

Per workload and system it reports:
- ops/s: operations / the summed wall time of that system's rounds (client side);
- p50/p99 ms: nearest-rank latency over every operation, measured around one client call;
- CPU ms/op: the server process's user+system CPU time per operation, read before and after
  each round from the process's CPU-time clock (the nanosecond figure behind utime + stime in
  /proc/<pid>/stat; /proc/<pid>/stat itself where the clock is unavailable), summed over its
  process tree: this holds steady when the machine is busy, where wall time does not. The
  JSON rows also carry `stat_cpu_ms_per_op`, the same from /proc/<pid>/stat's 10 ms ticks;
- RSS MB: the server's resident memory after the workload;
- the ratios idplane/moto (ops/s and CPU) and idplane/floor (CPU), on the idplane rows.

Prints a Markdown table (and `--json FILE` writes the rows). Exits 1 if any operation failed.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import peer_ops
from bench.peer_ops import FLOOR, MOTO, RAW, SDK, SYSTEMS, WORKLOADS, Ctx, Env
from bench.signer import Credentials

DEFAULT_PG_URL = os.environ.get(
    "IDPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
START_TIMEOUT_S = 90
ERROR_SAMPLES = 3
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BOOTSTRAP = ["--account-name", "peer-bench"]
FLOOR_COMMAND = [sys.executable, "-m", "bench.floor"]


# Servers ---------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(server: Server, probe: str, ok: tuple[int, ...]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + probe, timeout=2) as answer:
                if answer.status in ok:
                    return
        except urllib.error.HTTPError as error:
            if error.code in ok:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not start:\n{server.log.read_text()[-3000:]}")


@contextmanager
def _process(
    name: str, argv: list[str], env: dict[str, str], log: Path, port: int
) -> Iterator[Server]:
    with open(log, "w") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def _store(kind: str, pg_url: str, data_dir: Path) -> Iterator[str]:
    """A fresh store: SQLite in `data_dir`, or a new PostgreSQL database (dropped after)."""
    if kind == "sqlite":
        yield f"sqlite:///{data_dir / 'idplane.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"idplane_peer_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def servers(store: str, pg_url: str, keep: bool = False) -> Iterator[tuple[dict, Credentials]]:
    """Starts idplane (bootstrapping a bench account), moto_server and the floor; yields
    {system: Server} (both idplane systems name the same server) and the account's keys."""
    work = Path(tempfile.mkdtemp(prefix="idplane-peer-"))
    try:
        with ExitStack() as stack:
            database_url = stack.enter_context(_store(store, pg_url, work))
            port = _free_port()
            env = {
                **os.environ,
                "IDPLANE_DATA_DIR": str(work),
                "IDPLANE_DATABASE_URL": database_url,
                "IDPLANE_PUBLIC_URL": f"http://127.0.0.1:{port}",
            }
            boot = subprocess.run(
                [sys.executable, "-m", "idplane", "bootstrap", "--json", *BOOTSTRAP],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            credentials = Credentials.from_dict(json.loads(boot.stdout))
            idplane = stack.enter_context(
                _process(
                    "idplane",
                    [sys.executable, "-m", "idplane", "serve", "--port", str(port)],
                    env,
                    work / "idplane.log",
                    port,
                )
            )
            moto_port = _free_port()
            moto = stack.enter_context(
                _process(
                    "moto_server",
                    [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
                    dict(os.environ),
                    work / "moto.log",
                    moto_port,
                )
            )
            floor_port = _free_port()
            floor = stack.enter_context(
                _process(
                    "floor",
                    [*FLOOR_COMMAND, "--ak", credentials.access_key, "--port", str(floor_port)],
                    {**os.environ, "IDPLANE_FLOOR_SK": credentials.secret_key},
                    work / "floor.log",
                    floor_port,
                )
            )
            _wait_for(idplane, "/v3", (200,))
            _wait_for(moto, "/moto-api/", (200, 404))
            _wait_for(floor, "/", (401,))
            yield {MOTO: moto, SDK: idplane, RAW: idplane, FLOOR: floor}, credentials
    finally:
        if keep:
            print(f"bench.peer: logs and store kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def _tree(pid: int) -> list[int]:
    """The process and its descendants (uvicorn workers, if any)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(c) for c in children.read().split())
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User + system CPU time of the process tree, twice: from each process's CPU-time clock
    (nanoseconds, dead threads included: the figure behind utime + stime; 0 where it cannot be
    read) and from /proc/<pid>/stat's utime + stime (10 ms ticks)."""
    clock = stat_ticks = 0.0
    for member in _tree(pid):
        with suppress(OSError):
            clock += time.clock_gettime(_process_cpu_clock(member))
        try:
            with open(f"/proc/{member}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stat_ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return clock, stat_ticks / CLOCK_TICKS


def _process_cpu_clock(pid: int) -> int:
    """clock_getcpuclockid(pid): Linux's MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)."""
    return (~pid << 3) | 2


def rss_mb(pid: int) -> float:
    total_kb = 0
    for member in _tree(pid):
        try:
            with open(f"/proc/{member}/status") as status:
                total_kb += next(int(x.split()[1]) for x in status if x.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return round(total_kb / 1024, 1)


# Client processes ------------------------------------------------------------------------------


@dataclass
class Chunk:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    started: float = math.inf
    ended: float = -math.inf


def _worker(env: Env, connection: Any, barrier: Any) -> None:
    """One client process: builds every system's clients once, then runs the chunks it is
    sent, each after a barrier shared with the phase's other client processes."""
    ctx = Ctx(env)
    try:
        for system in SYSTEMS:
            ctx.warm(system)
        connection.send("ready")
    except Exception:
        connection.send(traceback.format_exc(limit=5))
        return
    while (command := connection.recv()) is not None:
        system, name, state, first, last = command
        operation = WORKLOADS[name].op
        chunk = Chunk()
        if system in (RAW, FLOOR):  # a fresh keep-alive connection, outside the measurement
            client = ctx.raw(system)
            client.close()
            client.connect()
        try:
            barrier.wait(START_TIMEOUT_S)
        except Exception:
            chunk.errors = last - first
            chunk.samples.append("barrier broken")
            connection.send(chunk)
            continue
        chunk.started = time.monotonic()
        for i in range(first, last):
            began = time.perf_counter()
            try:
                operation(ctx, system, state, i)
            except Exception as error:
                chunk.errors += 1
                if len(chunk.samples) < ERROR_SAMPLES:
                    chunk.samples.append(f"{type(error).__name__}: {str(error)[:300]}")
            chunk.latencies_ms.append((time.perf_counter() - began) * 1000)
        chunk.ended = time.monotonic()
        connection.send(chunk)
    ctx.close()


class Clients:
    """`count` spawned client processes for one phase."""

    def __init__(self, env: Env, count: int):
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(count)
        self.pipes = []
        self.processes = []
        for _ in range(count):
            mine, theirs = context.Pipe()
            process = context.Process(target=_worker, args=(env, theirs, self.barrier), daemon=True)
            process.start()
            self.pipes.append(mine)
            self.processes.append(process)
        for pipe in self.pipes:
            if not pipe.poll(START_TIMEOUT_S):
                raise RuntimeError("a client process did not start")
            if (answer := pipe.recv()) != "ready":
                raise RuntimeError(f"a client process failed to start:\n{answer}")

    def run(self, system: str, name: str, state: dict, first: int, last: int) -> list[Chunk]:
        count = len(self.pipes)
        for k, pipe in enumerate(self.pipes):
            a = first + (last - first) * k // count
            b = first + (last - first) * (k + 1) // count
            pipe.send((system, name, state, a, b))
        return [pipe.recv() for pipe in self.pipes]

    def close(self) -> None:
        for pipe in self.pipes:
            pipe.send(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()


# The run ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    n: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0  # from the CPU-time clock
    stat_cpu_s: float = 0.0  # from /proc/<pid>/stat
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    rss_mb: float | None = None

    def add(self, chunks: list[Chunk], cpu_s: tuple[float, float]) -> None:
        started = min(c.started for c in chunks)
        ended = max(c.ended for c in chunks)
        if math.isfinite(started) and math.isfinite(ended):
            self.wall_s += ended - started
        self.cpu_s += cpu_s[0]
        self.stat_cpu_s += cpu_s[1]
        for chunk in chunks:
            self.n += len(chunk.latencies_ms)
            self.errors += chunk.errors
            self.latencies_ms.extend(chunk.latencies_ms)
            self.samples.extend(chunk.samples[: ERROR_SAMPLES - len(self.samples)])


def run_phase(
    env: Env,
    pids: dict[str, int],
    clients: int,
    names: list[str],
    n: int,
    rounds: int,
    tag: str,
    log: Any,
) -> dict[tuple[str, str], Tally]:
    setup_ctx = Ctx(env)
    pool = Clients(env, clients)
    tallies: dict[tuple[str, str], Tally] = {}
    try:
        for w, name in enumerate(names):
            workload = WORKLOADS[name]
            states = {}
            for s, system in enumerate(SYSTEMS):
                short = f"{tag}c{clients}w{w}s{s}"
                base = {"prefix": f"peer-{short}-", "short": f"{short}-"}
                states[system] = workload.setup(setup_ctx, system, base, n)
            setup_ctx.close()  # its keep-alive connections would go stale while measuring
            bounds = [(n * r // rounds, n * (r + 1) // rounds) for r in range(rounds)]
            for r, (first, last) in enumerate(bounds):
                if first == last:
                    continue
                for system in SYSTEMS if r % 2 == 0 else tuple(reversed(SYSTEMS)):
                    before = cpu_seconds(pids[system])
                    chunks = pool.run(system, name, states[system], first, last)
                    after = cpu_seconds(pids[system])
                    spent = (after[0] - before[0], after[1] - before[1])
                    tallies.setdefault((name, system), Tally()).add(chunks, spent)
            for system in SYSTEMS:
                tallies[(name, system)].rss_mb = rss_mb(pids[system])
            print(f"bench.peer: clients={clients} {name} done", file=log, flush=True)
    finally:
        pool.close()
    return tallies


def _percentile(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1], 2)


def _per_op(seconds: float, n: int) -> float | None:
    return round(seconds * 1000 / n, 2) if n else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def rows(tallies: dict[tuple[str, str], Tally], clients: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for (name, system), tally in tallies.items():
        out.append(
            {
                "clients": clients,
                "workload": name,
                "system": system,
                "n": tally.n,
                "ops_per_s": round(tally.n / tally.wall_s, 1) if tally.wall_s > 0 else None,
                "p50_ms": _percentile(tally.latencies_ms, 50),
                "p99_ms": _percentile(tally.latencies_ms, 99),
                "cpu_ms_per_op": _per_op(tally.cpu_s or tally.stat_cpu_s, tally.n),
                "stat_cpu_ms_per_op": _per_op(tally.stat_cpu_s, tally.n),
                "rss_mb": tally.rss_mb,
                "errors": tally.errors,
                **({"error_samples": tally.samples} if tally.errors else {}),
            }
        )
    by_key = {(r["workload"], r["system"]): r for r in out}
    for row in out:
        if row["system"] in (SDK, RAW):
            moto = by_key[(row["workload"], MOTO)]
            floor = by_key[(row["workload"], FLOOR)]
            row["ops_vs_moto"] = _ratio(row["ops_per_s"], moto["ops_per_s"])
            row["cpu_vs_moto"] = _ratio(row["cpu_ms_per_op"], moto["cpu_ms_per_op"])
            row["cpu_vs_floor"] = _ratio(row["cpu_ms_per_op"], floor["cpu_ms_per_op"])
    return out


COLUMNS = [
    ("clients", "clients"),
    ("workload", "workload"),
    ("system", "system"),
    ("ops_per_s", "ops/s"),
    ("p50_ms", "p50 ms"),
    ("p99_ms", "p99 ms"),
    ("cpu_ms_per_op", "server CPU ms/op"),
    ("rss_mb", "RSS MB"),
    ("ops_vs_moto", "ops/s ÷ moto"),
    ("cpu_vs_moto", "CPU ÷ moto"),
    ("cpu_vs_floor", "CPU ÷ floor"),
    ("errors", "errors"),
]


def table(all_rows: list[dict[str, Any]]) -> str:
    lines = [
        "| " + " | ".join(title for _, title in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for row in all_rows:
        cells = []
        for key, _ in COLUMNS:
            value = row.get(key)
            cells.append("—" if value is None else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        import moto.server  # noqa: F401
    except ImportError:
        print("bench.peer: moto is not installed (pip install 'moto[server]')", file=sys.stderr)
        return 2
    names = [n.strip() for n in args.workload.split(",")] if args.workload else list(WORKLOADS)
    if unknown := [n for n in names if n not in WORKLOADS]:
        print(
            f"bench.peer: unknown workload(s) {unknown}; known: {list(WORKLOADS)}", file=sys.stderr
        )
        return 2
    phases = [int(c) for c in args.clients.split(",")]
    # Both idplane systems make permission sets in one instance: n each per phase, plus one
    # each for the assignment workload.
    sets = (
        2 * (args.n + 1) * len(phases) if any(n.startswith("identitycenter.") for n in names) else 0
    )
    if sets > peer_ops.PERMISSION_SETS_QUOTA:
        print(
            f"bench.peer: --n {args.n} with {len(phases)} phase(s) would make {sets} permission "
            f"sets, over idplane's quota of {peer_ops.PERMISSION_SETS_QUOTA} per instance",
            file=sys.stderr,
        )
        return 2
    log = sys.stderr
    tag = secrets.token_hex(2)
    started_load = _loadavg()
    all_rows: list[dict[str, Any]] = []
    with servers(args.store, args.pg_url, keep=args.keep) as (running, credentials):
        env = Env(running[MOTO].url, running[SDK].url, running[FLOOR].url, credentials)
        peer_ops.prepare(Ctx(env))
        pids = {system: server.pid for system, server in running.items()}
        for clients in phases:
            tallies = run_phase(env, pids, clients, names, args.n, args.rounds, tag, log)
            all_rows.extend(rows(tallies, clients))
    header = (
        f"store={args.store} n={args.n} rounds={args.rounds} clients={args.clients} "
        f"cpus={os.cpu_count()} loadavg before={started_load} after={_loadavg()}"
    )
    print(header)
    print(table(all_rows))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"header": header, "rows": all_rows}, out, indent=1)
    failed = [r for r in all_rows if r["errors"]]
    for row in failed:
        print(f"{row['workload']} {row['system']}: {row['error_samples']}", file=sys.stderr)
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.peer",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--n", type=int, default=300, help="operations per workload and system")
    parser.add_argument(
        "--clients", default="1,8", help="client processes, one phase each (default 1,8)"
    )
    parser.add_argument("--rounds", type=int, default=10, help="interleaving rounds (default 10)")
    parser.add_argument("--workload", help=f"NAME[,NAME...] of {', '.join(WORKLOADS)}")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL admin URL")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--keep", action="store_true", help="keep the data dir and server logs")
    return parser


if __name__ == "__main__":
    sys.exit(main())
