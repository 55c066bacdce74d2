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

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from idplane.federation import assertions
from idplane.identitystore.external_idp import authn, idp_metadata, sp
from idplane.identitystore.external_idp.tables import (
    ExternalIdp,
    ExternalIdpCertificate,
    SpCertificate,
)
from idplane.instances.errors import duplicate, invalid, not_found
from idplane.instances.gate import IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.platform import ids
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
        endpoints = self.sp_endpoints(store_id)
        active = session.scalar(
            select(SpCertificate).where(
                SpCertificate.identity_store_id == store_id, SpCertificate.state == ACTIVE
            )
        )
        return {
            "sp_saml_config": {
                "acs_url": endpoints.recipients[0],
                "issuer": endpoints.entity_id,
                "metadata": sp.sp_metadata(endpoints, active.pem if active else None),
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
            pem, key_pem, expires = sp.self_signed(f"{self.base} {store.id}")
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
            return sp.sp_certificate_view(row)

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
            return [sp.sp_certificate_view(row) for row in rows]

    def delete_sp_certificate(self, caller: Caller, store_id: str, certificate_id: str) -> None:
        with self.gate.store_unit(
            caller, ACTION.format("deleteSpCertificate"), store_id, write=True, lock=True
        ) as (session, store):
            row = sp.sp_certificate(session, store.id, certificate_id)
            if row.state == ACTIVE:
                raise invalid("the active certificate cannot be deleted")
            session.delete(row)

    def update_sp_active_certificate(
        self, caller: Caller, store_id: str, certificate_id: str
    ) -> None:
        with self.gate.store_unit(
            caller, ACTION.format("updateSpActiveCertificate"), store_id, write=True, lock=True
        ) as (session, store):
            row = sp.sp_certificate(session, store.id, certificate_id)
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
        entity_id, login_url, signed, pems = idp_metadata.idp_from(spec)
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
            return [
                idp_metadata.association_view(idp, _certificates(session, idp.id)) for idp in found
            ]

    def update_external_id_p_configuration_for_directory(
        self, caller: Caller, store_id: str, idp_id: str, entity_id: str, login_url: str
    ) -> None:
        idp_metadata.check_entity(entity_id, login_url)
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
        certificate = idp_metadata.certificate(pem)
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
            return [idp_metadata.certificate_view(row) for row in _certificates(session, idp.id)]

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
        endpoints = self.sp_endpoints(identity_store_id)
        xml = authn.authn_request(
            request_id, login_url, endpoints.entity_id, endpoints.recipients[0]
        )
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
