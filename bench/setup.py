"""What a workload's setup step gets: a signed API client, the credentials, the requested scale,
and (with --database-url) the server's store for creating rows in bulk and counting them.

Data at scale goes straight into the store with `bulk_insert`: batched multi-row INSERTs, one
transaction per batch, thousands of rows a second, where 100k signed API calls would take
many minutes. Rows made this way skip the service layer, so a workload must build them as the
service would (same ids, same defaults); small, behaviour-bearing data (the token a validate
workload checks, say) is better created over the API with `setup.client`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any

from sqlalchemy import func, insert, select, text

from bench.signer import Client, Credentials
from idplane.platform.db import Store


class SetupError(Exception):
    """A workload cannot be prepared (missing store, missing password, ...)."""


@dataclass
class Setup:
    client: Client
    credentials: Credentials
    scale: int  # how many rows the workload should make sure exist (its own meaning)
    n: int
    clients: int
    database_url: str | None = None
    _opened: list[Store] = field(default_factory=list, repr=False)

    @property
    def has_store(self) -> bool:
        return self.database_url is not None

    @cached_property
    def store(self) -> Store:
        if not self.database_url:
            raise SetupError(
                f"this workload needs the server's store to create {self.scale} rows: pass "
                "--database-url (the server's), or --scale 0"
            )
        store = Store(self.database_url)
        self._opened.append(store)
        # Guard against filling one store while benchmarking a server on another.
        with store.read() as session:
            found = session.execute(
                text("SELECT 1 FROM accounts WHERE id = :id"), {"id": self.credentials.account_id}
            ).first()
        if found is None:
            raise SetupError(
                f"account {self.credentials.account_id} is not in the store at --database-url; "
                "is it the benchmarked server's store?"
            )
        return store

    def at_scale(self) -> bool:
        """Whether setup should fill the store up to `scale` rows; if so the store is opened
        (and checked) now, before anything is written."""
        return self.scale > 0 and self.store is not None

    def bulk_insert(self, model: Any, rows: Iterable[dict], batch_size: int = 5000) -> int:
        """Inserts `rows` (column -> value dicts, same keys in each) into `model`'s table in
        batches; returns how many were inserted. Columns left out take their defaults."""
        table = getattr(model, "__table__", model)
        statement = insert(table)
        iterator = iter(rows)
        total = 0
        while batch := list(islice(iterator, batch_size)):
            with self.store.transaction() as session:
                session.execute(statement, batch)
            total += len(batch)
        return total

    def count(self, model: Any, *where: Any) -> int:
        """Rows of `model` (optionally filtered), e.g. for a workload's store_size."""
        with self.store.read() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    def close(self) -> None:
        for store in self._opened:
            store.dispose()
        self.client.close()
