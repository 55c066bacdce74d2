"""`serve --ssl-certfile/--ssl-keyfile`: the SCIM endpoint over HTTPS with a self-signed
certificate passes scim2-tester, as Okta and Entra only provision to HTTPS endpoints."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import time

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from scim2_tester import check_server
from scim2_tester.utils import Status

from tests.operations.conftest import serve
from tests.scim.endpoint.support import new_scim
from tests.scim.endpoint.test_conformance import HttpxSCIMClient


def self_signed(directory) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "tls.crt", directory / "tls.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def _wait_for_tls(url: str, cert: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(
                    f"{url}/health", verify=ssl.create_default_context(cafile=cert), timeout=2
                ).status_code
                == 200
            ):
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the TLS server did not start")


def test_scim_over_tls_with_a_self_signed_certificate_passes_scim2_tester(server, tmp_path) -> None:
    cert, key = self_signed(tmp_path)
    scim = new_scim(server)
    with serve(server, "--ssl-certfile", cert, "--ssl-keyfile", key, scheme="https") as served:
        _wait_for_tls(served.url, cert)
        base = f"{served.url}/{scim.tenant_id}/scim/v2"
        headers = {"Authorization": scim.bearer}
        with httpx.Client(
            base_url=base,
            headers=headers,
            verify=ssl.create_default_context(cafile=cert),
            timeout=30,
        ) as http:
            results = check_server(HttpxSCIMClient(http))
    failures = [r.title for r in results if r.status in (Status.ERROR, Status.CRITICAL)]
    assert results and failures == []
