"""An external IdP's configuration as the API takes it (SAML metadata or explicit fields,
checked, giving entity id, login URL, wants signed requests, signing certificates) and as the
API gives it back (the association and its certificates)."""

from __future__ import annotations

import base64
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from idplane.federation import assertions
from idplane.identitystore.external_idp.tables import ExternalIdp, ExternalIdpCertificate
from idplane.instances.errors import invalid
from idplane.platform import saml


def idp_from(spec: dict[str, Any]) -> tuple[str, str, bool, list[str]]:
    metadata = spec.get("idp_saml_metadata")
    if metadata:
        root, entity_id = saml.entity_descriptor(metadata, _fail)
        descriptors = root.findall(saml.md("IDPSSODescriptor"))
        if not descriptors:
            _fail("the metadata does not describe an identity provider")
        for descriptor in descriptors:
            saml.check_certificates(descriptor, _fail)
        sso = root.find(f"{saml.md('IDPSSODescriptor')}/{saml.md('SingleSignOnService')}")
        login_url = sso.get("Location", "") if sso is not None else ""
        signed = descriptors[0].get("WantAuthnRequestsSigned") == "true"
        _, pems = assertions.signing_certificates(metadata)
        if not pems:
            _fail("the metadata carries no signing certificate")
        check_entity(entity_id, login_url)
        return entity_id, login_url, signed, pems
    config = spec.get("idp_saml_config")
    if not isinstance(config, dict):
        raise invalid("idp_saml_metadata or idp_saml_config is required")
    entity_id, login_url = config.get("entity_id") or "", config.get("login_url") or ""
    check_entity(entity_id, login_url)
    pems = [certificate(spec["idp_certificate"])] if spec.get("idp_certificate") else []
    return entity_id, login_url, bool(config.get("want_request_signed", False)), pems


def check_entity(entity_id: Any, login_url: Any) -> None:
    for name, value in (("entity_id", entity_id), ("login_url", login_url)):
        if not isinstance(value, str) or not 1 <= len(value) <= 1024:
            raise invalid(f"{name} must be 1 to 1024 characters")
    if not login_url.startswith(("https://", "http://")):
        raise invalid("login_url must be an http(s) URL")


def _fail(problem: str):
    raise invalid(f"invalid SAML metadata: {problem}")


def certificate(pem: Any) -> str:
    if not isinstance(pem, str) or len(pem) > 16384:
        raise invalid("x509_certificate_in_pem must be a PEM certificate")
    text = pem.strip()
    if "BEGIN CERTIFICATE" not in text:
        body = "".join(text.split())
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        text = "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----"
    try:
        loaded = x509.load_pem_x509_certificate(text.encode())
    except ValueError:
        raise invalid("x509_certificate_in_pem is not a valid X.509 certificate") from None
    return loaded.public_bytes(serialization.Encoding.PEM).decode()


def association_view(idp: ExternalIdp, certificates: list[ExternalIdpCertificate]) -> dict:
    """Every imported certificate verifies responses, so each one is ACTIVE."""
    return {
        "idp_id": idp.id,
        "is_enabled": idp.enabled,
        "idp_saml_config": {
            "entity_id": idp.entity_id,
            "login_url": idp.login_url,
            "want_request_signed": idp.want_request_signed,
        },
        "idp_certificate_ids": [{"certificate_id": c.id, "status": "ACTIVE"} for c in certificates],
    }


def certificate_view(row: ExternalIdpCertificate) -> dict:
    cert = x509.load_pem_x509_certificate(row.pem.encode())
    public = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "certificate_id": row.id,
        "issuer_name": cert.issuer.rfc4514_string(),
        "subject_name": cert.subject.rfc4514_string(),
        "not_before": int(cert.not_valid_before_utc.timestamp() * 1000),
        "not_after": int(cert.not_valid_after_utc.timestamp() * 1000),
        "public_key": base64.b64encode(public).decode(),
        "serial_number": float(cert.serial_number),
        "serial_number_string": format(cert.serial_number, "x"),
        "signature_algorithm_name": cert.signature_algorithm_oid._name,
        "version": float(cert.version.value + 1),
        "x509_Certificate_in_pem": row.pem,
    }
