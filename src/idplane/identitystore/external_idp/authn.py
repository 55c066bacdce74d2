"""The SP-initiated half of signing in with an external IdP: the SAML AuthnRequest the identity
store (as service provider) sends, by the HTTP-Redirect binding (deflated, base64, in the
query string), signed over the query string with the store's ACTIVE SP key when the IdP wants
signed requests (SAML bindings 3.4.4.1, RSA-SHA256 by `cryptography`)."""

from __future__ import annotations

import base64
import zlib
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape, quoteattr

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from idplane.platform.clock import now

P = "urn:oasis:names:tc:SAML:2.0:protocol"
A = "urn:oasis:names:tc:SAML:2.0:assertion"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


def authn_request(request_id: str, destination: str, issuer: str, acs_url: str) -> str:
    """The AuthnRequest XML (every value escaped)."""
    instant = now().strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f'<samlp:AuthnRequest xmlns:samlp="{P}" xmlns:saml="{A}" ID={quoteattr(request_id)} '
        f'Version="2.0" IssueInstant="{instant}" Destination={quoteattr(destination)} '
        f"AssertionConsumerServiceURL={quoteattr(acs_url)} "
        f'ProtocolBinding="{POST_BINDING}">'
        f"<saml:Issuer>{escape(issuer)}</saml:Issuer>"
        '<samlp:NameIDPolicy AllowCreate="true" '
        'Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>'
        "</samlp:AuthnRequest>"
    )


def redirect_url(login_url: str, xml: str, relay_state: str, key_pem: str | None) -> str:
    """The IdP's SSO URL carrying the request by the HTTP-Redirect binding; signed when a key
    is given."""
    deflated = zlib.compress(xml.encode())[2:-4]  # raw DEFLATE, as the binding requires
    fields = [("SAMLRequest", base64.b64encode(deflated).decode()), ("RelayState", relay_state)]
    if key_pem is not None:
        fields.append(("SigAlg", RSA_SHA256))
        signed = urlencode(fields, quote_via=quote).encode()
        key = serialization.load_pem_private_key(key_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the SP key is not an RSA key")
        signature = key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
        fields.append(("Signature", base64.b64encode(signature).decode()))
    separator = "&" if "?" in login_url else "?"
    return login_url + separator + urlencode(fields, quote_via=quote)
