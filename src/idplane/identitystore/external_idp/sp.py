"""The service-provider side of an identity store: its signing certificates (self-signed,
the private key sealed) and the SAML metadata it hands to an external IdP."""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.federation import assertions
from idplane.identitystore.external_idp.tables import SpCertificate
from idplane.instances.errors import not_found
from idplane.platform.clock import now


def sp_certificate(session: Session, store_id: str, certificate_id: str) -> SpCertificate:
    row = session.scalar(
        select(SpCertificate).where(
            SpCertificate.identity_store_id == store_id, SpCertificate.id == certificate_id
        )
    )
    if row is None:
        raise not_found("certificate", certificate_id)
    return row


def sp_certificate_view(row: SpCertificate) -> dict:
    return {
        "certificate_id": row.id,
        "x509certificate": row.pem,
        "algorithm": "SHA256withRSA",
        "expiry_date": int(row.expires_at.timestamp() * 1000),
        "state": row.state,
    }


def self_signed(common_name: str) -> tuple[str, str, datetime.datetime]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    start = now()
    expires = start + datetime.timedelta(days=365 * 5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(expires)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem, expires


def sp_metadata(sp: assertions.SpEndpoints, pem: str | None) -> str:
    key = ""
    if pem:
        body = "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)
        key = (
            '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
            f"{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        f'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{sp.entity_id}">'
        '<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{key}<md:AssertionConsumerService "
        'Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{sp.recipients[0]}" index="0" isDefault="true"/>'
        "</md:SPSSODescriptor></md:EntityDescriptor>"
    )
