"""Making a signing certificate: a fresh RSA key and a self-signed X.509 certificate for it,
as the identity provider of one application instance signs its SAML assertions with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from idplane.platform.clock import now

ALGORITHM = "SHA256withRSA"
KEY_SIZE = 2048


@dataclass(frozen=True)
class IssuedCertificate:
    certificate_pem: str
    private_key_pem: str  # to be sealed before it is stored; never returned
    issued_at: datetime
    expires_at: datetime
    algorithm: str = ALGORITHM
    key_size: str = str(KEY_SIZE)


def issue(subject: str, expiry: Callable[[datetime], datetime]) -> IssuedCertificate:
    """A certificate for `subject` (the application instance id), valid from now until
    `expiry(now)`; second precision, as the dates are reported in milliseconds."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    issued = now().replace(microsecond=0)
    expires = expiry(issued)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, subject),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "IAM Identity Center"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(issued - timedelta(minutes=5))  # tolerate clock skew of verifiers
        .not_valid_after(expires)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return IssuedCertificate(
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        private_key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        issued_at=issued,
        expires_at=expires,
    )
