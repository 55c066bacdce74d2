"""`/health` says the process answers; `/ready` says it can serve: the store is reachable and
at the schema this code expects. Both are unauthenticated, as load balancers probe them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from idplane.platform.db import Store
from idplane.platform.routing import api_router

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@cache
def _scripts():  # read once per process
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


@cache
def _applied_by(current: frozenset[str]) -> frozenset[str]:
    """Every revision the store's recorded heads include (a head that another branch depends
    on is not recorded on its own, so compare whole histories, not head lists)."""
    scripts = _scripts()
    return frozenset(r.revision for r in scripts.iterate_revisions(tuple(current), "base"))


def schema_is_current(current: frozenset[str]) -> bool:
    try:
        applied = _applied_by(current)
    except Exception:  # a revision this code does not know: the store is ahead or foreign
        return False
    return all(r.revision in applied for r in _scripts().walk_revisions())


def readiness(store: Store) -> tuple[bool, dict[str, str]]:
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            current = frozenset(row[0] for row in rows)
    except Exception as error:  # any driver error means "not ready", never a 500
        return False, {"store": "unreachable", "detail": type(error).__name__}
    if not schema_is_current(current):
        return False, {"store": "reachable", "migrations": "behind; run `idplane migrate`"}
    return True, {"store": "reachable", "migrations": "current"}


def health_router(store: Store) -> APIRouter:
    router = api_router(tags=["operations"])

    @router.get("/health", summary="The process is alive")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/ready",
        summary="The store is reachable and its schema is current",
        responses={503: {"description": "not ready: the store is unreachable or behind"}},
    )
    async def ready() -> JSONResponse:
        ok, checks = await run_in_threadpool(readiness, store)
        return JSONResponse(
            {"status": "ready" if ok else "unavailable", **checks}, status_code=200 if ok else 503
        )

    return router
