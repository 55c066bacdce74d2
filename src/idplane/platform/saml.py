"""Reading SAML 2.0 metadata safely, for any service that accepts it from a caller.

The XML comes from the caller, so it is parsed with defusedxml with DTDs forbidden outright:
no entity expansion (billion laughs), no external entities or DTD fetches (XXE). Size is capped
before parsing. What a role descriptor must contain is the caller's business (an IdP for
federation, a service provider for Identity Center applications); this module gives the
checked `md:EntityDescriptor` and the checks they share. Every problem is reported through the
caller's `fail(problem)`, so each service answers in its own error code.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import NoReturn
from xml.etree.ElementTree import Element, ParseError

from cryptography import x509
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_METADATA_BYTES = 512 * 1024
MAX_ENTITY_ID = 1024
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"

Fail = Callable[[str], NoReturn]


def md(name: str) -> str:
    """The qualified tag of a SAML metadata element (`md("SPSSODescriptor")`)."""
    return f"{{{MD}}}{name}"


def entity_descriptor(document: str, fail: Fail) -> tuple[Element, str]:
    """The document's root `md:EntityDescriptor` and its entityID, or `fail(...)`."""
    if not document.strip():
        fail("the metadata is empty")
    if len(document.encode("utf-8")) > MAX_METADATA_BYTES:
        fail(f"the metadata exceeds {MAX_METADATA_BYTES // 1024} KiB")
    root = _parse(document, fail)
    if root.tag != md("EntityDescriptor"):
        fail("the root element must be a SAML 2.0 md:EntityDescriptor")
    entity_id = (root.get("entityID") or "").strip()
    if not entity_id:
        fail("the EntityDescriptor has no entityID")
    if len(entity_id) > MAX_ENTITY_ID:
        fail(f"the entityID exceeds {MAX_ENTITY_ID} characters")
    return root, entity_id


def check_certificates(descriptor: Element, fail: Fail) -> int:
    """How many X.509 certificates the role descriptor carries; each must be readable."""
    count = 0
    role = descriptor.tag.rsplit("}", 1)[-1]
    for element in descriptor.iter(f"{{{DS}}}X509Certificate"):
        text = "".join((element.text or "").split())
        try:
            x509.load_der_x509_certificate(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError):
            fail(f"an X509Certificate of the {role} is not a valid certificate")
        count += 1
    return count


def _parse(document: str, fail: Fail) -> Element:
    try:
        return ElementTree.fromstring(document, forbid_dtd=True)
    except DefusedXmlException:
        fail("DTDs and entity declarations are not accepted")
    except (ParseError, ValueError) as error:
        fail(f"the metadata is not well-formed XML ({error})")
