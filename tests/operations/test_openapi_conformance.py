"""Every route answers what `/openapi.json` declares for it: schemathesis' response-conformance
checks (a documented status, the documented media type, a body matching the documented schema,
the documented headers) over every operation, with requests signed by an account's AK/SK.
Examples per operation are bounded (IDPLANE_CONFORMANCE_EXAMPLES, default 2) so the run stays
under a minute per store; raise it locally for a deeper search."""

from __future__ import annotations

import os

import pytest
import requests
import schemathesis
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.identitycenter.access.support import Org, new_org
from tests.schemathesis_support import SdkSigner, each_example

EXAMPLES = int(os.environ.get("IDPLANE_CONFORMANCE_EXAMPLES", "2"))
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def conformance_session(server) -> requests.Session:
    org: Org = new_org(server)
    session = requests.Session()
    session.auth = SdkSigner(org)
    return session


def test_every_route_answers_as_its_document_declares(server, conformance_session) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json", timeout=120)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        failures.extend(_check(operation, server.url, conformance_session))
    assert len(operations) > 200  # every route of the app, not an empty document
    assert not failures, f"{len(failures)} nonconforming answers:\n" + "\n".join(failures)


def _check(operation, base_url: str, session: requests.Session) -> list[str]:
    """Runs one operation's examples; answers one line per distinct nonconformance."""
    seen: dict[str, str] = {}

    def visit(case) -> None:
        response = case.call(base_url=base_url, session=session, timeout=30)
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as error:
            for failure in getattr(error, "exceptions", [error]):
                title = getattr(failure, "title", type(failure).__name__)
                key = f"{case.method} {operation.path} -> {response.status_code}: {title}"
                detail = str(getattr(failure, "message", failure)).splitlines()[:3]
                seen.setdefault(key, f"{key}: {' | '.join(detail)[:300]}")

    each_example(operation, EXAMPLES, visit)
    return list(seen.values())
