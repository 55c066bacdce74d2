"""Reading an identity provider's SAML 2.0 metadata safely.

Parsing (defusedxml, DTDs forbidden, size cap) is `platform.saml`'s; here the document must
also be an IdP's: an `md:EntityDescriptor` with an `entityID` and an `md:IDPSSODescriptor`, and
any certificate it carries must be a readable X.509 certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from idplane.platform import saml
from idplane.platform.errors import Invalid


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str
    certificates: int  # how many X.509 certificates the IDPSSODescriptor carries


def parse_idp_metadata(document: str) -> IdpMetadata:
    root, entity_id = saml.entity_descriptor(document, _fail)
    descriptors = root.findall(saml.md("IDPSSODescriptor"))
    if not descriptors:
        _fail("the EntityDescriptor has no md:IDPSSODescriptor (it does not describe an IdP)")
    count = sum(saml.check_certificates(descriptor, _fail) for descriptor in descriptors)
    return IdpMetadata(entity_id, count)


def _fail(problem: str) -> NoReturn:
    raise Invalid(f"Invalid SAML metadata: {problem}.", "IAM.0011")
