"""Reading an identity provider's SAML 2.0 metadata safely.

The XML comes from the caller, so it is parsed with defusedxml with DTDs forbidden outright:
no entity expansion (billion laughs), no external entities or DTD fetches (XXE). Size is capped
before parsing. It must be an `md:EntityDescriptor` with an `entityID` and an
`md:IDPSSODescriptor`; any certificate it carries must be a readable X.509 certificate.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import NoReturn
from xml.etree.ElementTree import Element, ParseError

from cryptography import x509
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from idplane.platform.errors import Invalid

MAX_METADATA_BYTES = 512 * 1024
MAX_ENTITY_ID = 1024
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str
    certificates: int  # how many X.509 certificates the IDPSSODescriptor carries


def parse_idp_metadata(document: str) -> IdpMetadata:
    if not document.strip():
        _fail("the metadata is empty")
    if len(document.encode("utf-8")) > MAX_METADATA_BYTES:
        _fail(f"the metadata exceeds {MAX_METADATA_BYTES // 1024} KiB")
    root = _parse(document)
    if root.tag != f"{{{MD}}}EntityDescriptor":
        _fail("the root element must be a SAML 2.0 md:EntityDescriptor")
    entity_id = (root.get("entityID") or "").strip()
    if not entity_id:
        _fail("the EntityDescriptor has no entityID")
    if len(entity_id) > MAX_ENTITY_ID:
        _fail(f"the entityID exceeds {MAX_ENTITY_ID} characters")
    descriptors = root.findall(f"{{{MD}}}IDPSSODescriptor")
    if not descriptors:
        _fail("the EntityDescriptor has no md:IDPSSODescriptor (it does not describe an IdP)")
    count = sum(_check_certificates(descriptor) for descriptor in descriptors)
    return IdpMetadata(entity_id, count)


def _parse(document: str) -> Element:
    try:
        return ElementTree.fromstring(document, forbid_dtd=True)
    except DefusedXmlException:
        _fail("DTDs and entity declarations are not accepted")
    except (ParseError, ValueError) as error:
        _fail(f"the metadata is not well-formed XML ({error})")


def _check_certificates(descriptor: Element) -> int:
    count = 0
    for element in descriptor.iter(f"{{{DS}}}X509Certificate"):
        text = "".join((element.text or "").split())
        try:
            x509.load_der_x509_certificate(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError):
            _fail("an X509Certificate of the IDPSSODescriptor is not a valid certificate")
        count += 1
    return count


def _fail(problem: str) -> NoReturn:
    raise Invalid(f"Invalid SAML metadata: {problem}.", "IAM.0011")
