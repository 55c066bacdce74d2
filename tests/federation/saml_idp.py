"""A real SAML 2.0 identity provider for the tests, built on pysaml2 (signing with Debian's
xmlsec1): its own RSA key and self-signed certificate, its metadata for idplane to import,
and IdP-initiated (unsolicited) responses for a service provider, signed as the test asks."""

from __future__ import annotations

import base64
import copy
import datetime
import shutil
import uuid
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

XMLSEC1 = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def _key_and_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def _sp_metadata(entity_id: str, acs_urls: list[str]) -> str:
    services = "".join(
        f'<md:AssertionConsumerService Binding="{BINDING_HTTP_POST}" Location="{url}" index="{i}"/>'
        for i, url in enumerate(acs_urls)
    )
    return (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        f'entityID="{entity_id}"><md:SPSSODescriptor '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{services}</md:SPSSODescriptor></md:EntityDescriptor>"
    )


class SamlIdp:
    def __init__(
        self,
        directory: Path,
        sp_entity_id: str,
        acs_urls: list[str],
        lifetime_minutes: int = 5,
        sso_url: str | None = None,
    ) -> None:
        self.lifetime_minutes = lifetime_minutes
        self.entity_id = f"https://idp-{uuid.uuid4().hex[:8]}.example.com/idp/shibboleth"
        self.sso_url = sso_url or f"{self.entity_id}/sso"
        self.sp_entity_id = sp_entity_id
        self.key_file, self.cert_file = _key_and_certificate(directory, "idp")
        self.other_key, self.other_cert = _key_and_certificate(directory, "impostor")
        self.acs_urls = acs_urls
        self.config = self._config(self.key_file, self.cert_file, acs_urls)
        self.server = Server(config=self.config)

    def with_lifetime(self, lifetime_minutes: int) -> SamlIdp:
        """The same IdP (entityID, key) whose assertions live `lifetime_minutes` (negative:
        already expired when issued)."""
        clone = copy.copy(self)
        clone.lifetime_minutes = lifetime_minutes
        clone.config = clone._config(self.key_file, self.cert_file, self.acs_urls)
        clone.server = Server(config=clone.config)
        return clone

    def _config(self, key_file: Path, cert_file: Path, acs_urls: list[str]) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": XMLSEC1,
                "key_file": str(key_file),
                "cert_file": str(cert_file),
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]
                        },
                        "policy": {"default": {"lifetime": {"minutes": self.lifetime_minutes}}},
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    }
                },
                "metadata": {"inline": [_sp_metadata(self.sp_entity_id, acs_urls)]},
            }
        )
        return config

    def metadata(self) -> str:
        return str(entity_descriptor(self.config))

    def response(
        self,
        user: str,
        attributes: dict[str, list[str]],
        destination: str,
        audience: str | None = None,
        impostor: bool = False,
        in_response_to: str | None = None,
    ) -> str:
        """The base64 SAMLResponse an IdP-initiated sign-in POSTs to `destination`, with a
        signed assertion (by the IdP's key, or an impostor's with `impostor`)."""
        server = self.server
        if impostor:
            server = Server(config=self.config)
            server.sec.key_file = str(self.other_key)
            server.sec.my_cert = None
            server.config.cert_file = str(self.other_cert)
            server.sec.cert_file = str(self.other_cert)
        name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=user)
        response = server.create_authn_response(
            identity=attributes,
            in_response_to=in_response_to,
            destination=destination,
            sp_entity_id=audience or self.sp_entity_id,
            name_id=name_id,
            userid=user,
            authn={"class_ref": saml.AUTHN_PASSWORD, "authn_auth": self.entity_id},
            sign_assertion=True,
            sign_response=False,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()

    def authn_request(self, saml_request: str) -> tuple[str, str, str]:
        """(ID, issuer, ACS URL) of an SP's AuthnRequest received by the HTTP-Redirect binding,
        parsed and checked (destination) by pysaml2."""
        parsed = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        return parsed.id, parsed.issuer.text, parsed.assertion_consumer_service_url
