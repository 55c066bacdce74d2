"""The signed floor: a bare FastAPI app whose one route checks an SDK-HMAC-SHA256 signature the
way idplane does (`idplane.platform.auth.signing.verify`, the key held in memory) and answers a
small JSON body. No store, no routing table, no audit: what any signed API server must pay at
least, per request, on the same uvicorn. `python -m bench.peer` starts it as its own process:

    IDPLANE_FLOOR_SK=... python -m bench.floor --port 18600 --ak AK
"""

from __future__ import annotations

import argparse
import json
import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from idplane.platform.auth import signing
from idplane.platform.clock import now
from idplane.platform.startup import HTTP_PROTOCOL

SK_VARIABLE = "IDPLANE_FLOOR_SK"


def build_app(access_key: str, secret_key: str) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE"])
    async def signed(request: Request, path: str) -> JSONResponse:
        body = await request.body()
        headers = {k.decode("latin-1"): v.decode() for k, v in request.scope["headers"]}
        try:
            auth = signing.parse_authorization(headers.get("authorization", ""))
            if auth.access_key != access_key:
                raise signing.SignatureError("unknown access key")
            raw_path = request.scope.get("raw_path") or request.url.path.encode()
            query = request.scope.get("query_string", b"").decode()
            signed_request = signing.SignedRequest(
                request.method, raw_path.decode(), query, headers, body
            )
            signing.verify(signed_request, auth, secret_key, now())
        except signing.SignatureError as error:
            return JSONResponse({"error_msg": str(error)}, status_code=401)
        echo = json.loads(body) if body else None  # parse what an API would parse
        return JSONResponse({"path": path, "fields": len(echo) if isinstance(echo, dict) else 0})

    return app


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ak", required=True, help="the access key it accepts")
    args = parser.parse_args(argv)
    secret_key = os.environ[SK_VARIABLE]
    uvicorn.run(
        build_app(args.ak, secret_key),
        host=args.host,
        port=args.port,
        log_level="warning",
        http=HTTP_PROTOCOL,  # idplane's own (see idplane.platform.startup)
        access_log=False,
    )


if __name__ == "__main__":
    main()
