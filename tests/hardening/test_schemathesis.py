"""Schemathesis over every route of the app's /openapi.json, signed with an account's AK/SK
the way the SDK signs, NUL bytes allowed: no request may be answered with a 5xx. Examples per
operation are bounded (IDPLANE_FUZZ_EXAMPLES, default 3) so the run stays around a minute per
store; raise it locally for a deeper search."""

from __future__ import annotations

import os

import pytest
import requests
import schemathesis

from tests.identitycenter.access.support import Org, new_org
from tests.schemathesis_support import SdkSigner, each_example

EXAMPLES = int(os.environ.get("IDPLANE_FUZZ_EXAMPLES", "3"))


@pytest.fixture(scope="module")
def fuzz_org(server) -> Org:
    return new_org(server)


@pytest.fixture(scope="module")
def api_schema(server):
    # The first /openapi.json is built on demand: seconds on a loaded machine.
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json", timeout=120)


@pytest.fixture(scope="module")
def signed_session(fuzz_org: Org) -> requests.Session:
    session = requests.Session()
    session.auth = SdkSigner(fuzz_org)
    return session


def test_no_route_answers_a_5xx(server, api_schema, signed_session) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        failures.extend(_fuzz(operation, server.url, signed_session))
    assert len(operations) > 200  # every route of the app, not an empty document
    assert not failures, "\n".join(failures)


def _fuzz(operation, base_url: str, session: requests.Session) -> list[str]:
    """Runs one operation's examples; answers one line per distinct 5xx."""
    seen: dict[str, str] = {}

    def visit(case) -> None:
        response = case.call(base_url=base_url, session=session, timeout=30)
        if response.status_code >= 500:
            key = f"{case.method} {operation.path} -> {response.status_code}"
            seen.setdefault(key, f"{key}: {case.formatted_path} {response.text[:200]}")

    each_example(operation, EXAMPLES, visit)
    return list(seen.values())
