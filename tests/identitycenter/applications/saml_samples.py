"""Service provider metadata documents for the import tests, shaped like what real SAML
service providers publish (SimpleSAMLphp, Shibboleth SP), with a freshly made certificate."""

from __future__ import annotations

from tests.federation.saml_samples import certificate_b64

POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
ARTIFACT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"
EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def sp_metadata(
    entity_id: str = "https://sp.example.org/shibboleth",
    signed: str = "true",
    services: str | None = None,
    cert: str | None = None,
    name_id_formats: tuple[str, ...] = (PERSISTENT, EMAIL),
) -> str:
    cert = certificate_b64() if cert is None else cert
    base = "https://sp.example.org/Shibboleth.sso/SAML2"
    if services is None:
        services = acs(f"{base}/Artifact", ARTIFACT, 'index="2"') + acs(
            f"{base}/POST", POST, 'index="1" isDefault="true"'
        )
    formats = "".join(f"<md:NameIDFormat>{f}</md:NameIDFormat>" for f in name_id_formats)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">
  <md:SPSSODescriptor AuthnRequestsSigned="{signed}" WantAssertionsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://sp.example.org/Shibboleth.sso/SLO/Redirect"/>
    {formats}
    {services}
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""


def acs(location: str | None, binding: str = POST, extra: str = 'index="0"') -> str:
    """An md:AssertionConsumerService element (`location=None` leaves the attribute out)."""
    where = "" if location is None else f' Location="{location}"'
    return f'<md:AssertionConsumerService Binding="{binding}"{where} {extra}/>'


XXE = """<?xml version="1.0"?>
<!DOCTYPE md:EntityDescriptor [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&secret;">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="https://sp.example.org/acs" index="0"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""
