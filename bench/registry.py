"""Named workloads. A service adds `bench/workloads/<service>.py` with functions decorated by
`@workload("<service>.<name>", ...)`; the driver finds every module in that package itself.

A workload is an operation (one measured request), an optional setup (run once before the
measured phase; may create data at scale) and an optional store_size (how big the relevant
part of the store is, reported next to the figures).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.setup import Setup
from bench.signer import Client

# operation(client, state, i): one measured call; raises on any failure. `state` is what setup
# returned (it is pickled to every client process); `i` is the global operation index, 0..n-1.
Operation = Callable[[Client, dict[str, Any], int], None]


def _no_setup(_setup: Setup) -> dict[str, Any]:
    return {}


def _no_size(_setup: Setup) -> int | None:
    return None


@dataclass(frozen=True)
class Workload:
    name: str
    operation: Operation
    setup: Callable[[Setup], dict[str, Any]] = _no_setup
    store_size: Callable[[Setup], int | None] = _no_size
    scale: int = 0  # default for --scale: how many rows setup makes sure exist
    description: str = ""
    max_clients: int | None = None  # a workload whose operations cannot run side by side


_WORKLOADS: dict[str, Workload] = {}


def workload(
    name: str,
    *,
    setup: Callable[[Setup], dict[str, Any]] = _no_setup,
    store_size: Callable[[Setup], int | None] = _no_size,
    scale: int = 0,
    max_clients: int | None = None,
) -> Callable[[Operation], Operation]:
    """Registers the decorated function as the operation of workload `name`."""

    def register(operation: Operation) -> Operation:
        if name in _WORKLOADS:
            raise ValueError(f"workload {name} is registered twice")
        description = (operation.__doc__ or "").strip().splitlines()
        _WORKLOADS[name] = Workload(
            name,
            operation,
            setup,
            store_size,
            scale,
            description[0] if description else "",
            max_clients,
        )
        return operation

    return register


def all_workloads() -> dict[str, Workload]:
    """Every workload of every module in `bench.workloads`, imported on first use."""
    import bench.workloads as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(sorted(_WORKLOADS.items()))


def get(name: str) -> Workload:
    workloads = all_workloads()
    if name not in workloads:
        raise KeyError(f"no workload named {name}; known: {', '.join(workloads)}")
    return workloads[name]
