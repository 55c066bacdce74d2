"""An identity store's external identity source (Identity Center with an external SAML IdP).

- The external IdP (one per store) is created from its SAML metadata (entityID, SSO URL and
  signing certificates are read from it) or from `idp_saml_config` plus `idp_certificate`;
  it starts disabled. `enable` makes the store's authentication type `EXTERNAL_IDP`, `disable`
  gives it back to the built-in directory (`IDENTITY_CENTER`).
- Its certificates (PEM, X.509, checked) verify the IdP's SAML responses; at least one stays.
- The store is the service provider: its SP configuration (issuer, ACS URL, metadata carrying
  the ACTIVE SP certificate) and SP certificates (RSA-2048 self-signed, private key sealed with
  the master key; the first one is ACTIVE, another becomes ACTIVE with `update_sp_active_
  certificate`, the ACTIVE one cannot be deleted).
- Sign-in: `sign_in_redirect` gives the IdP's SSO URL with our AuthnRequest (HTTP-Redirect
  binding); `verify_sign_in` checks the IdP's SAML response for the store (federation/
  assertions.py: signature with an imported certificate, issuer, audience = the SP issuer,
  recipient = the ACS URL, time window, InResponseTo = the AuthnRequest the browser was sent
  with, each assertion used once) and gives the NameID and e-mail addresses it signs in; the
  Identity Center sign-in page (signin/pages) calls both.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from idplane.federation import assertions
from idplane.identitystore.external_idp import authn
from idplane.identitystore.external_idp.tables import (
    ExternalIdp,
    ExternalIdpCertificate,
    SpCertificate,
)
from idplane.instances.errors import duplicate, invalid, not_found
from idplane.instances.gate import IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.platform import ids, saml
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.crypto import SecretBox, constant_time_equal
from idplane.platform.db import Store
from idplane.platform.errors import Unauthenticated

ACTION = "IdentityCenter:externalIdp:{}"
ACTIVE, INACTIVE = "ACTIVE", "INACTIVE"
MAX_CERTIFICATES = 2
MAX_SP_CERTIFICATES = 2
# Attributes an IdP names a user's e-mail address with (SAML attribute Name or FriendlyName).
EMAIL_ATTRIBUTES = ("email", "mail", "emailaddress", "urn:oid:0.9.2342.19200300.100.1.3")


class ExternalIdpService:
    def __init__(self, store: Store, gate: IdentityCenterGate, box: SecretBox, endpoint: str):
        self.store = store
        self.gate = gate
        self.box = box
        self.base = endpoint.rstrip("/")

    # The SP side ---------------------------------------------------------------------------

    def sp_endpoints(self, identity_store_id: str) -> assertions.SpEndpoints:
        issuer = f"{self.base}/v1/identity-stores/{identity_store_id}/saml"
        return assertions.SpEndpoints(entity_id=issuer, recipients=(f"{issuer}/acs",))

    def get_sp_configuration_for_directory(self, caller: Caller, store_id: str) -> dict:
        with self.gate.store_unit(caller, ACTION.format("getSpConfig"), store_id) as (
            session,
            store,
        ):
            return self._sp_config(session, store.id)

    def _sp_config(self, session: Session, store_id: str) -> dict:
        sp = self.sp_endpoints(store_id)
        active = session.scalar(
            select(SpCertificate).where(
                SpCertificate.identity_store_id == store_id, SpCertificate.state == ACTIVE
            )
        )
        return {
            "sp_saml_config": {
                "acs_url": sp.recipients[0],
                "issuer": sp.entity_id,
                "metadata": _sp_metadata(sp, active.pem if active else None),
            },
            "sp_oidc_config": {"redirect_url": f"{self.base}/v1/identity-stores/{store_id}/oidc"},
        }

    def create_sp_certificate(self, caller: Caller, store_id: str) -> dict:
        with self.gate.store_unit(
            caller, ACTION.format("createSpCertificate"), store_id, write=True, lock=True
        ) as (session, store):
            count = session.scalar(
                select(func.count()).where(SpCertificate.identity_store_id == store.id)
            )
            if (count or 0) >= MAX_SP_CERTIFICATES:
                raise invalid(f"an identity store has at most {MAX_SP_CERTIFICATES} certificates")
            pem, key_pem, expires = _self_signed(f"{self.base} {store.id}")
            row = SpCertificate(
                id=ids.uuid_str(),
                identity_store_id=store.id,
                pem=pem,
                key_sealed=self.box.seal(key_pem),
                state=ACTIVE if count == 0 else INACTIVE,
                expires_at=expires,
                created_at=now(),
            )
            session.add(row)
            session.flush()
            return _sp_certificate_view(row)

    def list_sp_certificates(self, caller: Caller, store_id: str) -> list[dict]:
        with self.gate.store_unit(caller, ACTION.format("listSpCertificates"), store_id) as (
            session,
            store,
        ):
            rows = session.scalars(
                select(SpCertificate)
                .where(SpCertificate.identity_store_id == store.id)
                .order_by(SpCertificate.seq)
            )
            return [_sp_certificate_view(row) for row in rows]

    def delete_sp_certificate(self, caller: Caller, store_id: str, certificate_id: str) -> None:
        with self.gate.store_unit(
            caller, ACTION.format("deleteSpCertificate"), store_id, write=True, lock=True
        ) as (session, store):
            row = _sp_certificate(session, store.id, certificate_id)
            if row.state == ACTIVE:
                raise invalid("the active certificate cannot be deleted")
            session.delete(row)

    def update_sp_active_certificate(
        self, caller: Caller, store_id: str, certificate_id: str
    ) -> None:
        with self.gate.store_unit(
            caller, ACTION.format("updateSpActiveCertificate"), store_id, write=True, lock=True
        ) as (session, store):
            row = _sp_certificate(session, store.id, certificate_id)
            session.execute(
                update(SpCertificate)
                .where(SpCertificate.identity_store_id == store.id)
                .values(state=INACTIVE)
            )
            row.state = ACTIVE

    # The external IdP ----------------------------------------------------------------------

    def create_external_id_p_configuration_for_directory(
        self, caller: Caller, store_id: str, spec: dict[str, Any]
    ) -> dict:
        entity_id, login_url, signed, pems = _idp_from(spec)
        with self.gate.store_unit(
            caller, ACTION.format("create"), store_id, write=True, lock=True
        ) as (session, store):
            if session.scalar(select(ExternalIdp).where(ExternalIdp.identity_store_id == store.id)):
                raise duplicate("the identity store already has an external identity provider")
            moment = now()
            idp = ExternalIdp(
                id=ids.uuid_str(),
                identity_store_id=store.id,
                entity_id=entity_id,
                login_url=login_url,
                want_request_signed=signed,
                enabled=False,
                created_at=moment,
            )
            session.add(idp)
            session.flush()
            certificates = [
                ExternalIdpCertificate(
                    id=ids.uuid_str(),
                    idp_id=idp.id,
                    pem=pem,
                    certificate_use="SIGNING",
                    created_at=moment,
                )
                for pem in pems
            ]
            session.add_all(certificates)
            session.flush()
            return {
                "idp_id": idp.id,
                "idp_certificate_id": certificates[0].id if certificates else None,
                "idp_certificate_ids": [c.id for c in certificates],
                "hws_sp_saml_config": self._sp_config(session, store.id)["sp_saml_config"],
            }

    def list_external_id_p_configurations_for_directory(
        self, caller: Caller, store_id: str
    ) -> list[dict]:
        with self.gate.store_unit(caller, ACTION.format("list"), store_id) as (session, store):
            found = session.scalars(
                select(ExternalIdp).where(ExternalIdp.identity_store_id == store.id)
            )
            return [_association(session, idp) for idp in found]

    def update_external_id_p_configuration_for_directory(
        self, caller: Caller, store_id: str, idp_id: str, entity_id: str, login_url: str
    ) -> None:
        _check_entity(entity_id, login_url)
        with self.gate.store_unit(caller, ACTION.format("update"), store_id, write=True) as (
            session,
            store,
        ):
            idp = _idp(session, store.id, idp_id)
            idp.entity_id, idp.login_url = entity_id, login_url

    def delete_external_id_p_configuration_for_directory(
        self, caller: Caller, store_id: str, idp_id: str
    ) -> None:
        with self.gate.store_unit(
            caller, ACTION.format("delete"), store_id, write=True, lock=True
        ) as (session, store):
            idp = _idp(session, store.id, idp_id)
            if idp.enabled:
                raise invalid("disable the external identity provider before deleting it")
            session.delete(idp)

    def set_enabled(self, caller: Caller, store_id: str, idp_id: str, enabled: bool) -> None:
        verb = "enable" if enabled else "disable"
        with self.gate.store_unit(caller, ACTION.format(verb), store_id, write=True, lock=True) as (
            session,
            store,
        ):
            idp = _idp(session, store.id, idp_id)
            if enabled and not _certificates(session, idp.id):
                raise invalid("the external identity provider has no certificate")
            idp.enabled = enabled
            kind = "EXTERNAL_IDP" if enabled else "IDENTITY_CENTER"
            session.execute(
                update(IdentityStore)
                .where(IdentityStore.id == store.id)
                .values(authentication_type=kind)
            )

    def import_external_id_p_certificate(
        self, caller: Caller, store_id: str, idp_id: str, pem: str, use: str
    ) -> str:
        if use.upper() != "SIGNING":
            raise invalid("certificate_use must be SIGNING")
        certificate = _certificate(pem)
        with self.gate.store_unit(
            caller, ACTION.format("importCertificate"), store_id, write=True, lock=True
        ) as (session, store):
            idp = _idp(session, store.id, idp_id)
            if len(_certificates(session, idp.id)) >= MAX_CERTIFICATES:
                raise invalid(
                    f"an external identity provider has at most {MAX_CERTIFICATES} certificates"
                )
            row = ExternalIdpCertificate(
                id=ids.uuid_str(),
                idp_id=idp.id,
                pem=certificate,
                certificate_use="SIGNING",
                created_at=now(),
            )
            session.add(row)
            return row.id

    def list_external_id_p_certificates(
        self, caller: Caller, store_id: str, idp_id: str
    ) -> list[dict]:
        with self.gate.store_unit(caller, ACTION.format("listCertificates"), store_id) as (
            session,
            store,
        ):
            idp = _idp(session, store.id, idp_id)
            return [_certificate_view(row) for row in _certificates(session, idp.id)]

    def delete_external_id_p_certificate(
        self, caller: Caller, store_id: str, idp_id: str, certificate_id: str
    ) -> None:
        with self.gate.store_unit(
            caller, ACTION.format("deleteCertificate"), store_id, write=True, lock=True
        ) as (session, store):
            idp = _idp(session, store.id, idp_id)
            rows = _certificates(session, idp.id)
            row = next((r for r in rows if r.id == certificate_id), None)
            if row is None:
                raise not_found("certificate", certificate_id)
            if len(rows) == 1 and idp.enabled:
                raise invalid("an enabled external identity provider keeps one certificate")
            session.delete(row)

    # Sign-in -------------------------------------------------------------------------------

    def sign_in_redirect(
        self, identity_store_id: str, request_id: str, relay_state: str
    ) -> str | None:
        """Where the sign-in page sends the browser: the enabled IdP's SSO URL with an
        AuthnRequest of id `request_id`; None when the store signs users in itself."""
        with self.store.read() as session:
            idp = _enabled_idp(session, identity_store_id)
            if idp is None:
                return None
            key = None
            if idp.want_request_signed:
                active = session.scalar(
                    select(SpCertificate).where(
                        SpCertificate.identity_store_id == identity_store_id,
                        SpCertificate.state == ACTIVE,
                    )
                )
                key = self.box.open(active.key_sealed) if active is not None else None
            login_url = idp.login_url
        sp = self.sp_endpoints(identity_store_id)
        xml = authn.authn_request(request_id, login_url, sp.entity_id, sp.recipients[0])
        return authn.redirect_url(login_url, xml, relay_state, key)

    def verify_sign_in(
        self, identity_store_id: str, saml_response: str, request_id: str
    ) -> ExternalSubject:
        """Who an enabled external IdP's verified SAML response signs in, in answer to our
        AuthnRequest `request_id` (an unsolicited or another browser's response is refused)."""
        document = assertions.decode_response(saml_response)
        with self.store.transaction() as session:
            idp = _enabled_idp(session, identity_store_id)
            if idp is None:
                raise Unauthenticated(
                    "The identity store has no enabled external identity provider.",
                    assertions.CODE,
                )
            pems = [row.pem for row in _certificates(session, idp.id)]
            verified = assertions.verify_with(
                document, idp.entity_id, pems, self.sp_endpoints(identity_store_id)
            )
            answered = verified.in_response_to
            if not request_id or not answered or not constant_time_equal(answered, request_id):
                raise Unauthenticated(
                    "The SAML response does not answer this browser's sign-in.", assertions.CODE
                )
            account_id = session.scalar(
                select(IdentityStore.account_id).where(IdentityStore.id == identity_store_id)
            )
            assert account_id is not None  # the gate found this identity store
            assertions.use_once(session, account_id, verified)
        name = verified.claims.get("__NAMEID__")
        if not name:
            raise Unauthenticated("The assertion names no user.", assertions.CODE)
        emails = [verified.claims.get(key, "") for key in EMAIL_ATTRIBUTES]
        if "@" in name:
            emails.insert(0, name)
        found = (e.strip() for joined in emails for e in joined.split(";"))
        return ExternalSubject(name, tuple(dict.fromkeys(e for e in found if e)))


@dataclass(frozen=True)
class ExternalSubject:
    """The user an external IdP asserted: its NameID and the e-mail addresses it gave."""

    name_id: str
    emails: tuple[str, ...]


def _enabled_idp(session: Session, identity_store_id: str) -> ExternalIdp | None:
    return session.scalar(
        select(ExternalIdp).where(
            ExternalIdp.identity_store_id == identity_store_id, ExternalIdp.enabled
        )
    )


def _idp_from(spec: dict[str, Any]) -> tuple[str, str, bool, list[str]]:
    metadata = spec.get("idp_saml_metadata")
    if metadata:
        root, entity_id = saml.entity_descriptor(metadata, _fail)
        descriptors = root.findall(saml.md("IDPSSODescriptor"))
        if not descriptors:
            _fail("the metadata does not describe an identity provider")
        for descriptor in descriptors:
            saml.check_certificates(descriptor, _fail)
        sso = root.find(f"{saml.md('IDPSSODescriptor')}/{saml.md('SingleSignOnService')}")
        login_url = sso.get("Location", "") if sso is not None else ""
        signed = descriptors[0].get("WantAuthnRequestsSigned") == "true"
        _, pems = assertions.signing_certificates(metadata)
        if not pems:
            _fail("the metadata carries no signing certificate")
        _check_entity(entity_id, login_url)
        return entity_id, login_url, signed, pems
    config = spec.get("idp_saml_config")
    if not isinstance(config, dict):
        raise invalid("idp_saml_metadata or idp_saml_config is required")
    entity_id, login_url = config.get("entity_id") or "", config.get("login_url") or ""
    _check_entity(entity_id, login_url)
    pems = [_certificate(spec["idp_certificate"])] if spec.get("idp_certificate") else []
    return entity_id, login_url, bool(config.get("want_request_signed", False)), pems


def _check_entity(entity_id: Any, login_url: Any) -> None:
    for name, value in (("entity_id", entity_id), ("login_url", login_url)):
        if not isinstance(value, str) or not 1 <= len(value) <= 1024:
            raise invalid(f"{name} must be 1 to 1024 characters")
    if not login_url.startswith(("https://", "http://")):
        raise invalid("login_url must be an http(s) URL")


def _fail(problem: str):
    raise invalid(f"invalid SAML metadata: {problem}")


def _certificate(pem: Any) -> str:
    if not isinstance(pem, str) or len(pem) > 16384:
        raise invalid("x509_certificate_in_pem must be a PEM certificate")
    text = pem.strip()
    if "BEGIN CERTIFICATE" not in text:
        body = "".join(text.split())
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        text = "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----"
    try:
        loaded = x509.load_pem_x509_certificate(text.encode())
    except ValueError:
        raise invalid("x509_certificate_in_pem is not a valid X.509 certificate") from None
    return loaded.public_bytes(serialization.Encoding.PEM).decode()


def _idp(session: Session, store_id: str, idp_id: str) -> ExternalIdp:
    idp = session.scalar(
        select(ExternalIdp).where(
            ExternalIdp.identity_store_id == store_id, ExternalIdp.id == idp_id
        )
    )
    if idp is None:
        raise not_found("external identity provider", idp_id)
    return idp


def _certificates(session: Session, idp_id: str) -> list[ExternalIdpCertificate]:
    return list(
        session.scalars(
            select(ExternalIdpCertificate)
            .where(ExternalIdpCertificate.idp_id == idp_id)
            .order_by(ExternalIdpCertificate.seq)
        )
    )


def _association(session: Session, idp: ExternalIdp) -> dict:
    return {
        "idp_id": idp.id,
        "is_enabled": idp.enabled,
        "idp_saml_config": {
            "entity_id": idp.entity_id,
            "login_url": idp.login_url,
            "want_request_signed": idp.want_request_signed,
        },
        "idp_certificate_ids": [
            {"certificate_id": c.id, "status": ACTIVE} for c in _certificates(session, idp.id)
        ],
    }


def _certificate_view(row: ExternalIdpCertificate) -> dict:
    cert = x509.load_pem_x509_certificate(row.pem.encode())
    public = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "certificate_id": row.id,
        "issuer_name": cert.issuer.rfc4514_string(),
        "subject_name": cert.subject.rfc4514_string(),
        "not_before": int(cert.not_valid_before_utc.timestamp() * 1000),
        "not_after": int(cert.not_valid_after_utc.timestamp() * 1000),
        "public_key": base64.b64encode(public).decode(),
        "serial_number": float(cert.serial_number),
        "serial_number_string": format(cert.serial_number, "x"),
        "signature_algorithm_name": cert.signature_algorithm_oid._name,
        "version": float(cert.version.value + 1),
        "x509_Certificate_in_pem": row.pem,
    }


def _sp_certificate(session: Session, store_id: str, certificate_id: str) -> SpCertificate:
    row = session.scalar(
        select(SpCertificate).where(
            SpCertificate.identity_store_id == store_id, SpCertificate.id == certificate_id
        )
    )
    if row is None:
        raise not_found("certificate", certificate_id)
    return row


def _sp_certificate_view(row: SpCertificate) -> dict:
    return {
        "certificate_id": row.id,
        "x509certificate": row.pem,
        "algorithm": "SHA256withRSA",
        "expiry_date": int(row.expires_at.timestamp() * 1000),
        "state": row.state,
    }


def _self_signed(common_name: str) -> tuple[str, str, datetime.datetime]:
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


def _sp_metadata(sp: assertions.SpEndpoints, pem: str | None) -> str:
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
