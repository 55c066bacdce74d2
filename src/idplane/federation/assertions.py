"""Verifying a SAML 2.0 Response from an identity provider against its imported metadata, with
signxml (XML-DSig over lxml; no hand-rolled crypto).

- Size is capped and the document parsed with DTDs forbidden (defusedxml) before anything.
- The signature (on the Response or on its one Assertion) must verify with a certificate of
  the metadata's IDPSSODescriptor, by an asymmetric algorithm; only what the signature covers
  is read afterwards (no signature wrapping).
- The assertion's Issuer is the metadata's entityID; Conditions' NotBefore/NotOnOrAfter hold;
  an AudienceRestriction names this service provider; a bearer SubjectConfirmationData names
  one of our assertion consumer URLs as Recipient and has not expired (60 s clock skew).
- Replay: the caller stores the assertion's ID until it expires; a second use is 401.
Attributes become mapping claims by Name (and FriendlyName), values `;`-joined; the NameID is
`__NAMEID__` (Huawei's default mapping attribute).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.federation.tables import SamlAssertionUse
from idplane.platform import saml
from idplane.platform.clock import as_utc, now
from idplane.platform.errors import Unauthenticated

CODE = "IAM.0101"
MAX_BYTES = 256 * 1024
SKEW = timedelta(seconds=60)
P = "urn:oasis:names:tc:SAML:2.0:protocol"
A = "urn:oasis:names:tc:SAML:2.0:assertion"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


@dataclass(frozen=True)
class SpEndpoints:
    entity_id: str  # what AudienceRestriction must name
    recipients: tuple[str, ...]  # our assertion consumer URLs


@dataclass(frozen=True)
class VerifiedAssertion:
    assertion_id: str
    issuer: str
    expires_at: datetime
    claims: dict[str, str]
    recipient: str = ""
    subject_format: str = ""
    in_response_to: str = ""  # the bearer confirmation's (signed) InResponseTo, "" if unsolicited


def decode_response(saml_response: str) -> bytes:
    try:
        document = base64.b64decode("".join(saml_response.split()), validate=True)
    except (binascii.Error, ValueError):
        raise Unauthenticated("SAMLResponse is not base64.", CODE) from None
    if not document or len(document) > MAX_BYTES:
        raise Unauthenticated("SAMLResponse is empty or too large.", CODE)
    try:
        root = SafeTree.fromstring(document, forbid_dtd=True)
    except (DefusedXmlException, ParseError, ValueError):
        raise Unauthenticated("SAMLResponse is not well-formed XML without DTDs.", CODE) from None
    if root.tag != f"{{{P}}}Response":
        raise Unauthenticated("SAMLResponse is not a samlp:Response.", CODE)
    return document


def unverified_issuer(document: bytes) -> str | None:
    root = SafeTree.fromstring(document, forbid_dtd=True)
    issuer = root.find(f"{{{A}}}Issuer")
    if issuer is None:
        issuer = root.find(f"{{{A}}}Assertion/{{{A}}}Issuer")
    return (issuer.text or "").strip() if issuer is not None else None


def signing_certificates(metadata: str) -> tuple[str, list[str]]:
    """The entityID and the PEM signing certificates of an IdP's metadata."""
    root = SafeTree.fromstring(metadata, forbid_dtd=True)
    pems = []
    for descriptor in root.findall(saml.md("IDPSSODescriptor")):
        for key in descriptor.findall(saml.md("KeyDescriptor")):
            if key.get("use") not in (None, "signing"):
                continue
            for element in key.iter(f"{{{saml.DS}}}X509Certificate"):
                body = "".join((element.text or "").split())
                lines = [body[i : i + 64] for i in range(0, len(body), 64)]
                pems.append(
                    "-----BEGIN CERTIFICATE-----\n"
                    + "\n".join(lines)
                    + "\n-----END CERTIFICATE-----\n"
                )
    return root.get("entityID") or "", pems


def verify_response(document: bytes, metadata: str, sp: SpEndpoints) -> VerifiedAssertion:
    entity_id, certificates = signing_certificates(metadata)
    return verify_with(document, entity_id, certificates, sp)


def verify_with(
    document: bytes, entity_id: str, certificates: list[str], sp: SpEndpoints
) -> VerifiedAssertion:
    """Verification against an IdP known by its entityID and PEM signing certificates."""
    if not certificates:
        raise Unauthenticated("The identity provider's metadata has no signing certificate.", CODE)
    signed = _verified_element(document, certificates)
    assertion = _the_assertion(signed)
    issuer = _text(assertion.find(f"{{{A}}}Issuer"))
    if issuer != entity_id:
        raise Unauthenticated("The assertion's Issuer is not the identity provider.", CODE)
    moment = now()
    expires = _check_conditions(assertion, sp, moment)
    confirmed, recipient, in_response_to = _check_subject(assertion, sp, moment)
    assertion_id = assertion.get("ID") or ""
    if not assertion_id:
        raise Unauthenticated("The assertion has no ID.", CODE)
    name_id = assertion.find(f"{{{A}}}Subject/{{{A}}}NameID")
    subject_format = name_id.get("Format", "") if name_id is not None else ""
    return VerifiedAssertion(
        assertion_id,
        issuer,
        min(expires, confirmed),
        _claims(assertion),
        recipient,
        subject_format,
        in_response_to,
    )


def _verified_element(document: bytes, certificates: list[str]):
    # Imported on the first assertion, not at start-up: signxml and lxml are a twentieth of
    # the server's start, and most servers (test servers above all) never verify one.
    from lxml import etree
    from signxml import InvalidInput, InvalidSignature, SignatureConfiguration, XMLVerifier
    from signxml.algorithms import SignatureMethod

    asymmetric = frozenset(m for m in SignatureMethod if not m.name.startswith("HMAC"))
    config = SignatureConfiguration(signature_methods=asymmetric)
    failure = "no certificate of the metadata verifies it"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for pem in certificates:
        try:
            result = XMLVerifier().verify(
                document, x509_cert=pem, expect_config=config, parser=parser
            )
        except (InvalidSignature, InvalidInput) as error:
            failure = str(error) or failure
            continue
        except (ValueError, TypeError, etree.LxmlError):
            failure = "the signature is malformed"
            continue
        # One expected reference, so one result (a list only when several are expected).
        signed = result.signed_xml if not isinstance(result, list) else None
        if signed is None:
            continue
        if signed.tag == f"{{{P}}}Response":
            status = signed.find(f"{{{P}}}Status/{{{P}}}StatusCode")
            if status is None or status.get("Value") != SUCCESS:
                raise Unauthenticated("The SAML response is not a success.", CODE)
        return signed
    raise Unauthenticated(f"The SAML signature is invalid ({failure}).", CODE)


def _the_assertion(signed):
    if signed.tag == f"{{{A}}}Assertion":
        return signed
    assertions = signed.findall(f"{{{A}}}Assertion")
    if len(assertions) != 1:
        raise Unauthenticated("The signed response must carry exactly one assertion.", CODE)
    return assertions[0]


def _check_conditions(assertion, sp: SpEndpoints, moment: datetime) -> datetime:
    conditions = assertion.find(f"{{{A}}}Conditions")
    if conditions is None:
        raise Unauthenticated("The assertion has no Conditions.", CODE)
    not_before = _time(conditions.get("NotBefore"))
    not_after = _time(conditions.get("NotOnOrAfter"))
    if not_before is not None and moment + SKEW < not_before:
        raise Unauthenticated("The assertion is not valid yet (NotBefore).", CODE)
    if not_after is None or moment - SKEW >= not_after:
        raise Unauthenticated("The assertion has expired (NotOnOrAfter).", CODE)
    audiences = [_text(a) for a in conditions.iter(f"{{{A}}}Audience")]
    if sp.entity_id not in audiences:
        raise Unauthenticated("The assertion's audience is not this service provider.", CODE)
    return not_after


def _check_subject(assertion, sp: SpEndpoints, moment: datetime) -> tuple[datetime, str, str]:
    subject = assertion.find(f"{{{A}}}Subject")
    if subject is None:
        raise Unauthenticated("The assertion has no Subject.", CODE)
    for confirmation in subject.findall(f"{{{A}}}SubjectConfirmation"):
        data = confirmation.find(f"{{{A}}}SubjectConfirmationData")
        if confirmation.get("Method") != BEARER or data is None:
            continue
        expires = _time(data.get("NotOnOrAfter"))
        if data.get("Recipient") not in sp.recipients:
            raise Unauthenticated("The assertion's Recipient is not this service.", CODE)
        if expires is None or moment - SKEW >= expires:
            raise Unauthenticated("The subject confirmation has expired.", CODE)
        return expires, data.get("Recipient") or "", data.get("InResponseTo") or ""
    raise Unauthenticated("The assertion has no bearer subject confirmation.", CODE)


def _claims(assertion) -> dict[str, str]:
    claims: dict[str, str] = {}
    name_id = assertion.find(f"{{{A}}}Subject/{{{A}}}NameID")
    if name_id is not None and _text(name_id):
        claims["__NAMEID__"] = _text(name_id)
    for attribute in assertion.iter(f"{{{A}}}Attribute"):
        values = [_text(v) for v in attribute.findall(f"{{{A}}}AttributeValue")]
        joined = ";".join(v for v in values if v)
        for key in (attribute.get("Name"), attribute.get("FriendlyName")):
            if key and joined:
                claims[key] = joined
    return claims


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise Unauthenticated(f"The assertion has a malformed time: {value}", CODE) from None


def use_once(session: Session, account_id: str, verified: VerifiedAssertion) -> None:
    """Records the assertion as used (until it expires, with clock skew); a second use is
    401. Runs in a savepoint of the caller's transaction."""
    key = hashlib.sha256(f"{verified.issuer}\0{verified.assertion_id}".encode()).hexdigest()
    session.execute(delete(SamlAssertionUse).where(SamlAssertionUse.expires_at < now()))
    try:
        with session.begin_nested():
            session.add(
                SamlAssertionUse(
                    key=key,
                    account_id=account_id,
                    expires_at=verified.expires_at + SKEW,
                )
            )
    except IntegrityError:
        raise Unauthenticated("This SAML assertion has already been used.", CODE) from None
