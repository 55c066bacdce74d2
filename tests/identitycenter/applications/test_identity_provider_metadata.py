"""The identity provider metadata an application instance publishes at its `metadata_url`:
public (a service provider fetches it without credentials), real SAML 2.0 IdP metadata that
names the instance's active signing certificate."""

from __future__ import annotations

import base64
import secrets

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from defusedxml import ElementTree

from idplane.federation.saml import parse_idp_metadata
from idplane.platform.saml import DS, md
from tests.identitycenter.applications.support import activate, create_certificate, create_instance


def _certificate_in(document: bytes) -> bytes:
    root = ElementTree.fromstring(document)
    [element] = root.iter(f"{{{DS}}}X509Certificate")
    return base64.b64decode(element.text)


def _der(pem: str) -> bytes:
    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER)


def test_the_metadata_url_serves_idp_metadata_with_the_active_certificate(org):
    made = create_instance(org)
    response = httpx.get(made.identity_provider_config.metadata_url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/samlmetadata+xml")
    parsed = parse_idp_metadata(response.text)
    assert parsed.entity_id == made.identity_provider_config.issuer_url
    assert parsed.certificates == 1
    assert _certificate_in(response.content) == _der(made.active_certificate.certificate)
    root = ElementTree.fromstring(response.content)
    locations = {e.get("Location") for e in root.iter(md("SingleSignOnService"))}
    assert locations == {made.identity_provider_config.remote_login_url}


def test_the_metadata_follows_the_active_certificate(org):
    made = create_instance(org)
    new = create_certificate(org, made.application_instance_id)
    activate(org, made.application_instance_id, new.certificate_id)
    response = httpx.get(made.identity_provider_config.metadata_url)
    assert _certificate_in(response.content) == _der(new.certificate)


def test_an_unknown_application_has_no_metadata(org):
    response = httpx.get(f"{org.server.url}/saml/metadata/app-ins-{secrets.token_hex(8)}")
    assert response.status_code == 404
    assert response.json()["error_code"] == "IIC.404"
    response = httpx.get(f"{org.server.url}/saml/metadata/not-an-application")
    assert (response.status_code, response.json()["error_code"]) == (400, "IIC.400")
