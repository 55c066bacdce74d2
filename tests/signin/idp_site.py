"""The pysaml2 IdP of tests/federation/saml_idp.py served over HTTP on 127.0.0.1, as a browser
meets one: its SSO URL takes the SP's AuthnRequest (HTTP-Redirect binding), asks who signs
in, and answers with a page whose form posts the signed SAMLResponse (HTTP-POST binding) to
the AuthnRequest's assertion consumer service, with its InResponseTo."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.federation.saml_idp import SamlIdp


def _page(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<h1>{title}</h1>{body}</body></html>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    idp: SamlIdp
    attributes: dict[str, list[str]]

    def log_message(self, format, *args) -> None:
        pass

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        request, relay = query["SAMLRequest"][0], query.get("RelayState", [""])[0]
        self.idp.authn_request(request)  # refuses a request not meant for this IdP
        form = (
            '<form method="post" action="/sso">'
            f'<input type="hidden" name="SAMLRequest" value="{html.escape(request)}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(relay)}">'
            '<label for="who">Corporate user</label><input id="who" name="who">'
            '<button type="submit">Sign in at the IdP</button></form>'
        )
        self._answer(200, _page("Corporate sign-in", form))

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        request_id, issuer, acs = self.idp.authn_request(fields["SAMLRequest"])
        response = self.idp.response(
            fields["who"], self.attributes, acs, audience=issuer, in_response_to=request_id
        )
        form = (
            f'<form method="post" action="{html.escape(acs)}">'
            f'<input type="hidden" name="SAMLResponse" value="{response}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(fields["RelayState"])}">'
            '<button type="submit">Continue</button></form>'
        )
        self._answer(200, _page("Signed in at the IdP", form))


@contextmanager
def serving(
    directory: Path, sp_entity_id: str, acs_url: str, attributes: dict[str, list[str]]
) -> Iterator[SamlIdp]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    sso_url = f"http://127.0.0.1:{http.server_address[1]}/sso"
    idp = SamlIdp(directory, sp_entity_id, [acs_url], sso_url=sso_url)
    http.RequestHandlerClass = type("Handler", (_Handler,), {"idp": idp, "attributes": attributes})
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield idp
    finally:
        http.shutdown()
        http.server_close()
