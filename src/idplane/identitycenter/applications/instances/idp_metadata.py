"""The identity provider's SAML 2.0 metadata for one application instance: what a service
provider imports to trust it (entity id, sign-in and sign-out endpoints, the active signing
certificate, the name-id formats the application is configured for). Built, never parsed."""

from __future__ import annotations

import base64
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from idplane.platform.saml import DS, MD, md

PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
BINDINGS = ("HTTP-Redirect", "HTTP-POST")
register_namespace("md", MD)
register_namespace("ds", DS)


def idp_metadata(
    identity_provider: dict[str, str], certificate_pem: str | None, name_id_formats: list[str]
) -> bytes:
    root = Element(md("EntityDescriptor"), {"entityID": identity_provider["issuer_url"]})
    descriptor = SubElement(
        root,
        md("IDPSSODescriptor"),
        {"WantAuthnRequestsSigned": "false", "protocolSupportEnumeration": PROTOCOL},
    )
    if certificate_pem:
        key = SubElement(descriptor, md("KeyDescriptor"), {"use": "signing"})
        data = SubElement(SubElement(key, f"{{{DS}}}KeyInfo"), f"{{{DS}}}X509Data")
        SubElement(data, f"{{{DS}}}X509Certificate").text = _der_base64(certificate_pem)
    for binding in BINDINGS:
        SubElement(
            descriptor,
            md("SingleLogoutService"),
            _endpoint(binding, identity_provider["remote_logout_url"]),
        )
    for name_id_format in name_id_formats:
        SubElement(descriptor, md("NameIDFormat")).text = name_id_format
    for binding in BINDINGS:
        SubElement(
            descriptor,
            md("SingleSignOnService"),
            _endpoint(binding, identity_provider["remote_login_url"]),
        )
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _endpoint(binding: str, location: str) -> dict[str, str]:
    return {"Binding": f"urn:oasis:names:tc:SAML:2.0:bindings:{binding}", "Location": location}


def _der_base64(certificate_pem: str) -> str:
    der = x509.load_pem_x509_certificate(certificate_pem.encode()).public_bytes(Encoding.DER)
    return base64.b64encode(der).decode()
