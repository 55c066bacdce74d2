"""A service provider's SAML 2.0 metadata, read into the application instance's service
provider configuration.

Parsing is `platform.saml`'s (defusedxml, no DTDs or entities, 512 KiB at most). The document
must be an `md:EntityDescriptor` with an `md:SPSSODescriptor` holding at least one
`md:AssertionConsumerService`; its entityID becomes the audience, its assertion consumer
services the consumers (the one marked `isDefault`, else the lowest `index`, else the first is
the default), `AuthnRequestsSigned` the request-signature requirement, and the name-id formats
it lists that SAML 2.0 defines become the supported name-id formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn
from xml.etree.ElementTree import Element

from idplane.identitycenter.applications.configuration import NAME_ID_FORMATS
from idplane.instances.errors import invalid
from idplane.platform import saml

MAX_CONSUMERS = 20


@dataclass(frozen=True)
class ServiceProviderMetadata:
    entity_id: str
    consumers: list[dict[str, Any]]  # ConsumersDto: binding, default_value, location
    authn_requests_signed: bool
    name_id_formats: list[str]


def parse_sp_metadata(document: str) -> ServiceProviderMetadata:
    root, entity_id = saml.entity_descriptor(document, _fail)
    descriptor = root.find(saml.md("SPSSODescriptor"))
    if descriptor is None:
        _fail(
            "the EntityDescriptor has no md:SPSSODescriptor "
            "(it does not describe a service provider)"
        )
    saml.check_certificates(descriptor, _fail)
    services = descriptor.findall(saml.md("AssertionConsumerService"))
    if not services:
        _fail("the SPSSODescriptor has no md:AssertionConsumerService")
    if len(services) > MAX_CONSUMERS:
        _fail(
            f"the SPSSODescriptor has more than {MAX_CONSUMERS} AssertionConsumerService elements"
        )
    formats = [
        (element.text or "").strip() for element in descriptor.findall(saml.md("NameIDFormat"))
    ]
    return ServiceProviderMetadata(
        entity_id=entity_id,
        consumers=_consumers(services),
        authn_requests_signed=_true(descriptor.get("AuthnRequestsSigned")),
        name_id_formats=list(dict.fromkeys(f for f in formats if f in NAME_ID_FORMATS)),
    )


def _consumers(services: list[Element]) -> list[dict[str, Any]]:
    consumers = []
    for element in services:
        binding, location = element.get("Binding", "").strip(), element.get("Location", "").strip()
        if not binding or not location:
            _fail("every AssertionConsumerService needs a Binding and a Location")
        consumers.append({"binding": binding, "default_value": False, "location": location})
    consumers[_default_index(services)]["default_value"] = True
    return consumers


def _default_index(services: list[Element]) -> int:
    for position, element in enumerate(services):
        if _true(element.get("isDefault")):
            return position
    indexes = [_index(element) for element in services]
    return indexes.index(min(indexes))


def _index(element: Element) -> int:
    try:
        return int(element.get("index", "0"))
    except ValueError:
        _fail("an AssertionConsumerService has an index that is not a number")


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def _fail(problem: str) -> NoReturn:
    raise invalid(f"invalid SAML metadata: {problem}")
