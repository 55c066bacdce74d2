"""A small real OpenID Connect provider for the tests: an HTTP server on a free port with
discovery (`/.well-known/openid-configuration`), a JWKS (`/jwks`) and an implicit-flow
authorization endpoint (`/authorize?response_type=id_token&client_id=&redirect_uri=&nonce=
&login_hint=<user>`) that answers a redirect whose fragment carries an RS256 ID token signed
with its RSA key (joserfc). Its users and their claims are registered by the test.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "idplane-console"


class OidcProvider:
    def __init__(self, client_id: str) -> None:
        self.client_id = client_id
        self.key = RSAKey.generate_key(2048, parameters={"kid": "signing-1", "use": "sig"})
        self.users: dict[str, dict[str, Any]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OidcProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def jwks(self) -> dict:
        return KeySet([self.key]).as_dict(private=False)

    def sign(self, claims: dict[str, Any], key: RSAKey | None = None) -> str:
        return jwt.encode({"alg": "RS256", "kid": "signing-1"}, claims, key or self.key)

    def id_token_for(self, user: str, **overrides: Any) -> str:
        """What the browser would get back from /authorize for this user."""
        params = {
            "response_type": "id_token",
            "client_id": overrides.pop("client_id", self.client_id),
            "redirect_uri": "https://console.example.com/callback",
            "scope": "openid profile",
            "nonce": "n-0S6_WzA2Mj",
            "login_hint": user,
        }
        if overrides:
            params["extra"] = json.dumps(overrides)
        answer = httpx.get(f"{self.issuer}/authorize", params=params, timeout=10)
        assert answer.status_code == 302, answer.text
        fragment = parse_qs(urlparse(answer.headers["Location"]).fragment)
        return fragment["id_token"][0]

    def _claims(self, user: str, client_id: str, nonce: str, extra: dict) -> dict[str, Any]:
        moment = int(time.time())
        return {
            "iss": self.issuer,
            "sub": self.users[user].get("sub", user),
            "aud": client_id,
            "iat": moment,
            "nbf": moment,
            "exp": moment + 300,
            "nonce": nonce,
            **{k: v for k, v in self.users[user].items() if k != "sub"},
            **extra,
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": f"{provider.issuer}/authorize",
                            "jwks_uri": f"{provider.issuer}/jwks",
                            "response_types_supported": ["id_token"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                if url.path == "/jwks":
                    return self._json(provider.jwks())
                if url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    user = query.get("login_hint", "")
                    if query.get("response_type") != "id_token" or user not in provider.users:
                        self.send_response(400)
                        self.end_headers()
                        return None
                    claims = provider._claims(
                        user,
                        query["client_id"],
                        query.get("nonce", ""),
                        json.loads(query.get("extra", "{}")),
                    )
                    token = provider.sign(claims)
                    location = f"{query['redirect_uri']}#{urlencode({'id_token': token})}"
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.end_headers()
                    return None
                self.send_response(404)
                self.end_headers()
                return None

        return Handler
