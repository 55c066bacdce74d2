"""Schemathesis over idplane's /openapi.json, shared by the fuzz and the conformance tests: a
signer that signs each prepared request as huaweicloudsdkcore does, and a bounded, repeatable
run of one operation's examples."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from hypothesis import HealthCheck, Phase, given, settings

from bench.signer import Credentials, sign_headers
from tests.identitycenter.access.support import Org


class SdkSigner(requests.auth.AuthBase):
    """Signs the prepared request (final path, query and body) as huaweicloudsdkcore does."""

    def __init__(self, org: Org):
        creds = org.management
        self.credentials = Credentials(creds.access_key, creds.secret_key)
        self.scope = {"X-Domain-Id": creds.account_id, "X-Project-Id": creds.project_id}

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        url = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {**dict(request.headers), "Host": url.netloc, **self.scope}
        headers.pop("Authorization", None)
        signed = sign_headers(self.credentials, request.method, url.path, url.query, headers, body)
        request.headers.update(signed)
        return request


def each_example(operation, examples: int, visit: Callable[[object], None]) -> None:
    """Calls `visit(case)` for up to `examples` generated cases of the operation (explicit
    examples first), derandomized so that a run repeats."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        visit(case)

    run()
