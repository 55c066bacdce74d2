"""Routes for test suites, included only on a server started with `--enable-test-reset`:
`POST /idplane/testing/reset` empties the store (and applies the `--seed` file again, if the
server has one), `POST /idplane/testing/accounts` makes a
standalone account with root AK/SK (what `idplane accounts create` prints). Unauthenticated by
design: never start a server reachable by others with that flag."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from idplane.iam.service import AccountService
from idplane.platform.errors import IamEnvelope
from idplane.platform.ids import hex32
from idplane.platform.routing import api_router
from idplane.platform.web import empty
from idplane.testing.service import reset_store


class NewTestAccount(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=64)


def create_router(core) -> APIRouter:
    """`core`: the app's Core (its store, accounts and settings: endpoint, seed file)."""
    router = api_router(envelope=IamEnvelope(), tags=["testing"])
    accounts: AccountService = core.accounts
    endpoint = core.settings.endpoint

    @router.post("/idplane/testing/reset", status_code=204)
    def reset() -> Response:
        reset_store(core.store)
        if core.settings.seed:
            from idplane.seeding.cli import apply_seed_file

            apply_seed_file(core, core.settings.seed)
        return empty(204)

    @router.post("/idplane/testing/accounts", status_code=201)
    def create_test_account(body: NewTestAccount | None = None) -> dict:
        name = (body.name if body else None) or f"test-{hex32()[:12]}"
        creds = accounts.create_account(name)
        creds.endpoint = endpoint
        return creds.as_dict()

    return router
